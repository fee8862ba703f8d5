#!/bin/sh
# vmrun: --mem 2048
# e2e-debug: skip 1000-VM dumps take longer than the suite's limits; nlfuzz (guest-fuzz) drives every operation there
# End-to-end test of the generic netlink family "kvmsched" through
# kvmschedctl, inside the sandbox KVM host: every settable attribute round
# trip (kvmschedctl and sysfs), a table of bad inputs rejected by
# kvmschedctl and, with its testing aids (KVMSCHEDCTL_NO_LOCAL_CHECKS,
# KVMSCHEDCTL_EXTRA_ATTR), by the kernel's own policy and extack;
# permissions, events, selectors, the vcpu-get dump filter, a dump of 1000
# VMs, and the module going away.
#
# 1000 small VMs (4 kvmtest processes of 250 x 1:parked, the most kvmtest
# runs at once) take about 500 MB of the sandbox, whose default 1 GiB leaves
# ~860 MB: the "# vmrun:" line above (read by tests/e2e/run.sh) gives it
# 2 GiB for a margin.
. /kvmsched/lib.sh
echo "KTAP version 1"
NVMS=1000	# VMs of the dump test, 250 per kvmtest

# -- helpers -------------------------------------------------------------------

# ctl ARGS...: run kvmschedctl; RC, and its output in /tmp/o and /tmp/e.
ctl() { kvmschedctl "$@" > /tmp/o 2> /tmp/e; RC=$?; }

# expect_err DESC RC ERE CMD...: CMD exits RC, prints nothing on stdout and
# a line matching ERE on stderr.
expect_err() {
	local _d=$1 _rc=$2 _re=$3
	shift 3
	"$@" > /tmp/o 2> /tmp/e
	RC=$?
	if [ "$RC" = "$_rc" ] && [ ! -s /tmp/o ] && grep -qE -- "$_re" /tmp/e; then
		ok "$_d"
		info "  $(head -n 1 /tmp/e)"
	else
		nok "$_d"
		info "  exit $RC (want $_rc), stdout: $(head -c 200 /tmp/o)"
		info "  stderr: $(head -c 400 /tmp/e)"
		info "  wanted: /$_re/"
	fi
}

# Raw requests: kvmschedctl without its local checks, so the kernel decides.
raw() { env KVMSCHEDCTL_NO_LOCAL_CHECKS=1 kvmschedctl "$@"; }
# extra TYPE[:VALUE] ARGS...: kvmschedctl with one more attribute.
extra() { local _a=$1; shift; env KVMSCHEDCTL_EXTRA_ATTR="$_a" kvmschedctl "$@"; }

# json_has FILE FRAGMENT: FILE contains the literal FRAGMENT.
json_has() { grep -qF -- "$2" "$1"; }

# Wall-clock milliseconds, from adjtimex (busybox's date has no %N);
# /proc/uptime's centiseconds if that fails.
now_ms() {
	adjtimex 2>/dev/null | awk '/time.tv_sec:/ { s = $2 } /time.tv_usec:/ { u = $2 }
		END { if (s == "") exit 1; printf "%.0f\n", s * 1000 + int(u / 1000) }' ||
		echo $(($(now_cs) * 10))
}

sysfs() { cat "$KVMS/vms/$1/$2"; }

# joined PID: process PID has a generic netlink socket (protocol 16) that
# joined a multicast group. libnl's port ids are the pid plus n << 22.
joined() {
	awk -v pid="$1" '$2 == 16 && $4 != "00000000" && $3 % 4194304 == pid { f = 1 }
		END { exit !f }' /proc/net/netlink
}

# vcpu_json_match ID: every vCPU in "kvmschedctl -j show ID" has the policy
# and nice /proc shows for its thread (pid $2).
vcpu_json_match() {
	local _id=$1 _pid=$2 _obj _tid _pol _nice _n=0
	kvmschedctl -j show "$_id" > /tmp/vj 2>&1 || return 1
	for _obj in $(sed 's/},{/}\n{/g' /tmp/vj | grep -o '"tid":[0-9]*,"policy":[0-9]*,"nice":-\{0,1\}[0-9]*'); do
		_tid=$(echo "$_obj" | sed 's/.*"tid":\([0-9]*\),.*/\1/')
		_pol=$(echo "$_obj" | sed 's/.*"policy":\([0-9]*\),.*/\1/')
		_nice=$(echo "$_obj" | sed 's/.*"nice":\(-\{0,1\}[0-9]*\).*/\1/')
		[ "$(thread_policy "$_pid" "$_tid")" = "$_pol" ] || return 1
		[ "$(thread_nice "$_pid" "$_tid")" = "$_nice" ] || return 1
		_n=$((_n + 1))
	done
	[ "$_n" -gt 0 ]
}

# -- setup: two VMs ------------------------------------------------------------
check "insmod kvmsched" load_kvmsched
: > /tmp/ab.out	# wait_ready reads it before kvmtest may have created it
check "start a 1-vCPU spinning and a 2-vCPU idle VM" start_vms /tmp/ab.out 1:spin 2:idle
set -- $VMPIDS; PA=$1; PB=$2
A=$(vm_id "$PA"); B=$(vm_id "$PB")
info "VM A: id $A pid $PA; VM B: id $B pid $PB"
sleep 1

# -- the new attributes in list, show, top -------------------------------------
ctl list
sed 's/^/#   /' /tmp/o
check "list: exit 0" test "$RC" = 0
check "list: header ID NAME PID COMM VCPUS CLASS WEIGHT ENT(mcpu) CPU(mcpu) STEAL%" \
	grep -qE '^ID +NAME +PID +COMM +VCPUS +CLASS +WEIGHT +ENT\(mcpu\) +CPU\(mcpu\) +STEAL%$' /tmp/o
check "list: VM A's row shows class shares and weight 100" \
	grep -qE "^ *$A +- +$PA +kvmtest +1 +shares +100 +[0-9]+ +[0-9]+ +[0-9.]+$" /tmp/o
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' /tmp/o)
check "list: lines fit in 100 columns ($w)" test "$w" -le 100
ctl list -l
check "list -l: DEMAND(mcpu) ACTIVE CPU_S WAIT_S ENTRIES at the end" \
	grep -qE 'STEAL% +DEMAND\(mcpu\) +ACTIVE +RES\(mcpu\) +LIMIT\(mcpu\) +BOUND +MEM\(MiB\) +RSS\(MiB\) +TARGET\(MiB\) +CPU_S +WAIT_S +ENTRIES$' /tmp/o
ctl -j list
check "-j list: VM A has class, weight, entitled/demand mcpu and active vCPUs" \
	grep -qE "\"id\":$A,\"name\":null,\"pid\":$PA,\"comm\":\"kvmtest\",\"nr_vcpus\":1,\"class\":\"shares\",\"weight\":100,\"entitled_mcpu\":[0-9]+,\"demand_mcpu\":[0-9]+,\"nr_active_vcpus\":[01]," /tmp/o
ent=$(sed 's/.*"id":'"$A"',[^}]*"entitled_mcpu":\([0-9]*\).*/\1/' /tmp/o)
dem=$(sed 's/.*"id":'"$A"',[^}]*"demand_mcpu":\([0-9]*\).*/\1/' /tmp/o)
check "-j list: the spinning 1-vCPU VM: 0 < entitled_mcpu $ent <= demand_mcpu $dem <= 1000" \
	sh -c "[ 0 -lt $ent ] && [ $ent -le $dem ] && [ $dem -le 1000 ]"
