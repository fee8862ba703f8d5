#!/bin/sh
# e2e-debug: skip limit windows and host headroom measured in mcpu (timing); guest-safety-threads runs
# End-to-end scheduling safety, part 1 (issue 10, items 1, 2, 3 and 7):
# SCHED_DEADLINE under pinning, class flips while throttled, the window
# after a demand step, CPU offline with bound VMs. Inside the sandbox KVM
# host (2 CPUs, real VMs from kvmtest); CPU is measured from the threads'
# own schedstat and from kvmtest's progress lines, not from kvmsched.
#
# Topology: CPU 0 and CPU 1; VMs of 1 vCPU each, pinned with kvmtest --pin
# or moved into a cgroup2 cpuset; host "tasks" are busybox shell loops.
# Every check has numbers: what host tasks keep on a CPU full of deadline
# vCPUs, every 1 s window of a vCPU's progress, every 1 s window after a
# demand step.
. /kvmsched/lib.sh
echo "KTAP version 1"
CG=/sys/fs/cgroup/kvms-safety

# A busy shell loop and a 10 ms sleep loop (one line per wake-up into
# /tmp/sl.cnt), both pinned to CPU 0: what "host tasks" get there.
start_host_loops() {
	taskset -c 0 sh -c 'while :; do :; done' & HL=$!
	taskset -c 0 sh -c 'while :; do usleep 10000; echo; done' > /tmp/sl.cnt & SL=$!
}
stop_host_loops() { kill "$HL" "$SL" 2>/dev/null; wait "$HL" "$SL" 2>/dev/null; }
# kill_pinned: SIGKILL the VMs first. The loops pinned to CPU 0 cannot even
# die while deadline vCPUs fill CPU 0 (6.1 gives them nothing: waiting for
# them first hangs the test, and RCU stalls after ~20 s).
kill_pinned() {
	local _p
	for _p in $VMPIDS; do kill -KILL "$_p" 2>/dev/null; done
	stop_vms_hard
	stop_host_loops
}
# sleep_rate SECS: wake-ups per second of the sleep loop, x 10.
sleep_rate() {
	local _a _b _t0 _t1
	_a=$(wc -c < /tmp/sl.cnt); _t0=$(now_cs)
	sleep "$1"
	_b=$(wc -c < /tmp/sl.cnt); _t1=$(now_cs)
	echo $(( (_b - _a) * 1000 / (_t1 - _t0) ))
}
# vcpu_policy PID: vCPU 0's sched_policy as kvmsched shows it.
vcpu_policy() { cat "$(vm_dir "$1")/vcpus/0/sched_policy" 2>/dev/null; }
not_deadline() {
	local _p
	for _p in "$@"; do
		[ "$(vcpu_policy "$_p")" != deadline ] || return 1
		[ "$(thread_policy "$_p" "$(vm_tids "$VMOUT" "$(vm_index "$_p")")")" != 6 ] || return 1
	done
}
all_deadline() {
	local _p
	for _p in "$@"; do
		[ "$(thread_policy "$_p" "$(vm_tids "$VMOUT" "$(vm_index "$_p")")")" = 6 ] || return 1
	done
}
# vm_index PID: kvmtest's VM index of the VMM with pid PID (last start).
vm_index() { jnum "$(grep -a "\"event\":\"ready\".*\"pid\":$1," "$VMOUT")" vm; }
quiet() { "$@" > /dev/null; }

DLBW0=$(dl_bw_total)
info "deadline bandwidth booked before kvmsched: $DLBW0"
check "insmod kvmsched" load_kvmsched
check "reserve_headroom_pct is 10" file_is "$KVMS/reserve_headroom_pct" 10

