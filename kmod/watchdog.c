// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched realtime class and starvation watchdog (mechanism).
 *
 * A realtime VM's vCPU threads run SCHED_FIFO at the VM's rt_priority: the
 * kernel's RT class runs them before every fair and idle thread (so before
 * every shares and background VM), higher priority first, and a FIFO
 * thread keeps its CPU until it blocks or a higher priority wakes: equal
 * priorities are first come, first served. SCHED_RR cannot give each VM
 * its own quantum (the kernel has one, sched_rr_timeslice_ms), so a VM
 * with rr_quantum_ms gets its rotation from the watchdog: every quantum, a
 * thread of the VM that is on a CPU while a thread of the same priority
 * waits is dipped one priority level and back (to SCHED_NORMAL and back at
 * priority 1). The kernel re-queues a queued RT thread whose priority is
 * raised at the tail of its level, and reschedules a running one whose
 * priority drops under a waiting thread (__sched_setscheduler() and
 * prio_changed_rt(), 6.1 and 6.12): the waiting thread runs, the dipped
 * one waits behind it.
 *
 * FIFO threads that spin would starve every host task on their CPUs,
 * including the period worker (a fair work item): the kernel's own guard
 * leaves fair tasks 5 % (RT throttling, 950 ms of each second, on 6.1; the
 * fair server, 50 ms of each second per CPU, on 6.12), under
 * reserve_headroom_pct's default 10 %, and lets the worker run only once a
 * second. So the watchdog is a kthread of its own that runs
 * SCHED_DEADLINE while there are realtime threads (a deadline thread
 * preempts every RT thread): in each window of period_ms it lets the
 * realtime threads together use at most (100 - reserve_headroom_pct) % of
 * the online CPUs they may run on (the union of their affinities, so
 * pinned realtime VMs are held to the CPUs they are pinned to), and once
 * they have, it runs them SCHED_IDLE until the window ends: host tasks,
 * and the VMs of the other classes, have the CPUs for the rest of it.
 * The kernel's RT push and pull spread runnable realtime threads over the
 * CPUs they may use, so a per-window total is, for the headroom, a per-CPU
 * bound wherever the threads' affinities overlap.
 *
 * The watchdog sleeps until the soonest time the budget could be spent
 * (what is left of it over the number of CPUs), so a window costs it a few
 * wakeups. It never takes kvms_reg.lock: the period worker holding that
 * lock may be the very task the realtime threads keep off its CPU. The
 * enforcement (enforce.c, under kvms_reg.lock) publishes which threads are
 * realtime, at which priority, in a table the watchdog takes over, and
 * waits until the watchdog has applied it; a VM's or vCPU's threads are
 * forgotten by the watchdog before enforce.c gives them back their
 * original attributes. Requests are serialised by kvms_wd_mutex, taken by
 * fair threads only; the watchdog takes only kvms_wd_lock (a spinlock,
 * held for a few stores).
 */
#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "config.h"
#include "policy.h"
#include "watchdog.h"

/* The watchdog's own deadline reservation: 500 us every 20 ms (25 mcpu). */
#define KVMS_WD_RUNTIME_NS	(500 * NSEC_PER_USEC)
#define KVMS_WD_PERIOD_NS	(20 * NSEC_PER_MSEC)

/* Its shortest sleep: under this, timer slack and wakeup cost dominate. */
#define KVMS_WD_MIN_SLEEP_NS	NSEC_PER_MSEC

/**
 * struct kvms_wd_ent - one realtime vCPU thread, as the watchdog holds it
 * @p:		the thread; the entry holds a reference
 * @vm:		its VM: which entries kvms_wd_forget() drops, and where the
 *		throttled periods are counted. Not a reference: the VM
 *		forgets its entries (kvms_enforce_restore_vm()) before it goes
 * @kv:		its vCPU, only to match kvms_wd_forget() (likewise)
 * @start_ns:	@p's sum_exec_runtime when the window (or the entry) began
 * @rr_next_ns:	when its round-robin quantum ends next (@rr_quantum_ms)
 * @rr_quantum_ms: the VM's rr_quantum_ms, 0 = FCFS
 * @prio:	SCHED_FIFO priority, KVMSCHED_RT_PRIORITY_MIN..MAX
 * @nice:	the thread's original nice, kept while it runs SCHED_IDLE
 * @reset_on_fork: its original reset-on-fork flag, likewise
 */
