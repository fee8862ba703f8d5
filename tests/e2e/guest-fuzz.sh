#!/bin/sh
# vmrun-debug: --timeout 1500
# Stress suite, part 1: the netlink family under fuzzing, and its
# permissions, inside the sandbox KVM host (issue 10, "Stress suite").
#
# While 19 kvmtest VMs run (2 light ones, 16 parked ones so that a VM dump
# spans several skbs, and one short-lived VM after another), a background
# loop changes the VMs' weight, class, limit and reservation with
# kvmschedctl, and tests/fixtures/nlfuzz sends FUZZ_ROOT malformed and
# boundary-value requests as root, then FUZZ_USER as uid 1000 and
# FUZZ_NS as root in a user namespace (see nlfuzz.c for what it checks:
# answers, errnos, extack messages, EPERM). Afterwards the module must still
# list, set, configure and show everything in sysfs.
#
# Permissions: every change op (vm-set, config-set, vm-mem-report,
# host-mem-report) is refused with EPERM, and with an extack message, for
# uid 1000, for root in a user namespace (unshare -r) and for uid 1000 in
# its own user namespace; reads (vm-get, vcpu-get do and dump, config-get)
# are allowed. The same requests as root are the positive control.
. /kvmsched/lib.sh
echo "KTAP version 1"
FUZZ_ROOT=100000 FUZZ_USER=25000 FUZZ_NS=10000
# The debug kernel (KASAN, lockdep, kmemleak; it alone has kmemleak) runs
# nlfuzz ~15x slower under TCG (25000 requests in 437 s): the full counts
# would take ~20 min, over run.sh's 900 s, and make check's 80 minutes
# want less: an eighth of them (every operation, class and attribute is
# still fuzzed hundreds of times) takes ~350 s.
if [ -e /sys/kernel/debug/kmemleak ]; then
	FUZZ_ROOT=12000 FUZZ_USER=3000 FUZZ_NS=1200
	info "debug kernel: $FUZZ_ROOT/$FUZZ_USER/$FUZZ_NS requests (stock kernels: 100000/25000/10000)"
fi
# Not "lockdep" alone: a lockdep kernel says "RCU lockdep checking is
# enabled" at boot, which stays in the log when the run is short (the debug
# lane's eighth of the requests); the same words as scripts/vmrun.sh.
TROUBLE='BUG:|WARNING:|Oops|lockdep is turned off|DEBUG_LOCKS_WARN_ON|possible recursive locking|circular locking|soft lockup|hard LOCKUP|rcu_sched self-detected|rcu: INFO|general protection|[Kk]ernel panic|Call Trace|hung_task|blocked for more than'

# -- background load -----------------------------------------------------------

# changer: vm-set on every VM in turn, cycling weight, class, limit and
# reservation; counts successful sets in /tmp/changer.n.
changer() {
	local _i=0 _n=0 _id
	while [ ! -e /tmp/stop ]; do
		for _id in $(ls "$KVMS/vms" 2>/dev/null); do
			case $((_i % 6)) in
			0) kvmschedctl set "$_id" weight=$((_i % 997 + 1)) ;;
			1) kvmschedctl set "$_id" class=background ;;
			2) kvmschedctl set "$_id" class=shares ;;
			3) kvmschedctl set "$_id" limit_mcpu=300 ;;
			4) kvmschedctl set "$_id" reservation_mcpu=100 ;;
			*) kvmschedctl set "$_id" reservation_mcpu=0 limit_mcpu=0 ;;
			esac > /dev/null 2>&1 && _n=$((_n + 1))
			_i=$((_i + 1))
		done
		echo "$_n" > /tmp/changer.n
		usleep 50000
	done
}

# comer: short-lived VMs, one after another, so that VMs come and go under
# the fuzzer; counts them in /tmp/comer.n.
comer() {
	local _n=0
	while [ ! -e /tmp/stop ]; do
		kvmtest --seconds 0.5 1:spin 2:exits > /dev/null 2>&1 && _n=$((_n + 2))
		echo "$_n" > /tmp/comer.n
	done
}