# -- 1. vCPUs pinned to one CPU never hold its deadline bandwidth ------------
# Two 1-vCPU VMs pinned to CPU 0, each reserving 900: admission counts 1800
# of 2000, but both would run SCHED_DEADLINE on CPU 0 (1.8 CPUs of deadline
# work on one CPU: host tasks there get nothing on 6.1, the fair server's
# 5 % on 6.12). Intended: a thread whose affinity does not span every
# online CPU is not put in SCHED_DEADLINE (it falls back to weights),
# counted in deadline_refused, so CPU 0 keeps at least its headroom.
check "start two 1-vCPU spinning VMs pinned to CPU 0" start_vms_opt /tmp/pin.out "--pin 0" 1:spin 1:spin
set -- $VMPIDS; A=$1; B=$2
AT=$(vm_tids /tmp/pin.out 0); BT=$(vm_tids /tmp/pin.out 1)
start_host_loops
sleep 1
base=$(sleep_rate 3)
info "unbounded pinned VMs: the 10 ms sleep loop on CPU 0 wakes $((base / 10)).$((base % 10))/s"
ref0=$(cat "$KVMS/deadline_refused")
check "reservation_mcpu=900 on both pinned VMs is accepted" \
	sh -c "kvmschedctl set $(vm_id "$A") reservation_mcpu=900 && kvmschedctl set $(vm_id "$B") reservation_mcpu=900"
sleep 1
s0=$(cpu_snap /proc/$HL/schedstat "/proc/$A/task/$AT/schedstat" "/proc/$B/task/$BT/schedstat")
rate=$(sleep_rate 4)
s1=$(cpu_snap /proc/$HL/schedstat "/proc/$A/task/$AT/schedstat" "/proc/$B/task/$BT/schedstat")
hl=$(cpu_rate "$s0" "$s1" 1); a=$(cpu_rate "$s0" "$s1" 2); b=$(cpu_rate "$s0" "$s1" 3)
pa=$(vcpu_policy "$A"); pb=$(vcpu_policy "$B")
info "dl_block (if the module has it): $(cat "$(vm_dir "$A")/vcpus/0/dl_block" "$(vm_dir "$B")/vcpus/0/dl_block" 2>/dev/null | tr '\n' ' ')"
ref1=$(cat "$KVMS/deadline_refused")
info "reserved 900 + 900, both pinned to CPU 0: VM A $a, VM B $b, host loop on CPU 0 $hl mcpu; sleep loop $((rate / 10)).$((rate % 10))/s; policies $pa $pb; deadline_refused $ref0 -> $ref1"
check "a busy host loop pinned to CPU 0 keeps >= 0.8 x CPU 0's 100 mcpu headroom ($hl mcpu >= 80)" \
	test "$hl" -ge 80
check "a 10 ms sleep loop on CPU 0 keeps >= 0.5 x its rate ($rate >= $base / 2, per 10 s)" \
	test "$((rate * 2))" -ge "$base"
check "neither pinned vCPU runs SCHED_DEADLINE ($pa, $pb)" not_deadline "$A" "$B"
check "deadline_refused counts the pinned vCPUs ($ref0 -> $ref1)" test "$ref1" -gt "$ref0"
kill_pinned

# -- 1b. a cpuset narrows a deadline vCPU after the fact -----------------------
# taskset on a deadline thread fails with EBUSY, but a cpuset change is not
# refused: the vCPU must leave SCHED_DEADLINE within about one period.
if grep -qw cpuset /sys/fs/cgroup/cgroup.controllers 2>/dev/null &&
	echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null && mkdir -p "$CG" &&
	echo 0-1 > "$CG/cpuset.cpus"; then
	check "start two 1-vCPU spinning VMs" start_vms /tmp/cs.out 1:spin 1:spin
	set -- $VMPIDS; A=$1; B=$2
	AT=$(vm_tids /tmp/cs.out 0); BT=$(vm_tids /tmp/cs.out 1)
	check "move both VMMs into a cpuset of CPUs 0-1" \
		sh -c "echo $A > $CG/cgroup.procs && echo $B > $CG/cgroup.procs"
	check "reservation_mcpu=900 on both" \
		sh -c "kvmschedctl set $(vm_id "$A") reservation_mcpu=900 && kvmschedctl set $(vm_id "$B") reservation_mcpu=900"
	check "both vCPUs run SCHED_DEADLINE" waitq 300 all_deadline "$A" "$B"
	start_host_loops
	if echo 0 > "$CG/cpuset.cpus"; then
		ok "the cpuset narrows to CPU 0 (deadline threads inside)"
		t=$(wait_until 50 not_deadline "$A" "$B"); rc=$?
		check "both vCPUs leave SCHED_DEADLINE (polled up to 0.5 s; seen after $t cs: $(vcpu_policy "$A") $(vcpu_policy "$B"))" test $rc = 0
		set -- $(sched_mcpu 3 /proc/$HL/schedstat "/proc/$A/task/$AT/schedstat" "/proc/$B/task/$BT/schedstat")
		info "cpuset CPU 0, reserved 900 + 900: host loop $1, VM A $2, VM B $3 mcpu"
		check "the host loop on CPU 0 keeps >= 80 mcpu ($1)" test "$1" -ge 80
	else
		nok "the cpuset narrows to CPU 0 (deadline threads inside)"
	fi
	kill_pinned
	rmdir "$CG" 2>/dev/null