struct kvms_wd_ent {
	struct task_struct *p;
	struct kvms_vm *vm;
	struct kvms_vcpu *kv;
	u64 start_ns;
	u64 rr_next_ns;
	u32 rr_quantum_ms;
	u8 prio;
	s8 nice;
	bool reset_on_fork;
};

struct kvms_wd_table {
	unsigned int n;
	struct kvms_wd_ent e[];
};

/*
 * A request to the watchdog; under kvms_wd_lock. One at a time
 * (kvms_wd_mutex): a new table (@set), or entries to forget.
 */
static DEFINE_SPINLOCK(kvms_wd_lock);
static struct kvms_wd_table *kvms_wd_next;
static bool kvms_wd_next_set;
static struct kvms_vm *kvms_wd_forget_vm;
static struct kvms_vcpu *kvms_wd_forget_kv;
static u64 kvms_wd_req;
/* Requests done; written by the watchdog under kvms_wd_lock, read with READ_ONCE(). */
static u64 kvms_wd_done;

static DEFINE_MUTEX(kvms_wd_mutex);	/* serialises requesters */
static DECLARE_WAIT_QUEUE_HEAD(kvms_wd_wq);
static struct task_struct *kvms_wd_task;

/* The watchdog kthread's own state. */
static struct kvms_wd_table *kvms_wd_cur;
static u64 kvms_wd_win_end;
static bool kvms_wd_throttling;
static bool kvms_wd_active;
static struct cpumask kvms_wd_cpus;

/* Entries in the watchdog's table; written by it, READ_ONCE() by requesters. */
static unsigned int kvms_wd_nr;

/* Windows in which the realtime threads were throttled; the watchdog writes. */
u64 kvms_wd_throttled;

static u64 kvms_wd_runtime(struct task_struct *p)
{
	return READ_ONCE(p->se.sum_exec_runtime);
}

static void kvms_wd_free(struct kvms_wd_table *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		put_task_struct(t->e[i].p);
	kvfree(t);
}

/* Put the watchdog itself in SCHED_DEADLINE while it guards threads. */
static void kvms_wd_self(bool active)
{
	struct sched_attr a = { .size = sizeof(a) };
	int err;

	if (active == kvms_wd_active)
		return;
	if (active) {
		a.sched_policy = SCHED_DEADLINE;
		a.sched_runtime = KVMS_WD_RUNTIME_NS;
		a.sched_deadline = KVMS_WD_PERIOD_NS;
		a.sched_period = KVMS_WD_PERIOD_NS;
	} else {
		a.sched_policy = SCHED_NORMAL;
	}
	err = sched_setattr_nocheck(current, &a);
	if (err && active) {
		/*
		 * No deadline bandwidth left (reservations hold it all): the
		 * highest RT priority still preempts every realtime VM under
		 * 99, and those at 99 once they block.
		 */
		pr_warn("watchdog: no SCHED_DEADLINE (%d): running SCHED_FIFO 99; realtime VMs at priority 99 can delay it\n",
			err);
		a.sched_policy = SCHED_FIFO;
		a.sched_priority = MAX_RT_PRIO - 1;
		sched_setattr_nocheck(current, &a);
	}
	kvms_wd_active = active;
}

/* Run @e's thread SCHED_FIFO at its priority, or SCHED_IDLE (@throttle). */
static void kvms_wd_set(const struct kvms_wd_ent *e, bool throttle)
{
	struct sched_attr a = { .size = sizeof(a) };
	struct task_struct *p = e->p;
	int policy = READ_ONCE(p->policy);

	if (READ_ONCE(p->flags) & PF_EXITING)
		return;
	if (throttle) {
		if (policy == SCHED_IDLE)
			return;
		a.sched_policy = SCHED_IDLE;
		a.sched_nice = e->nice;
		if (e->reset_on_fork)
			a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	} else {
		if (policy == SCHED_FIFO && READ_ONCE(p->rt_priority) == e->prio)
			return;
		/* a vCPU thread's children (helpers it forks) are not realtime */
		a.sched_policy = SCHED_FIFO;
		a.sched_priority = e->prio;
		a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	}
	sched_setattr_nocheck(p, &a);
}

