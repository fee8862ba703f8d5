#!/bin/sh
# make bench, P2 reservations and limits, inside the sandbox KVM host (2 CPUs),
# every setup in this one boot:
#   reservation: a 2-vCPU VM among three 2-vCPU hogs (8 spinning vCPUs on 2
#     CPUs: 4x overcommit). kvmsched: reservation_mcpu=800, weight 100, hogs
#     weight 10000. cgroup v2 has no floor; the closest it has is the largest
#     cpu.weight (10000) for the VM, against hogs at the same 10000. Plain:
#     nothing set.
#   limit: one 2-vCPU VM alone on the host. kvmsched: limit_mcpu=L. cgroup v2:
#     cpu.max "L*100 100000" (L millicpus per 100 ms period).
# CPU per VM is read from /proc/<pid>/task/*/schedstat in every setup.
. /kvmsched/lib.sh
SECS=${BENCH_SECS:-8}
SETTLE=${BENCH_SETTLE:-3}
CG=/sys/fs/cgroup

proc_cpu() {	# total CPU ns of every thread of pid $1
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

mcpu_of() {	# CPU of pid $1 over SECS seconds, millicpus
	local c0 t0 c1 t1
	c0=$(proc_cpu "$1"); t0=$(now_cs)
	sleep "$SECS"
	c1=$(proc_cpu "$1"); t1=$(now_cs)
	echo $(( (c1 - c0) / 10000 / (t1 - t0) ))
}

cg_mount() {
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG
	echo +cpu > $CG/cgroup.subtree_control
}

cg_put() {	# cg_put NAME PID FILE VALUE
	mkdir -p "$CG/$1"
	echo "$4" > "$CG/$1/$3"
	echo "$2" > "$CG/$1/cgroup.procs"
}

cg_clear() { local d; for d in $CG/vm*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done; }

reservation() {	# reservation RES
	local res=$1 setup R got i
	for setup in plain cgroup kvmsched; do
		[ $setup = kvmsched ] && load_kvmsched
		start_vms_untracked /tmp/p2r.out 2:spin 2:spin 2:spin 2:spin || echo "# start failed"
		set -- $VMPIDS; R=$1
		case $setup in
		cgroup)
			cg_mount; i=0
			for p in $VMPIDS; do i=$((i + 1)); cg_put vm$i "$p" cpu.weight 10000; done ;;
		kvmsched)
			wait_tracked || echo "# kvmsched did not find the VMs"
			shift
			for p in "$@"; do kvmschedctl set "$(vm_id "$p")" weight=10000; done
			kvmschedctl set "$(vm_id "$R")" weight=100 reservation_mcpu="$res" ||
				echo "# set reservation failed" ;;
		esac
		sleep "$SETTLE"
		got=$(mcpu_of "$R")
		echo "P2|reservation $res among 3 hogs (4x overcommit)|$setup|$res|$got"
		[ $setup = kvmsched ] && echo "# misses $(cat "$(vm_dir "$R")/reservation_misses")"
		stop_vms
		[ $setup = cgroup ] && cg_clear
		[ $setup = kvmsched ] && rmmod kvmsched
	done
}

limit() {	# limit LIM
	local lim=$1 setup L got
	for setup in plain cgroup kvmsched; do
		[ $setup = kvmsched ] && load_kvmsched
		start_vms_untracked /tmp/p2l.out 2:spin || echo "# start failed"
		set -- $VMPIDS; L=$1
		case $setup in
		cgroup) cg_mount; cg_put vm1 "$L" cpu.max "$((lim * 100)) 100000" ;;
		kvmsched)
			wait_tracked || echo "# kvmsched did not find the VM"
			kvmschedctl set "$(vm_id "$L")" limit_mcpu="$lim" || echo "# set limit failed" ;;
		esac
		sleep "$SETTLE"
		got=$(mcpu_of "$L")
		echo "P2|limit $lim, alone on the host|$setup|$lim|$got"
		stop_vms
		[ $setup = cgroup ] && cg_clear
		[ $setup = kvmsched ] && rmmod kvmsched
	done
}

echo "BENCH-BEGIN"
reservation 800
reservation 1200
limit 500
limit 1500
echo "BENCH-END"
