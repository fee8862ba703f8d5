#!/bin/sh
# End-to-end test of the realtime class and the starvation watchdog, inside
# the sandbox KVM host (2 CPUs, real VMs from kvmtest whose vCPUs spin).
# CPU is read from the threads' schedstat (exact, read at once).
#
# Tolerances come from the issue: three saturating realtime VMs at 30/20/10
# on 2 CPUs: 30 gets >= 95 % of (capacity - headroom), 20 and 10 nearly
# nothing, a host shell loop keeps >= 0.8 x headroom; equal priority without
# rr_quantum_ms keeps the first VM on the CPUs, with it they alternate; every
# VM realtime at 99 spinning, the host loop still gets its headroom. Without
# the watchdog, the kernel's own guard would leave the loop 5 %: under the
# 0.8 x 10 % asserted. The debug kernel (several times slower) runs every
# step but skips the ratios.
. /kvmsched/lib.sh
echo "KTAP version 1"
SECS=${RT_SECS:-8}
DBG=0
# The debug kernel (KASAN, lockdep; several times slower, and this shell
# runs only in the headroom) runs the settings, one realtime phase, the
# class change, rmmod and a SIGKILL, with short windows, 1-vCPU VMs (a CPU
# stays free for this shell) and no ratios.
NV=2
case $(uname -r) in *kvmsdbg*) DBG=1; SECS=2; NV=1 ;; esac

# ratio DESC CMD...: a check on numbers, skipped on the debug kernel.
ratio() { if [ $DBG = 1 ]; then skip "$1" "debug kernel: timing"; else check "$@"; fi; }

# task_files OUT INDEX: the schedstat files of a kvmtest VM's vCPU threads.
task_files() {
	local _p _t _o=""
	_p=$(jnum "$(grep -a "\"event\":\"ready\",\"vm\":$2," "$1")" pid)
	for _t in $(vm_tids "$1" "$2"); do _o="$_o /proc/$_p/task/$_t/schedstat"; done
	echo $_o
}
# mcpu_of S0 S1 FROM TO: the sum of counters FROM..TO (1-based) in mcpu.
mcpu_of() {
	local _i=$3 _s=0
	while [ "$_i" -le "$4" ]; do _s=$((_s + $(cpu_rate "$1" "$2" "$_i"))); _i=$((_i + 1)); done
	echo $_s
}
# A host task that is not a vCPU: a shell busy loop.
start_loop() { sh -c 'while :; do :; done' & LOOP=$!; }
stop_loop() { kill "$LOOP" 2>/dev/null; wait "$LOOP" 2>/dev/null; }
# loop_keeps_headroom WHAT: the host loop's CPU over SECS s is at least
# 0.8 x the headroom of one CPU (head, mcpu), the issue's bound.
loop_keeps_headroom() {
	local _ml
	_ml=$(sched_mcpu "$SECS" /proc/$LOOP/schedstat)
	info "$1: host loop $_ml mcpu"
	ratio "$1: the host loop keeps >= 0.8 x headroom ($_ml mcpu)" test "$_ml" -ge $((head * 8 / 10))
}
wd_pid() {
	local _d
	for _d in /proc/[0-9]*; do
		[ "$(cat "$_d/comm" 2>/dev/null)" = kvmsched-wd ] && echo "${_d#/proc/}"
	done
}

check "insmod kvmsched" load_kvmsched
W=$(wd_pid)
check "the watchdog kthread kvmsched-wd runs" test -n "$W"
check "the watchdog sleeps SCHED_NORMAL while nothing is realtime" \
	test "$(thread_stat "$W" "$W" 41)" = 0
HEAD_PCT=$(cat "$KVMS/reserve_headroom_pct")

# -- starvation reporting: the tunable; a VM that runs is never counted; -----
# -- a vCPU that gets no CPU is counted and announced -------------------------
# The report's rules (a wait of starve_ms, once per wait, off) are tested in
# KUnit (kvmsched_acct).
check "starve_ms defaults to 1000" file_is "$KVMS/starve_ms" 1000
check "starve_ms=50 is refused, naming the range" \
	refused "Numerical result out of range" "starve_ms must be 0 (off) or 100-60000" kvmschedctl config starve_ms=50
