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
	local _a _b _t0 _t1 _c0="" _c1="" _p _dt _runs
	sleep 2
	_a=$(thread_waits "$L" "$LT"); _t0=$(now_cs)
	for _p in $L $H1 $H2 $H3; do _c0="$_c0 $(proc_cpu_ns "$_p")"; done
	sleep "$SECS"
	_b=$(thread_waits "$L" "$LT"); _t1=$(now_cs)
	for _p in $L $H1 $H2 $H3; do _c1="$_c1 $(proc_cpu_ns "$_p")"; done
	set -- $_a $_b
	_runs=$(($4 - $2)); [ "$_runs" -gt 0 ] || _runs=1
	_dt=$((_t1 - _t0))
	echo "P3B|$NAME|$ROUND|$((($3 - $1) / _runs))|$(cat "$(vm_dir "$L")/wake_latency_p99_ns")|$(echo $_c0 $_c1 | awk -v dt=$_dt '{ for (i = 1; i <= 4; i++) printf "%s%d", (i > 1 ? " " : ""), ($(i + 4) - $i) / 10000 / dt }')"
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
