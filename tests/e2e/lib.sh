# Shared helpers for the guest-side e2e scripts (busybox sh).
# Output is KTAP-like: "ok N - desc" / "not ok N - desc" / "ok N - desc # SKIP why";
# the host side (tests/e2e/run.sh) counts these lines.

KVMS=/sys/kernel/kvmsched
T=0
FAILED=0

ok()   { T=$((T + 1)); echo "ok $T - $*"; }
nok()  { T=$((T + 1)); echo "not ok $T - $*"; FAILED=1; }
skip() { T=$((T + 1)); echo "ok $T - $1 # SKIP $2"; }
info() { echo "# $*"; }

# check DESC CMD...: one test point from a command's exit status.
check() { local _desc=$1; shift; if "$@"; then ok "$_desc"; else nok "$_desc"; fi; }

# Monotonic time in centiseconds (from /proc/uptime).
now_cs() { local _up _x; read -r _up _x < /proc/uptime; echo $((${_up%.*} * 100 + 1${_up#*.} - 100)); }

# wait_until CS CMD...: poll CMD every 20 ms for up to CS centiseconds.
# Prints the centiseconds it took; fails on time-out.
wait_until() {
	local _lim=$1 _t0
	shift
	_t0=$(now_cs)
	while :; do
		if "$@"; then echo $(($(now_cs) - _t0)); return 0; fi
		[ $(($(now_cs) - _t0)) -ge "$_lim" ] && { echo "$_lim"; return 1; }
		usleep 20000
	done
}

# The sysfs directory of the VM whose VMM has pid $1 (empty if none).
vm_dir() {
	local _d
	for _d in "$KVMS"/vms/*; do
		[ -f "$_d/pid" ] && [ "$(cat "$_d/pid")" = "$1" ] && { echo "$_d"; return 0; }
	done
	return 1
}
vm_present() { vm_dir "$1" >/dev/null; }
vm_absent()  { ! vm_dir "$1" >/dev/null; }

# JSON field helpers for kvmtest's one-object-per-line output.
jnum() { echo "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
jlist() { echo "$1" | sed -n "s/.*\"$2\":\[\([0-9,]*\)\].*/\1/p" | tr , ' '; }

# wait_ready FILE N: wait (up to 60 s) until FILE has N "ready" lines.
wait_ready() {
	local _i=0 _c
	while :; do
		_c=$(grep -ac '"event":"ready"' "$1" 2>/dev/null)
		[ "${_c:-0}" -ge "$2" ] && return 0
		_i=$((_i + 1)); [ $_i -gt 3000 ] && return 1
		usleep 20000
	done
}

# Absolute difference of $1 and $2 within $3 percent of $2.
within_pct() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d;
		exit !(b > 0 && d * 100 <= p * b) }'
}

load_kvmsched() { insmod /kvmsched/kvmsched.ko "$@"; }

# VM id (sysfs directory name) of the VM whose VMM has pid $1.
vm_id() { local _d; _d=$(vm_dir "$1") && echo "${_d##*/}"; }

# Start "kvmtest --seconds 0 SPEC..." in the background and wait until all
# its VMs are ready. Sets KVMTEST (pid), VMOUT ($1, kvmtest's output) and
# VMPIDS (VMM pids in VMSPEC order).
start_vms_untracked() {
	local _n _i
	VMOUT=$1
	shift
	_n=$#
	# Emptied here, not only by the background job's redirection: that
	# runs later, and wait_ready could still see a previous run's lines.
	: > "$VMOUT"
	# shellcheck disable=SC2086 # KVMS_VM_OPTS: extra options, word-split
	kvmtest --seconds 0 ${KVMS_VM_OPTS:-} "$@" > "$VMOUT" 2>&1 &
	KVMTEST=$!
	wait_ready "$VMOUT" "$_n" || { info "kvmtest did not start: $(cat "$VMOUT")"; return 1; }
	VMPIDS=""
	_i=0
	while [ $_i -lt "$_n" ]; do
		VMPIDS="$VMPIDS $(jnum "$(grep -a "\"event\":\"ready\",\"vm\":$_i," "$VMOUT")" pid)"
		_i=$((_i + 1))
	done
}

# Wait until kvmsched shows every VM of the last start_vms* with all vCPUs.
wait_tracked() {
	local _i=0 _p _nv
	for _p in $VMPIDS; do
		_nv=$(jnum "$(grep -a "\"event\":\"ready\",\"vm\":$_i," "$VMOUT")" vcpus)
		wait_until 500 vm_present "$_p" >/dev/null || return 1
		wait_until 500 file_is "$(vm_dir "$_p")/nr_vcpus" "$_nv" >/dev/null || return 1
		_i=$((_i + 1))
	done
}

# start_vms OUT SPEC...: start_vms_untracked, then wait_tracked.
start_vms() { start_vms_untracked "$@" && wait_tracked; }

stop_vms() { kill -TERM "$KVMTEST" 2>/dev/null; wait "$KVMTEST" 2>/dev/null; }

# Cumulative CPU ns of the VM whose VMM has pid $1.
vm_cpu_ns() { cat "$(vm_dir "$1")/cpu_time_ns"; }

# share_permille SECS PID_A PID_B...: CPU used by A over SECS seconds, per
# mille of what all the listed VMs used together. Also sets MCPU_TOTAL (all
# listed VMs' CPU per second, in millicpus) and SHARES (each VM's per mille).
share_permille() {
	local _s=$1 _p _a0 _t0 _a1 _t1 _sum=0 _first=""
	shift
	for _p in "$@"; do eval "_c0_$_p=$(vm_cpu_ns "$_p")"; done
	_t0=$(now_cs)
	sleep "$_s"
	_t1=$(now_cs)
	SHARES=""
	for _p in "$@"; do
		eval "_d_$_p=\$(( \$(vm_cpu_ns $_p) - _c0_$_p ))"
		eval "_sum=\$((_sum + _d_$_p))"
		[ -n "$_first" ] || _first=$_p
	done
	[ "$_sum" -gt 0 ] || { echo 0; return; }
	for _p in "$@"; do eval "SHARES=\"\$SHARES \$((_d_$_p * 1000 / _sum))\""; done
	MCPU_TOTAL=$((_sum / 10000 / (_t1 - _t0)))
	eval "echo \$((_d_$_first * 1000 / _sum))"
}

# Nice level and policy (0 normal, 3 batch, 5 idle) of thread $2 of pid $1.
# Fields are counted after the ") " that ends the comm field, which may hold
# spaces and parentheses (QEMU's "CPU 0/KVM").
thread_stat()   { sed 's/.*) //' "/proc/$1/task/$2/stat" | awk -v f="$3" '{ print $(f - 2) }'; }
thread_nice()   { thread_stat "$1" "$2" 19; }
thread_policy() { thread_stat "$1" "$2" 41; }
thread_policy_is() { [ "$(thread_policy "$1" "$2")" = "$3" ]; }
thread_nice_is_not() { [ "$(thread_nice "$1" "$2")" != "$3" ]; }

# Thread ids of a VM's vCPUs, from its kvmtest ready line ($1 = out, $2 = index).
vm_tids() { jlist "$(grep -a "\"event\":\"ready\",\"vm\":$2," "$1")" tids; }

# in_range V LO HI
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# file_is FILE VALUE / file_ge FILE N: FILE holds VALUE / a number >= N.
# For wait_until, which runs its command again and again: in
# 'wait_until 100 test "$(cat F)" = V' the shell reads F only once, before
# wait_until starts, so that form can never see F change.
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
file_ge() { local _v; _v=$(cat "$1" 2>/dev/null); [ -n "$_v" ] && [ "$_v" -ge "$2" ]; }

# waitq CS CMD...: wait_until without printing the time it took.
waitq() { wait_until "$@" > /dev/null; }

# refused ERRNO_TEXT MESSAGE CMD...: CMD, run without kvmschedctl's own
# checks (so the kernel decides), fails and its output holds both texts.
refused() {
	local _e=$1 _m=$2 _out
	shift 2
	if _out=$(env KVMSCHEDCTL_NO_LOCAL_CHECKS=1 "$@" 2>&1); then
		info "unexpectedly accepted: $_out"
		return 1
	fi
	echo "$_out" | grep -q -- "$_e" && echo "$_out" | grep -q -- "$_m" && return 0
	info "got: $_out"
	return 1
}

# kvms_kmemleak_check [--clear] [PATTERN]: one test point from kmemleak
# (debug kernel, scripts/debug-kernel.sh): scan twice (kmemleak reports an
# object once it has stayed unreferenced for 5 s, so wait that long first)
# and pass if no unreferenced object is reported, or none whose record
# (backtrace included) matches PATTERN, e.g. "kvmsched". The matching
# records are printed as "# " lines. "--clear" only scans and forgets what
# is reported so far (e.g. boot-time objects), printing no test point.
# A kernel without kmemleak gives a SKIP.
kvms_kmemleak_check() {
	local _f=/sys/kernel/debug/kmemleak _clear=0 _pat _leaks
	[ "${1:-}" = --clear ] && { _clear=1; shift; }
	_pat=${1:-}
	if [ ! -w "$_f" ]; then
		[ $_clear = 1 ] || skip "kmemleak: no leaks${_pat:+ from $_pat}" "kernel without kmemleak"
		return 0
	fi
	sleep 6
	echo scan > "$_f" && echo scan > "$_f" || {
		[ $_clear = 1 ] || nok "kmemleak: no leaks${_pat:+ from $_pat} (scan failed)"
		return 1; }
	if [ $_clear = 1 ]; then echo clear > "$_f"; return 0; fi
	# One record per "unreferenced object" line; keep those matching PATTERN.
	_leaks=$(awk -v pat="$_pat" '
		function flush() { if (rec != "" && (pat == "" || index(rec, pat))) { printf "%s", rec; n++ } rec = "" }
		/^unreferenced object/ { flush() }
		{ rec = rec $0 "\n" }
		END { flush(); exit n > 0 }' "$_f")
	if [ $? = 0 ]; then
		ok "kmemleak: no leaks${_pat:+ from $_pat}"
		return 0
	fi
	echo "$_leaks" | head -n 60 | sed 's/^/# /'
	nok "kmemleak: no leaks${_pat:+ from $_pat} ($(echo "$_leaks" | grep -c '^unreferenced object') found)"
	return 1
}

# -- scheduling-safety helpers (guest-safety*.sh) --------------------------

# start_vms_opt OUT "KVMTEST OPTIONS" SPEC...: start_vms with extra kvmtest
# options (word-split), e.g. start_vms_opt /tmp/a.out "--pin 0" 1:spin.
start_vms_opt() {
	local _out=$1 _rc
	KVMS_VM_OPTS=$2
	shift 2
	start_vms "$_out" "$@"; _rc=$?
	KVMS_VM_OPTS=
	return $_rc
}

# stop_vms_hard: stop_vms, but SIGKILL the VMs (and kvmtest) that are still
# there after 10 s: a vCPU thread that never runs again cannot stop.
stop_vms_hard() {
	local _i=0 _p
	kill -TERM "$KVMTEST" 2>/dev/null
	while kill -0 "$KVMTEST" 2>/dev/null && [ $_i -lt 100 ]; do usleep 100000; _i=$((_i + 1)); done
	if kill -0 "$KVMTEST" 2>/dev/null; then
		info "kvmtest did not stop in 10 s: SIGKILL"
		for _p in $VMPIDS; do kill -KILL "$_p" 2>/dev/null; done
		kill -KILL "$KVMTEST" 2>/dev/null
	fi
	wait "$KVMTEST" 2>/dev/null
}

# thread_waits PID TID: "run_delay_ns pcount" of one thread (schedstat: time
# queued without running, times put on a CPU).
thread_waits() { awk '{ print $2, $3 }' "/proc/$1/task/$2/schedstat"; }
# proc_cpu_ns PID: CPU time of all the process's threads, ns.
proc_cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f", s }'; }
# wait_cpu_window SECS PID TID PIDS...: over SECS s, thread TID of PID's mean
# wait per run (WIN_MEAN, ns: schedstat run_delay over pcount; WIN_RUNS runs)
# and the CPU of each of PIDS (WIN_CPU, "mcpu mcpu ...", in that order).
wait_cpu_window() {
	local _s=$1 _pid=$2 _tid=$3 _a _b _t0 _t1 _c0="" _c1="" _p _dt
	shift 3
	_a=$(thread_waits "$_pid" "$_tid"); _t0=$(now_cs)
	for _p in "$@"; do _c0="$_c0 $(proc_cpu_ns "$_p")"; done
	sleep "$_s"
	_b=$(thread_waits "$_pid" "$_tid"); _t1=$(now_cs)
	for _p in "$@"; do _c1="$_c1 $(proc_cpu_ns "$_p")"; done
	_dt=$((_t1 - _t0)); [ "$_dt" -gt 0 ] || _dt=1
	set -- $_a $_b
	WIN_RUNS=$(($4 - $2)); [ "$WIN_RUNS" -gt 0 ] || WIN_RUNS=1
	WIN_MEAN=$((($3 - $1) / WIN_RUNS))
	WIN_CPU=$(echo $_c0 "|" $_c1 | awk -v dt=$_dt -F'|' '{ n = split($1, a, " "); split($2, b, " ")
		for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " " : ""), (b[i] - a[i]) / 10000 / dt; print "" }')
}

# thread_cpu_ns PID TID: CPU time of one thread, ns (schedstat, exact).
thread_cpu_ns() { awk '{ print $1 }' "/proc/$1/task/$2/schedstat"; }

# cpu_snap FILE...: "uptime_cs v1 v2 ..." from one cat, like guest-bounds'
# snap: the first field of each FILE (a schedstat's is its CPU ns).
cpu_snap() {
	cat /proc/uptime "$@" | awk 'NR == 1 { split($1, u, "."); printf "%d", u[1] * 100 + u[2]; next }
		{ printf " %s", $1 } END { print "" }'
}
# cpu_rate S0 S1 I: mcpu of counter I (1-based, ns) between two cpu_snaps.
cpu_rate() {
	echo "$1 $2" | awk -v n="$(echo "$1" | wc -w)" -v i="$3" '{
		printf "%d\n", ($(n + 1 + i) - $(1 + i)) / 10000 / ($(n + 1) - $1) }'
}
# sched_mcpu SECS FILE...: CPU of each schedstat FILE over SECS s, mcpu, on
# one line (e.g. /proc/PID/schedstat, /proc/PID/task/TID/schedstat).
sched_mcpu() {
	local _s=$1 _s0 _s1 _i=1 _o=""
	shift
	_s0=$(cpu_snap "$@"); sleep "$_s"; _s1=$(cpu_snap "$@")
	while [ $_i -le $# ]; do _o="$_o $(cpu_rate "$_s0" "$_s1" $_i)"; _i=$((_i + 1)); done
	echo $_o
}

# progress_rows OUT VM VCPU: kvmtest --progress-ms lines of one vCPU as
# "t_ms mono_ns cpu_ns guest_iters thread_cpu_ns tid", one per line.
progress_rows() {
	grep -a "\"event\":\"progress\",\"vm\":$2,.*\"vcpu\":$3," "$1" | awk -F'[:,{}"]+' '
		{ delete v; for (i = 2; i < NF; i += 2) v[$i] = $(i + 1)
		  print v["t_ms"], v["mono_ns"], v["cpu_ns"], v["guest_iters"], v["thread_cpu_ns"], v["tid"] }'
}

# progress_windows OUT VM VCPU FROM_MS TO_MS [STRIDE]: one line per pair of
# progress lines STRIDE apart (default 1: consecutive; with --progress-ms
# 250 and STRIDE 4, every 1 s window sliding by 250 ms) with FROM_MS < end
# and start < TO_MS: "end_t_ms mcpu iters thread_mcpu" over the exact
# interval (mono_ns, at least 0.5 s; shorter pairs are left out): mcpu from
# the vCPU's own CPU time (cpu_ns, all its threads, updated at its exits),
# thread_mcpu from its thread's CPU clock (exact; -1 when another thread
# took over in between).
progress_windows() {
	progress_rows "$1" "$2" "$3" | awk -v from="$4" -v to="$5" -v k="${6:-1}" '
		{ t[NR] = $1; m[NR] = $2; c[NR] = $3; it[NR] = $4; tc[NR] = $5; id[NR] = $6; j = NR - k }
		j >= 1 && $1 > from && t[j] < to && $2 - m[j] >= 500000000 {
			printf "%d %d %d %d\n", $1, ($3 - c[j]) * 1000 / ($2 - m[j]), $4 - it[j],
				$6 == id[j] ? ($5 - tc[j]) * 1000 / ($2 - m[j]) : -1 }'
}

# dl_bw_total: the deadline bandwidth the kernel has booked (the sum of
# dl_bw->total_bw over the scheduler debug file's CPU lines).
dl_bw_total() { awk '/dl_bw->total_bw/ { s += $NF } END { printf "%.0f\n", s }' /sys/kernel/debug/sched/debug; }
