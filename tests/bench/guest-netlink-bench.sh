#!/bin/sh
# make bench, control plane: set-to-visible latency and the time to dump
# 1000 VMs x 1 vCPU, inside the sandbox KVM host (2 emulated CPUs).
. /kvmsched/lib.sh
echo "BENCH-BEGIN"
load_kvmsched
start_vms /tmp/one.out 1:spin || echo "# start failed"
set -- $VMPIDS
id=$(vm_id "$1")
d=$(vm_dir "$1")
N=100
t0=$(now_cs)
i=0
while [ $i -lt $N ]; do
	w=$((100 + i))
	kvmschedctl set "$id" weight=$w
	[ "$(cat "$d/weight")" = $w ] || echo "# weight $w not visible right after set"
	asum=$((${asum:-0} + $(cat $KVMS/apply_last_ns)))
	i=$((i + 1))
done
t1=$(now_cs)
echo "NL|set weight + read sysfs, $N times|$(( (t1 - t0) * 10000 / N ))"
echo "NL|P5: set -> applied to the threads, in the kernel, 1 VM, mean of $N|$(( asum / N / 1000 ))"
echo "NL|P5: set -> applied, the longest since insmod|$(( $(cat $KVMS/apply_max_ns) / 1000 ))"
# time until the vCPU thread's nice follows a weight change (now before
# the reply: the first read already differs)
kvmtest --seconds 0 2:spin > /tmp/two.out 2>&1 &
TWO=$!
sleep 2
tid=$(vm_tids /tmp/one.out 0)
kvmschedctl set "$id" weight=10000
n0=$(thread_nice "$1" "$tid")
kvmschedctl set "$id" weight=1
t0=$(now_cs)
wait_until 300 thread_nice_is_not "$1" "$tid" "$n0" >/dev/null
t1=$(now_cs)
echo "NL|weight change to the thread's nice changing (seen by the shell)|$(( (t1 - t0) * 10000 ))"
stop_vms
kill "$TWO" 2>/dev/null; wait "$TWO" 2>/dev/null
for k in 1 2 3 4; do
	kvmtest --seconds 0 $(i=0; while [ $i -lt 250 ]; do printf '1:parked '; i=$((i + 1)); done) \
		> /tmp/many$k.out 2>&1 &
done
wait_until 12000 file_ge $KVMS/nr_vms 1000 >/dev/null || echo "# only $(cat $KVMS/nr_vms) VMs"
sleep 3
nv=$(cat $KVMS/nr_vms)
t0=$(now_cs)
for r in 1 2 3 4 5; do kvmschedctl -j list > /tmp/dump.json; done
t1=$(now_cs)
got=$(grep -o '"id":' /tmp/dump.json | wc -l)
echo "NL|dump of $nv VMs x 1 vCPU ($got in the reply), mean of 5|$(( (t1 - t0) * 10000 / 5 ))"
t0=$(now_cs)
for r in 1 2 3 4 5; do cat $KVMS/vms/*/cpu_time_ns > /dev/null; done
t1=$(now_cs)
echo "NL|sysfs: read cpu_time_ns of $nv VMs, mean of 5|$(( (t1 - t0) * 10000 / 5 ))"
asum=0
for r in 1 2 3 4 5; do
	kvmschedctl set "$(ls $KVMS/vms | head -n 1)" weight=$((200 + r))
	asum=$((asum + $(cat $KVMS/apply_last_ns)))
done
echo "NL|P5: set -> applied to every thread of $nv VMs, in the kernel, mean of 5|$(( asum / 5000 ))"
killall kvmtest 2>/dev/null
wait_until 3000 file_is $KVMS/nr_vms 0 >/dev/null
rmmod kvmsched
echo "BENCH-END"
