// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched tracking: the only code that touches KVM.
 *
 * How VMs are found: a probe on KVM's kvm_entry tracepoint sees every VM
 * entry, on the vCPU thread itself, with IRQs and preemption off. Its fast
 * path compares the vCPU with a per-CPU cache and bumps that vCPU's entry
 * counter. A vCPU it does not know yet is parked, with a kvm and a task
 * reference taken in a way that is safe there, in a per-CPU slot; an irq_work
 * kicks a work item that registers it in process context. VMs running when
 * the module loads are found at their next VM entry.
 *
 * How VMs are forgotten: the VM holds a kvm reference. When it is the only
 * one left (users_count == 1), the VMM has closed every VM and vCPU file
 * descriptor, so no vCPU can enter again; the periodic worker then unlinks
 * the VM and drops the reference, which destroys the VM in KVM.
 *
 * Lock order: kvms_reg.lock, then the kobject/sysfs locks. The probe takes
 * no lock at all.
 */
#include <linux/irq_work.h>
#include <linux/llist.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "config.h"
#include "enforce.h"
#include "registry.h"
#include "track.h"

/*
 * struct kvms_cpu_cache - the vCPU that last entered on this CPU, and the
 * thread that ran it
 *
 * Written by the probe on this CPU only (IRQs off) and cleared by
 * kvms_cache_forget() for VMs that can no longer enter; a torn pair from
 * that race only costs one slow-path lookup.
 */
struct kvms_cpu_cache {
	const struct kvm_vcpu *key;
	const struct task_struct *task;
	struct kvms_vcpu *vcpu;
};

static DEFINE_PER_CPU(struct kvms_cpu_cache, kvms_cache);

/*
 * struct kvms_pending - a vCPU seen by the probe and not yet registered
 *
 * A slot is filled by the probe on its own CPU while @ready is 0 (so no
 * other writer exists), then published with a release store of 1. The
 * discovery worker copies it out and hands the slot back with a release
 * store of 0. Each filled slot owns one kvm and one task reference. The
 * VMM's command name is copied by the probe, on the vCPU thread itself,
 * where its group leader cannot be freed: later, the parked task may have
 * exited and its leader with it.
 */
struct kvms_pending {
	atomic_t ready;
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	struct task_struct *task;
	struct task_struct *old_task;
	char comm[TASK_COMM_LEN];
};

#define KVMS_PENDING_SLOTS 4
static DEFINE_PER_CPU(struct kvms_pending[KVMS_PENDING_SLOTS], kvms_pending);

/*
 * The kvm_entry tracepoint once found, in kvm.ko or (CONFIG_KVM=y) in the
 * kernel itself; protected by kvms_tp_mutex.
 */
static struct tracepoint *kvms_tp_entry;
static DEFINE_MUTEX(kvms_tp_mutex);

static void kvms_discover_fn(struct work_struct *work);
static void kvms_period_fn(struct work_struct *work);
static DECLARE_WORK(kvms_discover_work, kvms_discover_fn);
static DECLARE_DELAYED_WORK(kvms_period_work, kvms_period_fn);

static void kvms_kick_fn(struct irq_work *w)
{
	queue_work(system_unbound_wq, &kvms_discover_work);
}

static struct irq_work kvms_kick = IRQ_WORK_INIT(kvms_kick_fn);

static void kvms_park(struct kvm_vcpu *vcpu)
{
	struct kvms_pending *slots = *this_cpu_ptr(&kvms_pending);
	struct kvms_pending *free = NULL;
	int i;

	for (i = 0; i < KVMS_PENDING_SLOTS; i++) {
		if (!atomic_read(&slots[i].ready)) {
			if (!free)
				free = &slots[i];
		} else if (slots[i].vcpu == vcpu) {
			return;		/* already parked */
		}
	}
	/* Full: the worker is behind. A later entry of this vCPU retries. */
	if (!free || !kvm_get_kvm_safe(vcpu->kvm))
		return;
	get_task_struct(current);
	free->vcpu = vcpu;
	free->kvm = vcpu->kvm;
	free->task = current;
	free->old_task = NULL;
	memcpy(free->comm, current->group_leader->comm, sizeof(free->comm));
	free->comm[sizeof(free->comm) - 1] = '\0';
	atomic_set_release(&free->ready, 1);
	irq_work_queue(&kvms_kick);
}