ctl show "$B"
sed 's/^/#   /' /tmp/o
ctl show "$A"
check "show: class, weight, entitled, demand, active vcpus lines" \
	sh -c "grep -qE '^  class: +shares$' /tmp/o && grep -qE '^  weight: +100$' /tmp/o &&
	       grep -qE '^  entitled: +[0-9]+ mcpu' /tmp/o && grep -qE '^  demand: +[0-9]+ mcpu' /tmp/o &&
	       grep -qE '^  active vcpus: +[0-9]+ ' /tmp/o"
check "show: vCPU table has POLICY NICE OVERRIDES DL(mcpu) BLOCK STARVED(ms) BURST(us)" \
	grep -qE '^VCPU +TID +POLICY +NICE +OVERRIDES +DL\(mcpu\) +BLOCK +STARVED\(ms\) +BURST\(us\) +CPU\(mcpu\) +STEAL% +CPU_S +WAIT_S +ENTRIES$' /tmp/o
# burst_rows FILE: every vCPU row of a show table has a number in BURST(us)
# (column 9), and there is at least one.
burst_rows() {
	awk '/^VCPU / { h = 1; next } h && NF { n++; if ($9 !~ /^[0-9]+$/) bad++ }
		END { exit !(n > 0 && !bad) }' "$1"
}
check "show: VM A's vCPU row has a BURST(us) number" burst_rows /tmp/o
tid=$(vm_tids /tmp/ab.out 0)
check "show: VM A's vCPU 0 (tid $tid) is 'normal' with a nice level" \
	grep -qE "^ +0 +$tid +normal +-?[0-9]+ +[0-9]+ " /tmp/o
check "-j show: every vCPU's policy and nice are those in /proc" \
	waitq 300 vcpu_json_match "$B" "$PB"
ctl top -n 1 -d 0.3
check "top: header has CLASS, ENT%, RES%, LIM% and P99" grep -qE '^ID +NAME +CLASS +VCPUS +CPU% +ENT% +RES% +LIM% +WAIT% +P99 +PID +COMM$' /tmp/o
ctl -j top -n 1 -d 0.3
check "-j top: class, weight and entitled_mcpu" \
	grep -qE "\"id\":$A,[^}]*\"class\":\"shares\",\"weight\":100,\"entitled_mcpu\":[0-9]+" /tmp/o