# fuzz DESC FILE CMD...: one test point from an nlfuzz run; its summary as
# info lines, violations (stderr) too.
fuzz() {
	local _d=$1 _f=$2 _rc _t0
	shift 2
	_t0=$(now_cs)
	"$@" > "$_f" 2> "$_f.err"
	_rc=$?
	info "$(tail -n 1 "$_f") ($(( ($(now_cs) - _t0) / 100 )) s)"
	if [ $_rc = 0 ]; then
		ok "$_d"
	else
		# the kinds of violations, then the first ones in full
		grep '^VIOLATION' "$_f.err" | cut -c 1-120 | sort | uniq -c | sort -rn | head -n 15 | sed 's/^/# /'
		head -n 12 "$_f.err" | sed 's/^/# /'
		nok "$_d (nlfuzz exit $_rc)"
	fi
}

# fuzzed FILE: the number of fuzzed requests in an nlfuzz summary.
fuzzed() { sed -n 's/.*, \([0-9]*\) fuzzed requests.*/\1/p' "$1" | tail -n 1; }

DLBW() { awk '/dl_bw->total_bw/ { s += $NF } END { printf "%.0f\n", s }' /sys/kernel/debug/sched/debug; }
dlbw_is() { [ "$(DLBW)" = "$1" ]; }
# dl_diag: what holds deadline bandwidth, when the books do not match.
dl_diag() {
	info "dl_bw: $(grep -a 'dl_bw->total_bw\|dl_bw->bw' /sys/kernel/debug/sched/debug | tr -s ' \t' ' ' | tr '\n' ';')"
	info "SCHED_DEADLINE threads: $(awk '$41 == 6 { printf "%s %s; ", $1, $2 }' /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null)"
}

# -- setup ---------------------------------------------------------------------------

DLBW0=$(DLBW)
info "deadline bandwidth booked before kvmsched: $DLBW0"
check "insmod kvmsched" load_kvmsched
check "start two light VMs" start_vms /tmp/l.out 1:halt@20 2:idle
LIGHT=$VMPIDS LKT=$KVMTEST
P=""
for i in $(seq 16); do P="$P 1:parked"; done
check "start 16 parked VMs" start_vms /tmp/p.out $P
PKT=$KVMTEST
rm -f /tmp/stop
changer & CH=$!
comer & CO=$!
sleep 1

# -- fuzzing -----------------------------------------------------------------------------

fuzz "root: $FUZZ_ROOT fuzzed requests, the kernel always answers, plausible errnos, extack on every refusal" \
	/tmp/fz.root nlfuzz --seed 1 --count "$FUZZ_ROOT"
fuzz "uid 1000: $FUZZ_USER fuzzed requests, no change accepted, every change refused before its handler" \
	/tmp/fz.user runas 1000 nlfuzz --seed 2 --count "$FUZZ_USER"
if unshare -r true 2>/dev/null; then
	fuzz "root in a user namespace: $FUZZ_NS fuzzed requests, no change accepted" \
		/tmp/fz.ns unshare -r nlfuzz --seed 3 --count "$FUZZ_NS"
else
	skip "root in a user namespace: fuzzed requests" "unshare -r does not work here"
fi
TOTAL=0
for f in /tmp/fz.root /tmp/fz.user /tmp/fz.ns; do
	[ -f "$f" ] && TOTAL=$((TOTAL + $(fuzzed "$f")))
done
check "nlfuzz ran as root with privileges" grep -q "; privileged," /tmp/fz.root
check "nlfuzz ran as uid 1000 without them" grep -q "; unprivileged," /tmp/fz.user

