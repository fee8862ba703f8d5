// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched memory mechanism.
 *
 * KVM has the balloon mechanism (virtio-balloon, emulated by the VMM) but no
 * policy. kvmsched computes the policy here, where it sees host memory and
 * every VM: every balloon_period_ms the balloon worker reads
 *   - host RAM and MemAvailable (si_meminfo(), si_mem_available()),
 *   - each VM's guest RAM: the user memory slots of address space 0,
 *   - each VMM's resident anonymous and shmem memory (its mm's counters;
 *     hugetlbfs memory is not counted),
 * adds what only the controller can read (guest free/available memory and
 * the balloon's actual size from vm-mem-report, host PSI from
 * host-mem-report), runs kvms_balloon_compute() and multicasts
 * balloon-target-ntf for every VM whose target moved by at least the
 * minimum step, or reached its floor or max. The controller (kvmschedctl
 * balloond) applies targets with QMP `balloon`.
 *
 * Host PSI is only as fresh as the controller's last host-mem-report: the
 * time of each report is kept (kvms_psi_at_ns, boot-time clock, so a
 * suspend ages it too), and the policy gets -1 (unknown) for a report
 * older than KVMS_PSI_MAX_AGE_MS. kvms_host_mem keeps the last reported
 * value, as sysfs and config-get show it.
 *
 * Locking: the worker holds kvms_reg.lock while it reads and writes VMs;
 * kvms_host_mem is written under kvms_reg.lock (worker, host-mem-report)
 * with WRITE_ONCE() and read with READ_ONCE() by sysfs and config-get.
 */
#include <linux/kvm_host.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "config.h"
#include "memory.h"
#include "registry.h"

struct kvms_mem_host kvms_host_mem = {
	.psi_some_bp = -1,
	.state = KVMSCHED_MEM_STATE_NORMAL,
};

/*
 * When host-mem-report last set kvms_host_mem.psi_some_bp, boot-time ns
 * (0 = never); protected by kvms_reg.lock.
 */
static u64 kvms_psi_at_ns;

/* Pointers handed to the policy core; grown by the balloon worker only. */
static struct kvms_balloon_vm **kvms_balloon_vms;
static unsigned int kvms_balloon_vms_cap;

static void kvms_balloon_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kvms_balloon_work, kvms_balloon_fn);

#define KVMS_PAGES_PER_MIB	(SZ_1M >> PAGE_SHIFT)

