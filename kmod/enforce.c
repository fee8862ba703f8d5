// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched enforcement (mechanism).
 *
 * kvmsched's scheduling class is a policy layer over the kernel's own
 * classes: every period, the period worker measures what each VM wanted,
 * asks the policy core (policy.c) what each VM is entitled to and which
 * fair-class weights deliver it, and sets them on the vCPU threads:
 *
 *   shares      SCHED_NORMAL; nice levels mixed per policy.c (SCHED_IDLE
 *               for vCPUs entitled to less than nice 19 would give)
 *   background  SCHED_IDLE: runs only when no other thread wants the CPU
 *
 * kvmsched owns the attributes of the threads it manages: it records each
 * thread's original policy and nice before its first change, sets them back
 * if something else changes them (counted in sched.overrides), and restores
 * the originals when the VM goes, when its class changes, and on rmmod.
 * Threads found in an RT or deadline policy are left alone.
 *
 * Runs in the period worker with kvms_reg.lock held; setting attributes may
 * sleep, which is fine there.
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "enforce.h"

/* Pointers handed to the policy core; grown by the period worker only. */
static struct kvms_pvm **kvms_pvms;
static unsigned int kvms_pvms_cap;

/**
 * kvms_class_name() - a class as text
 * @class: KVMS_CLASS_*
 *
 * Return: "shares", "background" or "?".
 */
const char *kvms_class_name(u8 class)
{
	switch (class) {
	case KVMS_CLASS_SHARES:
		return "shares";
	case KVMS_CLASS_BACKGROUND:
		return "background";
	}
	return "?";
}

/**
 * kvms_policy_name() - a kernel scheduling policy as text
 * @policy: SCHED_*
 *
 * Return: "normal", "batch", "idle", "fifo", "rr", "deadline" or "?".
 */
const char *kvms_policy_name(int policy)
{
	switch (policy) {
	case SCHED_NORMAL:
		return "normal";
	case SCHED_BATCH:
		return "batch";
	case SCHED_IDLE:
		return "idle";
	case SCHED_FIFO:
		return "fifo";
	case SCHED_RR:
		return "rr";
	case SCHED_DEADLINE:
		return "deadline";
	}
	return "?";
}

static int kvms_setattr(struct task_struct *p, int policy, int nice)
{
	struct sched_attr attr;

	/* Zeroed: on 6.12 a non-zero sched_runtime sets a custom slice. */
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = policy;
	attr.sched_nice = nice;
	return sched_setattr_nocheck(p, &attr);
}

/* Set @kv's thread to (@policy, @nice), saving its originals first. */
static void kvms_set(struct kvms_vcpu *kv, int policy, int nice)
{
	struct kvms_sched *s = &kv->sched;
	struct task_struct *p = kv->task;
	int cur_policy = READ_ONCE(p->policy);
	int cur_nice = task_nice(p);

	if (p->flags & PF_EXITING)
		return;
	if (!s->saved) {
		s->saved = true;
		s->orig_policy = cur_policy;
		s->orig_nice = cur_nice;
		s->foreign = cur_policy != SCHED_NORMAL &&
			     cur_policy != SCHED_BATCH &&
			     cur_policy != SCHED_IDLE;
	}
	if (s->foreign)
		return;
	if (s->applied) {
		if (cur_policy != s->cur_policy || cur_nice != s->cur_nice)
			WRITE_ONCE(s->overrides, s->overrides + 1);
		else if (policy == s->cur_policy && nice == s->cur_nice)
			return;		/* nothing to do */
	}
	if (kvms_setattr(p, policy, nice))
		return;		/* e.g. the thread is exiting: try next period */
	s->applied = true;
	WRITE_ONCE(s->cur_policy, policy);
	WRITE_ONCE(s->cur_nice, nice);
}

/* Put @kv's thread back as kvmsched found it. */
static void kvms_restore(struct kvms_vcpu *kv)
{
	struct kvms_sched *s = &kv->sched;

	if (s->applied && !(kv->task->flags & PF_EXITING))
		kvms_setattr(kv->task, s->orig_policy, s->orig_nice);
	s->applied = false;
}

