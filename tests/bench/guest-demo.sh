#!/bin/sh
# make demo, inside the sandbox KVM host: a few VMs of different sizes and
# workloads, and what kvmsched sees of them.
. /kvmsched/lib.sh
echo "DEMO-BEGIN"
echo "Sandbox KVM host: $(uname -r), $(nproc) CPUs, /dev/kvm from kvm-amd (nested SVM)"
load_kvmsched || { echo "insmod kvmsched failed"; exit 1; }
echo "kvmsched $(cat $KVMS/version) loaded; period $(cat $KVMS/period_ms) ms"
echo
echo "Starting 4 VMs (kvmtest: one process per VM, one thread per vCPU):"
echo "  1 vCPU spinning, 2 vCPUs busy 30% (halt/wake), 4 vCPUs exit-heavy"
echo "  (CPUID loop), 1 vCPU idle (halted). kvmsched finds them as they run."
kvmtest --seconds 0 1:spin 2:halt@30 4:exits 1:idle > /tmp/demo.out 2>&1 &
VMM=$!
wait_ready /tmp/demo.out 4
wait_until 500 test "$(cat $KVMS/nr_vms)" = 4 >/dev/null
for i in 1 2; do
	sleep 4
	echo
	echo "--- what kvmsched sees after $((i * 4)) s ($(cat $KVMS/nr_vms) VMs) ---"
	sh /kvmsched/show-vms.sh -v
done
echo
echo "CPU_MCPU = CPU used in the last period (1000 = one CPU); WAIT_S = time"
echo "runnable but waiting for a CPU; STEAL% = what the guest sees as steal."
echo "Note how the 4-vCPU VM takes ~4x the CPU of the 1-vCPU VM: the kernel"
echo "divides CPU per thread. kvmsched's scheduling class will divide it per VM."
kill -TERM $VMM; wait $VMM
wait_until 200 test "$(cat $KVMS/nr_vms)" = 0 >/dev/null
echo
echo "VMs stopped: kvmsched now tracks $(cat $KVMS/nr_vms) VMs."
rmmod kvmsched && echo "kvmsched unloaded cleanly."
echo "DEMO-END"