check "config starve_ms=500" kvmschedctl config starve_ms=500
check "starve_ms reads back 500" file_is "$KVMS/starve_ms" 500
start_vms /tmp/s.out 2:spin || nok "start a 2-vCPU spinning VM"
H=$(echo $VMPIDS)
sleep 2
check "a VM that runs is never counted starved" file_is "$(vm_dir "$H")/starved_count" 0
# (a vCPU preempted a moment ago shows that moment, far under starve_ms)
check "nor have its vCPUs waited anywhere near starve_ms ($(cat "$(vm_dir "$H")"/vcpus/*/starved_ms | tr '\n' ' ')ms)" \
	sh -c "for v in \$(cat $(vm_dir "$H")/vcpus/*/starved_ms); do [ \$v -lt 500 ] || exit 1; done"
stop_vms_hard
# A shares vCPU pinned to CPU 1, where an admin's SCHED_FIFO busy loop runs:
# the kernel leaves that CPU's fair threads ~50 ms a second (6.1: realtime
# throttling, sched_rt_runtime_us; 6.12: the fair server), so the vCPU
# waits ~950 ms at a time, past starve_ms=500. Nothing is pinned to CPU 0:
# the period worker that samples the wait runs there (when it ran on the
# starved CPU, a realtime VM's own 1 s windows were counted in some runs
# only: it then ran exactly when the vCPU did).
check "start a 1-vCPU spinning VM pinned to CPU 1" start_vms_opt /tmp/sv.out "--pin 1" 1:spin
SV=$(echo $VMPIDS)
kvmschedctl watch > /tmp/sv.watch 2>&1 & WP=$!
taskset -c 1 sh -c 'while :; do :; done' & FL=$!
check "the busy loop on CPU 1 runs SCHED_FIFO 50" schedattr set "$FL" fifo:50
sleep 4
sc=$(cat "$(vm_dir "$SV")/starved_count")
smax=$(cat "$(vm_dir "$SV")/vcpus/0/starved_ms")
kill "$FL"; wait "$FL" 2>/dev/null
info "behind a FIFO loop for 4 s: starved_count $sc, starved_ms $smax"
check "a shares vCPU behind a FIFO loop on its CPU is counted starved (starved_count $sc >= 2 in 4 s)" \
	test "$sc" -ge 2
check "kvmschedctl watch announced it (vm-starved id=$(vm_id "$SV"))" \
	grep -q "vm-starved id=$(vm_id "$SV") .*starved_count=[1-9]" /tmp/sv.watch
sleep 2
sc2=$(cat "$(vm_dir "$SV")/starved_count")
check "once the loop is gone, no more ($sc2 <= $sc + 1: a wait under way may still count)" test "$sc2" -le $((sc + 1))
kill "$WP"; wait "$WP" 2>/dev/null
stop_vms_hard
check "config starve_ms=1000" kvmschedctl config starve_ms=1000

# -- settings: ranges and refusals --------------------------------------------
start_vms /tmp/r.out $NV:spin $NV:spin $NV:spin || nok "start three $NV-vCPU spinning VMs"
set -- $VMPIDS; A=$1; B=$2; C=$3
ia=$(vm_id "$A"); ib=$(vm_id "$B"); ic=$(vm_id "$C")
check "rt_priority defaults to 1" file_is "$(vm_dir "$A")/rt_priority" 1
check "rr_quantum_ms defaults to 0 (FCFS)" file_is "$(vm_dir "$A")/rr_quantum_ms" 0
check "rt_priority=0 is refused, naming the range" \
	refused "Numerical result out of range\|Invalid argument" "rt.priority" kvmschedctl set "$ia" rt_priority=0
check "rt_priority=100 is refused" \
	refused "Numerical result out of range\|Invalid argument" "rt.priority" kvmschedctl set "$ia" rt_priority=100
check "rr_quantum_ms=1001 is refused" \
	refused "Numerical result out of range\|Invalid argument" "rr.quantum" kvmschedctl set "$ia" rr_quantum_ms=1001
check "limit_mcpu=500 on VM C" kvmschedctl set "$ic" limit_mcpu=500
check "class=realtime on a VM with a limit is refused, naming it" \
	refused "Invalid argument" "limit_mcpu is 500" kvmschedctl set "$ic" class=realtime
check "VM C is still shares" file_is "$(vm_dir "$C")/class" shares
check "limit_mcpu=0 class=realtime in one set is accepted" kvmschedctl set "$ic" limit_mcpu=0 class=realtime
check "a reservation on a realtime VM is refused" \
	refused "Invalid argument" "realtime VM takes no" kvmschedctl set "$ic" reservation_mcpu=200
check "VM C back to shares" kvmschedctl set "$ic" class=shares

