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
 *   bound       a VM with a reservation that wants CPU, or with a limit
 *               (always): SCHED_DEADLINE on its active vCPUs, each with its
 *               part of the entitlement (a limit-bound VM: of min(limit,
 *               share)) as runtime per KVMS_DL_PERIOD_NS, no reclaiming;
 *               halted vCPUs of a limited VM keep KVMS_DL_IDLE_MCPU each,
 *               those of a reserved VM go back to weights (they hold no
 *               floor). A limit that cannot be given deadline bandwidth
 *               falls back to SCHED_IDLE. Deadline tasks run
 *               before every fair task, which makes the floor hold whatever
 *               the weights of the other VMs or of host tasks, and are
 *               throttled once their runtime is spent, which makes the
 *               ceiling hold on an idle host. Floors are admission-controlled
 *               under reservable-mcpu, and what bound VMs get above their
 *               floors comes from what the floors leave of it (scaled down
 *               to fit, see kvms_dl_total()), so host tasks keep the
 *               headroom.
 *
 * kvmsched owns the attributes of the threads it manages: it records each
 * thread's original policy and nice before its first change, sets them back
 * if something else changes them (counted in sched.overrides), and restores
 * the originals when the VM goes, when its class changes, and on rmmod.
 * Threads found in an RT or deadline policy are left alone. A thread whose
 * affinity is narrower than its root domain cannot be given SCHED_DEADLINE
 * (-EPERM), and the kernel's own admission may refuse it (-EBUSY): such a
 * VM falls back to weights (a limited one to SCHED_IDLE) for that period
 * (kvms_dl_refused counts it).
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

#include "compat.h"
#include "config.h"
#include "enforce.h"

/* Deadline period (= relative deadline) of bound vCPUs, ns. */
#define KVMS_DL_PERIOD_NS	(10 * NSEC_PER_MSEC)

/*
 * A deadline vCPU that used this share of its runtime wanted more: runtime
 * comes in KVMS_DL_PERIOD_NS slices enforced at ticks, so one period's
 * usage of a throttled vCPU can fall 10-20 % short of its runtime.
 */
#define KVMS_DL_SATURATED_PCT	75

/*
 * How far a bound VM's runtime is set inside its bound, percent: above a
 * floor (when reservable-mcpu has room for it), under a ceiling. Deadline
 * runtime is enforced at ticks, so what a vCPU receives scatters by about
 * a percent around its runtime.
 */
#define KVMS_DL_MARGIN_PCT	1

/* Periods in which a bound VM could not be given SCHED_DEADLINE; period worker. */
unsigned long kvms_dl_refused;

/* Reservations over reservable-mcpu after capacity shrank; period worker. */
u32 kvms_overcommit_mcpu;

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
 * kvms_bound_name() - a bound as text
 * @bound: KVMS_BOUND_*
 *
 * Return: "none", "reservation", "limit" or "?".
 */