/*
 * The thread ran again since its last VM entry: hand its schedstat counters
 * to the wake latency core (lathist.h says what that measures). One compare
 * when nothing changed. A thread that runs several vCPUs is measured at its
 * manager's entries only.
 */
static __always_inline void kvms_probe_lat(struct kvms_vcpu *kv)
{
#ifdef CONFIG_SCHED_INFO
	struct task_struct *p = current;
	u64 pcount = READ_ONCE(p->sched_info.pcount);

	if (likely(pcount == kv->lat.pcount && kv->lat.task == p) ||
	    READ_ONCE(kv->owner))
		return;
	kvms_lat_arrival(&kv->lat, p, pcount, p->sched_info.run_delay,
			 p->nvcsw, p->nivcsw);
#endif
}

/*
 * Called on every VM entry with IRQs and preemption off, on the vCPU
 * thread, with the tracepoint's exact arguments (compat.h). A vCPU that
 * is known but entered by another thread than the one kvmsched manages
 * (QEMU re-plugging a parked vCPU on a new thread) is parked too: the
 * discovery worker moves it to the new thread.
 */
static void kvms_probe_kvm_entry(KVMS_KVM_ENTRY_ARGS)
{
	struct kvms_cpu_cache *c = this_cpu_ptr(&kvms_cache);
	struct kvms_vcpu *kv;

	kv = READ_ONCE(c->vcpu);
	if (likely(READ_ONCE(c->key) == vcpu && READ_ONCE(c->task) == current &&
		   kv)) {
		WRITE_ONCE(kv->entries, kv->entries + 1);
		kvms_probe_lat(kv);
		return;
	}

	rcu_read_lock();
	kv = kvms_vcpu_find_rcu(&kvms_reg, vcpu);
	if (kv && rcu_access_pointer(kv->task) == current) {
		WRITE_ONCE(c->key, vcpu);
		WRITE_ONCE(c->task, current);
		WRITE_ONCE(c->vcpu, kv);
		WRITE_ONCE(kv->entries, kv->entries + 1);
		kvms_probe_lat(kv);
	} else {
		kvms_park(vcpu);
	}
	rcu_read_unlock();
}

/*
 * Drop every cache entry that points into @vm (which can no longer enter),
 * or only at @one of its vCPUs (whose thread changed).
 */
static void kvms_cache_forget(struct kvms_vm *vm, struct kvms_vcpu *one)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kvms_cpu_cache *c = per_cpu_ptr(&kvms_cache, cpu);
		struct kvms_vcpu *kv = READ_ONCE(c->vcpu);

		if (kv && kv->vm == vm && (!one || kv == one)) {
			WRITE_ONCE(c->key, NULL);
			WRITE_ONCE(c->task, NULL);
			WRITE_ONCE(c->vcpu, NULL);
		}
	}
}

/*
 * A known vCPU entered on another thread: give the old thread back its
 * attributes and follow the new one. The old task reference goes back in
 * @p, to be dropped after a grace period (RCU readers may still see it).
 */
static void kvms_rethread(struct kvms_vcpu *kv, struct kvms_pending *p)
{
	struct kvms_vcpu *heir;

	kvms_enforce_rethread(kv);
	p->old_task = kvms_vcpu_set_task(kv, p->task, task_pid_nr(p->task),
					 &heir);
	p->task = NULL;		/* now owned by the vCPU */
	/* a cached (vCPU, old thread) pair must not match a recycled task */
	kvms_cache_forget(kv->vm, kv);
	pr_info_ratelimited("vm %u vcpu %u: now run by tid %d\n", kv->vm->id,
			    kv->vcpu_id, kv->tid);
	/* The vCPU that shared the old thread manages it from now on. */
	if (heir)
		kvms_enforce_rethread(heir);
	kvms_reg.ops->vm_changed(kv->vm, KVMSCHED_CMD_VM_CHANGE_NTF);
}

/*
 * Register one parked vCPU; consumes the references in @p it hands to the
 * registry and leaves the rest in @p for the caller to drop outside the lock.
 */
