#!/bin/sh
# End-to-end test of VM discovery, accounting and lifetimes, run inside the
# sandbox KVM host (scripts/vmrun.sh boots it with /kvmsched/kvmsched.ko,
# /bin/kvmtest and this file).
#
# Topology: one QEMU guest with 2 CPUs = the KVM host; kvm, kvm-amd loaded.
# kvmtest processes there are the VMMs: each runs one VM of small real-mode
# guests on real KVM, one thread per vCPU.
. /kvmsched/lib.sh

echo "KTAP version 1"

# -- load -------------------------------------------------------------------
check "insmod kvmsched" load_kvmsched
check "sysfs root shows version" test -s $KVMS/version
info "version $(cat $KVMS/version)"
check "no VM before any VM runs" test "$(cat $KVMS/nr_vms)" = 0

# -- 3 VMs with 1, 2 and 4 vCPUs ---------------------------------------------
kvmtest --seconds 0 1:spin 2:halt@50 4:exits > /tmp/vms.out 2>/tmp/vms.err &
VMM=$!
check "kvmtest started 3 VMs" wait_ready /tmp/vms.out 3
[ -s /tmp/vms.err ] && info "kvmtest stderr: $(cat /tmp/vms.err)"

PIDS=""
for n in 1 2 4; do
	line=$(grep '"event":"ready"' /tmp/vms.out | grep "\"vcpus\":$n," | head -n 1)
	pid=$(jnum "$line" pid)
	tids=$(jlist "$line" tids)
	PIDS="$PIDS $pid"
	eval "PID_$n=$pid"
	t=$(wait_until 500 vm_present "$pid")
	check "VM with $n vCPUs (pid $pid) appears in sysfs (${t}0 ms)" vm_present "$pid"
	d=$(vm_dir "$pid") || continue
	# vCPUs are found at their first entry; give the slower ones a moment.
	wait_until 500 file_is "$d/nr_vcpus" "$n" >/dev/null
	check "VM pid $pid: nr_vcpus = $n" test "$(cat "$d/nr_vcpus")" = "$n"
	check "VM pid $pid: comm = kvmtest" test "$(cat "$d/comm")" = kvmtest
	got=""
	for v in $(ls "$d/vcpus" | sort -n); do got="$got $(cat "$d/vcpus/$v/tid")"; done
	check "VM pid $pid: vCPU thread ids [$tids] = sysfs [${got# }]" \
		test "${got# }" = "$tids"
	allin=0
	for t in $tids; do [ -d "/proc/$pid/task/$t" ] || allin=1; done
	check "VM pid $pid: every vCPU tid is a thread of the VMM in /proc" test $allin = 0
done

# -- accounting against /proc schedstat -------------------------------------
sleep 3
for pid in $PIDS; do
	d=$(vm_dir "$pid") || { nok "VM $pid: still in sysfs for accounting"; continue; }
	kill -STOP "$pid"
	usleep 300000	# let every vCPU thread leave KVM_RUN and stop
	sum=0
	for v in "$d"/vcpus/*; do
		tid=$(cat "$v/tid")
		set -- $(cat "/proc/$pid/task/$tid/schedstat")
		run=$(cat "$v/cpu_time_ns"); wait=$(cat "$v/wait_time_ns")
		ent=$(cat "$v/vm_entries")
		sum=$((sum + run))
		check "vCPU tid $tid: cpu_time_ns $run within 2% of schedstat $1" within_pct "$run" "$1" 2
		check "vCPU tid $tid: wait_time_ns $wait within 2% of schedstat $2 (or both < 1 ms)" \
			sh -c "[ $2 -lt 1000000 ] && [ $wait -lt 1000000 ] || awk -v a=$wait -v b=$2 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d*100<=2*b)}'"
		check "vCPU tid $tid: vm_entries $ent > 0" test "$ent" -gt 0
	done
	check "VM pid $pid: cpu_time_ns is the sum of its vCPUs" test "$(cat "$d/cpu_time_ns")" = "$sum"
	kill -CONT "$pid"
done
d=$(vm_dir "$PID_4")
info "exits VM: $(cat "$d/vm_entries") entries, $(cat "$d/cpu_last_mcpu") mcpu, steal $(cat "$d/steal_last_permille") permille"

# -- forgotten within 1 s of exit -------------------------------------------
# 2 s; on the debug kernel (several times slower) discovery alone takes that
SHORTSECS=2
case $(uname -r) in *kvmsdbg*) SHORTSECS=15 ;; esac
kvmtest --seconds $SHORTSECS 1:spin > /tmp/short.out 2>&1 &
SHORT=$!
wait_ready /tmp/short.out 1
spid=$(jnum "$(grep ready /tmp/short.out)" pid)
wait_until 500 vm_present "$spid" >/dev/null
check "short-lived VM pid $spid appears" vm_present "$spid"
wait $SHORT
t=$(wait_until 100 vm_absent "$spid")
check "VM gone from sysfs within 1 s of its VMM's exit (${t}0 ms)" vm_absent "$spid"

# -- forgotten within 1 s of SIGKILL ----------------------------------------
kill -KILL "$PID_4"
t=$(wait_until 100 vm_absent "$PID_4")
check "VM gone from sysfs within 1 s of SIGKILL (${t}0 ms)" vm_absent "$PID_4"
check "nr_vms = 2 after the two VMs went" test "$(cat $KVMS/nr_vms)" = 2

# -- churn: many short VMs come and go ----------------------------------------
i=0
while [ $i -lt 12 ]; do
	kvmtest --seconds 1 1:exits 2:halt@20 > /dev/null 2>&1 &
	i=$((i + 1))
	[ $((i % 3)) = 0 ] && sleep 1
done
sleep 3
t=$(wait_until 300 file_is $KVMS/nr_vms 2)
check "after 24 short VMs came and went, nr_vms is back to 2" test "$(cat $KVMS/nr_vms)" = 2

# -- rmmod under load ---------------------------------------------------------
check "rmmod kvmsched while VMs run" rmmod kvmsched
check "sysfs root removed" test ! -e $KVMS
alive=0
for pid in $PID_1 $PID_2; do kill -0 "$pid" 2>/dev/null || alive=1; done
check "VMs keep running after rmmod" test $alive = 0

# -- insmod with VMs already running ------------------------------------------
check "insmod again with 2 VMs running" load_kvmsched
for n in 1 2; do
	eval "pid=\$PID_$n"
	t=$(wait_until 500 vm_present "$pid")
	check "running VM pid $pid found after insmod (${t}0 ms)" vm_present "$pid"
	d=$(vm_dir "$pid") && wait_until 500 file_is "$d/nr_vcpus" "$n" >/dev/null
	check "running VM pid $pid: all $n vCPUs found" test "$(cat "$d/nr_vcpus" 2>/dev/null)" = "$n"
done

# -- teardown: nothing left behind --------------------------------------------
kill -TERM $VMM
wait $VMM
t=$(wait_until 100 file_is $KVMS/nr_vms 0)
check "every VM forgotten after the VMMs exit" test "$(cat $KVMS/nr_vms)" = 0
check "rmmod kvmsched when idle" rmmod kvmsched
check "kvm_amd and kvm unload (kvmsched left no kvm reference)" \
	sh -c 'rmmod kvm_amd && rmmod kvm'

echo "1..$T"
exit $FAILED
