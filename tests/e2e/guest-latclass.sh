#!/bin/sh
# vmrun: --smp 1
# End-to-end test of the latency class (class=latency, latency_us): one
# guest CPU (the issue's advice for latency runs: with two, the single TCG
# thread switching between emulated CPUs adds milliseconds), a 1-vCPU VM L
# that burns ~400 us and sleeps ~1 ms (kvmtest halt@29,400), beside three
# 2-vCPU spinning hogs.
#
# The measure is the kernel's own: L's vCPU thread's schedstat, run_delay
# (time queued without running) over pcount (arrivals on the CPU): its
# mean wait per run, inside the guest. The scenario first shows that the
# default shares class loses to SCHED_FIFO set by hand, in the same boot
# (L weighted near its demand: weight 250 against the hogs' 100 gives it a
# share of 454 mcpu for a demand of ~350, which a fair-class vCPU that
# sleeps does not turn into a short wait), then that the latency class
# comes within 1.3x of SCHED_FIFO while L stays within its share and the
# hogs split the rest evenly.
#
# Also: a change reaches the thread before the reply (class, latency_us),
# the bound reads "latency", a latency VM that spins is held to its share,
# a SIGKILLed VMM takes its deadline bandwidth along, a thread that takes
# over a vCPU enters the class, and going back to shares and rmmod (with
# the VM in the class) leave no deadline bandwidth booked.
. /kvmsched/lib.sh
echo "KTAP version 1"
SECS=6
DBG=0
# The debug kernel (KASAN, lockdep; several times slower): the settings,
# one latency phase, the class changes and rmmod; no ratios.
case $(uname -r) in *kvmsdbg*) DBG=1; SECS=3 ;; esac
ratio() { if [ $DBG = 1 ]; then skip "$1" "debug kernel: timing"; else check "$@"; fi; }

# measure WHAT: over SECS s, L's mean wait per run (MEAN, ns; RUNS) and the
# CPU of L and of each hog (CPU_L, CPU_H1..3, mcpu)
measure() {
	local _w=$1
	wait_cpu_window "$SECS" "$L" "$LT" $L $H1 $H2 $H3
	MEAN=$WIN_MEAN RUNS=$WIN_RUNS
	set -- $WIN_CPU
	CPU_L=$1 CPU_H1=$2 CPU_H2=$3 CPU_H3=$4
	info "$_w: L waits $MEAN ns per run ($RUNS runs); L $CPU_L mcpu, hogs $CPU_H1 $CPU_H2 $CPU_H3 mcpu"
	[ -d "$LD" ] && info "$_w: module: bound $(cat "$LD/bound"), entitled $(cat "$LD/entitled_mcpu") mcpu, wake latency p50 $(cat "$LD/wake_latency_p50_ns") p99 $(cat "$LD/wake_latency_p99_ns") ns"
	info "$_w: $(schedattr get "$LT")"
}
policy_is() { schedattr get "$LT" | grep -q " policy=$1 "; }
period_is() { schedattr get "$LT" | grep -q " period=$1\$"; }
# even HOGS...: each within 15 % of their mean
even() {
	local _m=$((($1 + $2 + $3) / 3)) _h
	for _h in "$@"; do within_pct "$_h" "$_m" 15 || return 1; done
}

DLBW0=$(dl_bw_total)
check "start L (1:halt@29,400) and three 2-vCPU hogs" \
	start_vms_untracked /tmp/l.out 1:halt@29,400 2:spin 2:spin 2:spin
set -- $VMPIDS; L=$1 H1=$2 H2=$3 H3=$4
LT=$(vm_tids /tmp/l.out 0)
LD=/nonexistent
sleep 1

# -- SCHED_FIFO by hand, no module ----------------------------------------------
if [ $DBG = 0 ]; then
	check "L's thread SCHED_FIFO 1 by hand" schedattr set "$LT" fifo:1
	measure "SCHED_FIFO by hand"
	FIFO=$MEAN FIFO_L=$CPU_L
	check "L's thread back to SCHED_NORMAL" schedattr set "$LT" normal
fi

# -- the default class ------------------------------------------------------------
check "insmod kvmsched" load_kvmsched
check "kvmsched tracks the four VMs" wait_tracked
LD=$(vm_dir "$L"); ID=$(vm_id "$L")
check "L: weight=250 (a share of 1000 x 250/550 = 454 mcpu)" kvmschedctl set "$ID" weight=250
if [ $DBG = 0 ]; then
	sleep 2
	measure "shares"
	SHARES=$MEAN
	ratio "the default class loses to SCHED_FIFO: L waits $SHARES ns per run, >= 2 x FIFO's $FIFO ns" \
		test "$SHARES" -ge $((2 * FIFO))
fi

# -- the latency class -------------------------------------------------------------
check "class=latency" kvmschedctl set "$ID" class=latency
# the reply came after the change: SCHED_DEADLINE (6) with latency_us's
# default period, 5000 us
check "L's thread is SCHED_DEADLINE when the reply is back" policy_is 6
check "... with a deadline period of latency_us = 5000 us" period_is 5000000
check "latency_us reads 5000" file_is "$LD/latency_us" 5000
check "bound reads latency" waitq 500 file_is "$LD/bound" latency
sleep 2
measure "latency"
LAT=$MEAN
# 1.3x of means of a few microseconds is under what TCG resolves (one
# emulated context switch is ~10-20 us): the bound is 1.3 x FIFO or FIFO
# + 20 us, whichever is larger.
if [ $DBG = 0 ]; then
	lim=$((FIFO * 13 / 10)); [ $lim -lt $((FIFO + 20000)) ] && lim=$((FIFO + 20000))
	ratio "latency: L waits $LAT ns per run, within 1.3 x FIFO's $FIFO ns (or + 20 us): <= $lim" \
		test "$LAT" -le "$lim"
	ratio "latency: ... and less than half the default class's $SHARES ns" test $((2 * LAT)) -le "$SHARES"