static void kvms_register(struct kvms_pending *p)
{
	struct kvms_vcpu *kv;
	struct kvms_vm *vm;
	bool new_vm;

	lockdep_assert_held(&kvms_reg.lock);

	rcu_read_lock();
	kv = kvms_vcpu_find_rcu(&kvms_reg, p->vcpu);
	rcu_read_unlock();
	if (kv) {
		/* parked on two CPUs: already registered, or moved thread */
		if (kvms_vcpu_task(kv) != p->task)
			kvms_rethread(kv, p);
		return;
	}

	vm = kvms_vm_find_key(&kvms_reg, p->kvm);
	new_vm = !vm;
	if (!vm) {
		vm = kvms_vm_create(&kvms_reg, p->kvm, task_tgid_nr(p->task),
				    p->comm);
		if (!vm)
			return;
		p->kvm = NULL;	/* now owned by the VM */
		kvms_reg.ops->vm_added(vm);
	}

	kv = kvms_vcpu_create(vm, p->vcpu, p->task, p->vcpu->vcpu_id,
			      task_pid_nr(p->task));
	if (kv) {
		p->task = NULL;		/* now owned by the vCPU */
		kvms_reg.ops->vcpu_added(kv);
	}
	/* Announced with its first vCPU, or without when that one failed. */
	if (new_vm)
		kvms_reg.ops->vm_changed(vm, KVMSCHED_CMD_VM_ADD_NTF);
}

static void kvms_pending_drop(struct kvms_pending *p)
{
	if (p->kvm)
		kvm_put_kvm(p->kvm);
	if (p->task)
		put_task_struct(p->task);
	if (p->old_task)
		put_task_struct(p->old_task);
}

/* Take every parked vCPU out of its slot; with @reg_it, register it. */
static void kvms_drain(bool reg_it)
{
	struct kvms_pending batch[KVMS_PENDING_SLOTS];
	bool replaced;
	int cpu, i, n;

	for_each_possible_cpu(cpu) {
		struct kvms_pending *slots = *per_cpu_ptr(&kvms_pending, cpu);

		n = 0;
		for (i = 0; i < KVMS_PENDING_SLOTS; i++) {
			if (!atomic_read_acquire(&slots[i].ready))
				continue;
			batch[n] = slots[i];
			atomic_set_release(&slots[i].ready, 0);
			n++;
		}
		if (!n)
			continue;
		if (reg_it) {
			/* a new thread restores the old: not during a CPU offline */
			kvms_enforce_cpu_lock();
			mutex_lock(&kvms_reg.lock);
			for (i = 0; i < n; i++)
				kvms_register(&batch[i]);
			mutex_unlock(&kvms_reg.lock);
			kvms_enforce_cpu_unlock();
		}
		/* ORDER: replaced threads only after RCU readers are done. */
		replaced = false;
		for (i = 0; i < n; i++)
			replaced |= !!batch[i].old_task;
		if (replaced)
			synchronize_rcu();
		for (i = 0; i < n; i++)
			kvms_pending_drop(&batch[i]);
	}
}

static void kvms_discover_fn(struct work_struct *work)
{
	kvms_drain(true);
}

/* Detach an unlinked VM from everything and drop the registry's reference. */
/*
 * Dropping the last reference of a destroyed VM runs KVM's whole teardown
 * (kvm_destroy_vm), tens of ms each under emulation. The reaper does it
 * apart from the period worker, so that many VMs exiting at once neither
 * delay noticing the next ones nor the policy.
 */
struct kvms_dead {
	struct llist_node node;
	struct kvm *kvm;
};

static LLIST_HEAD(kvms_dead_list);

static void kvms_reap_fn(struct work_struct *work)
{
	struct llist_node *all = llist_del_all(&kvms_dead_list);
	struct kvms_dead *d, *tmp;

	llist_for_each_entry_safe(d, tmp, all, node) {
		kvm_put_kvm(d->kvm);
		kfree(d);
	}
}

static DECLARE_WORK(kvms_reap_work, kvms_reap_fn);

static void kvms_forget(struct kvms_vm *vm)
{
	struct kvm *kvm = (struct kvm *)vm->key;
	struct kvms_dead *d;

	/* its threads were restored before it was unlinked */
	kvms_reg.ops->vm_gone(vm);
	kvms_cache_forget(vm, NULL);
	kvms_vm_put(vm);
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		kvm_put_kvm(kvm);	/* no memory: reap it here, slowly */
		return;
	}
	d->kvm = kvm;
	llist_add(&d->node, &kvms_dead_list);
	queue_work(system_unbound_wq, &kvms_reap_work);
}

