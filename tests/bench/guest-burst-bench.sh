#!/bin/sh
# make bench, P3 burst boost: the scenario of tests/e2e/guest-burst.sh (one
# guest CPU; an I/O-like 1-vCPU VM that burns ~200 us and sleeps ~1.8 ms
# beside three 2-vCPU spinning hogs, all at the default weight), burst_boost
# off and on, ROUNDS rounds in this one boot. Per phase: the light VM's mean
# wait per run (ns, its thread's schedstat run_delay / pcount), the module's
# wake latency p99 (ns) and every VM's CPU (mcpu).
. /kvmsched/lib.sh
SECS=${BENCH_SECS:-8}
ROUNDS=${BENCH_ROUNDS:-3}
phase() {
	sleep 2
	wait_cpu_window "$SECS" "$L" "$LT" $L $H1 $H2 $H3
	echo "P3B|$NAME|$ROUND|$WIN_MEAN|$(cat "$(vm_dir "$L")/wake_latency_p99_ns")|$WIN_CPU"
}
echo "BENCH-BEGIN"
load_kvmsched
start_vms /tmp/b.out 1:halt@10,200 2:spin 2:spin 2:spin || { echo "# kvmtest did not start"; echo "BENCH-END"; exit 1; }
set -- $VMPIDS; L=$1 H1=$2 H2=$3 H3=$4
LT=$(vm_tids /tmp/b.out 0)
r=1
while [ $r -le "$ROUNDS" ]; do
	ROUND=$r
	kvmschedctl config burst_boost=0 >/dev/null && NAME="boost off" && phase
	kvmschedctl config burst_boost=1 >/dev/null && NAME="boost on" && phase
	r=$((r + 1))
done
stop_vms
rmmod kvmsched
echo "BENCH-END"
