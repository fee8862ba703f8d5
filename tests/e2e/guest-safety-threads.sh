#!/bin/sh
# End-to-end scheduling safety, part 2 (issue 10, items 5 and 7 and the
# kill -9 storm): vCPUs that change threads, deadline vCPUs that wake every
# millisecond, and VMMs killed while their VMs are bound. Inside the
# sandbox KVM host (2 CPUs, real VMs from kvmtest):
#   --one-thread   one thread runs both vCPUs of a VM in turns (the kernel's
#                  KVM selftests do this);
#   --rethread-ms  every N ms a new thread takes over a vCPU, as QEMU does
#                  when it re-plugs a vCPU it parked on hot-unplug;
#                  --rethread-park keeps the old thread alive, sleeping.
# Attributes are read from /proc (nice, policy); CPU from the threads' own
# schedstat.
. /kvmsched/lib.sh
echo "KTAP version 1"

# vcpu_tids PID: kvmsched's tid of each of the VM's vCPUs, on one line.
vcpu_tids() { cat "$(vm_dir "$1")"/vcpus/*/tid | tr '\n' ' '; }
vcpu0_tid_is() { file_is "$(vm_dir "$1")/vcpus/0/tid" "$2"; }
# thread_is PID TID POLICY NICE: the thread has exactly that policy and nice.
thread_is() { [ "$(thread_policy "$1" "$2")" = "$3" ] && [ "$(thread_nice "$1" "$2")" = "$4" ]; }
# rethread_tid OUT N: the new tid of the N-th re-thread of VM 0's vCPU 0.
rethread_tid() { jnum "$(grep -a "\"event\":\"rethread\",\"vm\":0,.*\"vcpu\":0,.*\"n\":$2}" "$1")" tid; }
has_rethread() { [ -n "$(rethread_tid "$1" "$2")" ]; }
dl_bw_is() { [ "$(dl_bw_total)" = "$1" ]; }
quiet() { "$@" > /dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

DLBW0=$(dl_bw_total)
info "deadline bandwidth booked before kvmsched: $DLBW0"
check "insmod kvmsched" load_kvmsched

# -- 1. one thread runs two vCPUs ----------------------------------------------
# The thread starts at nice 5 (renice +5 before kvmsched saw it); vCPU 1
# first runs 1.5 s after vCPU 0, when kvmsched already manages the thread
# as vCPU 0's. It must record the thread's originals once, not its own
# attributes as vCPU 1's "originals", and give back exactly nice 5 on rmmod.
check "start a 2-vCPU VM whose vCPUs one thread runs, at nice 5" \
	start_vms_opt /tmp/one.out "--one-thread --late-ms 1500 --nice 5" 2:spin
set -- $VMPIDS; O=$1; OT=$(vm_tids /tmp/one.out 0 | cut -d' ' -f1)
info "kvmtest: one thread for both vCPUs: $(vm_tids /tmp/one.out 0)"
check "sysfs shows both vCPUs" file_is "$(vm_dir "$O")/nr_vcpus" 2
check "both vCPUs show the one thread's tid ($(vcpu_tids "$O"), want $OT $OT)" \
	test "$(vcpu_tids "$O")" = "$OT $OT "
sleep 2
ov=$(cat "$(vm_dir "$O")"/vcpus/*/overrides | awk '{ s += $1 } END { print s + 0 }')
info "managed: thread policy $(thread_policy "$O" "$OT"), nice $(thread_nice "$O" "$OT"); overrides $ov"
check "kvmsched does not fight itself over the shared thread (overrides $ov = 0)" test "$ov" = 0
check "limit_mcpu=400" kvmschedctl set "$(vm_id "$O")" limit_mcpu=400
sleep 2
got=$(sched_mcpu 3 "/proc/$O/task/$OT/schedstat")
info "limit 400 on the VM of one thread: $got mcpu"
check "the limit holds for the thread of both vCPUs ($got mcpu <= 408)" test "$got" -le 408
check "limit_mcpu=0" kvmschedctl set "$(vm_id "$O")" limit_mcpu=0
sleep 1
check "rmmod kvmsched" rmmod kvmsched
check "after rmmod the thread is back at exactly SCHED_NORMAL nice 5 (policy $(thread_policy "$O" "$OT"), nice $(thread_nice "$O" "$OT"))" \
	thread_is "$O" "$OT" 0 5
stop_vms_hard
check "insmod kvmsched" load_kvmsched