# -- wake latency: latency, show -j, list -j and top against sysfs ---------------
# VM B's two idle vCPUs halt, and kvmtest sleeps 100 ms per halt: about 10
# wakeups per vCPU and second, 20 in the module's window of 10 periods of
# 100 ms. Each command runs between two reads of the VM's six sysfs files,
# which must agree (no window was published meanwhile, so both are one
# window); else it is retried, for up to 10 s. LATWHY says the last
# difference.
LATF="wake_latency_count wake_latency_p50_ns wake_latency_p99_ns wake_latency_max_ns wake_latency_skipped wake_latency_hist"
lat_snap() { (cd "$KVMS/vms/$1" && cat $LATF) | tr '\n' ' '; }
# lat_run ID OUT CMD...: CMD's output in OUT; LATS = "count p50 p99 max
# skipped h0 ... h31" of the window it saw; LATN the first five, LATH the
# 32 counts joined by commas.
lat_run() {
	local _id=$1 _out=$2 _s
	shift 2
	_s=$(lat_snap "$_id")
	"$@" > "$_out" 2>&1 || { LATWHY="$*: $(head -c 300 "$_out")"; return 1; }
	LATS=$(lat_snap "$_id")
	[ "$_s" = "$LATS" ] || { LATWHY="a window was published meanwhile"; return 1; }
	set -- $LATS
	LATN="$1 $2 $3 $4 $5"
	shift 5
	LATH=$(echo "$@" | tr ' ' ',')
	LATWHY="sysfs $LATN [$LATH]"
}
jfirst() { grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | cut -d: -f2; }
jarr() { grep -o "\"$2\":\[[0-9,]*\]" "$1" | head -n 1 | sed 's/.*\[\(.*\)\]/\1/'; }
# lat_vm_json FILE WHAT: a VM object's wake_latency_* are LATN and LATH.
lat_vm_json() {
	local _j _f
	_j=""
	for _f in count p50_ns p99_ns max_ns skipped; do _j="$_j $(jfirst "$1" "wake_latency_$_f")"; done
	[ "${_j# }" = "$LATN" ] || { LATWHY="$2 '${_j# }', sysfs '$LATN'"; return 1; }
	_j=$(jarr "$1" wake_latency_hist)
	[ "$_j" = "$LATH" ] || { LATWHY="$2 hist [$_j], sysfs [$LATH]"; return 1; }
}
lat_show_j() { lat_run "$1" /tmp/lsj kvmschedctl -j show "$1" && lat_vm_json /tmp/lsj "-j show"; }
lat_list_j() {
	lat_run "$1" /tmp/llj kvmschedctl -j list || return 1
	sed 's/},{/}\n{/g' /tmp/llj | grep "\"id\":$1," > /tmp/llv
	lat_vm_json /tmp/llv "-j list"
}
lat_latency_j() {
	local _j
	lat_run "$1" /tmp/lj kvmschedctl -j latency "$1" || return 1
	# The window's figures come before the buckets' own count and max_ns.
	_j="$(jfirst /tmp/lj count) $(jfirst /tmp/lj p50_ns) $(jfirst /tmp/lj p99_ns) $(jfirst /tmp/lj max_ns) $(jfirst /tmp/lj skipped)"
	[ "$_j" = "$LATN" ] || { LATWHY="-j latency '$_j', sysfs '$LATN'"; return 1; }
	_j=$(grep -o '"count":[0-9]*' /tmp/lj | tail -n 32 | cut -d: -f2 | tr '\n' ',' | sed 's/,$//')
	[ "$_j" = "$LATH" ] || { LATWHY="-j latency buckets [$_j], sysfs [$LATH]"; return 1; }
	_j=$(grep -o '"min_ns":' /tmp/lj | wc -l)
	[ "$_j" = 32 ] || { LATWHY="-j latency has $_j buckets"; return 1; }
}
# The text: count, the bucket lines' sum, p50/p99/max's exact ns, skipped.
lat_text() {
	local _c _p50 _p99 _max _sk _j _f _v
	lat_run "$1" /tmp/lt kvmschedctl latency "$1" || return 1
	set -- $LATN
	_c=$1 _p50=$2 _p99=$3 _max=$4 _sk=$5
	_j=$(sed -n 's/^  count: *\([0-9]*\)$/\1/p' /tmp/lt)
	[ "$_j" = "$_c" ] || { LATWHY="latency count '$_j', sysfs $_c"; return 1; }
	_j=$(awk -F'|' 'NF == 2 { split($2, a, " "); s += a[1] } END { print s + 0 }' /tmp/lt)
	[ "$_j" = "$_c" ] || { LATWHY="latency's bucket lines sum to $_j, sysfs count $_c"; return 1; }
	for _f in p50 p99 max; do
		eval "_v=\$_$_f"
		_j=$(sed -n "s/^  $_f: .* (\([0-9]*\) ns)\$/\1/p" /tmp/lt)
		[ "$_j" = "$_v" ] || { LATWHY="latency $_f '$_j' ns, sysfs $_v"; return 1; }
	done
	_j=$(sed -n 's/^  skipped: *\([0-9]*\) .*/\1/p' /tmp/lt)
	[ "$_j" = "$_sk" ] || { LATWHY="latency skipped '$_j', sysfs $_sk"; return 1; }
}
# What one consistent window (LATS) of 2 x 10 wakeups per second must be.
lat_sane() {
	local _c _p50 _p99 _max _sum _hi
	set -- $LATS
	_c=$1 _p50=$2 _p99=$3 _max=$4
	shift 5
	[ $# = 32 ] || { LATWHY="hist has $# counts"; return 1; }
	_sum=$(echo "$@" | awk '{ for (i = 1; i <= NF; i++) { s += $i; if ($i) hi = i - 1 } }
		END { print s, hi + 0 }')
	_hi=${_sum#* }; _sum=${_sum% *}
	LATWHY="count $_c (hist sum $_sum), p50 $_p50 <= p99 $_p99 <= max $_max in bucket $_hi"
	[ "$_sum" = "$_c" ] && in_range "$_c" 5 25 && [ "$_p50" -le "$_p99" ] && [ "$_p99" -le "$_max" ] &&
		[ "$_max" -ge $((_hi ? 1 << (9 + _hi) : 0)) ] && [ "$_max" -lt $((1 << (10 + _hi))) ]
}
lat_count_ge() { file_ge "$KVMS/vms/$1/wake_latency_count" "$2"; }
check "sysfs: VM B's idle vCPUs have wakeups in a window" waitq 500 lat_count_ge "$B" 1
check "latency VM B: count, bucket lines, p50/p99/max ns and skipped = sysfs" waitq 1000 lat_text "$B"
info "  $LATWHY"
sed 's/^/#   /' /tmp/lt
check "... a plausible window: count 5-25 = the histogram's sum, p50 <= p99 <= max, max in the top bucket" lat_sane
info "  $LATWHY"
check "-j latency VM B: the figures and the 32 buckets = sysfs" waitq 1000 lat_latency_j "$B"
info "  $LATWHY"
check "-j show VM B: wake_latency_* and wake_latency_hist = sysfs" waitq 1000 lat_show_j "$B"
info "  $LATWHY"
check "-j list: VM B's wake_latency_* and wake_latency_hist = sysfs" waitq 1000 lat_list_j "$B"
info "  $LATWHY"
ctl top -n 1 -d 0.3
check "top: VM B's P99 is a latency in human units" grep -qE "^ *$B +.* +[0-9.]+(ns|us|ms|s) +$PB +kvmtest$" /tmp/o
ctl -j top -n 1 -d 0.3
check "-j top: VM B's wake_latency_count and wake_latency_p99_ns" \
	grep -qE "\"id\":$B,[^}]*\"wake_latency_count\":[0-9]+,\"wake_latency_p99_ns\":[0-9]+" /tmp/o
ctl show "$B"
check "show: a wake latency section with wakeups, p50, p99, max, skipped" \
	sh -c "grep -qx '  wake latency:' /tmp/o && grep -qE '^    wakeups: +[0-9]+$' /tmp/o &&
	       grep -qE '^    p99: +[0-9.]+ (ns|us|ms|s)$' /tmp/o && grep -qE '^    skipped: +[0-9]+$' /tmp/o"
expect_err "latency 999999 -> exit 1, the kernel's ENOENT 'no VM with this id'" 1 \
	"^kvmschedctl: VM 999999: No such file or directory: kernel says: no VM with this id" \
	kvmschedctl latency 999999
expect_err "latency name:nope -> exit 1 \"no VM named 'nope'\"" 1 "^kvmschedctl: no VM named 'nope'$" \
	kvmschedctl latency name:nope
expect_err "latency without a VM -> exit 2 'which VM?'" 2 "latency: which VM\?" kvmschedctl latency

# -- the SCHED_DEADLINE attributes: -j show and -j config against sysfs ----------
# Each vCPU's dl_mcpu, dl_block, dl_blocked, thread_shared and the global
# deadline_refused, deadline_reclaimed are sysfs files too. The files are
# read before and after the dump: the states must equal both reads, the
# counters lie between them (they may count while kvmschedctl runs); a race
# is retried for up to 3 s, and DLWHY says the last difference.
vj() { sed 's/},{/}\n{/g' "$1" | grep "\"vcpu_id\":$2," | grep -o "\"$3\":[^,}]*" | cut -d: -f2 | tr -d '"'; }
dl_snap() {
	local _v
	for _v in $(ls "$KVMS/vms/$1/vcpus"); do
		echo "$_v $(cat "$KVMS/vms/$1/vcpus/$_v/dl_mcpu" "$KVMS/vms/$1/vcpus/$_v/dl_block" \
			"$KVMS/vms/$1/vcpus/$_v/dl_blocked" "$KVMS/vms/$1/vcpus/$_v/thread_shared" | tr '\n' ' ')"
	done
}
dl_matches() {
	local _id=$1 _v _m _b _n _t _m2 _b2 _n2 _t2 _j
	dl_snap "$_id" > /tmp/dl1
	kvmschedctl -j show "$_id" > /tmp/dlj 2>&1 || { DLWHY="-j show $_id failed"; return 1; }
	dl_snap "$_id" > /tmp/dl2
	[ -s /tmp/dl1 ] || { DLWHY="VM $_id has no vCPU files"; return 1; }
	while read -r _v _m _b _n _t; do
		set -- $(grep "^$_v " /tmp/dl2)
		_m2=$2 _b2=$3 _n2=$4 _t2=$5
		_j="$(vj /tmp/dlj "$_v" dl_mcpu) $(vj /tmp/dlj "$_v" dl_block) $(vj /tmp/dlj "$_v" thread_shared)"
		if [ "$_j" != "$_m $_b $_t" ] || [ "$_j" != "$_m2 $_b2 $_t2" ]; then
			DLWHY="VM $_id vCPU $_v: -j dl_mcpu dl_block thread_shared '$_j', sysfs '$_m $_b $_t' then '$_m2 $_b2 $_t2'"
			return 1
		fi
		_j=$(vj /tmp/dlj "$_v" dl_blocked)
		if [ -z "$_j" ] || [ "$_j" -lt "$_n" ] || [ "$_j" -gt "${_n2:-0}" ]; then
			DLWHY="VM $_id vCPU $_v: -j dl_blocked '$_j', sysfs $_n then $_n2"
			return 1
		fi
	done < /tmp/dl1
	DLWHY="VM $_id: $(tr '\n' ';' < /tmp/dl1)"
}
# burst_matches ID: each vCPU's -j show burst_us equals its sysfs burst_us
# read before and after the dump (a period may end in between: retried).
burst_snap() {
	local _v
	for _v in $(ls "$KVMS/vms/$1/vcpus"); do
		echo "$_v $(cat "$KVMS/vms/$1/vcpus/$_v/burst_us")"
	done
}
burst_matches() {
	local _id=$1 _v _b _b2 _j
	burst_snap "$_id" > /tmp/bu1
	kvmschedctl -j show "$_id" > /tmp/buj 2>&1 || { DLWHY="-j show $_id failed"; return 1; }
	burst_snap "$_id" > /tmp/bu2
	[ -s /tmp/bu1 ] || { DLWHY="VM $_id has no vCPU files"; return 1; }
	while read -r _v _b; do
		_b2=$(grep "^$_v " /tmp/bu2 | cut -d' ' -f2)
		_j=$(vj /tmp/buj "$_v" burst_us)
		case "$_b" in ''|*[!0-9]*) DLWHY="VM $_id vCPU $_v: sysfs burst_us '$_b'"; return 1;; esac
		# a new period's burst can land between the reads (a busy
		# VM's changes every period): -j must show one of the two
		if [ "$_j" != "$_b" ] && [ "$_j" != "$_b2" ]; then
			DLWHY="VM $_id vCPU $_v: -j burst_us '$_j', sysfs $_b then $_b2"
			return 1
		fi
	done < /tmp/bu1
	DLWHY="VM $_id: $(tr '\n' ';' < /tmp/bu1)"
}
# cfg_dl_matches: -j config's and config's deadline_* between two sysfs reads.
cfg_dl_matches() {
	local _f _s1 _s2 _j _t
	DLWHY=
	for _f in deadline_refused deadline_reclaimed; do
		_s1=$(cat "$KVMS/$_f")
		kvmschedctl -j config > /tmp/dlc 2>&1
		kvmschedctl config > /tmp/dlt 2>&1
		_s2=$(cat "$KVMS/$_f")
		_j=$(grep -o "\"$_f\":[0-9]*" /tmp/dlc | cut -d: -f2)
		_t=$(sed -n "s/^$_f: \([0-9]*\)\$/\1/p" /tmp/dlt)
		DLWHY="$DLWHY$_f: sysfs $_s1 then $_s2, -j '$_j', text '$_t'; "
		[ -n "$_j" ] && [ -n "$_t" ] && [ "$_j" -ge "$_s1" ] && [ "$_j" -le "$_s2" ] &&
			[ "$_t" -ge "$_s1" ] && [ "$_t" -le "$_s2" ] || return 1
	done
}
# every_vcpu ID KEY VALUE: every vCPU of VM ID has KEY VALUE in /tmp/dlj.
every_vcpu() {
	local _v
	for _v in $(ls "$KVMS/vms/$1/vcpus"); do [ "$(vj /tmp/dlj "$_v" "$2")" = "$3" ] || return 1; done
}
unbound_dl() { every_vcpu "$1" dl_mcpu 0 && every_vcpu "$1" dl_block none && every_vcpu "$1" thread_shared -1; }
dl_file_is() { file_is "$KVMS/vms/$1/vcpus/$2/$3" "$4"; }
dl_file_gt() { [ "$(cat "$KVMS/vms/$1/vcpus/$2/$3")" -gt "$4" ]; }

for v in $A $B; do
	check "-j show VM $v: each vCPU's dl_mcpu, dl_block, dl_blocked, thread_shared = sysfs" waitq 300 dl_matches "$v"
	info "  $DLWHY"
	check "... unbound VM $v: dl_mcpu 0, dl_block none, thread_shared -1 on every vCPU" unbound_dl "$v"
done
check "-j config and config: deadline_refused, deadline_reclaimed = sysfs" waitq 300 cfg_dl_matches
info "  $DLWHY"
for v in $A $B; do
	check "-j show VM $v: each vCPU's burst_us = sysfs (before or after)" waitq 300 burst_matches "$v"
	info "  $DLWHY"
done

# A reservation gives VM A's spinning vCPU a deadline runtime.
check "reservation_mcpu=300 on VM A" kvmschedctl set "$A" reservation_mcpu=300
check "... sysfs dl_mcpu of its vCPU 0 > 0" waitq 300 dl_file_gt "$A" 0 dl_mcpu 0
check "-j show VM A (reserved): dl_* and thread_shared = sysfs" waitq 300 dl_matches "$A"
info "  $DLWHY"
m=$(vj /tmp/dlj 0 dl_mcpu)
check "... -j dl_mcpu $m in 1-1000, dl_block none" sh -c "[ '${m:-0}' -ge 1 ] && [ '${m:-0}' -le 1000 ] && [ '$(vj /tmp/dlj 0 dl_block)' = none ]"
ctl show "$A"
m=$(cat "$KVMS/vms/$A/vcpus/0/dl_mcpu")
check "show: vCPU 0's DL(mcpu) and BLOCK columns are sysfs's ($m none)" \
	grep -qE "^ +0 +$tid +[a-z0-9]+ +-?[0-9]+ +[0-9]+ +$m +none +[0-9]+ " /tmp/o
check "reservation_mcpu=0 on VM A" kvmschedctl set "$A" reservation_mcpu=0
check "... sysfs dl_mcpu back to 0" waitq 300 dl_file_is "$A" 0 dl_mcpu 0

# A reserved VM pinned to CPU 0 cannot have SCHED_DEADLINE (dl_block pinned,
# deadline_refused counts); a VM whose two vCPUs one thread runs shares it.
: > /tmp/pin.out; : > /tmp/one.out
kvmtest --seconds 0 --pin 0 1:spin > /tmp/pin.out 2>&1 &
PINK=$!
kvmtest --seconds 0 --one-thread 2:spin > /tmp/one.out 2>&1 &
ONEK=$!
wait_ready /tmp/pin.out 1
wait_ready /tmp/one.out 1
PP=$(jnum "$(grep -a ready /tmp/pin.out)" pid)
OP=$(jnum "$(grep -a ready /tmp/one.out)" pid)
waitq 500 vm_present "$PP"; waitq 500 vm_present "$OP"
P=$(vm_id "$PP"); O=$(vm_id "$OP")
info "pinned VM: id $P pid $PP; one-thread VM: id $O pid $OP"
ref0=$(cat "$KVMS/deadline_refused")
check "reservation_mcpu=300 on the pinned VM $P" kvmschedctl set "$P" reservation_mcpu=300
check "... sysfs dl_block of its vCPU 0 becomes pinned" waitq 300 dl_file_is "$P" 0 dl_block pinned
check "... and dl_blocked counts" waitq 300 dl_file_gt "$P" 0 dl_blocked 0
check "-j show the pinned VM: dl_* and thread_shared = sysfs" waitq 300 dl_matches "$P"
info "  $DLWHY"
check "... -j dl_block \"pinned\", dl_mcpu 0, dl_blocked > 0" \
	sh -c "grep -qF '\"dl_mcpu\":0,\"dl_block\":\"pinned\",\"dl_blocked\":' /tmp/dlj && [ '$(vj /tmp/dlj 0 dl_blocked)' -gt 0 ]"
ctl show "$P"
check "show: the pinned vCPU's BLOCK column says pinned" grep -qE "^ +0 +[0-9]+ +[a-z0-9]+ +-?[0-9]+ +[0-9]+ +0 +pinned +" /tmp/o
check "sysfs deadline_refused counts the pinned VM ($ref0 -> $(cat "$KVMS/deadline_refused"))" \
	waitq 300 sh -c "[ \$(cat $KVMS/deadline_refused) -gt $ref0 ]"
check "-j config and config: deadline_refused, deadline_reclaimed = sysfs (counting)" waitq 300 cfg_dl_matches
info "  $DLWHY"
check "the one-thread VM $O: sysfs has both vCPUs" waitq 500 file_is "$KVMS/vms/$O/nr_vcpus" 2
one_shared() {
	local _t0 _t1
	_t0=$(cat "$KVMS/vms/$O/vcpus/0/thread_shared" 2>/dev/null)
	_t1=$(cat "$KVMS/vms/$O/vcpus/1/thread_shared" 2>/dev/null)
	[ "$_t0 $_t1" = "-1 0" ] || [ "$_t0 $_t1" = "1 -1" ]
}
check "... sysfs thread_shared: one vCPU manages the thread, the other names it" waitq 500 one_shared
check "-j show the one-thread VM: dl_* and thread_shared = sysfs" waitq 300 dl_matches "$O"
info "  $DLWHY"
check "... -j thread_shared of vCPUs 0 and 1: -1 and 0, or 1 and -1" \
	sh -c "t='$(vj /tmp/dlj 0 thread_shared) $(vj /tmp/dlj 1 thread_shared)'; [ \"\$t\" = '-1 0' ] || [ \"\$t\" = '1 -1' ]"
kill -TERM $PINK $ONEK
wait $PINK; wait $ONEK
check "the pinned and the one-thread VM are forgotten (nr_vms 2)" waitq 1000 file_is "$KVMS/nr_vms" 2

# -- set/get round trip of every settable attribute ----------------------------
ctl set "$A" name=web-1
check "set name=web-1: exit 0, prints nothing" test "$RC" = 0 -a ! -s /tmp/o -a ! -s /tmp/e
kvmschedctl -j show "$A" > /tmp/j
check "name read back with -j show" json_has /tmp/j "\"vm\":{\"id\":$A,\"name\":\"web-1\","
check "name read back from sysfs" test "$(sysfs "$A" name)" = web-1
ctl set "$A" class=background
check "set class=background: exit 0" test "$RC" = 0
kvmschedctl -j show "$A" > /tmp/j
check "class read back with -j show" json_has /tmp/j '"class":"background"'
check "class read back from sysfs" test "$(sysfs "$A" class)" = background
check "the background VM's vCPU becomes SCHED_IDLE (-j show policy 5, as /proc)" \
	waitq 300 sh -c "kvmschedctl -j show $A | grep -q '\"policy\":5,' && [ \$(awk '{print \$41}' /proc/$PA/task/$tid/stat) = 5 ]"
ctl show "$A"
check "show: the vCPU's POLICY is idle" grep -qE "^ +0 +$tid +idle " /tmp/o
ctl set "$A" weight=250
check "set weight=250: exit 0" test "$RC" = 0
kvmschedctl -j show "$A" > /tmp/j
check "weight read back with -j show" json_has /tmp/j '"weight":250,'
check "weight read back from sysfs" test "$(sysfs "$A" weight)" = 250
for wt in 1 10000; do
	ctl set "$A" weight=$wt
	check "set weight=$wt (a bound): exit 0, sysfs $wt" test "$RC" = 0 -a "$(sysfs "$A" weight)" = $wt
done
ctl -j set "$A" name=web-2 class=shares weight=7
check "-j set name, class and weight at once prints the VM after the change" \
	grep -qE "^\\{\"vm\":\\{\"id\":$A,\"name\":\"web-2\",\"pid\":$PA,.*\"class\":\"shares\",\"weight\":7," /tmp/o
kvmschedctl -j show "$A" > /tmp/j
check "all three read back with -j show" \
	sh -c "grep -qF '\"name\":\"web-2\"' /tmp/j && grep -qF '\"class\":\"shares\"' /tmp/j && grep -qF '\"weight\":7,' /tmp/j"
check "all three read back from sysfs" \
	test "$(sysfs "$A" name) $(sysfs "$A" class) $(sysfs "$A" weight)" = "web-2 shares 7"
ctl set name:web-2 name=web-1 weight=100
check "set by name selector: renamed web-2 to web-1, weight 100" \
	test "$RC" = 0 -a "$(sysfs "$A" name)" = web-1 -a "$(sysfs "$A" weight)" = 100
ctl set "$A" name=web-1
check "set a VM's own name again: exit 0 (not a duplicate)" test "$RC" = 0
ctl set "$B" name=db-1
check "set VM B name=db-1" test "$RC" = 0 -a "$(sysfs "$B" name)" = db-1

ctl config period_ms=250
check "config period_ms=250: prints the new configuration" \
	sh -c "[ $RC = 0 ] && grep -qx 'period_ms: 250' /tmp/o && grep -qx 'nr_vms: 2' /tmp/o"
ctl -j config
check "period_ms read back with -j config" grep -q '^{"period_ms":250,"nr_vms":2,"reserve_headroom_pct":10,' /tmp/o
check "period_ms read back from sysfs" test "$(cat $KVMS/period_ms)" = 250
for p in 10 1000 100; do
	ctl config period_ms=$p
	check "config period_ms=$p: exit 0, sysfs $p" test "$RC" = 0 -a "$(cat $KVMS/period_ms)" = $p
done

# The burst boost's tunables: the defaults after starve_ms, then a round
# trip through config and sysfs, back to off.
ctl config
check "config: burst_boost: 0, burst_threshold_us: 1000 (the defaults), sysfs the same" \
	sh -c "[ $RC = 0 ] && grep -qx 'burst_boost: 0' /tmp/o && grep -qx 'burst_threshold_us: 1000' /tmp/o &&
	       [ \"\$(cat $KVMS/burst_boost) \$(cat $KVMS/burst_threshold_us)\" = '0 1000' ]"
ctl -j config
check "-j config: \"burst_boost\":0,\"burst_threshold_us\":1000 after starve_ms" \
	grep -qE '"starve_ms":[0-9]+,"burst_boost":0,"burst_threshold_us":1000,' /tmp/o
ctl config burst_boost=1 burst_threshold_us=2500
check "config burst_boost=1 burst_threshold_us=2500: printed, sysfs 1 and 2500" \
	sh -c "[ $RC = 0 ] && grep -qx 'burst_boost: 1' /tmp/o && grep -qx 'burst_threshold_us: 2500' /tmp/o &&
	       [ \"\$(cat $KVMS/burst_boost) \$(cat $KVMS/burst_threshold_us)\" = '1 2500' ]"
for t in 100 100000 1000; do
	ctl config burst_threshold_us=$t
	check "config burst_threshold_us=$t: exit 0, sysfs $t" test "$RC" = 0 -a "$(cat $KVMS/burst_threshold_us)" = $t
done
ctl config burst_boost=0
check "config burst_boost=0: exit 0, sysfs 0" test "$RC" = 0 -a "$(cat $KVMS/burst_boost)" = 0

# -- bad inputs ------------------------------------------------------------------
NAME64=$(printf '%064d' 7)
BEFORE="$(sysfs "$A" name) $(sysfs "$A" class) $(sysfs "$A" weight) $(sysfs "$B" name) $(cat $KVMS/period_ms) $(cat $KVMS/burst_boost) $(cat $KVMS/burst_threshold_us)"

# Rejected by kvmschedctl itself: exit 2, nothing sent, field and range named.
expect_err "cli: weight=0 -> exit 2, 'weight: 0 is out of range (accepted: 1-10000)'" 2 \
	"^kvmschedctl: set: weight: 0 is out of range \(accepted: 1-10000\)$" kvmschedctl set "$A" weight=0
expect_err "cli: weight=10001 -> exit 2, out of range (accepted: 1-10000)" 2 \
	"^kvmschedctl: set: weight: 10001 is out of range \(accepted: 1-10000\)$" kvmschedctl set "$A" weight=10001
expect_err "cli: period_ms=9 -> exit 2, out of range (accepted: 10-1000 ms)" 2 \
	"^kvmschedctl: config: period_ms: 9 is out of range \(accepted: 10-1000 ms\)$" kvmschedctl config period_ms=9
expect_err "cli: period_ms=1001 -> exit 2, out of range (accepted: 10-1000 ms)" 2 \
	"^kvmschedctl: config: period_ms: 1001 is out of range \(accepted: 10-1000 ms\)$" kvmschedctl config period_ms=1001
expect_err "cli: burst_boost=2 -> exit 2, out of range (accepted: 0-1)" 2 \
	"^kvmschedctl: config: burst_boost: 2 is out of range \(accepted: 0-1\)$" kvmschedctl config burst_boost=2
expect_err "cli: burst_threshold_us=99 -> exit 2, out of range (accepted: 100-100000 us)" 2 \
	"^kvmschedctl: config: burst_threshold_us: 99 is out of range \(accepted: 100-100000 us\)$" kvmschedctl config burst_threshold_us=99
expect_err "cli: burst_threshold_us=100001 -> exit 2, out of range (accepted: 100-100000 us)" 2 \
	"^kvmschedctl: config: burst_threshold_us: 100001 is out of range \(accepted: 100-100000 us\)$" kvmschedctl config burst_threshold_us=100001
expect_err "cli: class=foo -> exit 2, unknown value (accepted: shares|background|realtime|latency)" 2 \
	"^kvmschedctl: set: class: unknown value 'foo' \(accepted: shares\|background\|realtime\|latency\)$" kvmschedctl set "$A" class=foo
expect_err "cli: latency_us=999 -> exit 2, out of range (accepted: 1000-10000 us)" 2 \
	"^kvmschedctl: set: latency_us: 999 is out of range \(accepted: 1000-10000 us\)$" kvmschedctl set "$A" latency_us=999
expect_err "cli: latency_us=10001 -> exit 2, out of range (accepted: 1000-10000 us)" 2 \
	"^kvmschedctl: set: latency_us: 10001 is out of range \(accepted: 1000-10000 us\)$" kvmschedctl set "$A" latency_us=10001
expect_err "cli: weight=abc -> exit 2, not a number (accepted: 1-10000)" 2 \
	"^kvmschedctl: set: weight: 'abc' is not a number \(accepted: 1-10000\)$" kvmschedctl set "$A" weight=abc
expect_err "cli: 64-character name -> exit 2, too long (accepted: 1-63 ...)" 2 \
	"^kvmschedctl: set: name: 64 characters is too long \(accepted: 1-63 printable ASCII characters 0x21-0x7e, no spaces\)$" \
	kvmschedctl set "$A" "name=$NAME64"
expect_err "cli: empty name -> exit 2, empty (accepted: 1-63 ...)" 2 \
	"^kvmschedctl: set: name: empty \(accepted: 1-63 printable" kvmschedctl set "$A" name=
expect_err "cli: non-printable name -> exit 2, character 0x01" 2 \
	"^kvmschedctl: set: name: character 0x01 at position 2 is not allowed \(accepted: 1-63 printable" \
	kvmschedctl set "$A" "name=a$(printf '\001')b"
expect_err "cli: name with a space -> exit 2, character 0x20" 2 \
	"^kvmschedctl: set: name: character 0x20 at position 2 is not allowed" kvmschedctl set "$A" "name=a b"
expect_err "cli: nothing to set -> exit 2" 2 \
	"^kvmschedctl: set: nothing to set \(expected KEY=VALUE\.\.\.\)$" kvmschedctl set "$A"
expect_err "cli: nr_vms is read-only -> exit 2" 2 \
	"^kvmschedctl: config: nr_vms is read-only \(settable keys: period_ms, reserve_headroom_pct, " kvmschedctl config nr_vms=5

# Rejected by the kernel: exit 1, errno text, its extack with the attribute.
expect_err "kernel: unknown VM id -> ENOENT 'no VM with this id' (attribute id)" 1 \
	"^kvmschedctl: set weight of VM 999999: No such file or directory: kernel says: no VM with this id \(attribute id\)$" \
	kvmschedctl set 999999 weight=200
expect_err "kernel: duplicate name -> EEXIST 'already used' (attribute name)" 1 \
	"^kvmschedctl: set name of VM $B: File exists: kernel says: name is already used by another live VM \(attribute name\)$" \
	kvmschedctl set "$B" name=web-1
expect_err "kernel: duplicate name with a valid weight -> EEXIST, nothing changed" 1 \
	"File exists: kernel says: name is already used by another live VM \(attribute name\)$" \
	kvmschedctl set "$B" name=web-1 weight=555
check "... VM B's weight is still 100" test "$(sysfs "$B" weight)" = 100

# The same bad values sent raw: the kernel's policy rejects them.
expect_err "raw weight=0 -> ERANGE, policy range (attribute weight, accepted 1-10000)" 1 \
	"^kvmschedctl: set weight of VM $A: Numerical result out of range: kernel says: integer out of range \(attribute weight, accepted 1-10000\)$" \
	raw set "$A" weight=0
expect_err "raw weight=10001 -> ERANGE (attribute weight, accepted 1-10000)" 1 \
	"Numerical result out of range: kernel says: integer out of range \(attribute weight, accepted 1-10000\)$" \
	raw set "$A" weight=10001
expect_err "raw period_ms=9 -> ERANGE (attribute period-ms, accepted 10-1000)" 1 \
	"^kvmschedctl: set config: Numerical result out of range: kernel says: integer out of range \(attribute period-ms, accepted 10-1000\)$" \
	raw config period_ms=9
expect_err "raw period_ms=1001 -> ERANGE (attribute period-ms, accepted 10-1000)" 1 \
	"kernel says: integer out of range \(attribute period-ms, accepted 10-1000\)$" raw config period_ms=1001
expect_err "raw class=4 (unknown enum value) -> ERANGE (attribute class, accepted 0-3)" 1 \
	"^kvmschedctl: set class of VM $A: Numerical result out of range: kernel says: integer out of range \(attribute class, accepted 0-3\)$" \
	raw set "$A" class=4
expect_err "raw latency_us=999 -> ERANGE (attribute latency-us, accepted 1000-10000)" 1 \
	"Numerical result out of range: kernel says: integer out of range \(attribute latency-us, accepted 1000-10000\)$" \
	raw set "$A" latency_us=999
expect_err "raw burst_boost=2 -> ERANGE (attribute burst-boost, accepted 0-1)" 1 \
	"^kvmschedctl: set config: Numerical result out of range: kernel says: integer out of range \(attribute burst-boost, accepted 0-1\)$" \
	raw config burst_boost=2
expect_err "raw burst_threshold_us=99 -> ERANGE (attribute burst-threshold-us, accepted 100-100000)" 1 \
	"kernel says: integer out of range \(attribute burst-threshold-us, accepted 100-100000\)$" \
	raw config burst_threshold_us=99
expect_err "raw burst_threshold_us=100001 -> ERANGE (attribute burst-threshold-us, accepted 100-100000)" 1 \
	"kernel says: integer out of range \(attribute burst-threshold-us, accepted 100-100000\)$" \
	raw config burst_threshold_us=100001
expect_err "raw 64-character name -> EINVAL, policy (attribute name, length at most 63)" 1 \
	"^kvmschedctl: set name of VM $A: Invalid argument: kernel says: Attribute failed policy validation \(attribute name, length at most 63\)$" \
	raw set "$A" "name=$NAME64"
expect_err "raw empty name -> EINVAL 'name must be 1-63 characters' (attribute name)" 1 \
	"^kvmschedctl: set name of VM $A: Invalid argument: kernel says: name must be 1-63 characters \(attribute name\)$" \
	raw set "$A" name=
expect_err "raw non-printable name -> EINVAL 'printable ASCII without spaces (0x21-0x7e)'" 1 \
	"Invalid argument: kernel says: name must be printable ASCII without spaces \(0x21-0x7e\) \(attribute name\)$" \
	raw set "$A" "name=a$(printf '\001')b"
expect_err "raw name with a space -> EINVAL 'printable ASCII without spaces (0x21-0x7e)'" 1 \
	"Invalid argument: kernel says: name must be printable ASCII without spaces \(0x21-0x7e\) \(attribute name\)$" \
	raw set "$A" "name=a b"
expect_err "raw name with a byte >= 0x80 -> EINVAL 'printable ASCII'" 1 \
	"kernel says: name must be printable ASCII without spaces \(0x21-0x7e\) \(attribute name\)$" \
	raw set "$A" "name=caf$(printf '\303\251')"
expect_err "raw nothing to set -> EINVAL 'nothing to set: give name, class, weight, ...'" 1 \
	"^kvmschedctl: set settings of VM $A: Invalid argument: kernel says: nothing to set: give name, class, weight, reservation-mcpu, limit-mcpu, mem-shares, mem-min-mib, mem-max-mib, rt-priority, rr-quantum-ms or latency-us$" \
	raw set "$A"
expect_err "raw VM id 0 -> ERANGE (attribute id, accepted 1-4294967295)" 1 \
	"Numerical result out of range: kernel says: integer out of range \(attribute id, accepted 1-4294967295\)$" \
	raw set 0 weight=5
expect_err "raw nr_vms=1 (read-only) in config-set -> EINVAL 'Unsupported attribute' (attribute nr-vms)" 1 \
	"^kvmschedctl: set config: Invalid argument: kernel says: Unsupported attribute \(attribute nr-vms\)$" \
	raw config nr_vms=1
# Attributes an operation does not take (strict validation).
expect_err "extra attribute #99 in vm-set -> EINVAL 'Unknown attribute type' (attribute #99)" 1 \
	"^kvmschedctl: set weight of VM $A: Invalid argument: kernel says: Unknown attribute type \(attribute #99\)$" \
	extra 99 set "$A" weight=300
expect_err "read-only pid in vm-set -> EINVAL 'Unsupported attribute' (attribute pid)" 1 \
	"^kvmschedctl: set weight of VM $A: Invalid argument: kernel says: Unsupported attribute \(attribute pid\)$" \
	extra 2:1 set "$A" weight=300
expect_err "config-get with an attribute -> EINVAL (attribute period-ms)" 1 \
	"^kvmschedctl: get config: Invalid argument: kernel says: [A-Za-z ]+ \(attribute period-ms\)$" \
	extra 1:100 config
expect_err "config-get with attribute 2 -> EINVAL 'Unknown attribute type' (attribute nr-vms)" 1 \
	"^kvmschedctl: get config: Invalid argument: kernel says: Unknown attribute type \(attribute nr-vms\)$" \
	extra 2 config
expect_err "vm-get dump with an unknown attribute -> EINVAL 'Unknown attribute type'" 1 \
	"^kvmschedctl: list VMs: Invalid argument: kernel says: Unknown attribute type \(attribute #99\)$" \
	extra 99 list
AFTER="$(sysfs "$A" name) $(sysfs "$A" class) $(sysfs "$A" weight) $(sysfs "$B" name) $(cat $KVMS/period_ms) $(cat $KVMS/burst_boost) $(cat $KVMS/burst_threshold_us)"
check "nothing changed through all the rejected requests ($AFTER)" test "$AFTER" = "$BEFORE"
check "the valid request of those still works: weight=300" kvmschedctl set "$A" weight=300
check "... sysfs weight 300" test "$(sysfs "$A" weight)" = 300

# -- unprivileged users -----------------------------------------------------------
expect_err "uid 1000: set weight=200 -> EPERM 'Operation not permitted', exit 1" 1 \
	"^kvmschedctl: set weight of VM $A: Operation not permitted: kernel says: changing kvmsched needs CAP_NET_ADMIN in the initial user namespace$" \
	runas 1000 kvmschedctl set "$A" weight=200
expect_err "uid 1000: config period_ms=200 -> EPERM, exit 1" 1 \
	"^kvmschedctl: set config: Operation not permitted" runas 1000 kvmschedctl config period_ms=200
check "... weight and period unchanged" test "$(sysfs "$A" weight) $(cat $KVMS/period_ms)" = "300 100"
runas 1000 kvmschedctl list > /tmp/o 2> /tmp/e; rc=$?
check "uid 1000: list works (exit $rc) and shows both VMs" \
	sh -c "[ $rc = 0 ] && [ ! -s /tmp/e ] && grep -qE '^ *$A +web-1 +$PA ' /tmp/o && grep -qE '^ *$B +db-1 +$PB ' /tmp/o"
runas 1000 kvmschedctl -j show "$B" > /tmp/o 2> /tmp/e; rc=$?
check "uid 1000: -j show works (exit $rc) with the vCPUs" \
	sh -c "[ $rc = 0 ] && grep -qF '\"vm\":{\"id\":$B,\"name\":\"db-1\"' /tmp/o && [ \$(grep -o '\"vcpu_id\"' /tmp/o | wc -l) = 2 ]"
runas 1000 kvmschedctl config > /tmp/o 2> /tmp/e; rc=$?
check "uid 1000: config (get) works" sh -c "[ $rc = 0 ] && grep -qx 'period_ms: 100' /tmp/o"
runas 1000 kvmschedctl latency "$B" > /tmp/o 2> /tmp/e; rc=$?
check "uid 1000: latency works (exit $rc)" sh -c "[ $rc = 0 ] && grep -qE '^  count: +[0-9]+$' /tmp/o"

# -- selectors, and the kernel's vcpu-get dump filter ---------------------------------
ctl -j show "pid:$PB"
check "show pid:$PB resolves to VM $B" json_has /tmp/o "\"vm\":{\"id\":$B,"
ctl -j show name:web-1
check "show name:web-1 resolves to VM $A" json_has /tmp/o "\"vm\":{\"id\":$A,"
ctl show "id:$B"
check "show id:$B" grep -qx "VM $B" /tmp/o
expect_err "show pid:1 (no VM) -> exit 1 'no VM with pid 1'" 1 "^kvmschedctl: no VM with pid 1$" kvmschedctl show pid:1
expect_err "show name:nope -> exit 1 \"no VM named 'nope'\"" 1 "^kvmschedctl: no VM named 'nope'$" kvmschedctl show name:nope
expect_err "set name:nope weight=5 -> exit 1" 1 "^kvmschedctl: no VM named 'nope'$" kvmschedctl set name:nope weight=5
# show dumps the vCPUs with the vm-id filter first: the kernel says ENOENT.
expect_err "show 999999: the vcpu-get dump's vm-id filter -> ENOENT 'no VM with this id'" 1 \
	"^kvmschedctl: vCPUs of VM 999999: No such file or directory: kernel says: no VM with this id( \(attribute vm-id\))?$" \
	kvmschedctl show 999999
expect_err "raw show 0: vcpu-get dump request with vm-id 0 -> ERANGE (attribute vm-id, accepted 1-4294967295)" 1 \
	"^kvmschedctl: vCPUs of VM 0: Numerical result out of range: kernel says: integer out of range \(attribute vm-id, accepted 1-4294967295\)$" \
	raw show 0

# -- watch: events of a VM's life and of a config change -----------------------------
kvmschedctl watch --count 4 --timeout 120 > /tmp/w.txt 2> /tmp/w.err &
WATCH=$!
kvmschedctl -j watch --count 4 --timeout 120 > /tmp/wj.txt 2> /tmp/wj.err &
WATCHJ=$!
both_joined() { joined $WATCH && joined $WATCHJ; }
check "both watchers joined the events group" waitq 1000 both_joined
: > /tmp/short.out
kvmtest --seconds 0 1:spin > /tmp/short.out 2>&1 &
SHORT=$!
wait_ready /tmp/short.out 1
SP=$(jnum "$(grep ready /tmp/short.out)" pid)
wait_until 500 vm_present "$SP" > /dev/null
SID=$(vm_id "$SP")
kvmschedctl set "$SID" name=watched
kvmschedctl config period_ms=150 > /dev/null
kill -TERM $SHORT
wait $SHORT
wait_until 1000 sh -c "! kill -0 $WATCH 2>/dev/null && ! kill -0 $WATCHJ 2>/dev/null" > /dev/null
wait $WATCH; wrc=$?
wait $WATCHJ; wjrc=$?
info "watch: $(cat /tmp/w.txt /tmp/w.err)"
check "watch --count 4 exits 0 ($wrc)" test "$wrc" = 0
check "watch: 4 lines" test "$(wc -l < /tmp/w.txt)" = 4
l_add=$(grep -n " vm-add id=$SID pid=$SP comm=kvmtest vcpus=1$" /tmp/w.txt | cut -d: -f1)
l_chg=$(grep -n " vm-change id=$SID pid=$SP comm=kvmtest vcpus=1 name=watched class=shares weight=100 reservation_mcpu=0 limit_mcpu=0 mem_shares=100 mem_min_mib=0 mem_max_mib=[0-9]* rt_priority=1 rr_quantum_ms=0 latency_us=5000$" /tmp/w.txt | cut -d: -f1)
l_cfg=$(grep -n " config-change period_ms=150 nr_vms=3 " /tmp/w.txt | cut -d: -f1)
l_del=$(grep -n " vm-del id=$SID pid=$SP comm=kvmtest vcpus=1 name=watched cpu_s=[0-9.]* wait_s=[0-9.]*$" /tmp/w.txt | cut -d: -f1)
check "watch: vm-add id=$SID pid=$SP" test -n "$l_add"
check "watch: vm-change id=$SID pid=$SP name=watched class=shares weight=100" test -n "$l_chg"
check "watch: config-change period_ms=150 nr_vms=3" test -n "$l_cfg"
check "watch: vm-del id=$SID pid=$SP with its last counters" test -n "$l_del"
check "watch: in order add < change < config < del ($l_add $l_chg $l_cfg $l_del)" \
	sh -c "[ ${l_add:-9} -lt ${l_chg:-0} ] && [ ${l_chg:-9} -lt ${l_cfg:-0} ] && [ ${l_cfg:-9} -lt ${l_del:-0} ]"
check "watch: each line starts with an ISO 8601 time" \
	sh -c "[ \$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{4} ' /tmp/w.txt) = 4 ]"
check "-j watch --count 4 exits 0 ($wjrc)" test "$wjrc" = 0
check "-j watch: vm-add, vm-change, config-change, vm-del objects" \
	sh -c "grep -q '\"event\":\"vm-add\",\"vm\":{\"id\":$SID,\"name\":null,\"pid\":$SP,' /tmp/wj.txt &&
	       grep -q '\"event\":\"vm-change\",\"vm\":{\"id\":$SID,\"name\":\"watched\",\"pid\":$SP,.*\"class\":\"shares\",\"weight\":100,' /tmp/wj.txt &&
	       grep -q '\"event\":\"config-change\",\"config\":{\"period_ms\":150,\"nr_vms\":3,' /tmp/wj.txt &&
	       grep -q '\"event\":\"vm-del\",\"vm\":{\"id\":$SID,\"name\":\"watched\",\"pid\":$SP,' /tmp/wj.txt"
kvmschedctl config period_ms=100 > /dev/null

# -- a dump of 1000 VMs --------------------------------------------------------------------
stop_vms
t=$(wait_until 500 file_is $KVMS/nr_vms 0)
check "the two VMs are forgotten (${t}0 ms)" file_is $KVMS/nr_vms 0
MEM0=$(grep MemAvailable /proc/meminfo)
specs=""
i=0
while [ $i -lt 250 ]; do specs="$specs 1:parked"; i=$((i + 1)); done
t0=$(now_ms)
BIG=""
k=0
while [ $k -lt $((NVMS / 250)) ]; do
	kvmtest --seconds 0 $specs > /tmp/big$k.out 2> /tmp/big$k.err &
	BIG="$BIG $!"
	k=$((k + 1))
done
ready() { [ "$(cat /tmp/big*.out | grep -c '"event":"ready"')" -ge "$NVMS" ]; }
t=$(wait_until 30000 ready)
check "$NVMS VMs started (4 kvmtest x 250 x 1:parked, ${t}0 ms)" ready
t=$(wait_until 6000 file_ge $KVMS/nr_vms "$NVMS")
info "$NVMS VMs ready and tracked $(($(now_ms) - t0)) ms after the start; $(grep MemAvailable /proc/meminfo) (before: $MEM0)"
check "sysfs nr_vms = $NVMS" test "$(cat $KVMS/nr_vms)" = "$NVMS"
check "sysfs has $NVMS VM directories" test "$(ls $KVMS/vms | wc -l)" = "$NVMS"
t0=$(now_ms)
kvmschedctl -j list > /tmp/big.json 2> /tmp/big.err; rc=$?
t1=$(now_ms)
info "dump of $NVMS VMs took $((t1 - t0)) ms ($(wc -c < /tmp/big.json) bytes of JSON)"
check "-j list of $NVMS VMs: exit 0, nothing on stderr" test "$rc" = 0 -a ! -s /tmp/big.err
n=$(grep -o '"id":[0-9]*' /tmp/big.json | wc -l)
u=$(grep -o '"id":[0-9]*' /tmp/big.json | sort -u | wc -l)
check "-j list returns exactly $NVMS VMs ($n)" test "$n" = "$NVMS"
check "... with $NVMS distinct ids ($u)" test "$u" = "$NVMS"
grep -h '"event":"ready"' /tmp/big*.out | sed 's/.*"pid":\([0-9]*\).*/\1/' | sort -n > /tmp/pids.want
grep -o '"pid":[0-9]*' /tmp/big.json | cut -d: -f2 | sort -n > /tmp/pids.got
check "... whose pids are exactly the $NVMS VMMs' pids" cmp -s /tmp/pids.want /tmp/pids.got
check "... sorted by id" sh -c "grep -o '\"id\":[0-9]*' /tmp/big.json | cut -d: -f2 > /tmp/ids; sort -n /tmp/ids | cmp -s - /tmp/ids"
t0=$(now_ms)
kvmschedctl list > /tmp/big.txt 2> /tmp/big.err; rc=$?
t1=$(now_ms)
info "table of $NVMS VMs took $((t1 - t0)) ms"
check "list of $NVMS VMs: a header and $NVMS rows" test "$rc" = 0 -a "$(wc -l < /tmp/big.txt)" = $((NVMS + 1))
ctl -j config
check "-j config: nr_vms $NVMS" grep -qF "\"nr_vms\":$NVMS," /tmp/o
last=$(tail -n 1 /tmp/ids)
ctl -j show "$last"
check "show the last VM ($last) among $NVMS: one vCPU" \
	sh -c "[ $RC = 0 ] && [ \$(grep -o '\"vcpu_id\"' /tmp/o | wc -l) = 1 ]"
t0=$(now_ms)
kill -TERM $BIG
for p in $BIG; do wait "$p"; done
t1=$(now_ms)
# nr_vms each second, to show how the VMs go.
timeline=""
i=0
while [ $i -le 10 ]; do
	n=$(cat $KVMS/nr_vms)
	timeline="$timeline $n"
	[ "$n" = 0 ] || [ $i = 10 ] && break
	sleep 1
	i=$((i + 1))
done
info "VMMs exited in $((t1 - t0)) ms; nr_vms then, each second:$timeline"
check "all $NVMS VMs forgotten within 10 s of their VMMs' exit (nr_vms $(cat $KVMS/nr_vms))" \
	file_is $KVMS/nr_vms 0
if ! file_is $KVMS/nr_vms 0; then
	t=$(wait_until 12000 file_is $KVMS/nr_vms 0)
	info "nr_vms reached 0 only ${t}0 ms later"
fi
ctl -j list
check "-j list is empty" grep -qx '{"vms":\[\]}' /tmp/o

# -- the module goes away -------------------------------------------------------------------
kvmschedctl watch > /tmp/gone.txt 2> /tmp/gone.err &
GW=$!
check "a watcher joined" waitq 1000 joined $GW
check "rmmod kvmsched" rmmod kvmsched
wait_until 500 sh -c "! kill -0 $GW 2>/dev/null" > /dev/null
wait $GW; rc=$?
check "a running watch exits 1 saying the module was unloaded ($rc)" \
	sh -c "[ $rc = 1 ] && grep -qx 'kvmschedctl: the kvmsched module was unloaded' /tmp/gone.err"
NL='^kvmschedctl: kvmsched module is not loaded \(generic netlink family "kvmsched" not found\)$'
expect_err "not loaded: list -> exit 1 'not loaded'" 1 "$NL" kvmschedctl list
expect_err "not loaded: -j show 1 -> exit 1" 1 "$NL" kvmschedctl -j show 1
expect_err "not loaded: set 1 weight=5 -> exit 1" 1 "$NL" kvmschedctl set 1 weight=5
expect_err "not loaded: config -> exit 1" 1 "$NL" kvmschedctl config

echo "1..$T"
exit $FAILED
