#!/bin/sh
# e2e-debug: skip reservations, limits and headroom measured in mcpu (timing)
# End-to-end test of the scheduling class, part 2: CPU reservations with
# admission control, and hard limits, inside the sandbox KVM host (2 CPUs,
# real VMs from kvmtest). CPU is measured from kvmsched's sysfs counters.
#
# Tolerances come from the issue: a reservation of 800 among hogs of 100x
# the weight must deliver >= 0.98 x 800; a limit of 500 on an idle host at
# most 510; reservation 300 + limit 600 among hogs within [294, 612]. Each
# case first shows what the kernel gives without the bound, so the window
# fails when the bound is not applied.
. /kvmsched/lib.sh
echo "KTAP version 1"
SECS=${BOUND_SECS:-8}

# snap FILE...: "uptime_cs v1 v2 ..." read by one cat, so the clock and the
# counters are taken together even when deadline vCPUs leave this shell
# little CPU (reading them one by one then skews the rates).
snap() {
	cat /proc/uptime "$@" | awk 'NR == 1 { split($1, u, "."); printf "%d", u[1] * 100 + u[2]; next }
		{ printf " %s", $1 } END { print "" }'
}
# rate S0 S1 I: mcpu of counter I (1-based, ns) between snapshots S0 and S1.
rate() {
	echo "$1 $2" | awk -v n="$(echo "$1" | wc -w)" -v i="$3" '{
		printf "%d\n", ($(n + 1 + i) - $(1 + i)) / 10000 / ($(n + 1) - $1) }'
}
# vm_mcpu SECS PID: the VM's CPU over SECS seconds, millicpus.
vm_mcpu() {
	local _f _s0 _s1
	_f="$(vm_dir "$2")/cpu_time_ns"
	_s0=$(snap "$_f"); sleep "$1"; _s1=$(snap "$_f")
	rate "$_s0" "$_s1" 1
}