/* Move a running round-robin thread behind the waiting ones of its level. */
static void kvms_wd_dip(const struct kvms_wd_ent *e)
{
	struct sched_attr a = { .size = sizeof(a),
				.sched_flags = SCHED_FLAG_RESET_ON_FORK };

	if (e->prio > KVMSCHED_RT_PRIORITY_MIN) {
		a.sched_policy = SCHED_FIFO;
		a.sched_priority = e->prio - 1;
	} else {
		a.sched_policy = SCHED_NORMAL;
		a.sched_nice = e->nice;
	}
	if (sched_setattr_nocheck(e->p, &a))
		return;
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = e->prio;
	a.sched_nice = 0;
	sched_setattr_nocheck(e->p, &a);
}

/* Round robin: dip the threads whose quantum ended; the next end in *@wake. */
static void kvms_wd_rotate(struct kvms_wd_table *t, u64 now, u64 *wake)
{
	DECLARE_BITMAP(waiting, KVMSCHED_RT_PRIORITY_MAX + 1);
	unsigned int i;

	bitmap_zero(waiting, KVMSCHED_RT_PRIORITY_MAX + 1);
	for (i = 0; i < t->n; i++) {
		struct task_struct *p = t->e[i].p;

		if (READ_ONCE(p->on_rq) && !READ_ONCE(p->on_cpu) &&
		    READ_ONCE(p->policy) == SCHED_FIFO)
			__set_bit(t->e[i].prio, waiting);
	}
	for (i = 0; i < t->n; i++) {
		struct kvms_wd_ent *e = &t->e[i];

		if (!e->rr_quantum_ms)
			continue;
		if (e->rr_next_ns > now) {
			*wake = min(*wake, e->rr_next_ns);
			continue;
		}
		e->rr_next_ns = now + (u64)e->rr_quantum_ms * NSEC_PER_MSEC;
		*wake = min(*wake, e->rr_next_ns);
		if (test_bit(e->prio, waiting) && READ_ONCE(e->p->on_cpu))
			kvms_wd_dip(e);
	}
}

/* Count a throttled window once per VM (the table is in VM order). */
static void kvms_wd_count(struct kvms_wd_table *t)
{
	struct kvms_vm *last = NULL;
	unsigned int i;

	WRITE_ONCE(kvms_wd_throttled, kvms_wd_throttled + 1);
	for (i = 0; i < t->n; i++) {
		struct kvms_vm *vm = t->e[i].vm;

		if (vm == last)
			continue;
		WRITE_ONCE(vm->rt_throttled_periods, vm->rt_throttled_periods + 1);
		last = vm;
	}
}

/*
 * One look at the realtime threads: start a window when the last one
 * ended, throttle them when they spent the window's budget, apply their
 * policy, rotate round-robin ones. Return: when to look again (absolute
 * ns, CLOCK_MONOTONIC), or U64_MAX when there is nothing to guard.
 */
static u64 kvms_wd_pass(u64 now)
{
	struct kvms_wd_table *t = kvms_wd_cur;
	u64 window, budget, used = 0, wake, left;
	unsigned int i, nr_cpus;

	if (!t || !t->n) {
		kvms_wd_throttling = false;
		kvms_wd_win_end = 0;
		kvms_wd_self(false);
		return U64_MAX;
	}
	kvms_wd_self(true);
	window = (u64)READ_ONCE(kvms_config.period_ms) * NSEC_PER_MSEC;
	if (now >= kvms_wd_win_end) {
		kvms_wd_win_end = now + window;
		kvms_wd_throttling = false;
		for (i = 0; i < t->n; i++)
			t->e[i].start_ns = kvms_wd_runtime(t->e[i].p);
	}
	cpumask_clear(&kvms_wd_cpus);
	for (i = 0; i < t->n; i++) {
		struct task_struct *p = t->e[i].p;

		used += kvms_wd_runtime(p) - t->e[i].start_ns;
		cpumask_or(&kvms_wd_cpus, &kvms_wd_cpus, &p->cpus_mask);
	}
	cpumask_and(&kvms_wd_cpus, &kvms_wd_cpus, cpu_online_mask);
	nr_cpus = max(cpumask_weight(&kvms_wd_cpus), 1U);
	budget = kvms_policy_rt_budget_ns(window,
					  READ_ONCE(kvms_config.reserve_headroom_pct),
					  nr_cpus);
	left = kvms_policy_rt_check_ns(budget, used, nr_cpus,
				       KVMS_WD_MIN_SLEEP_NS);
	if (!left && !kvms_wd_throttling) {
		kvms_wd_throttling = true;
		kvms_wd_count(t);
	}
	/* in table order: equal priorities queue first come, first served */
	for (i = 0; i < t->n; i++)
		kvms_wd_set(&t->e[i], kvms_wd_throttling);
	if (kvms_wd_throttling)
		return kvms_wd_win_end;
	wake = min(now + left, kvms_wd_win_end);
	kvms_wd_rotate(t, now, &wake);
	return wake;
}

