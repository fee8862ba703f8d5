#!/bin/sh
# make demo, inside the sandbox KVM host: a few VMs of different sizes and
# workloads, what kvmsched sees of them, and what its shares class does.
. /kvmsched/lib.sh
echo "DEMO-BEGIN"
echo "Sandbox KVM host: $(uname -r), $(nproc) CPUs, /dev/kvm from kvm-amd (nested SVM)"
echo
echo "Without kvmsched, the kernel divides CPU per thread. 1 spinning vCPU vs"
echo "4 spinning vCPUs, for 4 s:"
kvmtest --seconds 4 1:spin 4:spin > /tmp/plain.out 2>&1
awk -F'[:,}]' '/"event":"vcpu"/ { for (i = 1; i < NF; i++) { if ($i == "\"vm\"") vm = $(i + 1);
	if ($i == "\"cpu_ns\"") c[vm] += $(i + 1) } }
	END { t = c[0] + c[1]; printf "  1-vCPU VM %.0f%%, 4-vCPU VM %.0f%% of the CPU they used\n", 100 * c[0] / t, 100 * c[1] / t }' /tmp/plain.out
echo
load_kvmsched || { echo "insmod kvmsched failed"; exit 1; }
echo "insmod kvmsched: version $(cat $KVMS/version), period $(cat $KVMS/period_ms) ms."
echo "Starting 4 VMs (one process per VM, one thread per vCPU): 1 vCPU spinning,"
echo "4 vCPUs spinning, 2 vCPUs busy 30% (halt/wake), 1 vCPU idle."
start_vms /tmp/demo.out 1:spin 4:spin 2:halt@30 1:idle || echo "(VMs did not start)"
set -- $VMPIDS
kvmschedctl set "pid:$1" name=small
kvmschedctl set "pid:$2" name=big
kvmschedctl set "pid:$3" name=bursty
kvmschedctl set "pid:$4" name=idle
sleep 5
echo
echo "--- kvmschedctl list: all VMs class shares, weight 100 ---"
kvmschedctl list
echo
echo "The 1-vCPU and 4-vCPU VMs now split the CPU per VM, not per thread."
echo
echo "--- kvmschedctl set name:big weight=300; set name:bursty class=background ---"
kvmschedctl set name:big weight=300
kvmschedctl set name:bursty class=background
sleep 5
kvmschedctl list
echo
echo "--- kvmschedctl show name:big ---"
kvmschedctl show name:big
echo
echo "ENT = what the policy entitles the VM to (max-min by weight), CPU = what it"
echo "got in the last period, STEAL = time its vCPUs waited for a CPU."
stop_vms
wait_until 200 file_is $KVMS/nr_vms 0 >/dev/null
echo
echo "VMs stopped: kvmsched now tracks $(cat $KVMS/nr_vms) VMs."
rmmod kvmsched && echo "rmmod kvmsched: every vCPU thread got its original attributes back."
echo "DEMO-END"