else
	skip "a cpuset narrows a deadline vCPU" "no cgroup2 cpuset controller"
fi

# -- 2. class, bound and limit flips while a deadline vCPU is throttled -------
# period_ms=10: every flip (limit 100 <-> 200, shares <-> background,
# reservation 50 <-> 0) takes the throttled vCPU out of SCHED_DEADLINE and
# the next period puts it back, often before its zero-lag time: on the
# kernels tested a task can then stay throttled for good. First flips every
# 0-20 ms for FLIP_SECS, then 20 single flips each followed by 1.1 s of
# quiet (a thread stuck after one shows as a window without progress; on
# the module before the fix about one in 20-40 did). The vCPU
# must gain CPU time and guest iterations in every 1 s window, and get its
# limit once the flipping stops (measured at the default period_ms=100,
# like the reference before the flips).
FLIP_SECS=${FLIP_SECS:-12}
check "start a 1-vCPU spinning VM with progress lines" start_vms_opt /tmp/flip.out "--progress-ms 1000" 1:spin
set -- $VMPIDS; F=$1; FT=$(vm_tids /tmp/flip.out 0); fid=$(vm_id "$F")
check "limit_mcpu=100" kvmschedctl set "$fid" limit_mcpu=100
sleep 2
ctl=$(sched_mcpu 3 "/proc/$F/task/$FT/schedstat")
# What a limit of 100 delivers is itself a few tens of percent short under
# emulation (deadline runtime of 1 ms per 10 ms against a 4 ms tick): the
# reference for "gets its limit" afterwards is this measurement.
info "limit 100 before any flip: $ctl mcpu"
check "period_ms=10" quiet kvmschedctl config period_ms=10
t_from=$(progress_rows /tmp/flip.out 0 0 | tail -n 1 | cut -d' ' -f1)
end=$(( $(now_cs) + FLIP_SECS * 100 )); n=0; errs=0
flip() { kvmschedctl set "$fid" "$1" >/dev/null 2>&1 || errs=$((errs + 1)); n=$((n + 1)); }
while [ "$(now_cs)" -lt "$end" ]; do
	case $((n % 6)) in
	0) flip limit_mcpu=200 ;;
	1) flip limit_mcpu=100 ;;
	2) flip class=background ;;
	3) flip class=shares ;;
	4) flip reservation_mcpu=50 ;;
	*) flip reservation_mcpu=0 ;;
	esac
	usleep $((RANDOM % 20000))
done
i=0
while [ $i -lt 20 ]; do
	case $((i % 3)) in
	0) flip limit_mcpu=200; flip limit_mcpu=100 ;;
	1) flip class=background; flip class=shares ;;
	*) flip reservation_mcpu=50; flip reservation_mcpu=0 ;;
	esac
	sleep 1.1
	i=$((i + 1))
done
check "every flip accepted ($n flips, $errs refused)" test "$errs" = 0
check "period_ms=100" quiet kvmschedctl config period_ms=100
check "back to limit_mcpu=100, class shares, no reservation" \
	kvmschedctl set "$fid" limit_mcpu=100 class=shares reservation_mcpu=0