/**
 * kvms_enforce_restore_vm() - give every vCPU thread its original attributes
 * @vm: the VM (unlinked, or linked with kvms_reg.lock held)
 *
 * Context: process context; may sleep.
 */
void kvms_enforce_restore_vm(struct kvms_vm *vm)
{
	struct kvms_vcpu *kv;

	list_for_each_entry(kv, &vm->vcpus, node)
		kvms_restore(kv);
	vm->carry = 0;
}

/* Measure last period's demand of @vm into vm->pol. */
static void kvms_measure(struct kvms_vm *vm)
{
	struct kvms_pvm *p = &vm->pol;
	struct kvms_vcpu *kv;

	p->class = vm->class;
	p->weight = vm->weight;
	p->nr_active = 0;
	p->demand_mcpu = 0;
	list_for_each_entry(kv, &vm->vcpus, node) {
		u32 d = kvms_acct_rate(kv->acct.last_cpu_ns + kv->acct.last_wait_ns,
				       kv->acct.last_period_ns, 1000);

		kv->active = d >= KVMS_ACTIVE_MCPU;
		if (kv->active) {
			p->nr_active++;
			p->demand_mcpu += d;
		}
	}
}

/* Apply the policy's decision for @vm to its vCPU threads. */
static void kvms_apply(struct kvms_vm *vm)
{
	const struct kvms_pvm *p = &vm->pol;
	struct kvms_mix mix;
	struct kvms_vcpu *kv;
	u32 i = 0, start;

	if (vm->class == KVMS_CLASS_BACKGROUND) {
		list_for_each_entry(kv, &vm->vcpus, node)
			kvms_set(kv, SCHED_IDLE, 0);
		return;
	}
	if (!p->nr_active)
		return;		/* idle VM: keep what it has until it wakes */
	kvms_policy_mix(kvms_policy_target_weight(p), p->nr_active, &vm->carry,
			&mix);
	/* Rotate which active vCPUs get the higher weight, for fairness inside the VM. */
	start = vm->rot++ % p->nr_active;
	list_for_each_entry(kv, &vm->vcpus, node) {
		int nice = mix.nice_hi;

		if (kv->active) {
			u32 slot = (i++ + p->nr_active - start) % p->nr_active;

			if (slot >= mix.nr_hi)
				nice++;
		}
		if (nice >= KVMS_NICE_IDLE)
			kvms_set(kv, SCHED_IDLE, 0);
		else
			kvms_set(kv, SCHED_NORMAL, nice);
	}
}

/**
 * kvms_enforce_period() - one enforcement period over every VM
 * @reg: the registry, after this period's accounting sample
 *
 * Context: the period worker, reg->lock held; may sleep.
 * Return: 0, or -ENOMEM (nothing was changed this period).
 */
int kvms_enforce_period(struct kvms_registry *reg)
{
	unsigned int n = 0;
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	if (reg->nr_vms > kvms_pvms_cap) {
		unsigned int cap = roundup_pow_of_two(reg->nr_vms);
		struct kvms_pvm **a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL);

		if (!a)
			return -ENOMEM;
		kvfree(kvms_pvms);
		kvms_pvms = a;
		kvms_pvms_cap = cap;
	}
	list_for_each_entry(vm, &reg->vms, node) {
		kvms_measure(vm);
		kvms_pvms[n++] = &vm->pol;
	}
	kvms_policy_entitle(kvms_pvms, n, num_online_cpus() * 1000);
	list_for_each_entry(vm, &reg->vms, node)
		kvms_apply(vm);
	return 0;
}

/**
 * kvms_enforce_exit() - free the enforcement state (module exit)
 */
void kvms_enforce_exit(void)
{
	kvfree(kvms_pvms);
	kvms_pvms = NULL;
	kvms_pvms_cap = 0;
}