const char *kvms_bound_name(u8 bound)
{
	switch (bound) {
	case KVMS_BOUND_NONE:
		return "none";
	case KVMS_BOUND_RESERVATION:
		return "reservation";
	case KVMS_BOUND_LIMIT:
		return "limit";
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

static u64 kvms_dl_runtime_ns(u32 dl_mcpu)
{
	return div_u64((u64)dl_mcpu * KVMS_DL_PERIOD_NS, 1000);
}

/*
 * A deadline reservation that books no bandwidth: 1024 ns (the kernel's
 * smallest runtime) per 4 s (under its largest period, ~4.19 s) is under
 * one unit of its 2^-20 fixed-point bandwidth.
 */
#define KVMS_DL_DRAIN_RUNTIME_NS	1024
#define KVMS_DL_DRAIN_PERIOD_NS		(4 * NSEC_PER_SEC)

/*
 * Before a blocked thread leaves SCHED_DEADLINE, shrink its reservation to
 * nothing. The kernel releases the bandwidth of a thread that leaves the
 * class at its 0-lag time, by its "inactive timer" (sched_dl_overflow(),
 * switched_from_dl()); for a thread that is blocked (a halted or stopped
 * vCPU) and whose timer already fired, nothing ever releases it: it stays
 * booked in the kernel's admission (seen on 6.1: after a stopped reserved
 * VM left the class, reservations that fit were refused EBUSY for good). A
 * deadline-to-deadline change is accounted at once, so this leaves nothing
 * booked. Only blocked threads: a runnable one is released by its timer,
 * and the drain's long period would push its deadline 4 s out if it ran
 * out of the tiny runtime before leaving. Failure is harmless: the switch
 * out of the class follows anyway.
 */
static void kvms_dl_drain(struct task_struct *p)
{
	struct sched_attr attr;

	if (READ_ONCE(p->on_rq) || p->dl.dl_non_contending)
		return;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = SCHED_DEADLINE;
	attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	attr.sched_runtime = KVMS_DL_DRAIN_RUNTIME_NS;
	attr.sched_deadline = KVMS_DL_DRAIN_PERIOD_NS;
	attr.sched_period = KVMS_DL_DRAIN_PERIOD_NS;
	sched_setattr_nocheck(p, &attr);
}

static int kvms_setattr(struct task_struct *p, int policy, int nice,
			u32 dl_mcpu)
{
	struct sched_attr attr;

	if (policy != SCHED_DEADLINE && READ_ONCE(p->policy) == SCHED_DEADLINE)
		kvms_dl_drain(p);
	/* Zeroed: on 6.12 a non-zero sched_runtime sets a custom slice. */
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = policy;
	attr.sched_nice = nice;
	if (policy == SCHED_DEADLINE) {
		/* A deadline task cannot fork without this. */
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
		attr.sched_runtime = kvms_dl_runtime_ns(dl_mcpu);
		attr.sched_deadline = KVMS_DL_PERIOD_NS;
		attr.sched_period = KVMS_DL_PERIOD_NS;
	}
	return sched_setattr_nocheck(p, &attr);
}

/*
 * Set @kv's thread to (@policy, @nice), or to SCHED_DEADLINE with @dl_mcpu
 * of each deadline period, saving its originals first.
 * Return: 0, or the error of sched_setattr_nocheck().
 */
static int kvms_set(struct kvms_vcpu *kv, int policy, int nice, u32 dl_mcpu)
{
	struct kvms_sched *s = &kv->sched;
	struct task_struct *p = kv->task;
	int cur_policy = READ_ONCE(p->policy);
	int cur_nice = task_nice(p);
	int err;

	if (policy == SCHED_DEADLINE)
		nice = 0;
	else
		dl_mcpu = 0;
	if (p->flags & PF_EXITING)
		return 0;
	if (!s->saved) {
		s->saved = true;
		s->orig_policy = cur_policy;
		s->orig_nice = cur_nice;
		s->foreign = cur_policy != SCHED_NORMAL &&
			     cur_policy != SCHED_BATCH &&
			     cur_policy != SCHED_IDLE;
	}
	if (s->foreign)
		return 0;
	if (s->applied) {
		bool same_dl = s->cur_policy != SCHED_DEADLINE ||
			       READ_ONCE(p->dl.dl_runtime) ==
			       kvms_dl_runtime_ns(s->cur_dl_mcpu);

		if (cur_policy != s->cur_policy || !same_dl ||
		    (cur_policy != SCHED_DEADLINE && cur_nice != s->cur_nice))
			WRITE_ONCE(s->overrides, s->overrides + 1);
		else if (policy == s->cur_policy && nice == s->cur_nice &&
			 dl_mcpu == s->cur_dl_mcpu)
			return 0;	/* nothing to do */
	}
	err = kvms_setattr(p, policy, nice, dl_mcpu);
	if (err)
		return err;	/* e.g. the thread is exiting: try next period */
	s->applied = true;
	WRITE_ONCE(s->cur_policy, policy);
	WRITE_ONCE(s->cur_nice, nice);
	WRITE_ONCE(s->cur_dl_mcpu, dl_mcpu);
	return 0;
}

/* Put @kv's thread back as kvmsched found it. */
static void kvms_restore(struct kvms_vcpu *kv)
{
	struct kvms_sched *s = &kv->sched;

	if (s->applied && !(kv->task->flags & PF_EXITING))
		kvms_setattr(kv->task, s->orig_policy, s->orig_nice, 0);
	s->applied = false;
	WRITE_ONCE(s->cur_dl_mcpu, 0);
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
	vm->win_used = 0;
	vm->win_periods = 0;
	vm->dl_target = 0;
	vm->dl_adj = 0;
}

/*
 * Reservation misses are judged over windows of KVMS_MISS_WINDOW periods in
 * which the VM wanted at least its reservation: the deadline server hands
 * out runtime in KVMS_DL_PERIOD_NS slices enforced at tick granularity, so
 * a single 100 ms period can fall a few percent short while the VM still
 * receives its reservation on average. A window misses when the VM received
 * under KVMS_MISS_PCT of reservation x periods.
 */
static void kvms_account_miss(struct kvms_vm *vm, u32 used)
{
	const struct kvms_pvm *p = &vm->pol;

	if (!p->reservation_mcpu || p->demand_mcpu < p->reservation_mcpu)
		return;
	vm->win_used += used;
	if (++vm->win_periods < KVMS_MISS_WINDOW)
		return;
	if (vm->win_used * 100 <
	    (u64)p->reservation_mcpu * KVMS_MISS_WINDOW * KVMS_MISS_PCT)
		WRITE_ONCE(vm->misses, vm->misses + 1);
	vm->win_used = 0;
	vm->win_periods = 0;
}

/*
 * What a deadline vCPU receives is not exactly its runtime: the kernel
 * notices an exhausted runtime at the next tick and scales runtime by CPU
 * frequency and capacity, so a bound VM can receive a few percent more or
 * less than its bound. An integral term corrects for it: while the VM stays
 * bound and uses all it is given, a quarter of each period's error (target
 * minus received) is added to the runtime it is given, within a quarter of
 * the target either way. A period in which it used less holds the term; it
 * is dropped when the VM is no longer bound or its target changes. The
 * term makes what the VM receives meet its target, so the headroom holds
 * in CPU received; a positive term is scaled down to fit in what the
 * targets leave of the kernel's own deadline admission.
 */
static void kvms_dl_feedback(struct kvms_vm *vm, u8 last_bound, bool saturated,
			     u32 used)
{
	s32 t = vm->dl_target, lim = t / 4;

	if (last_bound == KVMS_BOUND_NONE || !t) {
		vm->dl_adj = 0;
		return;
	}
	if (saturated)
		vm->dl_adj = clamp(vm->dl_adj + (t - (s32)used) / 4, -lim, lim);
}

/*
 * Measure last period's demand of @vm into vm->pol, and account what its
 * bounds did: time throttled by the limit, and a reservation miss.
 *
 * A deadline vCPU that used most of its runtime is held back by it, and
 * its waiting time does not show that (a throttled task is not
 * runnable): it counts as wanting a whole CPU.
 */
static void kvms_measure(struct kvms_vm *vm)
{
	struct kvms_pvm *p = &vm->pol;
	u8 last_bound = p->bound;
	bool saturated = false;
	struct kvms_vcpu *kv;
	u64 throttled = 0;
	u32 used = 0;

	p->class = vm->class;
	p->weight = vm->weight;
	p->reservation_mcpu = vm->reservation_mcpu;
	p->limit_mcpu = vm->limit_mcpu;
	p->nr_active = 0;
	p->demand_mcpu = 0;
	list_for_each_entry(kv, &vm->vcpus, node) {
		const struct kvms_acct *a = &kv->acct;
		const struct kvms_sched *s = &kv->sched;
		u32 d = kvms_acct_rate(a->last_cpu_ns + a->last_wait_ns,
				       a->last_period_ns, 1000);
		u32 u = kvms_acct_rate(a->last_cpu_ns, a->last_period_ns, 1000);

		used += u;
		if (s->applied && s->cur_policy == SCHED_DEADLINE &&
		    u * 100 >= s->cur_dl_mcpu * KVMS_DL_SATURATED_PCT) {
			d = 1000;
			/* a halted vCPU's small part steers nothing */
			if (kv->active) {
				saturated = true;
				if (last_bound == KVMS_BOUND_LIMIT &&
				    a->last_period_ns > a->last_cpu_ns)
					throttled += a->last_period_ns -
						     a->last_cpu_ns;
			}
		}
		kv->active = d >= KVMS_ACTIVE_MCPU;
		if (kv->active) {
			p->nr_active++;
			p->demand_mcpu += d;
		}
	}
	if (throttled)
		WRITE_ONCE(vm->throttled_ns, vm->throttled_ns + throttled);
	kvms_account_miss(vm, used);
	kvms_dl_feedback(vm, last_bound, saturated, used);
}

/*
 * What a bound VM's deadline vCPUs are to receive before it is fitted into
 * reservable-mcpu: its entitlement; for a limit-bound VM its share, which
 * is what its weight would give it up to the limit, so that a VM under its
 * limit can grow into its share without leaving SCHED_DEADLINE, and at
 * least the parts its halted vCPUs keep.
 */
static u32 kvms_dl_want(const struct kvms_vm *vm)
{
	const struct kvms_pvm *p = &vm->pol;
	u32 idle = (vm->nr_vcpus - p->nr_active) * KVMS_DL_IDLE_MCPU;

	if (p->bound != KVMS_BOUND_LIMIT)
		return p->entitled_mcpu;
	return min(max(p->share_mcpu, idle), p->limit_mcpu);
}

/*
 * The deadline bandwidth of a bound VM. Its floor, min(reservation,
 * entitlement), is always covered: admission control keeps the floors
 * under reservable-mcpu (when capacity shrank and they no longer fit, they
 * are scaled down alike). What the VM's entitlement adds above its floor
 * (its weight's share, or a limit-bound VM's whole entitlement) comes out
 * of what the floors leave of reservable-mcpu, @room, scaled down when the
 * bound VMs together want more (@extra_sum), so deadline vCPUs never take
 * the headroom from host tasks.
 */
static u32 kvms_dl_total(const struct kvms_vm *vm, u64 room, u64 extra_sum,
			 u64 base_sum, u32 reservable)
{
	u32 ent = kvms_dl_want(vm);
	u64 base = min(vm->pol.reservation_mcpu, ent);
	u64 extra = ent - base;

	/* Over-committed (capacity shrank): the floors shrink alike. */
	if (base_sum > reservable)
		base = div64_u64(base * reservable, base_sum);
	if (extra_sum > room)
		extra = div64_u64(extra * room, extra_sum);
	/* A ceiling errs on the side of less. */
	if (vm->pol.bound == KVMS_BOUND_LIMIT)
		return base + extra - div_u64((base + extra) * KVMS_DL_MARGIN_PCT, 100);
	return base + extra;
}

/* @kv out of SCHED_DEADLINE, into its VM's class at its default level. */
static int kvms_set_class_default(struct kvms_vm *vm, struct kvms_vcpu *kv)
{
	if (vm->class == KVMS_CLASS_BACKGROUND)
		return kvms_set(kv, SCHED_IDLE, 0, 0);
	return kvms_set(kv, SCHED_NORMAL, 0, 0);
}

/*
 * Run @vm's active vCPUs SCHED_DEADLINE with @total_mcpu between them. A
 * limit holds the halted vCPUs too: each keeps a small deadline part, out
 * of @total_mcpu, so one that wakes cannot take more than the limit before
 * the next period sees it. A halted vCPU of a VM bound by its floor goes
 * back to its class (nice 0, or SCHED_IDLE for background) and holds no
 * deadline bandwidth.
 */
static int kvms_apply_dl(struct kvms_vm *vm, u32 total_mcpu)
{
	const struct kvms_pvm *p = &vm->pol;
	u32 nr_idle = vm->nr_vcpus - p->nr_active, idle_part = 0, i = 0;
	struct kvms_vcpu *kv;
	int err;

	if (!total_mcpu)
		return -ENOSPC;
	if (p->bound == KVMS_BOUND_LIMIT && nr_idle) {
		idle_part = kvms_policy_idle_part(total_mcpu, vm->nr_vcpus);
		if (p->nr_active)
			total_mcpu -= min(total_mcpu, idle_part * nr_idle);
	}
	list_for_each_entry(kv, &vm->vcpus, node) {
		u32 part;

		if (!kv->active) {
			if (idle_part)
				err = kvms_set(kv, SCHED_DEADLINE, 0, idle_part);
			else
				err = kvms_set_class_default(vm, kv);
		} else {
			part = kvms_policy_split(total_mcpu, p->nr_active, i++);
			err = kvms_set(kv, SCHED_DEADLINE, 0, max(part, 1U));
		}
		if (err)
			return err;
	}
	return 0;
}

/* Apply the policy's decision for @vm to its vCPU threads. */
static void kvms_apply(struct kvms_vm *vm, u64 adj_room, u64 pos_adj)
{
	const struct kvms_pvm *p = &vm->pol;
	struct kvms_mix mix;
	struct kvms_vcpu *kv;
	u32 i = 0, start;
	s64 adj;
	int err;

	if (p->bound != KVMS_BOUND_NONE && vm->dl_target) {
		/* A positive correction only from what the goals leave. */
		adj = vm->dl_adj;
		if (adj > 0 && pos_adj > adj_room)
			adj = div64_u64((u64)adj * adj_room, pos_adj);
		err = kvms_apply_dl(vm, max_t(s64, vm->dl_target + adj, 1));
		if (!err)
			return;
		WRITE_ONCE(kvms_dl_refused, kvms_dl_refused + 1);
		pr_warn_ratelimited("vm %u: cannot run bound vCPUs SCHED_DEADLINE (%d), using %s\n",
				    vm->id, err, p->bound == KVMS_BOUND_LIMIT ?
				    "SCHED_IDLE" : "weights");
	}
	vm->dl_target = 0;
	/*
	 * A limit without deadline bandwidth (none left in reservable-mcpu,
	 * or the kernel refused it): SCHED_IDLE, the nearest thing to a
	 * ceiling the fair classes have; it runs only on CPU nothing else
	 * wants.
	 */
	if (vm->class == KVMS_CLASS_BACKGROUND ||
	    p->bound == KVMS_BOUND_LIMIT) {
		list_for_each_entry(kv, &vm->vcpus, node)
			kvms_set(kv, SCHED_IDLE, 0, 0);
		return;
	}
	if (!p->nr_active) {
		/* idle VM: keep what it has until it wakes, but no floor's runtime */
		list_for_each_entry(kv, &vm->vcpus, node)
			if (kv->sched.applied &&
			    kv->sched.cur_policy == SCHED_DEADLINE)
				kvms_set_class_default(vm, kv);
		return;
	}
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
			kvms_set(kv, SCHED_IDLE, 0, 0);
		else
			kvms_set(kv, SCHED_NORMAL, nice, 0);
	}
}

/**
 * kvms_capacity_mcpu() - the host's CPU capacity
 *
 * Return: online CPUs x 1000.
 */
u32 kvms_capacity_mcpu(void)
{
	return num_online_cpus() * 1000;
}

/**
 * kvms_reservable_now() - what the sum of reservations may reach now
 *
 * Return: kvms_reservable_mcpu() for the online CPUs, the headroom tunable
 * and this kernel's deadline admission share.
 */
u32 kvms_reservable_now(void)
{
	return kvms_reservable_mcpu(kvms_capacity_mcpu(),
				    READ_ONCE(kvms_config.reserve_headroom_pct),
				    KVMS_DL_ADMIT_PCT);
}

/**
 * kvms_enforce_period() - one enforcement period over every VM
 * @reg: the registry, after this period's accounting sample
 *
 * Context: the period worker, reg->lock held; may sleep.
 * Return: 0, 1 if kvms_overcommit_mcpu changed (the caller notifies), or
 * -ENOMEM (nothing was changed this period).
 */
int kvms_enforce_period(struct kvms_registry *reg)
{
	u32 reservable = kvms_reservable_now(), over;
	u64 base_sum = 0, extra_sum = 0, room, tsum = 0, msum = 0, mroom;
	u64 gsum = 0, pos_adj = 0, adj_room, dl_cap;
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
	kvms_policy_entitle(kvms_pvms, n, kvms_capacity_mcpu());
	list_for_each_entry(vm, &reg->vms, node) {
		u32 ent = kvms_dl_want(vm);
		u32 base = min(vm->pol.reservation_mcpu, ent);

		if (vm->pol.bound == KVMS_BOUND_NONE)
			continue;
		base_sum += base;
		extra_sum += ent - base;
	}
	room = reservable > base_sum ? reservable - base_sum : 0;
	/* Targets, and the margins floors get on top where reservable has room. */
	list_for_each_entry(vm, &reg->vms, node) {
		vm->dl_next = 0;
		if (vm->pol.bound == KVMS_BOUND_NONE ||
		    (!vm->pol.nr_active && vm->pol.bound != KVMS_BOUND_LIMIT))
			continue;
		vm->dl_next = kvms_dl_total(vm, room, extra_sum, base_sum,
					    reservable);
		tsum += vm->dl_next;
		if (vm->pol.bound == KVMS_BOUND_RESERVATION)
			msum += div_u64((u64)vm->dl_next * KVMS_DL_MARGIN_PCT, 100);
	}
	mroom = reservable > tsum ? reservable - tsum : 0;
	list_for_each_entry(vm, &reg->vms, node) {
		u64 m = 0;

		if (vm->dl_next && vm->pol.bound == KVMS_BOUND_RESERVATION) {
			m = div_u64((u64)vm->dl_next * KVMS_DL_MARGIN_PCT, 100);
			if (msum > mroom)
				m = div64_u64(m * mroom, msum);
			/* a floor's margin never lifts it over its limit */
			if (vm->pol.limit_mcpu)
				m = min_t(u64, m, vm->pol.limit_mcpu -
					  min(vm->pol.limit_mcpu, vm->dl_next));
		}
		/* The goal: what the VM should receive this period. */
		if (vm->dl_next + m != vm->dl_target)
			vm->dl_adj = 0;	/* a new goal starts afresh */
		vm->dl_target = vm->dl_next + m;
		gsum += vm->dl_target;
		if (vm->dl_target && vm->dl_adj > 0)
			pos_adj += vm->dl_adj;
	}
	/*
	 * Corrections make up for runtime the kernel did not deliver, so what
	 * the VMs receive stays at their goals (under reservable-mcpu); in
	 * runtime they may only use what the kernel's own admission leaves.
	 */
	dl_cap = div_u64((u64)kvms_capacity_mcpu() * KVMS_DL_ADMIT_PCT, 100);
	adj_room = dl_cap > gsum ? dl_cap - gsum : 0;
	list_for_each_entry(vm, &reg->vms, node)
		kvms_apply(vm, adj_room, pos_adj);

	over = reg->reserved_mcpu > reservable ? reg->reserved_mcpu - reservable : 0;
	if (over != kvms_overcommit_mcpu) {
		if (over)
			pr_warn("reservations (%u mcpu) exceed reservable-mcpu (%u) by %u mcpu\n",
				reg->reserved_mcpu, reservable, over);
		WRITE_ONCE(kvms_overcommit_mcpu, over);
		return 1;
	}
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