/* Drop the entries of @vm (or of @kv) from the watchdog's table. */
static void kvms_wd_drop(struct kvms_vm *vm, struct kvms_vcpu *kv)
{
	struct kvms_wd_table *t = kvms_wd_cur;
	unsigned int i, j = 0;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		struct kvms_wd_ent *e = &t->e[i];

		if ((vm && e->vm == vm) || (kv && e->kv == kv)) {
			put_task_struct(e->p);
			continue;
		}
		t->e[j++] = *e;
	}
	t->n = j;
}

/*
 * A new table's threads carry on the window's count of those already held
 * (the period worker publishes every period, and windows are not aligned
 * with periods); new ones count from now.
 */
static void kvms_wd_carry(struct kvms_wd_table *new, struct kvms_wd_table *old)
{
	u64 now = ktime_get_ns();
	unsigned int i, j;

	for (i = 0; i < new->n; i++) {
		struct kvms_wd_ent *e = &new->e[i];

		e->start_ns = kvms_wd_runtime(e->p);
		e->rr_next_ns = now + (u64)e->rr_quantum_ms * NSEC_PER_MSEC;
		for (j = 0; old && j < old->n; j++) {
			/* usually the same index: look there first */
			const struct kvms_wd_ent *o = &old->e[(i + j) % old->n];

			if (o->p != e->p)
				continue;
			e->start_ns = o->start_ns;
			if (o->rr_quantum_ms == e->rr_quantum_ms)
				e->rr_next_ns = o->rr_next_ns;
			break;
		}
	}
}

/* Take a pending request and do it. Return: its ticket, 0 if none. */
static u64 kvms_wd_take(void)
{
	struct kvms_wd_table *new = NULL, *old;
	struct kvms_vcpu *kv = NULL;
	struct kvms_vm *vm = NULL;
	bool set = false;
	u64 ticket = 0;

	spin_lock(&kvms_wd_lock);
	if (kvms_wd_req != kvms_wd_done) {
		ticket = kvms_wd_req;
		set = kvms_wd_next_set;
		new = kvms_wd_next;
		vm = kvms_wd_forget_vm;
		kv = kvms_wd_forget_kv;
		kvms_wd_next = NULL;
		kvms_wd_next_set = false;
	}
	spin_unlock(&kvms_wd_lock);
	if (!ticket)
		return 0;
	if (!set) {
		kvms_wd_drop(vm, kv);
		return ticket;
	}
	old = kvms_wd_cur;
	kvms_wd_carry(new, old);
	kvms_wd_cur = new;
	kvms_wd_free(old);
	return ticket;
}

static int kvms_wd_fn(void *unused)
{
	while (!kthread_should_stop()) {
		u64 ticket = kvms_wd_take(), wake;

		wake = kvms_wd_pass(ktime_get_ns());
		WRITE_ONCE(kvms_wd_nr, kvms_wd_cur ? kvms_wd_cur->n : 0);
		if (ticket) {
			spin_lock(&kvms_wd_lock);
			WRITE_ONCE(kvms_wd_done, ticket);
			spin_unlock(&kvms_wd_lock);
			wake_up_all(&kvms_wd_wq);
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(kvms_wd_req) != READ_ONCE(kvms_wd_done) ||
		    kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			continue;
		}
		if (wake == U64_MAX) {
			schedule();
		} else {
			ktime_t t = ns_to_ktime(wake);

			schedule_hrtimeout(&t, HRTIMER_MODE_ABS);
		}
	}
	kvms_wd_self(false);
	return 0;
}