# -- priorities 30/20/10, saturating, with a host loop --------------------------
start_loop
sleep 1
base=$(sched_mcpu 2 /proc/$LOOP/schedstat)
info "host loop among three shares VMs: $base mcpu"
t0=$(cat "$KVMS/rt_throttled_periods")
check "set VM A class=realtime rt_priority=30" kvmschedctl set "$ia" class=realtime rt_priority=30
TA=$(vm_tids /tmp/r.out 0); ta=${TA%% *}
# This shell runs only in the headroom now: it sees the thread throttled
# (SCHED_IDLE) unless the watchdog has not yet found the budget spent.
set -- $(sed 's/.*) //' "/proc/$A/task/$ta/stat" | awk '{ print $39, $38 }')
pp=$1; pr=$2
check "A's vCPU thread is SCHED_FIFO at 30, or throttled SCHED_IDLE, when the set returns (policy $pp, priority $pr)" \
	test "$pp/$pr" = 1/30 -o "$pp" = 5
check "the watchdog runs SCHED_DEADLINE while it guards (policy $(thread_stat "$W" "$W" 41))" \
	test "$(thread_stat "$W" "$W" 41)" = 6
check "set VM B class=realtime rt_priority=20" kvmschedctl set "$ib" class=realtime rt_priority=20
check "set VM C class=realtime rt_priority=10" kvmschedctl set "$ic" class=realtime rt_priority=10
sleep 1
FA=$(task_files /tmp/r.out 0); FB=$(task_files /tmp/r.out 1); FC=$(task_files /tmp/r.out 2)
# shellcheck disable=SC2086
s0=$(cpu_snap $FA $FB $FC /proc/$LOOP/schedstat); sleep "$SECS"
# shellcheck disable=SC2086
s1=$(cpu_snap $FA $FB $FC /proc/$LOOP/schedstat)
ma=$(mcpu_of "$s0" "$s1" 1 $NV); mb=$(mcpu_of "$s0" "$s1" $((NV + 1)) $((2 * NV)))
mc=$(mcpu_of "$s0" "$s1" $((2 * NV + 1)) $((3 * NV))); ml=$(cpu_rate "$s0" "$s1" $((3 * NV + 1)))
rt_cap=$((2000 * (100 - HEAD_PCT) / 100)); head=$((1000 * HEAD_PCT / 100))
info "realtime 30/20/10 + host loop: A $ma, B $mb, C $mc, loop $ml mcpu (capacity 2000, headroom $HEAD_PCT %)"
ratio "priority 30 gets >= 95 % of capacity - headroom ($ma of $rt_cap mcpu)" \
	test "$ma" -ge $((rt_cap * 95 / 100))
ratio "priorities 20 and 10 get nearly nothing ($mb, $mc mcpu; want < 100 each)" \
	test "$mb" -lt 100 -a "$mc" -lt 100
ratio "the host loop keeps >= 0.8 x the headroom of its CPU ($ml mcpu, want >= $((head * 8 / 10)))" \
	test "$ml" -ge $((head * 8 / 10))
t1=$(cat "$KVMS/rt_throttled_periods")
check "the watchdog throttled most periods ($((t1 - t0)) in ${SECS}+ s; want >= $((SECS * 10 / 2)))" \
	test $((t1 - t0)) -ge $((SECS * 10 / 2))
check "VM A counts its throttled periods ($(cat "$(vm_dir "$A")/rt_throttled_periods"))" \
	file_ge "$(vm_dir "$A")/rt_throttled_periods" $((SECS * 10 / 2))
check "netlink shows the class and priority (show -j)" \
	sh -c "kvmschedctl -j show $ia | grep -q '\"rt_priority\":30'"

if [ $DBG = 0 ]; then
# -- every VM at 99, spinning: the host still gets its headroom ------------------
check "set A, B, C rt_priority=99" sh -c "kvmschedctl set $ia rt_priority=99 && kvmschedctl set $ib rt_priority=99 && kvmschedctl set $ic rt_priority=99"
sleep 1
loop_keeps_headroom "every VM realtime at 99 spinning"
# -- realtime VMs at 99 beside a busy latency VM: still the headroom ------------
# The latency VM's share of what the realtime VMs leave is deadline
# bandwidth, which the kernel runs before them; the watchdog leaves it out
# of their budget, or the two together would take the host's headroom.
check "C class=latency" kvmschedctl set "$ic" class=latency
sleep 1
# shellcheck disable=SC2086
s0=$(cpu_snap $FC /proc/$LOOP/schedstat); sleep "$SECS"
# shellcheck disable=SC2086
s1=$(cpu_snap $FC /proc/$LOOP/schedstat)
mc=$(mcpu_of "$s0" "$s1" 1 $NV); ml=$(cpu_rate "$s0" "$s1" $((NV + 1)))
info "A, B realtime at 99, C latency: C $mc mcpu (deadline $(cat "$(vm_dir "$C")"/vcpus/*/dl_mcpu | tr '\n' ' ')mcpu), host loop $ml mcpu"
check "the latency VM runs SCHED_DEADLINE beside them ($(cat "$(vm_dir "$C")"/vcpus/*/sched_policy | tr '\n' ' '))" \
	grep -q deadline "$(vm_dir "$C")/vcpus/0/sched_policy"
