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
 * with rr_quantum_ms gets its rotation from the watchdog: a thread of the
 * VM that has run a quantum of CPU time since it last got its CPU, while a
 * thread of the same priority waits, is dipped one priority level and back
 * (to SCHED_NORMAL and back at priority 1). The kernel queues a task whose
 * priority is lowered at the head of its new level and one whose priority
 * is raised at the tail, and reschedules a running one whose priority drops
 * under a waiting one (__sched_setscheduler(), prio_changed_rt() and
 * switched_to_fair(), 6.1 and 6.12): the waiting thread runs, the dipped
 * one waits behind it.
 *
 * FIFO threads that spin would starve every host task on their CPUs,
 * including the period worker (a fair work item) and per-CPU kthreads,
 * which cannot move: the kernel's own guard leaves them 5 % (RT
 * throttling, 950 ms of each second, on 6.1 and 6.12; 6.12 also has a fair
 * server of 50 ms per second per CPU), under reserve_headroom_pct's
 * default 10 %, and lets the worker run only once a second. So the
 * watchdog is a kthread of its own, SCHED_DEADLINE from the first time it
 * guards realtime threads until rmmod (a deadline thread preempts every RT
 * thread; it never leaves the class, which could strand it throttled). In
 * each window of period_ms it lets
 *  - each realtime thread use at most (100 - reserve_headroom_pct -
 *    KVMS_WD_MARGIN_PCT) % of a CPU: a thread runs on one CPU at a time, so
 *    a CPU that one thread holds keeps the headroom;
 *  - the realtime threads together use at most that share of N CPUs, N the
 *    online CPUs of the union of their affinities (pinned VMs are held to
 *    the CPUs they are pinned to), at most the number of threads that ran:
 *    the kernel's RT push and pull spread runnable RT threads over the CPUs
 *    they may use, so this bounds each CPU wherever affinities overlap;
 *    less the deadline bandwidth kvmsched's bound vCPUs hold (floors,
 *    limits, latency and boost: the kernel runs them first), their part
 *    on those N CPUs (kvms_wd_dl_ns()), and less what the watchdog itself
 *    ran in the last window (under emulation about 1.3 % of a CPU, more
 *    than KVMS_WD_MARGIN_PCT holds);
 * and once a thread, or all of them, used their share, it runs them
 * SCHED_IDLE until the window ends: host tasks, and the VMs of the other
 * classes, have those CPUs for the rest of it. What they ran past the
 * share before the watchdog saw it (a running thread's sum_exec_runtime
 * is brought up to date by the tick, HZ 250 on Debian; on a nohz_full CPU
 * only once a second, so realtime VMs do not belong there) is taken off
 * the next window.
 *
 * When the kernel refuses the watchdog deadline bandwidth (bound VMs hold
 * it all), it runs SCHED_FIFO 99 instead, tries again every window, and
 * meanwhile runs realtime VMs of priority 99 at 98, so that it still
 * preempts every one of them. Its bandwidth, KVMS_WD_MCPU, is taken out of
 * reservable-mcpu while it holds it.
 *
 * The watchdog sleeps until the soonest time a share could be spent, so a
 * window costs it a few wakeups. It never takes kvms_reg.lock: the period
 * worker holding that lock may be the very task the realtime threads keep
 * off its CPU. The enforcement (enforce.c, under kvms_reg.lock) publishes
 * which threads are realtime, at which priority, in a table the watchdog
 * takes over, and waits until the watchdog has applied it; a VM's or
 * vCPU's threads are forgotten by the watchdog before enforce.c gives them
 * back their original attributes. Requests are serialised by kvms_wd_mutex,
 * taken by fair threads only; the watchdog takes only kvms_wd_lock (a
 * spinlock, held for a few stores).
 *
 * A thread an admin put in SCHED_DEADLINE is left alone while it stays
 * there (taking it out could strand its bandwidth, see enforce.c); any
 * other outside change is set back at the watchdog's next look.
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
#include "enforce.h"
#include "policy.h"
#include "watchdog.h"

/* The watchdog's own deadline reservation: 500 us every 20 ms. */
#define KVMS_WD_RUNTIME_NS	(500 * NSEC_PER_USEC)
#define KVMS_WD_PERIOD_NS	(20 * NSEC_PER_MSEC)