fi
ratio "latency: L gets no more than its share, 454 mcpu (+10 %: $CPU_L)" test "$CPU_L" -le 500
# L is a closed loop: what it wants varies between phases (321-393 mcpu
# seen under latency, 331-371 under FIFO); what must hold is that the
# deadline share does not hold it under that (its share is 454).
ratio "latency: L gets at least 85 % of what it got under FIFO (${FIFO_L:-0} mcpu: $CPU_L)" \
	test $((CPU_L * 100)) -ge $((${FIFO_L:-0} * 85))
ratio "latency: the hogs split the rest evenly ($CPU_H1 $CPU_H2 $CPU_H3 mcpu, within 15 %)" \
	even "$CPU_H1" "$CPU_H2" "$CPU_H3"
ratio "latency: everything adds up to the CPU ($((CPU_L + CPU_H1 + CPU_H2 + CPU_H3)) mcpu, >= 900)" \
	test $((CPU_L + CPU_H1 + CPU_H2 + CPU_H3)) -ge 900

check "latency_us=2000" kvmschedctl set "$ID" latency_us=2000
check "L's thread has a 2000 us period when the reply is back" period_is 2000000
check "latency_us=999 is refused (ERANGE, names the attribute)" \
	refused "out of range" "latency-us" kvmschedctl set "$ID" latency_us=999

# -- a latency VM that spins is held to its share ------------------------------------
check "L: class=shares weight=100 (five VMs at 100 next)" kvmschedctl set "$ID" class=shares weight=100
check "L's thread is SCHED_NORMAL when the reply is back" policy_is 0
LKVMTEST=$KVMTEST LPIDS=$VMPIDS
check "start S, a spinning 1-vCPU VM" start_vms /tmp/s.out 1:spin
S=$(echo "$VMPIDS" | awk '{ print $1 }'); SD=$(vm_dir "$S")
check "S: class=latency weight=100" kvmschedctl set "$(vm_id "$S")" class=latency weight=100
sleep 2
# five VMs at weight 100: S's share is a fifth of the CPU, and L (halting)
# takes less than its own
s_mcpu=$(sched_mcpu "$SECS" /proc/"$S"/task/"$(vm_tids /tmp/s.out 0)"/schedstat)
info "S (latency, spinning): $s_mcpu mcpu, entitled $(cat "$SD/entitled_mcpu"), bound $(cat "$SD/bound")"
ratio "a spinning latency VM is held near its share: $s_mcpu mcpu in 150-260 (a fifth: 200)" \
	in_range "$s_mcpu" 150 260
# SIGKILL its VMM while its vCPU runs in SCHED_DEADLINE: the bandwidth goes
# with the thread
check "S's thread is SCHED_DEADLINE" file_is "$SD/vcpus/0/sched_policy" deadline
kill -KILL "$S"
check "SIGKILL S's VMM: S is gone from kvmsched" waitq 500 vm_absent "$S"
dlbw_back() { [ "$(dl_bw_total)" = "$DLBW0" ]; }
check "... and its deadline bandwidth with it ($(waitq 300 dlbw_back; dl_bw_total) = $DLBW0)" dlbw_back
stop_vms_hard

# -- re-run by a new thread ----------------------------------------------------
# (A pinned thread never enters SCHED_DEADLINE, as for reservations
# (guest-safety-threads): with one guest CPU no pin is narrower than the
# CPUs, so this suite cannot show it.)
# every 2 s (8 s on the debug kernel): a new thread is found, primed for a
# period and found active the next, then enters the class
RMS=2000; [ $DBG = 1 ] && RMS=8000
check "start R, whose vCPU thread is replaced every $RMS ms" \
	start_vms_opt /tmp/r.out "--rethread-ms $RMS" 1:halt@29,400
R=$(echo "$VMPIDS" | awk '{ print $1 }'); RD=$(vm_dir "$R")
check "R: class=latency" kvmschedctl set "$(vm_id "$R")" class=latency
t0=$(cat "$RD/vcpus/0/tid")
check "R's vCPU is re-run by a new thread" waitq 1500 sh -c "[ \"\$(cat $RD/vcpus/0/tid)\" != $t0 ]"
check "... which enters SCHED_DEADLINE too" waitq 1500 file_is "$RD/vcpus/0/sched_policy" deadline
stop_vms_hard
check "with R gone, the deadline bandwidth is back to $DLBW0 ($(waitq 300 dlbw_back; dl_bw_total))" dlbw_back
KVMTEST=$LKVMTEST VMPIDS=$LPIDS

# -- rmmod with a latency thread in SCHED_DEADLINE --------------------------------
check "L: class=latency again" kvmschedctl set "$ID" class=latency
check "L's thread is SCHED_DEADLINE" waitq 500 policy_is 6
check "rmmod kvmsched" rmmod kvmsched
check "L's thread is SCHED_NORMAL after rmmod" policy_is 0
check "the kernel's deadline bandwidth is back to $DLBW0 ($(waitq 300 dlbw_back; dl_bw_total))" dlbw_back
stop_vms
echo "1..$T"