touch /tmp/stop
wait $CH $CO
info "messages fuzzed: $TOTAL (root $(fuzzed /tmp/fz.root), uid 1000 $(fuzzed /tmp/fz.user), user namespace $(fuzzed /tmp/fz.ns 2>/dev/null))"
info "meanwhile: $(cat /tmp/changer.n) vm-set changes, $(cat /tmp/comer.n) short-lived VMs"
check "at least $FUZZ_ROOT requests fuzzed as root ($(fuzzed /tmp/fz.root))" test "$(fuzzed /tmp/fz.root)" -ge "$FUZZ_ROOT"
check "at least $FUZZ_USER requests fuzzed without privileges ($(fuzzed /tmp/fz.user))" test "$(fuzzed /tmp/fz.user)" -ge "$FUZZ_USER"
check "the background loop changed settings while fuzzing ($(cat /tmp/changer.n))" test "$(cat /tmp/changer.n)" -gt 20

# -- the module still works -----------------------------------------------------------------

sleep 1
set -- $LIGHT; A=$1
AID=$(vm_id "$A")
n=$(kvmschedctl list 2>/dev/null | awk 'NR > 1' | wc -l)
check "kvmschedctl list still lists the 18 long-running VMs ($n rows)" test "$n" -ge 18
check "set weight=321 after the fuzzing" kvmschedctl set "$AID" weight=321
check "... and sysfs shows it" file_is "$KVMS/vms/$AID/weight" 321
check "set reservation 100, limit 400" kvmschedctl set "$AID" reservation_mcpu=100 limit_mcpu=400
check "... and sysfs shows them" sh -c "[ \$(cat $KVMS/vms/$AID/reservation_mcpu) = 100 ] && [ \$(cat $KVMS/vms/$AID/limit_mcpu) = 400 ]"
check "lift them again" kvmschedctl set "$AID" reservation_mcpu=0 limit_mcpu=0
check "config period_ms=100 after the fuzzing" kvmschedctl config period_ms=100
check "... and sysfs shows it" file_is "$KVMS/period_ms" 100
nf=0 bad=0
for f in $(find "$KVMS" -type f); do
	if cat "$f" > /dev/null 2>&1; then nf=$((nf + 1)); else bad=$((bad + 1)); info "cannot read $f"; fi
done
check "every sysfs file reads ($nf read, $bad failed)" test "$bad" = 0 -a "$nf" -gt 100
check "kvmschedctl -j show lists the VM's vCPUs" sh -c "kvmschedctl -j show $AID | grep -q '\"tid\"'"

# -- permissions ----------------------------------------------------------------------------------

CHANGE="vm-set config-set vm-mem-report host-mem-report"
READS="vm-get vm-get-dump vcpu-get vcpu-get-dump config-get"

# perm_line FILE OP: the line nlfuzz --perm printed for OP.
perm_line() { grep "^perm $2 " "$1"; }
all_ok() {
	local _op
	for _op in $CHANGE $READS; do perm_line "$1" "$_op" | grep -q "^perm $_op ok" || return 1; done
}
changes_eperm() {
	local _op
	for _op in $CHANGE; do perm_line "$1" "$_op" | grep -q "^perm $_op EPERM " || return 1; done
}
reads_ok() {
	local _op
	for _op in $READS; do perm_line "$1" "$_op" | grep -q "^perm $_op ok" || return 1; done
}
eperm_extack() {
	local _op
	for _op in $CHANGE; do perm_line "$1" "$_op" | grep -q 'EPERM extack=".\+"' || return 1; done
}

nlfuzz --perm > /tmp/perm.root 2>&1
info "root: $(tr '\n' ';' < /tmp/perm.root)"
check "root: every op accepted (the requests are valid)" all_ok /tmp/perm.root