# -- 2. a vCPU re-run by a new thread --------------------------------------------
# Every 8 s (room for a slow debug kernel to look before the next one) a
# new thread (nice 3, as all of the VMM's) takes the vCPU over;
# the old one stays alive, sleeping. kvmsched must follow the new thread
# within a couple of periods (sysfs tid), apply the VM's limit to it, and
# give the old thread its originals back.
check "start a 1-vCPU VM re-threaded every 8 s, old threads kept" \
	start_vms_opt /tmp/re.out "--rethread-ms 8000 --rethread-park --nice 3" 1:spin
set -- $VMPIDS; R=$1; T0=$(vm_tids /tmp/re.out 0)
check "limit_mcpu=300" kvmschedctl set "$(vm_id "$R")" limit_mcpu=300
check "the first re-thread comes" waitq 1500 has_rethread /tmp/re.out 1
T1=$(rethread_tid /tmp/re.out 1)
t=$(wait_until 50 vcpu0_tid_is "$R" "$T1"); rc=$?
check "sysfs vcpus/0/tid follows the new thread within 0.5 s ($t cs; $(vcpu_tids "$R")= $T1, old $T0)" test $rc = 0
got=$(sched_mcpu 2 "/proc/$R/task/$T1/schedstat")
info "limit 300 after the re-thread: the new thread takes $got mcpu; old thread policy $(thread_policy "$R" "$T0") nice $(thread_nice "$R" "$T0")"
check "the limit holds for the new thread ($got mcpu in [0, 306])" in_range "${got:--1}" 0 306
check "the old thread, alive, has its originals back: SCHED_NORMAL nice 3 (policy $(thread_policy "$R" "$T0"), nice $(thread_nice "$R" "$T0"))" \
	waitq 100 thread_is "$R" "$T0" 0 3
check "the second re-thread comes" waitq 1200 has_rethread /tmp/re.out 2
T2=$(rethread_tid /tmp/re.out 2)
check "sysfs follows the second new thread too ($(vcpu_tids "$R")= $T2)" waitq 100 vcpu0_tid_is "$R" "$T2"
stop_vms_hard

# Without --rethread-park the old thread exits: the VM must stay tracked
# (its vCPU fd is still open) and the limit must go on holding.
check "start a 1-vCPU VM re-threaded every 8 s, old threads exit" \
	start_vms_opt /tmp/re2.out "--rethread-ms 8000" 1:spin
set -- $VMPIDS; R=$1
check "limit_mcpu=300" kvmschedctl set "$(vm_id "$R")" limit_mcpu=300
check "the first re-thread comes" waitq 1500 has_rethread /tmp/re2.out 1
T1=$(rethread_tid /tmp/re2.out 1)
sleep 0.3
got=$(sched_mcpu 2 "/proc/$R/task/$T1/schedstat")
check "the limit holds for the new thread ($got mcpu in [0, 306])" in_range "${got:--1}" 0 306
check "the VM is still tracked after its first thread exited" vm_present "$R"
check "sysfs vcpus/0/tid is the new thread ($(vcpu_tids "$R")= $T1)" vcpu0_tid_is "$R" "$T1"
stop_vms_hard

# -- 3. deadline vCPUs that halt and wake every millisecond ----------------------
# A halted vCPU's thread blocks; its wake-up may go through another CPU's
# wake list, and until that CPU runs the list the thread is on no runqueue
# and its deadline bandwidth on none (kvmsched waits it out before any
# deadline change: kvms_dl_wait_woken()). Without that wait, this load made
# 6.12 warn "dl_rq->running_bw > dl_rq->this_bw" within 10 s. The run fails
# on any kernel warning in dmesg; the check below names this one.
# Not on the debug kernel: a short gap stays between kvmsched's check and
# the kernel's lock, which only the kernel can close, and its slower code
# widens it (this load warned there once in 1 run even with the wait).
# The kill -9 storm below still runs there.
dl_thread_in() {
	local _p _t
	for _p in "$@"; do
		for _t in /proc/"$_p"/task/*; do
			thread_policy_is "$_p" "${_t##*/}" 6 && return 0
		done
	done
	return 1
}
case $(uname -r) in
*kvmsdbg*)
	skip "deadline vCPUs that wake every millisecond" "debug kernel: the kernel's own window, widened" ;;