# Seen: 89-106 mcpu (6.1), 76-91 (6.12); with the watchdog counting only
# realtime CPU (the deadline part left in its budget), 44 on 6.1. Other
# host activity shares the loop's CPU part, hence 0.65 x headroom.
ratio "beside a busy latency VM the host loop keeps >= 0.65 x headroom ($ml mcpu)" test "$ml" -ge $((head * 65 / 100))
check "C back to class=realtime at 99" kvmschedctl set "$ic" class=realtime rt_priority=99
stop_loop

# -- equal priority: FCFS keeps, round robin alternates -------------------------
# A comes first: it runs realtime alone, on both CPUs, before B joins it at
# its priority. (Both VMs at 99 before, their threads held the CPUs in any
# mix, one of each VM as well: first come, first served is per vCPU.)
check "B and C back to shares; A at priority 50" sh -c "kvmschedctl set $ic class=shares && kvmschedctl set $ib class=shares && kvmschedctl set $ia rt_priority=50"
sleep 1
check "then B realtime at priority 50" kvmschedctl set "$ib" class=realtime rt_priority=50
sleep 1
# shellcheck disable=SC2086
s0=$(cpu_snap $FA $FB); sleep "$SECS"; s1=$(cpu_snap $FA $FB)
ma=$(mcpu_of "$s0" "$s1" 1 2); mb=$(mcpu_of "$s0" "$s1" 3 4)
info "equal priority, FCFS: A $ma, B $mb mcpu"
# A keeps the CPUs, throttled windows included (being throttled is not
# blocking: when a window starts, the watchdog queues first the threads that
# held a CPU since the last one started, a look later the others); B runs
# in the throttled part of each window (SCHED_IDLE), and when it joins in
# one, until the next. Round robin below gives 44-54 %. (Before, this step
# set A and B to 50 at once from 99, and the watchdog did not count the
# thread it preempted on its own CPU as holding one: the VM that kept more
# of the CPUs got 56-96 %. Then one run in 16 gave 50 %: A's
# two threads found on one CPU when a window started, the one pushed to the
# other CPU waited 1-9 ms for it, B was let in after 1 ms and took it; the
# watchdog now waits for it, up to a tenth of the window.)
sh=$((ma * 1000 / (ma + mb + 1)))
ratio "FCFS: A, realtime first, keeps the CPUs (A $ma, B $mb mcpu: A $sh per mille; want >= 650)" \
	test "$sh" -ge 650
check "rr_quantum_ms=20 on A and B" sh -c "kvmschedctl set $ia rr_quantum_ms=20 && kvmschedctl set $ib rr_quantum_ms=20"
check "rr_quantum_ms reads back 20" file_is "$(vm_dir "$B")/rr_quantum_ms" 20
sleep 1
# shellcheck disable=SC2086
s0=$(cpu_snap $FA $FB); sleep "$SECS"; s1=$(cpu_snap $FA $FB)
ma=$(mcpu_of "$s0" "$s1" 1 2); mb=$(mcpu_of "$s0" "$s1" 3 4)
sh=$((ma * 1000 / (ma + mb + 1)))
info "equal priority, RR 20 ms: A $ma, B $mb mcpu (A $sh per mille)"
ratio "RR: equal priorities alternate (A $sh per mille of the two; want 300-700)" \
	in_range "$sh" 300 700
else
	stop_loop
fi

# -- back to shares, rmmod: the threads' originals ---------------------------------
check "A back to class=shares" kvmschedctl set "$ia" class=shares
check "A's thread is SCHED_NORMAL when the set returns" thread_policy_is "$A" "$ta" 0
check "rmmod kvmsched with a realtime VM" rmmod kvmsched
bad=0
for i in 0 1 2; do
	p=$(jnum "$(grep -a "\"event\":\"ready\",\"vm\":$i," /tmp/r.out)" pid)
	for t in $(vm_tids /tmp/r.out $i); do thread_policy_is "$p" "$t" 0 || bad=1; done
