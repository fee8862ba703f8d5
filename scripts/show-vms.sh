#!/bin/sh
# Print what kvmsched sees as a table, from /sys/kernel/kvmsched only.
# Runs on any KVM host with the module loaded (busybox sh is enough).
# Usage: show-vms.sh [-v]   (-v: one line per vCPU as well)
K=/sys/kernel/kvmsched
[ -d $K ] || { echo "show-vms: kvmsched is not loaded ($K missing)" >&2; exit 1; }
printf '%4s %7s %-12s %5s %9s %10s %10s %7s %12s\n' \
	VM PID COMM VCPUS CPU_MCPU CPU_S WAIT_S STEAL% ENTRIES
for d in $K/vms/*; do
	[ -f "$d/pid" ] || continue
	awk -v id="${d##*/}" -v pid="$(cat $d/pid)" -v comm="$(cat $d/comm)" \
	    -v n="$(cat $d/nr_vcpus)" -v m="$(cat $d/cpu_last_mcpu)" \
	    -v c="$(cat $d/cpu_time_ns)" -v w="$(cat $d/wait_time_ns)" \
	    -v s="$(cat $d/steal_last_permille)" -v e="$(cat $d/vm_entries)" \
	    'BEGIN { printf "%4s %7s %-12s %5s %9s %10.2f %10.2f %6.1f%% %12s\n",
		     id, pid, comm, n, m, c / 1e9, w / 1e9, s / 10, e }'
	[ "$1" = -v ] || continue
	for v in $d/vcpus/*; do
		[ -f "$v/tid" ] || continue
		awk -v id="${v##*/}" -v tid="$(cat $v/tid)" -v m="$(cat $v/cpu_last_mcpu)" \
		    -v c="$(cat $v/cpu_time_ns)" -v w="$(cat $v/wait_time_ns)" \
		    -v s="$(cat $v/steal_last_permille)" -v e="$(cat $v/vm_entries)" \
		    'BEGIN { printf "%4s %7s %-12s %5s %9s %10.2f %10.2f %6.1f%% %12s\n",
			     "", tid, "  vcpu " id, "", m, c / 1e9, w / 1e9, s / 10, e }'
	done
done