/* Hand the watchdog a request and wait until it has applied it. */
static void kvms_wd_request(struct kvms_wd_table *t, bool set,
			    struct kvms_vm *vm, struct kvms_vcpu *kv)
{
	u64 ticket;

	mutex_lock(&kvms_wd_mutex);
	spin_lock(&kvms_wd_lock);
	kvms_wd_next = t;
	kvms_wd_next_set = set;
	kvms_wd_forget_vm = vm;
	kvms_wd_forget_kv = kv;
	ticket = ++kvms_wd_req;
	spin_unlock(&kvms_wd_lock);
	wake_up_process(kvms_wd_task);
	wait_event(kvms_wd_wq, READ_ONCE(kvms_wd_done) >= ticket);
	mutex_unlock(&kvms_wd_mutex);
}

/**
 * kvms_wd_publish() - hand the watchdog the realtime threads, now
 * @reg:	the registry
 *
 * Every thread that enforce.c claimed for a realtime VM (saved, not
 * foreign, not exiting, managed by this vCPU), in VM order then vCPU
 * order, and waits until the watchdog has applied them: a class or
 * priority change reaches the threads before the caller returns. Nothing
 * is sent when there were and are no realtime threads. On allocation
 * failure the watchdog keeps the table it has (next period tries again).
 *
 * Context: process context, reg->lock held; may sleep.
 */
void kvms_wd_publish(struct kvms_registry *reg)
{
	struct kvms_wd_table *t;
	struct kvms_vcpu *kv;
	struct kvms_vm *vm;
	unsigned int n = 0;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vm, &reg->vms, node) {
		if (vm->class == KVMSCHED_CLASS_REALTIME)
			n += vm->nr_vcpus;
	}
	if (!n && !READ_ONCE(kvms_wd_nr))
		return;
	t = kvzalloc(struct_size(t, e, n), GFP_KERNEL);
	if (!t)
		return;
	list_for_each_entry(vm, &reg->vms, node) {
		if (vm->class != KVMSCHED_CLASS_REALTIME)
			continue;
		list_for_each_entry(kv, &vm->vcpus, node) {
			const struct kvms_sched *s = &kv->sched;
			struct task_struct *p = kvms_vcpu_task(kv);
			struct kvms_wd_ent *e;

			if (kv->owner || !s->applied || s->foreign ||
			    s->cur_policy != SCHED_FIFO ||
			    (READ_ONCE(p->flags) & PF_EXITING) || t->n >= n)
				continue;
			e = &t->e[t->n++];
			get_task_struct(p);
			e->p = p;
			e->vm = vm;
			e->kv = kv;
			e->prio = vm->rt_priority;
			e->rr_quantum_ms = vm->rr_quantum_ms;
			e->nice = s->orig_nice;
			e->reset_on_fork = s->orig_reset_on_fork;
		}
	}
	kvms_wd_request(t, true, NULL, NULL);
}

/**
 * kvms_wd_forget() - the watchdog lets go of a VM's or a vCPU's threads
 * @vm:		the VM whose threads to forget, or NULL
 * @kv:		the vCPU whose thread to forget, or NULL
 *
 * Returns once the watchdog no longer holds them: the caller may then give
 * the threads their original attributes, and free the VM.
 *
 * Context: process context; may sleep.
 */
void kvms_wd_forget(struct kvms_vm *vm, struct kvms_vcpu *kv)
{
	if (!READ_ONCE(kvms_wd_nr))
		return;
	kvms_wd_request(NULL, false, vm, kv);
}

/**
 * kvms_wd_init() - start the watchdog kthread (module init)
 *
 * Return: 0 or the error of kthread_run().
 */
int kvms_wd_init(void)
{
	struct task_struct *t = kthread_run(kvms_wd_fn, NULL, "kvmsched-wd");

	if (IS_ERR(t))
		return PTR_ERR(t);
	kvms_wd_task = t;
	return 0;
}

/**
 * kvms_wd_exit() - stop the watchdog (module exit, after every VM went)
 */
void kvms_wd_exit(void)
{
	kthread_stop(kvms_wd_task);
	kvms_wd_free(kvms_wd_cur);
	kvms_wd_free(kvms_wd_next);
	kvms_wd_cur = NULL;
	kvms_wd_next = NULL;
}
