#!/bin/sh
# make bench, P1 share accuracy, inside the sandbox KVM host (2 CPUs).
# Each scenario runs three ways in this one boot: the plain kernel, cgroup v2
# with one cgroup per VM process and cpu.weight = VM weight (what libvirt
# does), and kvmsched with the VM weights set over netlink. CPU per VM is
# read from /proc/<pid>/task/*/schedstat in every setup.
. /kvmsched/lib.sh
SECS=${BENCH_SECS:-8}
SETTLE=${BENCH_SETTLE:-3}
CG=/sys/fs/cgroup

proc_cpu() {	# total CPU ns of every thread of pid $1
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

measure() {	# prints the per-VM CPU share in percent, for VMPIDS
	local p c0 c1 all=""
	for p in $VMPIDS; do eval "c0_$p=$(proc_cpu "$p")"; done
	sleep "$SECS"
	for p in $VMPIDS; do eval "all=\"\$all \$(( \$(proc_cpu $p) - c0_$p ))\""; done
	echo "$all" | awk '{ for (i = 1; i <= NF; i++) t += $i;
		for (i = 1; i <= NF; i++) printf "%s%.2f", (i > 1 ? "," : ""), 100 * $i / t; print "" }'
}

setup_cgroups() {	# $1 = weights
	local i=0 p w
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG
	echo +cpu > $CG/cgroup.subtree_control
	for p in $VMPIDS; do
		i=$((i + 1)); w=$(echo "$1" | cut -d, -f$i)
		mkdir -p $CG/vm$i
		echo "$w" > $CG/vm$i/cpu.weight
		echo "$p" > $CG/vm$i/cgroup.procs
	done
}

teardown_cgroups() {
	local d
	for d in $CG/vm*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
}

setup_kvmsched() {	# $1 = weights
	local i=0 p w
	wait_tracked || echo "# kvmsched did not find the VMs"
	for p in $VMPIDS; do
		i=$((i + 1)); w=$(echo "$1" | cut -d, -f$i)
		kvmschedctl set "$(vm_id "$p")" weight="$w" || echo "# set weight failed"
	done
}

# scenario NAME SPECS WEIGHTS EXPECTED(percent, comma-separated)
scenario() {
	local name=$1 specs=$2 weights=$3 exp=$4 setup got
	for setup in plain cgroup kvmsched; do
		[ $setup = kvmsched ] && load_kvmsched
		out=/tmp/p1.$(echo "$name$setup" | tr -c 'a-z0-9' _).out
		start_vms_untracked "$out" $(echo "$specs" | tr , ' ') || echo "# start failed"
		case $setup in
		cgroup) setup_cgroups "$weights" ;;
		kvmsched) setup_kvmsched "$weights" ;;
		esac
		sleep "$SETTLE"
		got=$(measure)
		[ "$(echo "$got" | tr , ' ' | wc -w)" = "$(echo "$exp" | tr , ' ' | wc -w)" ] ||
			echo "# $setup: measured [$got] for VMs [$VMPIDS]: $(tr -d '\000' < "$out" | head -c 600)"
		echo "P1|$name|$setup|$exp|$got"
		stop_vms
		[ $setup = cgroup ] && teardown_cgroups
		[ $setup = kvmsched ] && rmmod kvmsched
	done
}

echo "BENCH-BEGIN"
scenario "4 vs 1 vCPUs, 1:1" 4:spin,1:spin 100,100 50,50
scenario "2+2 vCPUs, 3:1" 2:spin,2:spin 300,100 75,25
scenario "1+1+4 vCPUs, 1:1:2" 1:spin,1:spin,4:spin 100,100,200 25,25,50
scenario "4 (2 halted) vs 2, 1:1" 4:spin/2,2:spin 100,100 50,50
scenario "2+2 vCPUs, 1:10000" 2:spin,2:spin 1,10000 0.01,99.99
echo "BENCH-END"