sleep 2
got=$(sched_mcpu 4 "/proc/$F/task/$FT/schedstat")
t_to=$(progress_rows /tmp/flip.out 0 0 | tail -n 1 | cut -d' ' -f1)
progress_windows /tmp/flip.out 0 0 "$t_from" "$t_to" > /tmp/flip.win
nwin=$(wc -l < /tmp/flip.win)
stalls=$(awk '$2 < 20 || $3 <= 0' /tmp/flip.win | wc -l)
info "flipping: $n flips; after them, limit 100: $got mcpu; $nwin windows of 1 s, min $(sort -n -k2 /tmp/flip.win | head -n 1 | cut -d' ' -f2) mcpu, policy $(thread_policy "$F" "$FT")"
[ "$stalls" = 0 ] || awk '$2 < 20 || $3 <= 0 { print "# stalled window ending at " $1 " ms: " $2 " mcpu, " $3 " iterations" }' /tmp/flip.win | head -n 10
check "the vCPU gains >= 20 mcpu and guest iterations in every 1 s window ($stalls of $nwin stalled)" \
	test "$nwin" -ge $((FLIP_SECS + 16)) -a "$stalls" = 0
lo=$((ctl * 8 / 10)); [ "$lo" -ge 50 ] || lo=50
check "after the flips it gets its limit of 100 as before them ($got mcpu in [0.8 x $ctl, 110])" \
	in_range "$got" "$lo" 110
stop_vms_hard

# -- 3. the window after a demand step -----------------------------------------
# limit_mcpu=500; the guest uses 475 mcpu (95 % of the limit, paced by
# kvmtest whatever the scheduler gives it, so it is never throttled) for
# 7 s, then spins. The limit must hold in every 1 s window after the step
# too: an integral term grown while the guest used >= 75 % of its runtime
# without being throttled lets it take ~600 for a second. (halt@95 would
# not do: its on-phases stretch under the limit, so it is throttled too.)
STEP_MS=7000
check "start a 1-vCPU VM paced at 475 mcpu that steps to spin after $STEP_MS ms" \
	start_vms_opt /tmp/step.out "--progress-ms 250 --step-ms $STEP_MS" 1:pace@475
set -- $VMPIDS; S=$1
check "limit_mcpu=500" kvmschedctl set "$(vm_id "$S")" limit_mcpu=500
check "the guest steps to 100 %" waitq 1500 grep -q '"event":"step"' /tmp/step.out
st=$(jnum "$(grep -a '"event":"step"' /tmp/step.out)" t_ms)
sleep 8
# 1 s windows sliding by 250 ms: the worst second counts, wherever it is.
pre=$(progress_windows /tmp/step.out 0 0 2000 $((st - 1000)) 4 | awk '{ s += $4; n++ } END { printf "%d", n ? s / n : 0 }')
progress_windows /tmp/step.out 0 0 "$st" $((st + 8000)) 4 > /tmp/step.win
post=$(awk 'NR % 4 == 1 { printf "%s ", $4 }' /tmp/step.win)
max=$(cut -d' ' -f4 /tmp/step.win | sort -n | tail -n 1)
info "limit 500: before the step (at $st ms) $pre mcpu on average; 1 s windows from the step on (every 4th of those sliding by 250 ms): $post"
[ "${max:-0}" -le 505 ] || info "windows over 505 (end ms after ready: mcpu): $(awk '$4 > 505 { printf "%s:%s ", $1, $4 }' /tmp/step.win)"
check "before the step the guest uses about 95 % of its limit ($pre mcpu in [425, 500])" in_range "$pre" 425 500
check "every 1 s window after the demand step stays <= 510 mcpu (max $max of $(wc -l < /tmp/step.win) windows)" \
	test "$(wc -l < /tmp/step.win)" -ge 24 -a "${max:-9999}" -le 510
stop_vms_hard