*)
	check "period_ms=10" quiet kvmschedctl config period_ms=10
	check "start four VMs whose vCPUs halt about every millisecond, and a spinner" \
		start_vms /tmp/wake.out 2:halt@30,400 2:halt@30,400 2:halt@20,300 1:halt@40,500 1:spin
	set -- $VMPIDS
	check "reservation 300, reservation 200 + limit 400, limit 300, reservation 150" \
		sh -c "kvmschedctl set $(vm_id "$1") reservation_mcpu=300 &&
		       kvmschedctl set $(vm_id "$2") reservation_mcpu=200 limit_mcpu=400 &&
		       kvmschedctl set $(vm_id "$3") limit_mcpu=300 &&
		       kvmschedctl set $(vm_id "$4") reservation_mcpu=150"
	check "a vCPU thread of theirs runs SCHED_DEADLINE" waitq 300 dl_thread_in "$1" "$2" "$3" "$4"
	sleep 20
	check "20 s later, no deadline accounting warning ($(dmesg | grep -c 'running_bw\|this_bw') lines)" \
		sh -c "! dmesg | grep -q 'running_bw\|this_bw'"
	stop_vms_hard
	;;
esac

# -- 4. kill -9 storm during enforcement ------------------------------------------
# Rounds of six VMs with reservations and limits (period_ms=10, so the
# period worker is always busy), each VMM SIGKILLed at a random moment
# while dumps run. Afterwards no VM is left, nothing stays reserved, and
# the kernel's booked deadline bandwidth is back to its pre-insmod value.
ROUNDS=${STORM_ROUNDS:-6}
# The debug kernel (KASAN, lockdep) under TCG did not finish 3 rounds in
# 10 minutes: 2 rounds there.
case $(uname -r) in *kvmsdbg*) ROUNDS=2 ;; esac
check "period_ms=10" quiet kvmschedctl config period_ms=10
(while :; do kvmschedctl list -l > /dev/null 2>&1; done) & DUMPER=$!
killed=0 rounds_ok=0 r=0 stuck=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	start_vms /tmp/storm.out 1:spin 2:spin 1:halt@50 1:exits 2:spin/1 1:spin || { info "round $r: VMs did not start"; continue; }
	set -- $VMPIDS
	kvmschedctl set "$(vm_id "$1")" reservation_mcpu=200
	kvmschedctl set "$(vm_id "$2")" limit_mcpu=600
	kvmschedctl set "$(vm_id "$3")" reservation_mcpu=100 limit_mcpu=300
	kvmschedctl set "$(vm_id "$4")" reservation_mcpu=150
	kvmschedctl set "$(vm_id "$5")" limit_mcpu=200
	kvmschedctl set "$(vm_id "$6")" reservation_mcpu=300 limit_mcpu=500
	for p in $VMPIDS; do
		usleep $((RANDOM % 300000))
		kill -KILL "$p"
	done
	# A VMM whose vCPU thread never runs again cannot even die.
	if ! waitq 1000 gone "$KVMTEST"; then
		for p in $VMPIDS; do
			[ -d "/proc/$p" ] || continue
			info "round $r: VMM $p alive 10 s after SIGKILL; threads (tid state policy cpu_ns):"
			for t in "/proc/$p/task/"*; do
				info "  ${t##*/} $(awk '{ print $3, $41 }' "$t/stat") $(cut -d' ' -f1 "$t/schedstat")"
			done
		done
		stuck=$((stuck + 1))
		break	# kvmtest waits for them: no wait here
	fi
	wait "$KVMTEST" 2>/dev/null
	k=$(grep -ac '"event":"vm_killed".*"signal":9' /tmp/storm.out)
	killed=$((killed + k))
	[ "$k" = 6 ] && rounds_ok=$((rounds_ok + 1))
done
kill "$DUMPER" 2>/dev/null; wait "$DUMPER" 2>/dev/null
check "every VMM of $ROUNDS rounds died of SIGKILL within 10 s ($killed of $((ROUNDS * 6)))" \
	test "$rounds_ok" = "$ROUNDS" -a "$stuck" = 0
if [ "$stuck" != 0 ]; then
	# rmmod gives the stuck threads their originals back: they die.
	check "rmmod kvmsched" rmmod kvmsched
	if waitq 1000 gone "$KVMTEST"; then
		ok "after rmmod the stuck VMMs die"
		wait "$KVMTEST" 2>/dev/null
	else
		nok "after rmmod the stuck VMMs die"
	fi
	load_kvmsched
fi
check "no VM is left in sysfs" waitq 500 file_is "$KVMS/nr_vms" 0
check "nothing stays reserved" file_is "$KVMS/reserved_mcpu" 0
check "the booked deadline bandwidth is back to its pre-insmod value ($(dl_bw_total) = $DLBW0)" \
	waitq 300 dl_bw_is "$DLBW0"
check "period_ms=100" quiet kvmschedctl config period_ms=100
check "rmmod kvmsched" rmmod kvmsched
check "after rmmod too ($(dl_bw_total) = $DLBW0)" test "$(dl_bw_total)" = "$DLBW0"
echo "1..$T"
exit $FAILED