/*
 * Kept for the host on top of reserve_headroom_pct, percent of a CPU: the
 * host's part of a window also holds the watchdog's own wakeup latency and
 * the period worker's run.
 */
#define KVMS_WD_MARGIN_PCT	1

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
 * @stop_ns:	its sum_exec_runtime when it was throttled: what it runs
 *		SCHED_IDLE after that, on CPU nothing else wants, is not
 *		realtime time
 * @debt_ns:	what @p ran past its share last window, off this one's
 * @debt_next_ns: what it ran past its share this window when throttled
 * @rr_mark_ns:	@p's sum_exec_runtime when it last got its CPU, or was
 *		last dipped (round robin)
 * @rr_quantum_ms: the VM's rr_quantum_ms, 0 = FCFS
 * @prio:	SCHED_FIFO priority, KVMSCHED_RT_PRIORITY_MIN..MAX
 * @nice:	the thread's original nice, kept while it runs SCHED_IDLE
 * @throttled:	run SCHED_IDLE for the rest of the window
 * @seen_ns:	@p's sum_exec_runtime when the watchdog last looked
 * @had_cpu:	it held a CPU when it was last throttled, or when the last
 *		window ended: on one, or it ran SCHED_FIFO since the last
 *		look (the watchdog itself, on the CPU it held, preempted it)
 * @first:	it held a CPU when the window started (kvms_wd_pass_of())
 * @newly:	throttled by this look (kvms_wd_pass()'s own)
 * @share_ns:	what it may run this window (kvms_wd_pass()'s own)
 * @left_ns:	what it may still run this window (kvms_wd_pass()'s own)
 * @counted:	its VM's rt_throttled_periods counted this window
 */
struct kvms_wd_ent {
	struct task_struct *p;
	struct kvms_vm *vm;
	struct kvms_vcpu *kv;
	u64 start_ns;
	u64 stop_ns;
	u64 debt_ns;
	u64 debt_next_ns;
	u64 rr_mark_ns;
	u64 seen_ns;
	u32 rr_quantum_ms;
	u8 prio;
	s8 nice;
	bool throttled;
	bool had_cpu;
	bool first;
	bool newly;
	bool counted;
	u64 share_ns;
	u64 left_ns;
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
/* Requests done; written by the watchdog (release), read with acquire. */
static u64 kvms_wd_done;

static DEFINE_MUTEX(kvms_wd_mutex);	/* serialises requesters */
/* Forgets done; written under kvms_wd_mutex, READ_ONCE() elsewhere. */
static u64 kvms_wd_forgets;
static DECLARE_WAIT_QUEUE_HEAD(kvms_wd_wq);
static struct task_struct *kvms_wd_task;

/* The watchdog kthread's own state. */
static struct kvms_wd_table *kvms_wd_cur;
static u64 kvms_wd_win_end;
static unsigned int kvms_wd_windows;	/* windows started, for RR order */
static bool kvms_wd_all;		/* all throttled this window */
static bool kvms_wd_win_counted;	/* kvms_wd_throttled counted it */
static u64 kvms_wd_later_until;	/* passes 3-5 wait until then */
static u64 kvms_wd_later_max;	/* for @first ones: no new look after */
/* Waiting longer for @first threads: their priorities, their CPUs. */
static bool kvms_wd_ext;
static DECLARE_BITMAP(kvms_wd_ext_prios, MAX_RT_PRIO);
static struct cpumask kvms_wd_ext_cpus;
static u64 kvms_wd_dl_tried;		/* window (end) of the last try */
static bool kvms_wd_fifo;		/* in the SCHED_FIFO 99 fallback */
/*
 * What the realtime threads together ran past their share before they
 * were throttled, ns: taken off the next window's, so that over two
 * windows they get the share exactly.
 */
static u64 kvms_wd_debt, kvms_wd_debt_next;
/*
 * What the watchdog itself ran in the last window, ns, off the realtime
 * threads' total: it runs on their CPUs, in their part of a window or the
 * host's. Its sum_exec_runtime when this window started, 0: none yet.
 */
static u64 kvms_wd_self_ns, kvms_wd_self_mark;
static struct cpumask kvms_wd_cpus;

/* Entries in the watchdog's table; written by it, READ_ONCE() by requesters. */
static unsigned int kvms_wd_nr;

/* Windows in which realtime threads were throttled; the watchdog writes. */
u64 kvms_wd_throttled;

/* Deadline bandwidth the watchdog holds, mcpu; the watchdog writes. */
u32 kvms_wd_mcpu;

/* A CPU is going offline or online: no deadline try (kvms_wd_hold_dl()). */
static bool kvms_wd_no_dl;

static u64 kvms_wd_runtime(struct task_struct *p)
{
	return READ_ONCE(p->se.sum_exec_runtime);
}

/* Whether @e's thread holds a CPU: see @had_cpu. */
static bool kvms_wd_holds(const struct kvms_wd_ent *e)
{
	return READ_ONCE(e->p->on_cpu) ||
	       (READ_ONCE(e->p->policy) == SCHED_FIFO &&
		kvms_wd_runtime(e->p) != e->seen_ns);
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

/*
 * Put the watchdog itself in SCHED_DEADLINE, for good, once it guards
 * threads; until the kernel admits it, SCHED_FIFO 99, tried again once a
 * window.
 */
static void kvms_wd_self(void)
{
	struct sched_attr a = { .size = sizeof(a) };
	int err;

	if (READ_ONCE(kvms_wd_mcpu) || kvms_wd_dl_tried == kvms_wd_win_end ||
	    READ_ONCE(kvms_wd_no_dl))
		return;
	kvms_wd_dl_tried = kvms_wd_win_end;
	a.sched_policy = SCHED_DEADLINE;
	a.sched_runtime = KVMS_WD_RUNTIME_NS;
	a.sched_deadline = KVMS_WD_PERIOD_NS;
	a.sched_period = KVMS_WD_PERIOD_NS;
	err = sched_setattr_nocheck(current, &a);
	if (!err) {
		if (kvms_wd_fifo)
			pr_info("watchdog: SCHED_DEADLINE now\n");
		kvms_wd_fifo = false;
		WRITE_ONCE(kvms_wd_mcpu, KVMS_WD_MCPU);
		return;
	}
	if (kvms_wd_fifo)
		return;
	pr_warn("watchdog: no SCHED_DEADLINE (%d): SCHED_FIFO 99 until there is; realtime VMs at 99 run at 98\n",
		err);
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = MAX_RT_PRIO - 1;
	if (!sched_setattr_nocheck(current, &a))
		kvms_wd_fifo = true;
}

/* The priority @e runs at: under the watchdog's, when that is FIFO 99. */
static int kvms_wd_prio(const struct kvms_wd_ent *e)
{
	return kvms_wd_fifo ? min_t(int, e->prio, MAX_RT_PRIO - 2) : e->prio;
}

/* Run @e's thread SCHED_FIFO at its priority, or SCHED_IDLE (@throttle). */
static void kvms_wd_set(const struct kvms_wd_ent *e, bool throttle)
{
	struct sched_attr a = { .size = sizeof(a),
				.sched_flags = SCHED_FLAG_RESET_ON_FORK };
	struct task_struct *p = e->p;
	int policy = READ_ONCE(p->policy);

	/* an admin's deadline thread: leaving the class could strand it */
	if (policy == SCHED_DEADLINE)
		return;
	if (READ_ONCE(p->flags) & PF_EXITING) {
		/* let it die at fair speed, whatever its window */
		if (policy == SCHED_NORMAL)
			return;
		a.sched_policy = SCHED_NORMAL;
		a.sched_nice = e->nice;
	} else if (throttle) {
		if (policy == SCHED_IDLE)
			return;
		a.sched_policy = SCHED_IDLE;
		a.sched_nice = e->nice;
	} else {
		if (policy == SCHED_FIFO &&
		    READ_ONCE(p->rt_priority) == kvms_wd_prio(e))
			return;
		a.sched_policy = SCHED_FIFO;
		a.sched_priority = kvms_wd_prio(e);
	}
	/* RESET_ON_FORK: a vCPU thread's children are not realtime (or idle) */
	sched_setattr_nocheck(p, &a);
}

/* Whether kvms_wd_set() may run @e's thread SCHED_FIFO. */
static bool kvms_wd_may_hold(const struct kvms_wd_ent *e)
{
	return READ_ONCE(e->p->policy) != SCHED_DEADLINE &&
	       !(READ_ONCE(e->p->flags) & PF_EXITING);
}

/* Move a running round-robin thread behind the waiting ones of its level. */
static void kvms_wd_dip(const struct kvms_wd_ent *e)
{
	struct sched_attr a = { .size = sizeof(a),
				.sched_flags = SCHED_FLAG_RESET_ON_FORK };
	int prio = kvms_wd_prio(e);

	if (prio > KVMSCHED_RT_PRIORITY_MIN) {
		a.sched_policy = SCHED_FIFO;
		a.sched_priority = prio - 1;
	} else {
		a.sched_policy = SCHED_NORMAL;
		a.sched_nice = e->nice;
	}
	if (sched_setattr_nocheck(e->p, &a))
		return;
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = prio;
	a.sched_nice = 0;
	sched_setattr_nocheck(e->p, &a);
}

/*
 * Round robin: dip each thread that has run its quantum of CPU since it
 * got its CPU, if a thread of its priority waits. The next look in *@wake.
 */
static void kvms_wd_rotate(struct kvms_wd_table *t, u64 now, u64 *wake)
{
	DECLARE_BITMAP(waiting, MAX_RT_PRIO);
	unsigned int i;

	bitmap_zero(waiting, MAX_RT_PRIO);
	for (i = 0; i < t->n; i++) {
		struct task_struct *p = t->e[i].p;

		if (READ_ONCE(p->on_rq) && !READ_ONCE(p->on_cpu) &&
		    READ_ONCE(p->policy) == SCHED_FIFO)
			__set_bit(kvms_wd_prio(&t->e[i]), waiting);
	}
	for (i = 0; i < t->n; i++) {
		struct kvms_wd_ent *e = &t->e[i];
		u64 q = (u64)e->rr_quantum_ms * NSEC_PER_MSEC, r, ran;

		/* not ours to move: an admin's deadline thread, an exiting one */
		if (!q || e->throttled ||
		    READ_ONCE(e->p->policy) != SCHED_FIFO ||
		    (READ_ONCE(e->p->flags) & PF_EXITING))
			continue;
		r = kvms_wd_runtime(e->p);
		if (!READ_ONCE(e->p->on_cpu)) {
			/* its quantum starts when it runs; a look per quantum */
			e->rr_mark_ns = r;
			*wake = min(*wake, now + q);
			continue;
		}
		ran = r - min(r, e->rr_mark_ns);
		if (ran >= q && test_bit(kvms_wd_prio(e), waiting)) {
			kvms_wd_dip(e);
			e->rr_mark_ns = kvms_wd_runtime(e->p);
			ran = 0;
		}
		/* past its quantum with nobody waiting: look again in one */
		*wake = min(*wake, now + (ran >= q ? q : max(q - ran, KVMS_WD_MIN_SLEEP_NS)));
	}
}

/* What @e ran as a realtime thread this window, ns. */
static u64 kvms_wd_used(const struct kvms_wd_ent *e)
{
	u64 r = e->throttled ? e->stop_ns : kvms_wd_runtime(e->p);

	return r - min(r, e->start_ns);
}

/* Count @t->e[@i]'s VM throttled this window, once. */
static void kvms_wd_count(struct kvms_wd_table *t, unsigned int i)
{
	struct kvms_vm *vm = t->e[i].vm;
	unsigned int j;

	if (!kvms_wd_win_counted) {
		kvms_wd_win_counted = true;
		WRITE_ONCE(kvms_wd_throttled, kvms_wd_throttled + 1);
	}
	for (j = 0; j < t->n; j++)
		if (t->e[j].vm == vm && t->e[j].counted)
			return;
	t->e[i].counted = true;
	WRITE_ONCE(vm->rt_throttled_periods, vm->rt_throttled_periods + 1);
}

/* Start a window: shares, throttling and debts begin anew. */
static void kvms_wd_new_window(struct kvms_wd_table *t, u64 now, u64 window)
{
	unsigned int i;

	/*
	 * The watchdog wakes a little late (timer and wakeup latency, a few
	 * ms under emulation), with the threads throttled meanwhile. Starting
	 * the window now would give all of that to the host, and the
	 * realtime threads would fall short of their share; starting it when
	 * the last one ended would take it all from the host's part of the
	 * window. Split it: the window ends half the delay later.
	 */
	if (kvms_wd_win_end && now < kvms_wd_win_end + window)
		kvms_wd_win_end += window + (now - kvms_wd_win_end) / 2;
	else
		kvms_wd_win_end = now + window;
	kvms_wd_windows++;
	kvms_wd_all = false;
	kvms_wd_win_counted = false;
	kvms_wd_debt = kvms_wd_debt_next;
	kvms_wd_debt_next = 0;
	for (i = 0; i < t->n; i++) {
		struct kvms_wd_ent *e = &t->e[i];

		e->debt_ns = e->debt_next_ns;
		e->debt_next_ns = 0;
		e->start_ns = kvms_wd_runtime(e->p);
		e->rr_mark_ns = e->start_ns;	/* quanta start anew */
		if (!e->throttled)	/* else: when it was throttled */
			e->had_cpu = kvms_wd_holds(e);
		e->throttled = false;
		e->counted = false;
	}
}

/*
 * In which pass kvms_wd_pass() applies @e: throttled threads that wait
 * before those on a CPU (else a waiting FIFO thread would take the CPU for
 * a moment); then FCFS threads that held a CPU when they were throttled:
 * first those that held one since the window started (@first), then those
 * that took one in the window (from a thread its own share throttled
 * first, or that halted); then the other FCFS threads, in table order
 * (equal priorities queue first come, first served, also when a window
 * starts); then the round-robin ones, from an offset that moves every
 * window, so that none is always queued first. When a window starts, the
 * threads of pass 3 become @first while the @first ones are fewer than
 * the CPUs the threads may use (so that a VM alone keeps all of them).
 *
 * When a window starts with @first threads, the others of passes 3-5 that
 * do not run SCHED_FIFO wait until a look KVMS_WD_MIN_SLEEP_NS later
 * (FCFS ones that still do, not throttled in the last window, run
 * SCHED_IDLE until then, or they would keep a CPU they took in it; a
 * request meanwhile applies every thread but those), after the watchdog
 * slept: it holds a CPU while it sets policies. They wait longer, a look
 * KVMS_WD_MIN_SLEEP_NS at a time, while a @first thread is runnable but
 * has not had a CPU since the last look (kvms_wd_first_waits()), until a
 * tenth of the window has passed (and that look's KVMS_WD_MIN_SLEEP_NS);
 * only those of a waiting one's priority that may run on one of the
 * waiting ones' CPUs do (kvms_wd_rival()). Two @first threads can start a
 * window on one CPU, and the one that waits there reaches the other CPU
 * by an RT push or pull (rt.c: a push finds no CPU the deadline watchdog
 * is queued on, cpupri marks it higher; a pull happens when the CPU
 * leaves a deadline or RT task), to run there once that CPU reschedules.
 * Under emulation a @first thread had no CPU yet at the look after
 * KVMS_WD_MIN_SLEEP_NS in about one window in eight, and got one 1-9 ms
 * into the window. A thread of its priority made SCHED_FIFO before then,
 * on the other CPU, keeps it (a push finds no CPU that runs a lower
 * priority), FCFS, in every window after. On 6.12 a pass-2
 * thread queued there is pushed at once to a CPU that runs no realtime
 * thread (enqueue_pushable_task() marks a runqueue overloaded for one
 * queued RT thread; 6.1 needs two), and a sibling queued behind a holder
 * on another CPU reaches the watchdog's CPU only when the watchdog sleeps
 * (balance_rt(): a pull, or with RT_PUSH_IPI, off without PREEMPT_RT, a
 * push by IPI). A thread of pass 3 made FIFO in the same look could be
 * the only RT thread on the watchdog's CPU then and take it, and the VM
 * that held the CPUs would keep one of them for the window.
 */
#define KVMS_WD_PASSES	6

/*
 * Whether a @first thread is runnable SCHED_FIFO and still has no CPU;
 * the priorities and CPUs of those that are in kvms_wd_ext_*.
 */
static bool kvms_wd_first_waits(const struct kvms_wd_table *t)
{
	unsigned int i;
	bool any = false;

	bitmap_zero(kvms_wd_ext_prios, MAX_RT_PRIO);
	cpumask_clear(&kvms_wd_ext_cpus);
	for (i = 0; i < t->n; i++) {
		const struct kvms_wd_ent *e = &t->e[i];
		struct task_struct *p = e->p;

		if (e->first && !e->throttled &&
		    READ_ONCE(p->policy) == SCHED_FIFO &&
		    READ_ONCE(p->on_rq) && !kvms_wd_holds(e)) {
			__set_bit(kvms_wd_prio(e), kvms_wd_ext_prios);
			cpumask_or(&kvms_wd_ext_cpus, &kvms_wd_ext_cpus,
				   &p->cpus_mask);
			any = true;
		}
	}
	return any;
}

/* Whether @e could take the CPU a waiting @first thread is to get. */
static bool kvms_wd_rival(const struct kvms_wd_ent *e)
{
	return test_bit(kvms_wd_prio(e), kvms_wd_ext_prios) &&
	       cpumask_intersects(&e->p->cpus_mask, &kvms_wd_ext_cpus);
}

static unsigned int kvms_wd_pass_of(const struct kvms_wd_ent *e)
{
	if (e->throttled)
		return e->had_cpu && e->newly ? 1 : 0;
	if (e->rr_quantum_ms)
		return 5;
	if (e->had_cpu)
		return e->first ? 2 : 3;
	return 4;
}

/*
 * The deadline CPU kvmsched's bound vCPU threads may take in a window of
 * @window_ns on @nr_cpus of the online CPUs, ns: the kernel runs them
 * before every realtime thread, so the realtime threads' budget leaves it
 * out, or the host would lose its headroom to the two together. Their
 * bandwidth is admitted over the active CPUs and global EDF spreads it;
 * @nr_cpus of them carry their part. What they hold, not what they use:
 * an idle deadline thread's runtime is CPU the realtime VMs then leave to
 * the other classes.
 */
static u64 kvms_wd_dl_ns(u64 window_ns, unsigned int nr_cpus)
{
	u64 held = READ_ONCE(kvms_dl_held_mcpu);

	return div_u64(window_ns / 1000 * held * nr_cpus,
		       max(num_active_cpus(), 1U));
}

/*
 * One look at the realtime threads: start a window when the last one
 * ended, throttle the threads that spent their share (all of them when
 * they spent the total), apply their policy, rotate round-robin ones.
 * Return: when to look again (absolute ns, CLOCK_MONOTONIC), or U64_MAX
 * when there is nothing to guard.
 */
static u64 kvms_wd_pass(u64 now)
{
	u32 head = READ_ONCE(kvms_config.reserve_headroom_pct) + KVMS_WD_MARGIN_PCT;
	struct kvms_wd_table *t = kvms_wd_cur;
	u64 window, budget, cap, used = 0, wake, left;
	unsigned int i, k, nr_cpus, nr_ran = 0;
	unsigned int firsts = 0, nr_usable;
	bool all, fresh = false, later = now < kvms_wd_later_until;

	if (!t || !t->n) {
		kvms_wd_win_end = 0;
		kvms_wd_self_mark = 0;
		return U64_MAX;
	}
	window = (u64)READ_ONCE(kvms_config.period_ms) * NSEC_PER_MSEC;
	if (now >= kvms_wd_win_end) {
		u64 self = kvms_wd_runtime(current);

		kvms_wd_self_ns = kvms_wd_self_mark ?
			min(self - kvms_wd_self_mark, div_u64(window, 10)) : 0;
		kvms_wd_self_mark = self;
		kvms_wd_new_window(t, now, window);
		fresh = true;
		kvms_wd_later_max = 0;
		kvms_wd_ext = false;
	} else if (!later && now < kvms_wd_later_max) {
		/* the @first threads: each on a CPU yet? */
		kvms_wd_ext = kvms_wd_first_waits(t);
		if (kvms_wd_ext) {
			later = true;
			kvms_wd_later_until = now + KVMS_WD_MIN_SLEEP_NS;
		} else {
			kvms_wd_later_max = 0;
		}
	}
	kvms_wd_self();
	cap = kvms_policy_rt_budget_ns(window, head, 1);
	cpumask_clear(&kvms_wd_cpus);
	for (i = 0; i < t->n; i++) {
		struct task_struct *p = t->e[i].p;
		u64 r = kvms_wd_used(&t->e[i]);

		used += r;
		if (r || READ_ONCE(p->on_cpu))
			nr_ran++;
		cpumask_or(&kvms_wd_cpus, &kvms_wd_cpus, &p->cpus_mask);
	}
	cpumask_and(&kvms_wd_cpus, &kvms_wd_cpus, cpu_online_mask);
	nr_usable = cpumask_weight(&kvms_wd_cpus);
	nr_cpus = clamp(nr_usable, 1U, max(nr_ran, 1U));
	budget = kvms_policy_rt_budget_ns(window, head, nr_cpus);
	budget -= min(budget, kvms_wd_debt + kvms_wd_dl_ns(window, nr_cpus) +
		      kvms_wd_self_ns);
	left = kvms_policy_rt_check_ns(budget, used, nr_cpus,
				       KVMS_WD_MIN_SLEEP_NS);
	all = !left && !kvms_wd_all;
	if (all)
		kvms_wd_all = true;
	wake = kvms_wd_win_end;
	/* decide, and see who holds a CPU, before anything changes */
	for (i = 0; i < t->n; i++) {
		struct kvms_wd_ent *e = &t->e[i];
		u64 r = kvms_wd_used(e);

		e->share_ns = cap - min(cap, e->debt_ns);
		e->left_ns = kvms_policy_rt_check_ns(e->share_ns, r, 1,
						     KVMS_WD_MIN_SLEEP_NS);
		e->newly = !e->throttled && (kvms_wd_all || !e->left_ns);
		if (!e->newly)
			continue;
		e->throttled = true;
		e->had_cpu = kvms_wd_holds(e);
		kvms_wd_count(t, i);
	}
	for (k = 0; k < KVMS_WD_PASSES * t->n; k++) {
		unsigned int pass = k / t->n;
		struct kvms_wd_ent *e;

		i = k % t->n;
		if (pass == KVMS_WD_PASSES - 1)
			i = (i + kvms_wd_windows) % t->n;
		e = &t->e[i];
		if (kvms_wd_pass_of(e) != pass)
			continue;
		if (fresh) {
			/* pass 2, then pass 3 while there are CPUs left */
			e->first = kvms_wd_may_hold(e) &&
				   (pass == 2 ||
				    (pass == 3 && firsts < nr_usable));
			if (e->first && !firsts++) {
				later = true;
				kvms_wd_later_until = now + KVMS_WD_MIN_SLEEP_NS;
				kvms_wd_later_max = now + div_u64(window, 10);
			}
		}
		if (pass >= 3 && later && !e->first &&
		    (fresh || READ_ONCE(e->p->policy) == SCHED_IDLE) &&
		    (!kvms_wd_ext || kvms_wd_rival(e))) {
			/* after the @first ones took their CPUs */
			if (fresh && pass <= 4)
				kvms_wd_set(e, true);
			wake = min(wake, kvms_wd_later_until);
			continue;
		}
		kvms_wd_set(e, e->throttled);
		if (!e->throttled) {
			wake = min(wake, now + e->left_ns);
		} else if (e->newly) {
			/* up to date now that it left the RT class */
			u64 r;

			e->stop_ns = max(kvms_wd_runtime(e->p), e->start_ns);
			r = e->stop_ns - e->start_ns;
			e->debt_next_ns = min(r - min(r, e->share_ns), cap);
		}
	}
	if (all) {
		/* leaving the RT class brought their runtimes up to date */
		used = 0;
		for (i = 0; i < t->n; i++)
			used += kvms_wd_used(&t->e[i]);
		kvms_wd_debt_next = min(used - min(used, budget), budget);
	}
	if (!kvms_wd_all) {
		wake = min(wake, now + left);
		kvms_wd_rotate(t, now, &wake);
	}
	/* after a round-robin dip, which brings the dipped one up to date */
	for (i = 0; i < t->n; i++)
		t->e[i].seen_ns = kvms_wd_runtime(t->e[i].p);
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
 * A new table's threads carry on the window of those already held (windows
 * are not aligned with periods); new ones start theirs now, unthrottled.
 */
static void kvms_wd_carry(struct kvms_wd_table *new, struct kvms_wd_table *old)
{
	unsigned int i, j;

	for (i = 0; i < new->n; i++) {
		struct kvms_wd_ent *e = &new->e[i];

		e->start_ns = kvms_wd_runtime(e->p);
		e->rr_mark_ns = e->start_ns;
		e->seen_ns = e->start_ns;
		for (j = 0; old && j < old->n; j++) {
			/* usually the same index: look there first */
			const struct kvms_wd_ent *o = &old->e[(i + j) % old->n];

			if (o->p != e->p)
				continue;
			e->start_ns = o->start_ns;
			e->stop_ns = o->stop_ns;
			e->debt_ns = o->debt_ns;
			e->debt_next_ns = o->debt_next_ns;
			e->rr_mark_ns = o->rr_mark_ns;
			e->throttled = o->throttled;
			e->had_cpu = o->had_cpu;
			e->first = o->first;
			e->seen_ns = o->seen_ns;
			e->counted = o->counted;
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
			/* pairs with the requester's acquire: the table applied */
			smp_store_release(&kvms_wd_done, ticket);
			spin_unlock(&kvms_wd_lock);
			wake_up_all(&kvms_wd_wq);
		}
		set_current_state(TASK_INTERRUPTIBLE);
		/* a request made since the take: do it before sleeping */
		if (READ_ONCE(kvms_wd_req) != smp_load_acquire(&kvms_wd_done) ||
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
	/* pairs with the watchdog's release once it applied the request */
	wait_event(kvms_wd_wq, smp_load_acquire(&kvms_wd_done) >= ticket);
	if (!set)
		WRITE_ONCE(kvms_wd_forgets, kvms_wd_forgets + 1);
	mutex_unlock(&kvms_wd_mutex);
}

/*
 * What kvms_wd_publish() last handed over (no task references: the
 * watchdog holds them, so no address is reused while it is there), and the
 * forgets since; under kvms_reg.lock.
 */
static struct kvms_wd_table *kvms_wd_last;
static unsigned int kvms_wd_last_cap;
static u64 kvms_wd_last_forgets;

/*
 * Does @t hold what the watchdog holds already? Else remember it. Saves a
 * wakeup of the watchdog, and of the period worker waiting for it, every
 * period.
 */
static bool kvms_wd_same(const struct kvms_wd_table *t)
{
	u64 forgets = READ_ONCE(kvms_wd_forgets);
	unsigned int i;

	if (kvms_wd_last && t->n == kvms_wd_last->n &&
	    forgets == kvms_wd_last_forgets) {
		for (i = 0; i < t->n; i++) {
			const struct kvms_wd_ent *a = &t->e[i], *b = &kvms_wd_last->e[i];

			if (a->p != b->p || a->vm != b->vm || a->kv != b->kv ||
			    a->prio != b->prio || a->rr_quantum_ms != b->rr_quantum_ms)
				break;
		}
		if (i == t->n)
			return true;
	}
	if (!kvms_wd_last || t->n > kvms_wd_last_cap) {
		struct kvms_wd_table *l;

		l = kvmalloc(struct_size(l, e, t->n), GFP_KERNEL);
		if (!l) {
			/* sent, and nothing remembered: the next one is sent too */
			kvfree(kvms_wd_last);
			kvms_wd_last = NULL;
			kvms_wd_last_cap = 0;
			return false;
		}
		kvfree(kvms_wd_last);
		kvms_wd_last = l;
		kvms_wd_last_cap = t->n;
	}
	kvms_wd_last->n = t->n;
	memcpy(kvms_wd_last->e, t->e, flex_array_size(t, e, t->n));
	kvms_wd_last_forgets = forgets;
	return false;
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
		}
	}
	if (kvms_wd_same(t)) {
		kvms_wd_free(t);
		return;
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
 * kvms_wd_hold_dl() - keep the watchdog from taking deadline bandwidth
 * @hold:	true while a CPU goes offline or online
 *
 * In its SCHED_FIFO fallback the watchdog tries SCHED_DEADLINE once a
 * window; the bandwidth kvms_enforce_cpu_offline() frees for the CPUs that
 * stay must not go to it instead, or the offline is refused.
 *
 * Context: any.
 */
void kvms_wd_hold_dl(bool hold)
{
	WRITE_ONCE(kvms_wd_no_dl, hold);
}

/**
 * kvms_wd_init() - start the watchdog kthread (module init)
 *
 * Return: 0 or the error of kthread_run().
 */
int kvms_wd_init(void)
{
	struct task_struct *t;

	BUILD_BUG_ON(KVMS_WD_RUNTIME_NS * 1000 / KVMS_WD_PERIOD_NS != KVMS_WD_MCPU);
	t = kthread_run(kvms_wd_fn, NULL, "kvmsched-wd");
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
	kvfree(kvms_wd_last);
	kvms_wd_cur = NULL;
	kvms_wd_next = NULL;
	kvms_wd_last = NULL;
}