# -- 4. CPU offline and online with bound VMs ----------------------------------
# Reservations 600 + 600 and a limit of 500 on a 2-CPU host: the kernel
# refuses "echo 0 > .../cpu1/online" (EBUSY: the deadline bandwidth would
# not fit one CPU), before any callback a module could register; on 6.1 the
# refused attempt even left CPU 0 to the deadline vCPUs (RCU stalls), so
# this test does not try it.
# "kvmschedctl cpu offline 1" first shrinks kvmsched's deadline bandwidth to
# fit, then offlines: it must succeed; the limited VM stays under its limit,
# the reservations are scaled (overcommit_mcpu > 0); online again restores.
check "start three 1-vCPU spinning VMs" start_vms /tmp/off.out 1:spin 1:spin 1:spin
set -- $VMPIDS; R1=$1; R2=$2; L=$3; LT=$(vm_tids /tmp/off.out 2)
check "reservations 600 + 600, limit 500" sh -c "kvmschedctl set $(vm_id "$R1") reservation_mcpu=600 &&
	kvmschedctl set $(vm_id "$R2") reservation_mcpu=600 && kvmschedctl set $(vm_id "$L") limit_mcpu=500"
sleep 2
if kvmschedctl cpu offline 1 > /tmp/off.err 2>&1; then
	ok "kvmschedctl cpu offline 1 with two reserved VMs and a limited VM running"
	check "capacity_mcpu drops to 1000" waitq 300 file_is "$KVMS/capacity_mcpu" 1000
	check "overcommit_mcpu > 0: 1200 reserved no longer fit ($(cat "$KVMS/overcommit_mcpu"))" \
		waitq 300 file_ge "$KVMS/overcommit_mcpu" 1
	sleep 1
	got=$(sched_mcpu 3 "/proc/$L/task/$LT/schedstat")
	bw_off=$(dl_bw_total)
	check "on one CPU the limited VM stays <= 510 ($got mcpu)" test "$got" -le 510
	check "kvmschedctl cpu online 1" kvmschedctl cpu online 1
	check "CPU 1 is online" file_is /sys/devices/system/cpu/cpu1/online 1
	check "overcommit_mcpu back to 0" waitq 300 file_is "$KVMS/overcommit_mcpu" 0
	check "capacity_mcpu back to 2000" waitq 300 file_is "$KVMS/capacity_mcpu" 2000
	bw_on=$(dl_bw_total)
	info "booked deadline bandwidth: $bw_off with CPU 1 offline, $bw_on online again"
	# The cycle three times more, online by kvmschedctl or by sysfs. Once
	# in CI the kernel's booked bandwidth ended at minus both reservations
	# (and a later offline was refused for good), and one cycle in two of a
	# probe hung (CPU 0 all deadline, RCU stalls): the period worker took
	# the reserved threads out of SCHED_DEADLINE while the root domains were
	# rebuilt (see kvms_enforce_held()).
	k=0 drift=""
	while [ $k -lt 3 ]; do
		kvmschedctl cpu offline 1 > /dev/null || drift="$drift offline-refused"
		sleep 1
		if [ $((k % 2)) = 0 ]; then
			echo 1 > /sys/devices/system/cpu/cpu1/online || drift="$drift online-failed"
		else
			kvmschedctl cpu online 1 || drift="$drift online-failed"
		fi
		waitq 300 file_is "$KVMS/overcommit_mcpu" 0 || drift="$drift overcommit"
		sleep 1
		bw=$(dl_bw_total)
		within_pct "$bw" "$bw_on" 10 || drift="$drift $bw"
		k=$((k + 1))
	done
	check "three more offline/online cycles: booked deadline bandwidth stays at $bw_on (+-10 %)${drift:+; got$drift}" \
		test -z "$drift"
else
	nok "kvmschedctl cpu offline 1 with two reserved VMs and a limited VM running ($(cat /tmp/off.err))"
fi
[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] || echo 1 > /sys/devices/system/cpu/cpu1/online
stop_vms_hard
check "reserved_mcpu back to 0 when the VMs are gone" waitq 500 file_is "$KVMS/reserved_mcpu" 0
info "booked deadline bandwidth with the VMs gone: $(dl_bw_total) (before insmod $DLBW0)"
check "rmmod kvmsched" rmmod kvmsched
check "no deadline bandwidth stays booked ($(dl_bw_total) = $DLBW0)" test "$(dl_bw_total)" = "$DLBW0"
echo "1..$T"
exit $FAILED
