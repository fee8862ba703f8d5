#!/bin/sh
# make bench, entry 1: kvm_entry hook overhead, in one boot.
# The exit-heavy workload (a CPUID loop: every iteration is a VM exit and
# entry handled in the kernel) runs without kvmsched, with it, and without
# again, alternating; the guest counts its own iterations.
. /kvmsched/lib.sh
SECS=${BENCH_SECS:-4}
ROUNDS=${BENCH_ROUNDS:-5}
run() {	# prints exits/s of one 1-vCPU exits VM over $SECS s
	# Pinned to CPU 1: unpinned, the rate jumps between ~13k and ~19k/s
	# with the CPU the vCPU lands on, hiding anything the hook costs.
	taskset -c 1 kvmtest --seconds "$SECS" 1:exits > /tmp/b.out 2>&1
	it=$(jnum "$(grep '"event":"vcpu"' /tmp/b.out)" guest_iters)
	awk -v i="$it" -v s="$SECS" 'BEGIN { printf "%.0f\n", i / s }'
}
echo "BENCH-BEGIN"
# Warm-up, discarded: the first VM of a boot flips KVM's static keys and
# faults in its code, which makes the first run of a boot the slowest.
SECS=2 run >/dev/null
echo "phase exits_per_s"
r=0
while [ $r -lt "$ROUNDS" ]; do
	echo "off $(run)"
	load_kvmsched
	echo "on $(run)"
	rmmod kvmsched
	r=$((r + 1))
done
echo "off $(run)"
echo "BENCH-END"
