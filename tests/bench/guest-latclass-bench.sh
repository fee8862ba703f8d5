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
	local _p99=-
	sleep 2
	wait_cpu_window "$SECS" "$L" "$LT" $L $H1 $H2 $H3
	[ -d /sys/kernel/kvmsched ] && _p99=$(cat "$(vm_dir "$L")/wake_latency_p99_ns")
	set -- $WIN_CPU
	echo "P3|$NAME|$ROUND|$WIN_MEAN|$WIN_RUNS|$_p99|$1|$2 $3 $4"
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