/*
 * Time @kv's thread has waited for a CPU, ns, up to now: run_delay, which
 * grows only when a wait ends (sched_info_arrive() or _dequeue(),
 * kernel/sched/stats.h, 6.1 and 6.12), plus the wait under way
 * (kvms_vcpu_queued_since(); rq_clock() follows sched_clock_cpu(), as in
 * kvms_starving()). Without the second part a vCPU at a low weight that
 * waits a second between runs shows no demand in most periods, and all of
 * it in one: its VM flips between idle and active, and its threads between
 * levels (on 6.12 a VM at weight 1 of 10000 got 1.4 % instead of ~0.3 %).
 * A wait that ends between the two reads can be missed or counted twice in
 * one period (the kernel writes both under the runqueue lock, which this
 * does not take): noise in one sample, which kvms_acct_sample() bounds (a
 * total that went back counts as no wait).
 */
static u64 kvms_vcpu_wait_now_ns(const struct kvms_vcpu *kv)
{
	u64 wait = kvms_vcpu_wait_ns(kv), since = kvms_vcpu_queued_since(kv);
	u64 now;

	if (since) {
		now = sched_clock_cpu(task_cpu(kvms_vcpu_task(kv)));
		if (now > since)
			wait += now - since;
	}
	return wait;
}

static void kvms_sample(struct kvms_vm *vm, u64 now)
{
	struct kvms_lat_stat lat;
	struct kvms_vcpu *kv;

	/* A thread that runs several vCPUs is sampled once, by its manager. */
	list_for_each_entry(kv, &vm->vcpus, node) {
		if (!kv->owner) {
			kvms_acct_sample(&kv->acct, now, kvms_vcpu_cpu_ns(kv),
					 kvms_vcpu_wait_now_ns(kv));
			kv->acct.on_cpu = READ_ONCE(kvms_vcpu_task(kv)->on_cpu);
			kvms_acct_burst(&kv->acct, kvms_vcpu_runs(kv),
					kvms_vcpu_blocks(kv));
		}
		kvms_lat_fold(&vm->lat_win, &kv->lat_seen, &kv->lat);
	}
	if (kvms_lat_close(&vm->lat_win, &lat)) {
		write_seqcount_begin(&vm->lat_seq);
		vm->lat = lat;
		write_seqcount_end(&vm->lat_seq);
	}
}

static void kvms_period_fn(struct work_struct *work)
{
	struct kvms_vm *vm, *tmp;
	LIST_HEAD(gone);
	u64 now = ktime_get_ns();

	mutex_lock(&kvms_reg.lock);
	if (kvms_enforce_held(&kvms_reg)) {
		/* a CPU going offline or online: not one thread changes */
		mutex_unlock(&kvms_reg.lock);
		goto next;
	}
	list_for_each_entry_safe(vm, tmp, &kvms_reg.vms, node) {
		const struct kvm *kvm = vm->key;

		if (refcount_read(&kvm->users_count) == 1) {
			kvms_reg.ops->vm_changed(vm,
				      KVMSCHED_CMD_VM_DEL_NTF);
			/*
			 * ORDER: restored before unlinking hands a shared
			 * thread to a vCPU of another VM, which records it.
			 */
			kvms_enforce_restore_vm(vm);
			kvms_vm_unlink(vm);
			list_add_tail(&vm->node, &gone);
			continue;
		}
		kvms_sample(vm, now);
	}
	if (kvms_enforce_period(&kvms_reg) == 1)
		kvms_reg.ops->overcommit();
	mutex_unlock(&kvms_reg.lock);

	list_for_each_entry_safe(vm, tmp, &gone, node)
		kvms_forget(vm);
next:
	queue_delayed_work(system_unbound_wq, &kvms_period_work,
			   msecs_to_jiffies(READ_ONCE(kvms_config.period_ms)));
}

/**
 * kvms_track_period_changed() - apply a new period_ms now
 *
 * Context: process context.
 */
void kvms_track_period_changed(void)
{
	mod_delayed_work(system_unbound_wq, &kvms_period_work, 0);
}

/* Attach to @tp if it is kvm_entry and none is attached yet. */
static void kvms_tp_attach(struct tracepoint *tp, const char *where)
{
	lockdep_assert_held(&kvms_tp_mutex);
	if (kvms_tp_entry || strcmp(tp->name, "kvm_entry"))
		return;
	if (tracepoint_probe_register(tp, kvms_probe_kvm_entry, NULL))
		pr_warn("cannot attach to kvm_entry in %s\n", where);
	else
		kvms_tp_entry = tp;
}