/* Guest RAM of @kvm: its user memory slots in address space 0, MiB. */
static u32 kvms_guest_mib(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	struct kvm_memslots *slots;
	u64 pages = 0;
	int bkt, idx;

	idx = srcu_read_lock(&kvm->srcu);
	slots = __kvm_memslots(kvm, 0);
	kvm_for_each_memslot(slot, bkt, slots) {
		if (slot->id < KVM_USER_MEM_SLOTS)
			pages += slot->npages;
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return min_t(u64, pages / KVMS_PAGES_PER_MIB, U32_MAX);
}

/* Resident anonymous and shmem memory of the VMM, MiB. */
static u32 kvms_rss_mib(struct kvm *kvm)
{
	u64 pages;

	/* KVM holds kvm->mm (mmgrab) for as long as the VM exists. */
	pages = get_mm_counter(kvm->mm, MM_ANONPAGES) +
		get_mm_counter(kvm->mm, MM_SHMEMPAGES);
	return min_t(u64, pages / KVMS_PAGES_PER_MIB, U32_MAX);
}

/**
 * kvms_memory_read_vm() - refresh a VM's guest RAM and resident memory
 * @vm: a linked VM
 *
 * Context: process context, kvms_reg.lock held (the VM's kvm reference is
 * then held by the registry).
 */
void kvms_memory_read_vm(struct kvms_vm *vm)
{
	struct kvm *kvm = (struct kvm *)vm->key;

	lockdep_assert_held(&kvms_reg.lock);
	WRITE_ONCE(vm->balloon.guest_mib, kvms_guest_mib(kvm));
	WRITE_ONCE(vm->mem.rss_mib, kvms_rss_mib(kvm));
}

/**
 * kvms_memory_report_psi() - record host memory PSI from the controller
 * @psi_bp: PSI "some" avg10, basis points (0-10000)
 *
 * Context: process context, kvms_reg.lock held.
 */
void kvms_memory_report_psi(u32 psi_bp)
{
	lockdep_assert_held(&kvms_reg.lock);
	WRITE_ONCE(kvms_host_mem.psi_some_bp, psi_bp);
	kvms_psi_at_ns = ktime_get_boottime_ns();
}

static void kvms_read_host(struct kvms_mem_host *h)
{
	struct sysinfo si;

	si_meminfo(&si);
	WRITE_ONCE(h->total_mib, ((u64)si.totalram * si.mem_unit) >> 20);
	WRITE_ONCE(h->avail_mib, ((u64)si_mem_available() << PAGE_SHIFT) >> 20);
}

/* The host as the policy sees it this round: PSI expires. */
static void kvms_policy_host(struct kvms_mem_host *h)
{
	u64 age_ms = U64_MAX;

	lockdep_assert_held(&kvms_reg.lock);
	*h = kvms_host_mem;
	if (kvms_psi_at_ns)
		age_ms = div_u64(ktime_get_boottime_ns() - kvms_psi_at_ns,
				 NSEC_PER_MSEC);
	h->psi_some_bp = kvms_balloon_psi_bp(h->psi_some_bp, age_ms);
}

static void kvms_balloon_round(void)
{
	struct kvms_mem_host host;
	struct kvms_config cfg;
	unsigned int n = 0;
	struct kvms_vm *vm;

	mutex_lock(&kvms_reg.lock);
	cfg = kvms_config;
	if (kvms_reg.nr_vms > kvms_balloon_vms_cap) {
		unsigned int cap = roundup_pow_of_two(kvms_reg.nr_vms);
		struct kvms_balloon_vm **a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL);

		if (!a)
			goto out;	/* try again next round */
		kvfree(kvms_balloon_vms);
		kvms_balloon_vms = a;
		kvms_balloon_vms_cap = cap;
	}
	kvms_read_host(&kvms_host_mem);
	kvms_policy_host(&host);
	list_for_each_entry(vm, &kvms_reg.vms, node) {
		kvms_memory_read_vm(vm);
		/* What the guest holds: bounds inflate (balloon.c, 4.) */
		vm->balloon.actual_mib = vm->mem.actual_mib;
		kvms_balloon_vms[n++] = &vm->balloon;
	}
	kvms_balloon_compute(&cfg.mem, &host, kvms_balloon_vms, n);
	WRITE_ONCE(kvms_host_mem.state, host.state);
	list_for_each_entry(vm, &kvms_reg.vms, node) {
		if (vm->balloon.notify)
			kvms_reg.ops->vm_changed(vm,
				      KVMSCHED_CMD_BALLOON_TARGET_NTF);
	}
out:
	mutex_unlock(&kvms_reg.lock);
}

static void kvms_balloon_fn(struct work_struct *work)
{
	kvms_balloon_round();
	queue_delayed_work(system_unbound_wq, &kvms_balloon_work,
			   msecs_to_jiffies(READ_ONCE(kvms_config.balloon_period_ms)));
}

/**
 * kvms_memory_start() - start the balloon worker (module init)
 */
void kvms_memory_start(void)
{
	queue_delayed_work(system_unbound_wq, &kvms_balloon_work, 0);
}

/**
 * kvms_memory_kick() - run a balloon round now (a tunable or a VM's memory
 * settings changed)
 *
 * Context: process context.
 */
void kvms_memory_kick(void)
{
	mod_delayed_work(system_unbound_wq, &kvms_balloon_work, 0);
}

/**
 * kvms_memory_stop() - stop the balloon worker and free its state (exit)
 *
 * Context: process context; kvms_reg.lock not held.
 */
void kvms_memory_stop(void)
{
	cancel_delayed_work_sync(&kvms_balloon_work);
	kvfree(kvms_balloon_vms);
	kvms_balloon_vms = NULL;
	kvms_balloon_vms_cap = 0;
}