done
check "after rmmod every vCPU thread is SCHED_NORMAL again" test $bad = 0
check "the watchdog kthread is gone" test -z "$(wd_pid)"
stop_vms_hard

# -- one spinning realtime vCPU holds one CPU: that CPU keeps the headroom --------
check "insmod kvmsched again" load_kvmsched
if [ $DBG = 0 ]; then
R0=$(cat "$KVMS/reservable_mcpu")
start_vms /tmp/o.out 1:spin || nok "start a 1-vCPU VM"
O=$(echo $VMPIDS)
check "the 1-vCPU VM realtime at 99" kvmschedctl set "$(vm_id "$O")" class=realtime rt_priority=99
taskset -c 0 sh -c 'while :; do :; done' & L0=$!
taskset -c 1 sh -c 'while :; do :; done' & L1=$!
sleep 1
set -- $(sched_mcpu "$SECS" /proc/$L0/schedstat /proc/$L1/schedstat)
info "a 1-vCPU realtime VM at 99, a loop pinned to each CPU: loops $1 and $2 mcpu"
lo=$1; [ "$2" -lt "$lo" ] && lo=$2
# That CPU's headroom is shared by its own host tasks (the loop, kworkers,
# this shell when it lands there): seen 73-515 mcpu for the loop. 0.6 x
# the headroom still fails on the kernel's own guard (RT throttling leaves
# 50 of 1000 mcpu).
ratio "one realtime vCPU: the loop on the CPU it holds keeps >= 0.6 x headroom (loops $1, $2 mcpu)" \
	test "$lo" -ge $((head * 6 / 10))
kill "$L0" "$L1"; wait "$L0" "$L1" 2>/dev/null
W=$(wd_pid)
R1=$(cat "$KVMS/reservable_mcpu")
check "the watchdog's deadline bandwidth comes out of reservable_mcpu ($R0 -> $R1, want -25)" \
	test "$R1" = $((R0 - 25))
stop_vms_hard
fi

# -- a realtime VM SIGKILLed, and one pinned -------------------------------------
start_vms_opt /tmp/p.out "--pin 0" 2:spin || nok "start a 2-vCPU VM pinned to CPU 0"
P=$(echo $VMPIDS)
check "the pinned VM realtime at 99" kvmschedctl set "$(vm_id "$P")" class=realtime rt_priority=99
if [ $DBG = 0 ]; then
	start_loop
	taskset -p 1 "$LOOP" >/dev/null
	sleep 1
	PF=$(task_files /tmp/p.out 0)
	# shellcheck disable=SC2086
	s0=$(cpu_snap $PF /proc/$LOOP/schedstat); sleep "$SECS"
	# shellcheck disable=SC2086
	s1=$(cpu_snap $PF /proc/$LOOP/schedstat)
	mv=$(mcpu_of "$s0" "$s1" 1 2); ml=$(cpu_rate "$s0" "$s1" 3)
	info "realtime VM pinned to CPU 0, the loop there too: VM $mv mcpu, loop $ml mcpu"
	# The headroom is CPU 0's part the VM leaves; the loop shares it with
	# the other host tasks that run there (this shell, kworkers): the loop
	# got 97-124 mcpu, and 72-78 in 5 of 18 runs. The VM itself took
	# 888-921 of CPU 0 against its budget of 890 (the time its two vCPUs
	# run SCHED_IDLE in the throttled part is not counted against it), so
	# 0.7 x for the host part (without the watchdog, the kernel's own guard
	# leaves it 50), and as for one realtime vCPU above, 0.6 x for the loop.
	ratio "realtime VM pinned to CPU 0: CPU 0 keeps >= 0.7 x headroom for the host ($((1000 - mv)) mcpu)" \
		test $((1000 - mv)) -ge $((head * 7 / 10))
	ratio "realtime VM pinned to CPU 0: the loop there keeps >= 0.6 x headroom ($ml mcpu)" \
		test "$ml" -ge $((head * 6 / 10))
	stop_loop
fi
W=$(wd_pid)
kill -KILL "$P"
check "the SIGKILLed realtime VM goes" waitq 1000 vm_absent "$P"
check "the watchdog stays SCHED_DEADLINE with no realtime thread left" \
	test "$(thread_stat "$W" "$W" 41)" = 6
stop_vms_hard
check "rmmod kvmsched" rmmod kvmsched
echo "1..$T"