static void kvms_tp_detach(void)
{
	lockdep_assert_held(&kvms_tp_mutex);
	if (!kvms_tp_entry)
		return;
	tracepoint_probe_unregister(kvms_tp_entry, kvms_probe_kvm_entry, NULL);
	kvms_tp_entry = NULL;
}

static void kvms_tp_module(struct tp_module *tp_mod, bool coming)
{
	struct module *mod = tp_mod->mod;
	unsigned int i;

	mutex_lock(&kvms_tp_mutex);
	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		if (coming)
			kvms_tp_attach(tp, mod->name);
		else if (kvms_tp_entry == tp)
			kvms_tp_detach();
	}
	mutex_unlock(&kvms_tp_mutex);
}

/* CONFIG_KVM=y: kvm_entry is one of the kernel's own tracepoints. */
static void kvms_tp_builtin(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "kvm_entry"))
		*(struct tracepoint **)priv = tp;
}

static int kvms_tp_notify(struct notifier_block *nb, unsigned long val,
			  void *data)
{
	if (val == MODULE_STATE_COMING || val == MODULE_STATE_GOING)
		kvms_tp_module(data, val == MODULE_STATE_COMING);
	return NOTIFY_OK;
}

static struct notifier_block kvms_tp_nb = {
	.notifier_call = kvms_tp_notify,
};

/**
 * kvms_track_vcpu_release() - drop a vCPU's task reference (registry hook)
 * @kv: the vCPU whose last reference went
 */
void kvms_track_vcpu_release(struct kvms_vcpu *kv)
{
	/* the last reference: nobody else can see the vCPU any more */
	put_task_struct(rcu_dereference_protected(kv->task, true));
}

/**
 * kvms_track_init() - start finding VMs
 *
 * Context: module init, process context.
 * Return: 0 or a negative errno.
 */
int kvms_track_init(void)
{
	struct tracepoint *tp = NULL;
	int err;

	/* ORDER: the worker must run before the probe can park anything. */
	queue_delayed_work(system_unbound_wq, &kvms_period_work, 0);
	err = register_tracepoint_module_notifier(&kvms_tp_nb);
	if (err) {
		cancel_delayed_work_sync(&kvms_period_work);
		return err;
	}
	for_each_kernel_tracepoint(kvms_tp_builtin, &tp);
	if (tp) {
		mutex_lock(&kvms_tp_mutex);
		kvms_tp_attach(tp, "the kernel");
		mutex_unlock(&kvms_tp_mutex);
	}
	if (!READ_ONCE(kvms_tp_entry))
		pr_info("kvm_entry not found yet; waiting for kvm.ko\n");
	return 0;
}

/**
 * kvms_track_exit() - stop tracking and forget every VM
 *
 * The VMs keep running; only kvmsched's references and objects go.
 *
 * Context: module exit, process context.
 */
void kvms_track_exit(void)
{
	struct kvms_vm *vm, *tmp;
	LIST_HEAD(gone);

	/* ORDER: no probe may run, park or kick once we start tearing down. */
	unregister_tracepoint_module_notifier(&kvms_tp_nb);
	mutex_lock(&kvms_tp_mutex);
	kvms_tp_detach();	/* a built-in kvm_entry */
	mutex_unlock(&kvms_tp_mutex);
	tracepoint_synchronize_unregister();
	irq_work_sync(&kvms_kick);
	cancel_work_sync(&kvms_discover_work);
	cancel_delayed_work_sync(&kvms_period_work);
	kvms_drain(false);

	mutex_lock(&kvms_reg.lock);
	list_for_each_entry_safe(vm, tmp, &kvms_reg.vms, node) {
		kvms_enforce_restore_vm(vm);	/* ORDER: as in kvms_period_fn() */
		kvms_vm_unlink(vm);
		list_add_tail(&vm->node, &gone);
	}
	mutex_unlock(&kvms_reg.lock);
	list_for_each_entry_safe(vm, tmp, &gone, node)
		kvms_forget(vm);
	/* ORDER: every kvm reference is dropped before the module goes. */
	flush_work(&kvms_reap_work);
	kvms_enforce_exit();
}