# who LABEL CMD-PREFIX...: the permission checks for one kind of user.
who() {
	local _l=$1 _f=/tmp/perm.$2
	shift 2
	"$@" nlfuzz --perm > "$_f" 2>&1
	info "$_l: $(tr '\n' ';' < "$_f")"
	check "$_l: every change op refused with EPERM ($CHANGE)" changes_eperm "$_f"
	check "$_l: reads allowed ($READS)" reads_ok "$_f"
	check "$_l: every EPERM refusal carries an extack message" eperm_extack "$_f"
}
who "uid 1000" user runas 1000
if unshare -r true 2>/dev/null; then
	who "root in a user namespace (unshare -r)" ns unshare -r
else
	skip "root in a user namespace: permissions" "unshare -r does not work here"
fi
if runas 1000 unshare -r true 2>/dev/null; then
	who "uid 1000 in its own user namespace" userns runas 1000 unshare -r
else
	skip "uid 1000 in its own user namespace: permissions" "unprivileged user namespaces are off"
fi

# The same through kvmschedctl: refused, the setting unchanged, and the
# kernel's own explanation printed ("kernel says: ...").
w0=$(cat "$KVMS/vms/$AID/weight")
for u in "runas 1000" "unshare -r"; do
	$u kvmschedctl set "$AID" weight=777 > /tmp/o 2> /tmp/e; rc=$?
	info "$u kvmschedctl set weight=777: exit $rc: $(head -n 1 /tmp/e)"
	check "$u: kvmschedctl set is refused with EPERM" sh -c "[ $rc != 0 ] && grep -q 'Operation not permitted' /tmp/e"
	check "$u: kvmschedctl's refusal quotes the kernel's extack message" grep -q "kernel says" /tmp/e
	$u kvmschedctl list > /tmp/o 2> /tmp/e; rc=$?
	check "$u: kvmschedctl list is allowed" sh -c "[ $rc = 0 ] && [ \$(awk 'NR > 1' /tmp/o | wc -l) -ge 18 ]"
done
check "the refused sets changed nothing (weight $w0)" file_is "$KVMS/vms/$AID/weight" "$w0"

# -- the end ------------------------------------------------------------------------------------------

kill -TERM "$PKT" "$LKT" 2>/dev/null
wait "$PKT" "$LKT" 2>/dev/null
check "every VM is forgotten once the VMMs are gone" waitq 1000 file_is "$KVMS/nr_vms" 0
# A thread that left SCHED_DEADLINE keeps its bandwidth booked until its
# zero-lag time (within a period): wait a little. The realtime watchdog
# (kvmsched-wd), once the fuzzing made a VM realtime, keeps its own 500 us
# every 20 ms until rmmod (to_ratio(): 26214 per CPU line of the file).
WDBW=0
for d in /proc/[0-9]*; do
	[ "$(cat "$d/comm" 2>/dev/null)" = kvmsched-wd ] || continue
	[ "$(sed 's/.*) //' "$d/stat" | awk '{ print $39 }')" = 6 ] &&
		WDBW=$((26214 * $(grep -c 'dl_bw->total_bw' /sys/kernel/debug/sched/debug)))
done
info "the watchdog's deadline bandwidth: $WDBW"
waitq 300 dlbw_is "$((DLBW0 + WDBW))"
dlbw_is "$((DLBW0 + WDBW))" || dl_diag
check "no deadline bandwidth stays booked once the VMMs are gone ($(DLBW) = $DLBW0 + the watchdog's $WDBW)" \
	test "$(DLBW)" = "$((DLBW0 + WDBW))"
check "rmmod kvmsched" rmmod kvmsched
waitq 300 dlbw_is "$DLBW0"
dlbw_is "$DLBW0" || dl_diag
check "no deadline bandwidth stays booked after rmmod ($(DLBW) = $DLBW0)" \
	test "$(DLBW)" = "$DLBW0"
if dmesg | grep -aqE "$TROUBLE"; then
	dmesg | grep -aE "$TROUBLE" | head -n 20 | sed 's/^/# /'
	nok "dmesg has no splat"
else
	ok "dmesg has no splat"
fi
echo "1..$T"
exit $FAILED
