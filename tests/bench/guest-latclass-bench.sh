#!/bin/sh
# make bench, P3: the latency class against SCHED_FIFO by hand and the
# default shares class, inside the sandbox KVM host with one guest CPU (the
# scenario of tests/e2e/guest-latclass.sh): a 1-vCPU VM L that burns ~400 us
# and sleeps ~1 ms (kvmtest halt@29,400), weight 250, beside three 2-vCPU
# spinning hogs at weight 100 (L's share: 454 mcpu). In this one boot,
# ROUNDS rounds of: SCHED_FIFO 1 set by hand (kvmsched not loaded), then
# kvmsched with L in the shares class, the latency class (latency_us 5000,
# the default) and the realtime class (rt_priority 1).
# Per phase: L's mean wait per run in ns (its thread's schedstat run_delay
# over pcount: the kernel's own wait, inside the guest), the module's wake
# latency p99 of the last window (ns; not for FIFO by hand: no module), and
# the CPU of L and of the hogs (mcpu).
. /kvmsched/lib.sh
SECS=${BENCH_SECS:-8}
ROUNDS=${BENCH_ROUNDS:-3}

# phase: one measurement line for phase $NAME of round $ROUND
phase() {
	local _a _b _t0 _t1 _c0="" _c1="" _p _dt _runs _mean _p99=-
	sleep 2
	_a=$(thread_waits "$L" "$LT"); _t0=$(now_cs)
	for _p in $L $H1 $H2 $H3; do _c0="$_c0 $(proc_cpu_ns "$_p")"; done
	sleep "$SECS"
	_b=$(thread_waits "$L" "$LT"); _t1=$(now_cs)
	for _p in $L $H1 $H2 $H3; do _c1="$_c1 $(proc_cpu_ns "$_p")"; done
	[ -d /sys/kernel/kvmsched ] && _p99=$(cat "$(vm_dir "$L")/wake_latency_p99_ns")
	set -- $_a $_b
	_runs=$(($4 - $2)); [ "$_runs" -gt 0 ] || _runs=1
	_mean=$((($3 - $1) / _runs))
	_dt=$((_t1 - _t0))
	set -- $_c0 $_c1
	echo "P3|$NAME|$ROUND|$_mean|$_runs|$_p99|$((($5 - $1) / 10000 / _dt))|$((($6 - $2) / 10000 / _dt)) $((($7 - $3) / 10000 / _dt)) $((($8 - $4) / 10000 / _dt))"
}

echo "BENCH-BEGIN"
start_vms_untracked /tmp/l.out 1:halt@29,400 2:spin 2:spin 2:spin || { echo "# kvmtest did not start"; echo "BENCH-END"; exit 1; }
set -- $VMPIDS; L=$1 H1=$2 H2=$3 H3=$4
LT=$(vm_tids /tmp/l.out 0)
r=1
while [ $r -le "$ROUNDS" ]; do
	ROUND=$r
	schedattr set "$LT" fifo:1 && NAME="SCHED_FIFO by hand" && phase
	schedattr set "$LT" normal
	load_kvmsched && wait_tracked
	ID=$(vm_id "$L")
	kvmschedctl set "$ID" weight=250 >/dev/null && NAME="shares (weight 250)" && phase
	kvmschedctl set "$ID" class=latency >/dev/null && NAME="latency (5000 us)" && phase
	kvmschedctl set "$ID" class=realtime >/dev/null && NAME="realtime (priority 1)" && phase
	rmmod kvmsched
	r=$((r + 1))
done
stop_vms
echo "BENCH-END"