# proc_cpu_ns PID: CPU time of all of PID's threads, ns, from schedstat
# (read at once, unlike kvmsched's per-period counters).
proc_cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
# dl_total_bw: the deadline bandwidth the kernel has booked (its admission's
# total_bw, summed over the CPUs' lines of the scheduler's debug file).
dl_total_bw() { awk '/dl_bw->total_bw/ { s += $NF } END { printf "%.0f\n", s }' /sys/kernel/debug/sched/debug; }
# bursty_mcpu PID CYCLES: the VM's CPU over its running phases when it is
# stopped 250 ms and continued 250 ms, CYCLES times: last period's demand is
# then often far under what it wants the next, the test of a ceiling.
bursty_mcpu() {
	local _p=$1 _n=$2 _run=0 _c0 _c1 _t0 _t1 _i
	kill -STOP "$_p"
	_c0=$(proc_cpu_ns "$_p")
	for _i in $(seq "$_n"); do
		sleep 0.25
		_t0=$(now_cs); kill -CONT "$_p"; sleep 0.25; kill -STOP "$_p"; _t1=$(now_cs)
		_run=$((_run + _t1 - _t0))
	done
	_c1=$(proc_cpu_ns "$_p")
	kill -CONT "$_p"
	echo $(( (_c1 - _c0) / 10000 / _run ))
}
# vcpu_files PID FILE: FILE of each of the VM's vCPUs, on one line.
vcpu_files() { cat "$(vm_dir "$1")"/vcpus/*/"$2" | tr '\n' ' '; }
# all_le PID FILE MAX: FILE of every vCPU of the VM is at most MAX.
all_le() {
	local _v
	for _v in $(vcpu_files "$1" "$2"); do [ "$_v" -le "$3" ] || return 1; done
}

# all_policy PID TIDS POLICY: every listed thread of PID has POLICY.
all_policy() {
	local _p=$1 _t _want=$3
	for _t in $2; do [ "$(thread_policy "$_p" "$_t")" = "$_want" ] || return 1; done
}
none_policy() {
	local _p=$1 _t _not=$3
	for _t in $2; do [ "$(thread_policy "$_p" "$_t")" != "$_not" ] || return 1; done
}

DLBW0=$(dl_total_bw)
info "deadline bandwidth booked before kvmsched: $DLBW0"
check "insmod kvmsched" load_kvmsched
check "capacity_mcpu is 2000 on 2 CPUs" file_is /sys/kernel/kvmsched/capacity_mcpu 2000
check "reserve_headroom_pct defaults to 10" file_is /sys/kernel/kvmsched/reserve_headroom_pct 10
check "reservable_mcpu is 1800 (90 % of 2000)" file_is /sys/kernel/kvmsched/reservable_mcpu 1800

# -- a reservation among hogs of 100x the weight -------------------------------
check "start four 2-vCPU spinning VMs" start_vms /tmp/r.out 2:spin 2:spin 2:spin 2:spin
set -- $VMPIDS; R=$1; H1=$2; H2=$3; H3=$4
RT=$(vm_tids /tmp/r.out 0)
rid=$(vm_id "$R"); h1=$(vm_id "$H1")
for h in $H1 $H2 $H3; do kvmschedctl set "$(vm_id "$h")" weight=10000 || nok "set weight=10000"; done
sleep 2
base=$(vm_mcpu 4 "$R")
info "weight 100 among three weight-10000 hogs, no reservation: $base mcpu"
check "without a reservation the VM gets little ($base mcpu < 300)" test "$base" -lt 300
check "set reservation_mcpu=800" kvmschedctl set "$rid" reservation_mcpu=800
check "reservation shows in sysfs" file_is "$(vm_dir "$R")/reservation_mcpu" 800
check "reserved_mcpu is 800" file_is /sys/kernel/kvmsched/reserved_mcpu 800
sleep 2
got=$(vm_mcpu "$SECS" "$R")
info "reservation 800 among hogs: $got mcpu over $SECS s"
check "reserved VM receives >= 0.98 x 800 among hogs ($got mcpu, want >= 784)" test "$got" -ge 784
check "reserved VM receives no more than its weight would add ($got mcpu, want <= 900)" test "$got" -le 900
check "bound is reservation" file_is "$(vm_dir "$R")/bound" reservation
check "its vCPU threads run SCHED_DEADLINE" all_policy "$R" "$RT" 6
# Halted, a reserved VM holds no deadline bandwidth (its floor is
# min(reservation, demand) = 0), and takes it again when it wakes.
kill -STOP "$R"
check "stopped, the reserved VM's vCPUs leave SCHED_DEADLINE" waitq 300 none_policy "$R" "$RT" 6
check "... and hold no deadline runtime (dl_mcpu 0)" all_le "$R" dl_mcpu 0
# Stopped, they left the class blocked, past their 0-lag time: the kernel
# itself would keep their bandwidth booked for good (kvms_dl_reclaim()).
dlbw_back() { [ "$(dl_total_bw)" = "$DLBW0" ]; }
check "... and the kernel's booked deadline bandwidth is back to $DLBW0 ($(waitq 300 dlbw_back; dl_total_bw))" dlbw_back
check "deadline_reclaimed counts the lost releases it re-armed ($(cat $KVMS/deadline_reclaimed))" \
	test "$(cat $KVMS/deadline_reclaimed)" -ge 1
kill -CONT "$R"
check "continued, they run SCHED_DEADLINE again" waitq 300 all_policy "$R" "$RT" 6
m=$(cat "$(vm_dir "$R")/reservation_misses")
info "reservation misses so far: $m"
check "reservation_misses is a number" test "$m" -ge 0

# -- admission control and bad input -----------------------------------------
check "a reservation that does not fit is refused with EBUSY and the room left" \
	refused "busy" "does not fit: 1000 of 1800 mcpu left" kvmschedctl set "$h1" reservation_mcpu=1100
check "the refused reservation changed nothing" file_is "$(vm_dir "$H1")/reservation_mcpu" 0
check "reserved_mcpu is still 800" file_is /sys/kernel/kvmsched/reserved_mcpu 800
check "exactly full is admitted (1000 more)" kvmschedctl set "$h1" reservation_mcpu=1000
check "reserved_mcpu is 1800" file_is /sys/kernel/kvmsched/reserved_mcpu 1800
check "raising the headroom over the reserved sum is EBUSY" \
	refused "busy" "reserve_headroom_pct 20 leaves 1600 mcpu, under the 1800 reserved" \
	kvmschedctl config reserve_headroom_pct=20
check "the refused headroom changed nothing" file_is /sys/kernel/kvmsched/reserve_headroom_pct 10
check "over by one is refused" refused "busy" "0 of 1800 mcpu left" kvmschedctl set "$(vm_id "$H2")" reservation_mcpu=1
check "lowering a reservation is admitted" kvmschedctl set "$h1" reservation_mcpu=0
check "reservation above nr_vcpus x 950 is EINVAL" \
	refused "Invalid argument" "exceeds nr_vcpus x 950 = 1900" kvmschedctl set "$rid" reservation_mcpu=1901
check "reservation above the limit is EINVAL" \
	refused "Invalid argument" "reservation_mcpu 800 exceeds limit_mcpu 600" kvmschedctl set "$rid" limit_mcpu=600
check "out-of-policy-range reservation is rejected by the kernel" \
	refused "out of range" "reservation-mcpu" kvmschedctl set "$rid" reservation_mcpu=2000000
check "reservation unchanged after the refusals" file_is "$(vm_dir "$R")/reservation_mcpu" 800

# -- reservation 300 + limit 600 among hogs ------------------------------------
check "set reservation_mcpu=300 limit_mcpu=600" kvmschedctl set "$rid" reservation_mcpu=300 limit_mcpu=600
sleep 2
got=$(vm_mcpu "$SECS" "$R")
info "reservation 300 + limit 600 among hogs: $got mcpu"
check "reservation 300 + limit 600 among hogs stays within [294, 612] ($got mcpu)" in_range "$got" 294 612

# -- reservation back to 0 gives the threads back -------------------------------
check "set reservation_mcpu=0 limit_mcpu=0" kvmschedctl set "$rid" reservation_mcpu=0 limit_mcpu=0
check "its vCPU threads leave SCHED_DEADLINE at once" none_policy "$R" "$RT" 6
check "bound goes back to none" waitq 300 file_is "$(vm_dir "$R")/bound" none
stop_vms

# -- a limit on an idle host --------------------------------------------------
check "start one 2-vCPU spinning VM" start_vms /tmp/l.out 2:spin
set -- $VMPIDS; L=$1
LT=$(vm_tids /tmp/l.out 0)
sleep 1
base=$(vm_mcpu 3 "$L")
info "alone, unlimited: $base mcpu"
check "alone and unlimited it takes most of the host ($base mcpu >= 1500)" test "$base" -ge 1500
check "set limit_mcpu=500" kvmschedctl set "$(vm_id "$L")" limit_mcpu=500
sleep 2
t0=$(cat "$(vm_dir "$L")/throttled_ns")
got=$(vm_mcpu "$SECS" "$L")
t1=$(cat "$(vm_dir "$L")/throttled_ns")
info "limit 500 alone on the host: $got mcpu; throttled $(( (t1 - t0) / 1000000 )) ms over $SECS s"
check "a limited VM alone on the host receives <= 510 ($got mcpu)" test "$got" -le 510
check "... and still runs up to its limit ($got mcpu >= 400)" test "$got" -ge 400
check "bound is limit" file_is "$(vm_dir "$L")/bound" limit
check "throttled_ns grows while the limit holds it back" test "$t1" -gt "$t0"
# A new limit gives the threads their originals back and is applied before
# the reply; threads that left SCHED_DEADLINE moments ago (throttled, their
# bandwidth still booked) re-enter it at the next period, not at once: no
# refusal, no SCHED_IDLE fallback.
r0=$(cat $KVMS/deadline_refused)
check "set limit_mcpu=600 on the saturated limited VM" kvmschedctl set "$(vm_id "$L")" limit_mcpu=600
check "... its threads are never SCHED_IDLE for it" none_policy "$L" "$LT" 5
check "... and are SCHED_DEADLINE again within a few periods" waitq 300 all_policy "$L" "$LT" 6
r1=$(cat $KVMS/deadline_refused)
check "... with no deadline refusal counted ($r0 -> $r1)" test "$r1" = "$r0"
check "set limit_mcpu=500 back" kvmschedctl set "$(vm_id "$L")" limit_mcpu=500
# Halted vCPUs of a limited VM keep a small deadline part (at most 50 mcpu
# each), so one that wakes cannot take more than the limit.
kill -STOP "$L"
check "stopped, each of the limited VM's vCPUs keeps at most 50 mcpu (dl_mcpu)" waitq 300 all_le "$L" dl_mcpu 50
info "stopped limited VM: dl_mcpu $(vcpu_files "$L" dl_mcpu), policies $(for t in $LT; do thread_policy "$L" "$t"; done | tr '\n' ' ')"
check "... and stays SCHED_DEADLINE" all_policy "$L" "$LT" 6
kill -CONT "$L"
sleep 1
got=$(bursty_mcpu "$L" 10)
info "limit 500, stopped and continued every 250 ms: $got mcpu while running"
check "a bursty limited VM receives <= 510 while it runs ($got mcpu)" test "$got" -le 510
check "limit_mcpu=0 lifts it" kvmschedctl set "$(vm_id "$L")" limit_mcpu=0
check "bound goes back to none" waitq 300 file_is "$(vm_dir "$L")/bound" none
sleep 1
base=$(bursty_mcpu "$L" 6)
info "unlimited, stopped and continued every 250 ms: $base mcpu while running"
check "unlimited, the same bursts take most of the host ($base mcpu >= 1200)" test "$base" -ge 1200
check "set limit_mcpu=500 again" kvmschedctl set "$(vm_id "$L")" limit_mcpu=500
check "rmmod kvmsched with a limited VM running" rmmod kvmsched
check "after rmmod its threads are back to SCHED_NORMAL" all_policy "$L" "$LT" 0
stop_vms
# Halted and stopped deadline vCPUs left the class above: none of their
# bandwidth may stay booked in the kernel.
check "the kernel's deadline bandwidth is back to what it was ($(dl_total_bw) = $DLBW0)" \
	test "$(dl_total_bw)" = "$DLBW0"

# -- host housekeeping keeps the headroom while reservations fill the host ------
check "insmod kvmsched" load_kvmsched
check "start two 2-vCPU spinning VMs" start_vms /tmp/h.out 2:spin 2:spin
set -- $VMPIDS; A=$1; B=$2
check "reserve 900 + 900 = all of reservable" \
	sh -c "kvmschedctl set $(vm_id "$A") reservation_mcpu=900 && kvmschedctl set $(vm_id "$B") reservation_mcpu=900"
(while :; do :; done) & S1=$!
(while :; do :; done) & S2=$!
sleep 2
F="$(vm_dir "$A")/cpu_time_ns $(vm_dir "$B")/cpu_time_ns /proc/$S1/schedstat /proc/$S2/schedstat"
s0=$(snap $F); sleep "$SECS"; s1=$(snap $F)
kill $S1 $S2; wait $S1 $S2 2>/dev/null
a=$(rate "$s0" "$s1" 1); b=$(rate "$s0" "$s1" 2)
loops=$(( $(rate "$s0" "$s1" 3) + $(rate "$s0" "$s1" 4) ))
host=$((2000 - a - b))
info "reservations 900 + 900 of 2000 + two host shell loops: VM A $a, VM B $b, loops $loops mcpu; everything not a vCPU $host mcpu"
# The headroom is for everything that is not a vCPU: under TCG, interrupt
# handling alone takes ~3 % of the CPUs, so the loops get most of it, not all.
# The reservations fill reservable exactly, so the headroom has no slack
# for the scatter of deadline runtime (enforced at ticks): each VM received
# 871-922 of its 900 over ten runs, and what is not a vCPU 157-245 (146
# once in CI, 6.1). Hence 0.7 x the headroom; without a headroom
# (reservable = the kernel's 95 %) it would get ~100.
check "everything that is not a vCPU keeps >= 0.7 x the 200 mcpu headroom ($host mcpu)" test "$host" -ge 140
check "the host shell loops get most of the headroom ($loops mcpu >= 100)" test "$loops" -ge 100
# Reservations at all of reservable (90 % of the host) plus the host loops
# load the CPUs fully; global EDF then loses a little deadline runtime to
# tardiness (and on 6.12 the fair server takes its 5 %), so this fullest
# case is held to 0.92 (measured 0.96-1.01 here, 0.947 once in CI on 6.1);
# 0.98 is asserted above at 800. Unenforced, the two VMs and the two loops
# would share the CPUs alike: ~500 each.
check "both reserved VMs still get >= 0.92 x 900 ($a, $b mcpu)" test "$a" -ge 828 -a "$b" -ge 828

# -- capacity shrink: the over-commitment is reported ---------------------------
check "lift the reservations" \
	sh -c "kvmschedctl set $(vm_id "$A") reservation_mcpu=0 && kvmschedctl set $(vm_id "$B") reservation_mcpu=0"
stop_vms
check "start two idle 2-vCPU VMs" start_vms /tmp/o.out 2:idle 2:idle
set -- $VMPIDS; A=$1; B=$2
check "reserve 900 + 900 on idle VMs" \
	sh -c "kvmschedctl set $(vm_id "$A") reservation_mcpu=900 && kvmschedctl set $(vm_id "$B") reservation_mcpu=900"
kvmschedctl watch > /tmp/watch.out 2>&1 & W=$!
sleep 1
if echo 0 > /sys/devices/system/cpu/cpu1/online; then
	check "capacity_mcpu drops to 1000 with CPU 1 offline" waitq 300 file_is /sys/kernel/kvmsched/capacity_mcpu 1000
	check "overcommit_mcpu shows 900 (1800 reserved, 900 reservable)" waitq 300 file_is /sys/kernel/kvmsched/overcommit_mcpu 900
	check "an overcommit event was sent" waitq 300 grep -q "overcommit" /tmp/watch.out
	echo 1 > /sys/devices/system/cpu/cpu1/online
	check "overcommit_mcpu back to 0 with CPU 1 online" waitq 300 file_is /sys/kernel/kvmsched/overcommit_mcpu 0
else
	nok "offline CPU 1"
fi
kill $W 2>/dev/null; wait $W 2>/dev/null
info "watch saw: $(grep overcommit /tmp/watch.out | head -n 2 | tr '\n' ' ')"
stop_vms
check "reserved_mcpu goes back to 0 when the VMs are gone" waitq 500 file_is /sys/kernel/kvmsched/reserved_mcpu 0
check "rmmod kvmsched" rmmod kvmsched
check "after rmmod no deadline bandwidth stays booked ($(dl_total_bw) = $DLBW0)" \
	test "$(dl_total_bw)" = "$DLBW0"
echo "1..$T"
exit $FAILED
