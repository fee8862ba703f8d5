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
 *   realtime    SCHED_FIFO at the VM's rt_priority, applied, rotated (round
 *               robin) and bounded by the starvation watchdog (watchdog.c):
 *               this file records the threads' originals and hands the
 *               watchdog the table of realtime threads after each decision
 *   bound       a VM with a reservation that wants CPU, or with a limit
 *               (always): SCHED_DEADLINE on its active vCPUs, each with its
 *               part of the entitlement (a limit-bound VM: of min(limit,
 *               share)) as runtime per KVMS_DL_PERIOD_NS (a latency VM's:
 *               per latency_us), no reclaiming;
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
 * thread's original policy, nice, reset-on-fork flag and (6.12) custom
 * slice before its first change, once per thread (a thread that runs
 * several vCPUs is managed by the first of them), sets them back if
 * something else changes them (counted in sched.overrides), and restores
 * the originals when the VM goes, when its class or bounds change, when
 * another thread takes over the vCPU, and on rmmod. Threads found in an RT
 * or deadline policy are left alone.
 *
 * Which threads may run SCHED_DEADLINE is decided per period by
 * kvms_dl_check() (dlbudget.c), before any of the VM's threads is changed:
 * not a thread pinned to fewer than the active CPUs (the kernel's deadline
 * admission is per root domain, and the affinity check of the syscall is
 * skipped by sched_setattr_nocheck(), so pinned deadline threads could
 * take a CPU whole: checked every period, so an affinity narrowed after
 * the fact, e.g. by a cpuset, is seen within one period), not a thread
 * that left the class throttled and whose 0-lag time is still ahead (it
 * would stay throttled for good), and a deadline thread found runnable,
 * throttled and without a replenishment timer is taken out of the class.
 * If any thread of a bound VM cannot, or the kernel's admission refuses
 * (-EBUSY), the whole VM falls back to weights (a limited one to
 * SCHED_IDLE) for that period (kvms_dl_refused counts it); but a thread in
 * SCHED_DEADLINE refused more runtime keeps what it has (kvms_dl_grow_
 * refused(), also counted). VMs whose
 * deadline runtime shrinks are applied before those whose runtime grows,
 * so the kernel's admission sees the freed bandwidth first.
 *
 * Runs in the period worker with kvms_reg.lock held; setting attributes may
 * sleep, which is fine there.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/deadline.h>
#include <linux/sched/task.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "compat.h"
#include "config.h"
#include "enforce.h"
#include "names.h"
#include "watchdog.h"

/* Deadline period (= relative deadline) of bound vCPUs, ns. */
#define KVMS_DL_PERIOD_NS	(10 * NSEC_PER_MSEC)

/* Periods in which a bound VM could not be given SCHED_DEADLINE; period worker. */
unsigned long kvms_dl_refused;

/* Lost deadline bandwidth releases re-armed (kvms_dl_reclaim()). */
atomic_long_t kvms_dl_reclaimed = ATOMIC_LONG_INIT(0);

/* Reservations over reservable-mcpu after capacity shrank; period worker. */
u32 kvms_overcommit_mcpu;

/*
 * Deadline bandwidth kvmsched's vCPU threads hold (reservations, limits,
 * latency and boost), mcpu: written under the registry's lock after each
 * decision, read by the watchdog with READ_ONCE().
 */
u32 kvms_dl_held_mcpu;

/*
 * The CPU kvms_enforce_cpu_offline() is taking offline, or -1: while it is
 * still active, kvms_capacity_mcpu() leaves it out. Written under the
 * registry's lock with kvms_cpu_mutex held, read with READ_ONCE().
 */
static int kvms_capacity_hold_cpu = -1;

/* Serialises kvms_enforce_cpu_offline() and _online(); taken before the registry lock. */
static DEFINE_MUTEX(kvms_cpu_mutex);

/*
 * Set while kvms_enforce_cpu_offline() or _online() runs: the period
 * worker and kvms_enforce_now() then change no thread (kvms_enforce_held()).
 * Written and read under the registry's lock.
 */
static bool kvms_cpu_busy;

/* Pointers handed to the policy and budget cores; period worker only. */
static struct kvms_policy_vm **kvms_policy_vms;
static struct kvms_dlb **kvms_dlbs;
static unsigned int kvms_policy_vms_cap;

/*
 * Deadline runtime of @dl_mcpu per @period_ns, ns: at least the 1024 ns
 * the kernel accepts (__checkparam_dl(): sched_runtime < 1 << DL_SCALE is
 * refused, 6.1 and 6.12), which 1 mcpu of a 1 ms period is not.
 */
static u64 kvms_dl_runtime_ns(u32 dl_mcpu, u64 period_ns)
{
	return max_t(u64, div_u64((u64)dl_mcpu * period_ns, 1000), 1ULL << 10);
}

static bool kvms_fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH;
}

/*
 * Give the kernel back the deadline bandwidth of a thread that has just left
 * SCHED_DEADLINE blocked. The kernel releases a leaving thread's bandwidth
 * at its 0-lag time: at once if that has passed, else by the thread's
 * "inactive timer" (switched_from_dl() -> task_non_contending(), and
 * inactive_task_timer() for a task that is no longer a deadline task; 6.1
 * and 6.12 alike). A thread that is blocked when it leaves (a halted or
 * stopped vCPU) and whose timer is not armed (it already fired while the
 * thread slept, or the 0-lag time had passed when it blocked) takes neither
 * path: switched_from_dl() only calls task_non_contending() for a queued
 * task, and sched_dl_overflow() leaves the release to it. Its bandwidth
 * would then stay booked in the root domain's total_bw for good (reproduced
 * on both kernels: chrt a sleeping deadline task back to SCHED_OTHER), and
 * deadline admission would shrink with every such exit. Checking "blocked"
 * before the switch cannot close the race with the thread halting meanwhile.
 *
 * So check afterwards, under p->pi_lock (held by sched_setattr() and by
 * the timer's task_rq_lock(); p->prio only changes under it): a thread
 * that no longer runs in the deadline class (its prio, not its policy: a
 * thread PI-boosted by a deadline waiter stays in the class, and its own
 * dequeue arms the timer) but still carries a bandwidth (dl.dl_bw; the
 * kernel clears it when it releases, __dl_clear_params()) with no inactive
 * timer pending is one whose release was lost. Arm its inactive timer now,
 * with the task reference the timer puts, as task_non_contending() does:
 * inactive_task_timer() then releases the bandwidth and clears the thread's
 * deadline parameters exactly as for any thread that left the class. Only
 * the deadline class arms that timer (a dequeue or a switch out of it, under
 * the rq lock), so nothing else arms it for a thread outside the class
 * while pi_lock is held; if the thread re-enters the class first,
 * sched_dl_overflow() subtracts the old bandwidth (the timer is active) and
 * switched_to_dl() cancels the timer and puts the reference.
 *
 * Not for a thread that last ran on a CPU that is not active (it halted
 * there and the CPU went offline): the release divides by the active CPUs
 * of that CPU's root domain (__dl_sub() with dl_bw_cpus(), 6.1 and 6.12),
 * none for an offline CPU's default root domain, whose count the next
 * rebuild clears anyway. The caller holds cpus_read_lock() from before the
 * switch: no CPU goes offline or online, and no root domain is rebuilt on
 * 6.12, between the switch, this check and the timer's start (it is
 * started to fire at once; that it has run by the unlock is likely, not
 * certain).
 *
 * Left alone: a root-domain rebuild (CPU hotplug, a cpuset change) between
 * the switch and this check re-counts total_bw from the deadline tasks
 * only, so the release armed here would then subtract once more; the
 * kernel's own pending inactive timers have the same flaw, for longer.
 * kvmsched's own offline and online change no thread meanwhile
 * (kvms_enforce_held()).
 *
 * Context: cpus_read_lock() held.
 * Return: true if a lost release was found and re-armed.
 */
static bool kvms_dl_reclaim(struct task_struct *p)
{
	struct hrtimer *timer = &p->dl.inactive_timer;
	unsigned long flags;
	bool lost;

	/* lockdep_assert_cpus_held() is not exported to modules */
	raw_spin_lock_irqsave(&p->pi_lock, flags);
	lost = !dl_prio(p->prio) && p->dl.dl_bw && !hrtimer_active(timer) &&
	       cpu_active(task_cpu(p));
	if (lost) {
		get_task_struct(p);
		hrtimer_start(timer, 0, HRTIMER_MODE_REL_HARD);
	}
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	return lost;
}

/* How long a blocked, throttled thread may take to be replenished, ms. */
#define KVMS_DL_REPLENISH_WAIT_MS	20

/*
 * A blocked deadline thread can be throttled (it ran out of runtime as it
 * halted) with its inactive timer cancelled, e.g. by a runtime change.
 * Taken out of the class now, nothing would ever reset its throttled flag
 * (the replenishment timer does nothing for a task that is no longer a
 * deadline task, and leaving the class blocked arms no inactive timer), and
 * it could never enter again (kvms_dl_check()). Its replenishment is at
 * most one deadline period away: wait for it, a little.
 */
static void kvms_dl_wait_replenish(struct task_struct *p)
{
	unsigned long end = jiffies + msecs_to_jiffies(KVMS_DL_REPLENISH_WAIT_MS);

	while (p->dl.dl_throttled && !READ_ONCE(p->on_rq) &&
	       time_before(jiffies, end))
		usleep_range(1000, 2000);
}

/* How long a deadline change waits for a thread's wake-up to land, ns. */
#define KVMS_DL_WAKING_WAIT_NS	(5 * NSEC_PER_MSEC)

/*
 * A thread woken with a migration onto another CPU's wake list
 * (try_to_wake_up(): set_task_cpu(), then ttwu_queue_wakelist(); 6.1 and
 * 6.12) is TASK_WAKING and on no runqueue until that CPU runs the list
 * (sched_ttwu_pending()). A deadline thread's bandwidth has then left the
 * old runqueue (migrate_task_rq_dl()) and reaches the new one only at the
 * enqueue (task_contending() with ENQUEUE_MIGRATED). task_rq_lock() does
 * not wait for that, so a sched_setattr() in between books a change of a
 * thread that is not queued on a runqueue that does not count it: a new
 * runtime (dl_change_utilization()) or leaving the class (the not-queued
 * branch of switched_from_dl()) takes off what was never added, and
 * entering it (switched_to_dl()) adds what the enqueue adds again. Each
 * leaves that runqueue's this_bw off for good; a new runtime warned
 * "dl_rq->running_bw > dl_rq->this_bw" (__sub_rq_bw()) on 6.1 and 6.12.
 * The window lasts until the target CPU takes the wake-up: wait it out,
 * a little. A short gap stays between this check and the lock
 * sched_setattr() takes; only the kernel can close it.
 * Return: false if @p is still waking.
 */
static bool kvms_dl_wait_woken(struct task_struct *p)
{
	u64 end = ktime_get_ns() + KVMS_DL_WAKING_WAIT_NS;

	while (READ_ONCE(p->__state) == TASK_WAKING && !READ_ONCE(p->on_rq)) {
		if (ktime_get_ns() > end)
			return false;
		usleep_range(100, 200);
	}
	return true;
}

/*
 * Set @p to (@policy, @nice), or to SCHED_DEADLINE with @dl_mcpu of each
 * @period_ns, keeping what @s recorded of its reset-on-fork flag and custom
 * slice (a deadline thread always resets on fork: it could not fork
 * otherwise).
 */
static int kvms_setattr(struct task_struct *p, const struct kvms_sched *s,
			int policy, int nice, u32 dl_mcpu, u64 period_ns)
{
	struct sched_attr attr;
	bool leaving = false;
	int err;

	if (policy != SCHED_DEADLINE && READ_ONCE(p->policy) == SCHED_DEADLINE) {
		kvms_dl_wait_replenish(p);
		leaving = true;
		/*
		 * The switch and the reclaim (kvms_dl_reclaim()) on one side
		 * of a CPU hotplug: on 6.12 the root domains are rebuilt under
		 * the hotplug lock (sched_cpu_activate()/_deactivate()), so a
		 * release armed after the rebuild would come off a root domain
		 * that never counted the thread. Kernel order: the hotplug
		 * lock before cpuset_mutex (sched_setattr_nocheck()).
		 */
		cpus_read_lock();
	}
	/*
	 * Here too, next to the lock: restores come straight here, and a
	 * leave may have slept in kvms_dl_wait_replenish() since kvms_set()
	 * looked. A thread still waking is changed anyway: a restore cannot
	 * wait for a next period.
	 */
	if (policy == SCHED_DEADLINE || READ_ONCE(p->policy) == SCHED_DEADLINE)
		kvms_dl_wait_woken(p);
	/* Zeroed: on 6.12 a non-zero sched_runtime sets a custom slice. */
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = policy;
	attr.sched_nice = nice;
	if (s->orig_reset_on_fork)
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	if (policy == SCHED_DEADLINE) {
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
		attr.sched_runtime = kvms_dl_runtime_ns(dl_mcpu, period_ns);
		attr.sched_deadline = period_ns;
		attr.sched_period = period_ns;
	} else if (kvms_fair_policy(policy)) {
		attr.sched_runtime = kvms_task_slice_attr(s->orig_slice_ns);
	}
	err = sched_setattr_nocheck(p, &attr);
	if (!err && leaving && kvms_dl_reclaim(p))
		atomic_long_inc(&kvms_dl_reclaimed);
	if (leaving)
		cpus_read_unlock();
	/*
	 * The kernel applies nice to SCHED_NORMAL and SCHED_BATCH only; a
	 * SCHED_IDLE thread keeps its nice for when it leaves the class.
	 */
	if (!err && policy == SCHED_IDLE)
		set_user_nice(p, nice);
	return err;
}

/* Record @p's attributes in @s before kvmsched first changes them. */
static void kvms_save(struct kvms_sched *s, struct task_struct *p)
{
	int policy = READ_ONCE(p->policy);

	s->saved = true;
	s->orig_policy = policy;
	s->orig_nice = task_nice(p);
	s->orig_reset_on_fork = p->sched_reset_on_fork;
	s->orig_slice_ns = kvms_task_custom_slice(p);
	s->foreign = !kvms_fair_policy(policy) && policy != SCHED_IDLE;
}

/*
 * An exiting thread is never put in SCHED_DEADLINE or given another
 * runtime: it may be dead by the time the change lands, and a dead task's
 * bandwidth would then stay booked, or be released twice. But one that is
 * still in the class and runnable (a SIGKILLed VMM's vCPU thread, tearing
 * down the VM with a halted vCPU's 50 mcpu part) is taken out of it, so it
 * dies at fair speed and gives its bandwidth back: a runnable task is not
 * dead, and leaving the class is accounted by the kernel as usual.
 */
static void kvms_exiting_leave_dl(struct task_struct *p, struct kvms_sched *s)
{
	if (!s->applied || READ_ONCE(p->policy) != SCHED_DEADLINE ||
	    !READ_ONCE(p->on_rq))
		return;
	if (!kvms_setattr(p, s, SCHED_NORMAL, 0, 0, 0)) {
		WRITE_ONCE(s->cur_policy, SCHED_NORMAL);
		WRITE_ONCE(s->cur_nice, 0);
		WRITE_ONCE(s->cur_dl_mcpu, 0);
		s->cur_dl_period_ns = 0;
	}
}

/*
 * The deadline period of @vm's vCPU threads, ns: a latency-class VM's
 * latency_us, whatever bound puts them in SCHED_DEADLINE (so the period
 * does not flip when a reservation or limit takes over), else
 * KVMS_DL_PERIOD_NS.
 */
static u64 kvms_vm_dl_period_ns(const struct kvms_vm *vm)
{
	if (vm->class != KVMSCHED_CLASS_LATENCY &&
	    vm->policy.bound != KVMSCHED_BOUND_BOOST)
		return KVMS_DL_PERIOD_NS;
	return (u64)vm->latency_us * NSEC_PER_USEC;
}

/*
 * Set @kv's thread to (@policy, @nice), or to SCHED_DEADLINE with @dl_mcpu
 * of each of its VM's deadline periods, saving its originals first. A vCPU
 * that shares its thread with another (kv->owner) leaves it to that one.
 * Return: 0, or the error of sched_setattr_nocheck().
 */
static int kvms_set(struct kvms_vcpu *kv, int policy, int nice, u32 dl_mcpu)
{
	struct kvms_sched *s = &kv->sched;
	struct task_struct *p = kvms_vcpu_task(kv);
	int cur_policy, cur_nice, err;
	u64 period = 0;

	if (kv->owner)
		return 0;
	if (policy != SCHED_DEADLINE)
		dl_mcpu = 0;
	else
		period = kvms_vm_dl_period_ns(kv->vm);
	if (READ_ONCE(p->flags) & PF_EXITING) {
		kvms_exiting_leave_dl(p, s);
		return 0;
	}
	cur_policy = READ_ONCE(p->policy);
	cur_nice = task_nice(p);
	if (!s->saved)
		kvms_save(s, p);
	if (s->foreign)
		return 0;
	/* nice means nothing outside the fair policies: SCHED_IDLE keeps its own */
	if (!kvms_fair_policy(policy))
		nice = policy == SCHED_IDLE ? s->orig_nice : 0;
	if (s->applied) {
		bool same;

		if (cur_policy != s->cur_policy)
			same = false;
		else if (cur_policy == SCHED_DEADLINE)
			same = READ_ONCE(p->dl.dl_runtime) ==
			       kvms_dl_runtime_ns(s->cur_dl_mcpu,
						  s->cur_dl_period_ns) &&
			       READ_ONCE(p->dl.dl_period) == s->cur_dl_period_ns;
		else	/* nice counts for the fair policies only */
			same = !kvms_fair_policy(cur_policy) ||
			       cur_nice == s->cur_nice;
		if (!same)
			WRITE_ONCE(s->overrides, s->overrides + 1);
		else if (policy == s->cur_policy && nice == s->cur_nice &&
			 dl_mcpu == s->cur_dl_mcpu &&
			 period == s->cur_dl_period_ns)
			return 0;	/* nothing to do */
	}
	/*
	 * Still waking (kvms_dl_wait_woken()): the next period tries again,
	 * and the budget takes no feedback from this one.
	 */
	if ((policy == SCHED_DEADLINE || cur_policy == SCHED_DEADLINE) &&
	    !kvms_dl_wait_woken(p)) {
		kv->vm->dlb.replanned = true;
		return 0;
	}
	err = kvms_setattr(p, s, policy, nice, dl_mcpu, period);
	if (err)
		return err;	/* e.g. the thread is exiting: try next period */
	s->applied = true;
	WRITE_ONCE(s->cur_policy, policy);
	WRITE_ONCE(s->cur_nice, nice);
	WRITE_ONCE(s->cur_dl_mcpu, dl_mcpu);
	s->cur_dl_period_ns = period;
	/*
	 * PF_EXITING was checked without a lock: a thread that died before
	 * the change would keep its deadline bandwidth booked for good (the
	 * kernel releases it when a deadline task dies). Take it back out.
	 */
	if (policy == SCHED_DEADLINE && (READ_ONCE(p->flags) & PF_EXITING)) {
		kvms_setattr(p, s, s->orig_policy, s->orig_nice, 0, 0);
		WRITE_ONCE(s->cur_policy, s->orig_policy);
		WRITE_ONCE(s->cur_dl_mcpu, 0);
		s->cur_dl_period_ns = 0;
	}
	return 0;
}

/* Put @kv's thread back as kvmsched found it. */
static void kvms_restore(struct kvms_vcpu *kv)
{
	struct kvms_sched *s = &kv->sched;
	struct task_struct *p = kvms_vcpu_task(kv);

	if (s->applied && !(READ_ONCE(p->flags) & PF_EXITING))
		kvms_setattr(p, s, s->orig_policy, s->orig_nice, 0, 0);
	else
		kvms_exiting_leave_dl(p, s);
	s->applied = false;
	WRITE_ONCE(s->cur_dl_mcpu, 0);
	s->cur_dl_period_ns = 0;
	WRITE_ONCE(s->dl_block, KVMSCHED_DL_BLOCK_NONE);
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
	bool left_dl = false;

	kvms_wd_forget(vm, NULL);
	list_for_each_entry(kv, &vm->vcpus, node) {
		if (kv->sched.applied && kv->sched.cur_policy == SCHED_DEADLINE)
			left_dl = true;
		kvms_restore(kv);
	}
	vm->mix.carry = 0;
	/* only a thread that left SCHED_DEADLINE must wait to enter again */
	vm->mix.restored |= left_dl;
	kvms_dlb_reset(&vm->dlb);
}

/**
 * kvms_enforce_rethread() - another thread runs a vCPU now
 * @kv:		the vCPU, linked, before kvms_vcpu_set_task()
 *
 * Gives the old thread back its original attributes: the new thread's are
 * recorded afresh at its first change.
 *
 * Context: the discovery worker, kvms_reg.lock held; may sleep.
 */
void kvms_enforce_rethread(struct kvms_vcpu *kv)
{
	struct kvms_sched *s = &kv->sched;
	u32 overrides = s->overrides, blocked = s->dl_blocked;

	kvms_wd_forget(NULL, kv);
	kvms_restore(kv);
	memset(s, 0, sizeof(*s));
	s->overrides = overrides;
	s->dl_blocked = blocked;
	memset(&kv->acct, 0, sizeof(kv->acct));
	kv->active = false;
	kv->light = false;
}

/* What kvms_dl_check() needs to know of @kv's thread. */
static void kvms_dl_view(const struct kvms_vcpu *kv, struct kvms_dl_view *t)
{
	struct task_struct *p = kvms_vcpu_task(kv);

	t->in_dl = READ_ONCE(p->policy) == SCHED_DEADLINE;
	/* cpus_mask, not cpus_ptr: a migrate_disable() section narrows that */
	t->narrowed = !cpumask_subset(cpu_active_mask, &p->cpus_mask);
	t->throttled = p->dl.dl_throttled;
	t->inactive_armed = hrtimer_active(&p->dl.inactive_timer);
	t->runnable = READ_ONCE(p->on_rq);
	t->timer_armed = hrtimer_active(&p->dl.dl_timer);
	t->exiting = READ_ONCE(p->flags) & PF_EXITING;
	t->cpu_ns = kv->acct.last_cpu_ns;
}

/*
 * May every thread of @vm run SCHED_DEADLINE this period? Checked before
 * any of them is changed, so a VM that cannot is not half put in the class
 * and out again. Records why not in each thread's sched.dl_block, and
 * counts it in sched.dl_blocked when @period (once per period).
 */
static bool kvms_dl_vm_ok(struct kvms_vm *vm, bool period)
{
	struct kvms_vcpu *kv;
	bool ok = true;

	list_for_each_entry(kv, &vm->vcpus, node) {
		struct kvms_sched *s = &kv->sched;
		struct kvms_dl_view t;
		u8 why;

		/* only the threads that will run SCHED_DEADLINE */
		if (kv->owner || s->foreign ||
		    (!kv->active && vm->policy.bound != KVMSCHED_BOUND_LIMIT))
			continue;
		kvms_dl_view(kv, &t);
		why = kvms_dl_check(&t);
		if (why != s->dl_block && why != KVMSCHED_DL_BLOCK_NONE &&
		    why != KVMSCHED_DL_BLOCK_EXITING)
			pr_info("vm %u vcpu %u (tid %d): no SCHED_DEADLINE: %s\n",
				vm->id, kv->vcpu_id, kv->tid,
				kvms_dl_block_name(why));
		WRITE_ONCE(s->dl_block, why);
		if (why == KVMSCHED_DL_BLOCK_NONE || why == KVMSCHED_DL_BLOCK_EXITING)
			continue;	/* an exiting thread is left alone */
		if (period)
			WRITE_ONCE(s->dl_blocked, s->dl_blocked + 1);
		ok = false;
	}
	return ok;
}

/* The policy core's copy of @vm's CPU settings. */
static void kvms_policy_settings(struct kvms_vm *vm)
{
	struct kvms_policy_vm *p = &vm->policy;

	p->class = vm->class;
	p->weight = vm->weight;
	p->rt_priority = vm->rt_priority;
	p->boost_below_us = READ_ONCE(kvms_config.burst_boost) ?
			    READ_ONCE(kvms_config.burst_threshold_us) : 0;
	p->reservation_mcpu = vm->reservation_mcpu;
	p->limit_mcpu = vm->limit_mcpu;
}

/*
 * Has @kv's thread waited for a CPU, without running, for @limit_ns, and
 * not been reported for this wait? The wait is the kernel's own: the time
 * since sched_info_enqueue() stamped sched_info.last_queued (on a wakeup,
 * a preemption or a migration), which sched_info_arrive() clears when the
 * thread runs (kernel/sched/stats.h, 6.1 and 6.12), against the same
 * clock (rq_clock() follows sched_clock_cpu()). run_delay would not do: it
 * grows only when the wait ends, so a thread that never runs shows none.
 */
static bool kvms_starving(struct kvms_vcpu *kv, u64 limit_ns)
{
	u64 since = kvms_vcpu_queued_since(kv), now = 0;

	if (since && limit_ns)
		now = sched_clock_cpu(task_cpu(kvms_vcpu_task(kv)));
	return kvms_acct_starve(&kv->acct, since, now, limit_ns);
}

/*
 * Measure last period's demand of @vm into vm->policy, and account what its
 * bounds did: time throttled by the limit, a reservation miss, feedback.
 *
 * A deadline vCPU that used most of its runtime is held back by it, and
 * its waiting time does not show that (a throttled task is not
 * runnable): it counts as wanting a whole CPU. A vCPU that shares its
 * thread with another counts once, through the vCPU that manages it.
 *
 * In the shares and latency classes, a vCPU that has waited for a CPU
 * without running for starve_ms is counted in vm->starved_count and
 * announced (vm-starved-ntf), once per wait (kvms_starving()).
 */
static void kvms_measure(struct kvms_vm *vm)
{
	struct kvms_policy_vm *p = &vm->policy;
	u8 last_bound = p->bound;
	bool saturated = false;
	struct kvms_vcpu *kv;
	u64 throttled = 0, starve_ns = 0;
	u32 used = 0, nr_threads = 0, starved = 0;

	/* the fair classes promise CPU by weight: say when a vCPU gets none */
	if (vm->class == KVMSCHED_CLASS_SHARES ||
	    vm->class == KVMSCHED_CLASS_LATENCY)
		starve_ns = (u64)READ_ONCE(kvms_config.starve_ms) * NSEC_PER_MSEC;
	kvms_policy_settings(vm);
	p->nr_active = 0;
	p->nr_light = 0;
	p->light_mcpu = 0;
	p->demand_mcpu = 0;
	p->wait_mcpu = 0;
	p->burst_us = 0;
	list_for_each_entry(kv, &vm->vcpus, node) {
		const struct kvms_acct *a = &kv->acct;
		const struct kvms_sched *s = &kv->sched;
		u32 d = kvms_acct_rate(a->last_cpu_ns + a->last_wait_ns,
				       a->last_period_ns, 1000);
		u32 u = kvms_acct_rate(a->last_cpu_ns, a->last_period_ns, 1000);
		u32 tick = kvms_acct_rate(TICK_NSEC, a->last_period_ns, 1000);

		if (kv->owner) {
			kv->active = false;
			kv->light = false;
			continue;
		}
		if (kvms_starving(kv, starve_ns))
			starved++;
		/*
		 * The kernel adds a running thread's time to sum_exec_runtime
		 * in update_curr(): at ticks, switches, enqueues and wakeup
		 * preemptions, so a thread on a CPU at the sample shows up to
		 * a tick less in one period, more in the next. Within a tick
		 * of a whole CPU, it wanted a whole one: else a busy vCPU
		 * looks satisfied now and then (1925 of 2000 for a 2-vCPU VM
		 * on 6.12), and its VM's competitors are given what it seemed
		 * to leave. Not when a tick is a large part of a short period,
		 * nor on a nohz_full CPU, where the lag can be longer (its
		 * remote tick): there it stays a lag.
		 */
		if (a->on_cpu && tick <= KVMS_TICK_ROUND_MCPU && d + tick >= 1000)
			d = 1000;
		p->wait_mcpu += kvms_acct_steal_permille(a);	/* = mcpu */
		nr_threads++;
		used += u;
		if (s->applied && s->cur_policy == SCHED_DEADLINE &&
		    u * 100 >= s->cur_dl_mcpu * KVMS_DL_SATURATED_PCT) {
			d = 1000;
			/* a halted vCPU's small part steers nothing */
			if (kv->active) {
				saturated = true;
				if (last_bound == KVMSCHED_BOUND_LIMIT &&
				    a->last_period_ns > a->last_cpu_ns)
					throttled += a->last_period_ns -
						     a->last_cpu_ns;
			}
		}
		/*
		 * A latency vCPU is active whenever it ran: it is the light,
		 * often waking vCPU the class is for, and in SCHED_DEADLINE
		 * its wait, half of its demand in the fair class, is gone.
		 * Likewise a boosted VM's, or it would lose its boost every
		 * other period.
		 */
		kv->active = d >= (vm->class == KVMSCHED_CLASS_LATENCY ||
				   last_bound == KVMSCHED_BOUND_BOOST ?
				   KVMS_LATENCY_ACTIVE_MCPU : KVMS_ACTIVE_MCPU);
		kv->light = kv->active && d < KVMS_LIGHT_MCPU;
		if (kv->light) {
			p->nr_light++;
			p->light_mcpu += d;
		}
		if (kv->active) {
			p->nr_active++;
			p->demand_mcpu += d;
			/* a vCPU that is preempted more than it halts: no boost */
			p->burst_us = max(p->burst_us, kvms_acct_blocks(a) ?
					  kvms_vcpu_burst_us(kv) : U32_MAX);
		}
	}
	p->used_mcpu = used;
	p->steady = !vm->dlb.replanned;
	vm->dlb.nr_threads = nr_threads;
	kvms_dlb_account(&vm->dlb, last_bound, saturated, used, throttled);
	if (starved) {
		/* each vCPU's stretch counts; one event says the VM's count */
		WRITE_ONCE(vm->starved_count, vm->starved_count + starved);
		pr_info_ratelimited("vm %u: a vCPU waited for a CPU for %u ms without running\n",
				    vm->id, READ_ONCE(kvms_config.starve_ms));
		vm->reg->ops->vm_changed(vm, KVMSCHED_CMD_VM_STARVED_NTF);
	}
}

/*
 * Claim a realtime VM's threads for the watchdog, which sets them
 * SCHED_FIFO (kvms_wd_publish() after the decision): record each thread's
 * originals, for kvms_restore(). A thread found in an RT or deadline
 * policy stays foreign, as in every class.
 */
static void kvms_claim_rt(struct kvms_vm *vm)
{
	struct kvms_vcpu *kv;

	list_for_each_entry(kv, &vm->vcpus, node) {
		struct kvms_sched *s = &kv->sched;
		struct task_struct *p = kvms_vcpu_task(kv);

		if (kv->owner || (READ_ONCE(p->flags) & PF_EXITING))
			continue;
		if (!s->saved)
			kvms_save(s, p);
		if (s->foreign)
			continue;
		s->applied = true;
		WRITE_ONCE(s->cur_policy, SCHED_FIFO);
		WRITE_ONCE(s->cur_nice, 0);
		WRITE_ONCE(s->cur_dl_mcpu, 0);
		s->cur_dl_period_ns = 0;
	}
}

/* Does @kv's thread run SCHED_DEADLINE as kvmsched last set it? */
static bool kvms_dl_held(const struct kvms_vcpu *kv)
{
	const struct kvms_sched *s = &kv->sched;

	return s->applied && s->cur_policy == SCHED_DEADLINE &&
	       READ_ONCE(kvms_vcpu_task(kv)->policy) == SCHED_DEADLINE;
}

/*
 * Was the kernel's refusal (-EBUSY) of @want mcpu for @kv one to ride out:
 * more runtime for a thread that runs SCHED_DEADLINE, on an active CPU
 * (its root domain holds less than the active CPUs, e.g. a CPU coming
 * online before the rebuild)? Not a decrease: the kernel refuses one only
 * when its count is already over what the CPUs hold (a thread asleep on
 * a CPU that went offline counts there), and keeping the larger runtime
 * would break a limit or carry a miscount along.
 */
static bool kvms_dl_grow_refused(const struct kvms_vcpu *kv, u32 want)
{
	return kvms_dl_held(kv) && want > kv->sched.cur_dl_mcpu &&
	       cpu_active(task_cpu(kvms_vcpu_task(kv)));
}

/* @kv out of SCHED_DEADLINE, into its VM's class at its default level. */
static int kvms_set_class_default(struct kvms_vm *vm, struct kvms_vcpu *kv)
{
	if (vm->class == KVMSCHED_CLASS_BACKGROUND)
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
	const struct kvms_policy_vm *p = &vm->policy;
	u32 nr_idle = vm->dlb.nr_threads - min(p->nr_active, vm->dlb.nr_threads);
	u32 idle_part = 0, i = 0;
	struct kvms_vcpu *kv;
	bool kept = false;
	int err;

	if (!total_mcpu)
		return -ENOSPC;
	if (p->bound == KVMSCHED_BOUND_LIMIT && nr_idle) {
		idle_part = kvms_policy_idle_part(total_mcpu, vm->dlb.nr_threads);
		if (p->nr_active)
			total_mcpu -= min(total_mcpu, idle_part * nr_idle);
	}
	list_for_each_entry(kv, &vm->vcpus, node) {
		u32 want = 0;

		if (kv->owner)
			continue;
		if (kv->active)
			want = max(kvms_policy_split(total_mcpu, p->nr_active, i++), 1U);
		else if (idle_part)
			want = idle_part;
		if (want)
			err = kvms_set(kv, SCHED_DEADLINE, 0, want);
		else
			err = kvms_set_class_default(vm, kv);
		if (err == -EBUSY && kvms_dl_grow_refused(kv, want)) {
			kept = true;
			continue;
		}
		if (err)
			return err;
	}
	return kept ? -EAGAIN : 0;
}

/*
 * Apply the policy's and the budget's decision for @vm to its threads:
 * once per period (@period), or at once after a vm-set (kvms_enforce_now()).
 * Only a period steps the nice mix (its error diffusion carry and rotor
 * assume one mix per period) and counts refusals. A VM whose threads were
 * just given back their originals (class or bound change), one of them out
 * of SCHED_DEADLINE, enters that class again only at the next period: a
 * thread that left it moments ago still has its bandwidth booked, or is
 * throttled until its inactive timer fires, so trying now would fail. One
 * whose threads were all outside it (shares to latency) enters at once.
 */
static void kvms_apply(struct kvms_vm *vm, bool period)
{
	const struct kvms_policy_vm *p = &vm->policy;
	struct kvms_dlb *b = &vm->dlb;
	s64 carry = vm->mix.carry;
	struct kvms_mix mix;
	struct kvms_vcpu *kv;
	u32 i = 0, start, k;
	int err;

	if (period)
		vm->mix.restored = false;
	else if (b->runtime && vm->mix.restored)
		return;
	if (vm->class == KVMSCHED_CLASS_REALTIME) {
		kvms_claim_rt(vm);
		return;
	}
	if (b->runtime) {
		if (!kvms_dl_vm_ok(vm, period)) {
			err = -EPERM;
		} else {
			err = kvms_apply_dl(vm, b->runtime);
			if (!err) {
				b->last_runtime = b->runtime;
				return;
			}
			/*
			 * The kernel refused more runtime for a thread that
			 * runs SCHED_DEADLINE (kvms_dl_grow_refused()): it
			 * keeps what it has, and the next period tries again.
			 * Taking it out of the class instead would free nothing
			 * now (its bandwidth stays booked to its 0-lag time)
			 * and, across a rebuild, lose that bandwidth from the
			 * kernel's count for good (kvms_enforce_held()). What
			 * the VM receives meanwhile is no feedback for the
			 * budget (it would correct for the refusal).
			 */
			if (err == -EAGAIN) {
				b->replanned = true;
				if (period)
					WRITE_ONCE(kvms_dl_refused, kvms_dl_refused + 1);
				return;
			}
			pr_warn_ratelimited("vm %u: cannot run bound vCPUs SCHED_DEADLINE (%d), using %s\n",
					    vm->id, err, p->bound == KVMSCHED_BOUND_LIMIT ?
					    "SCHED_IDLE" : "weights");
		}
		if (period)
			WRITE_ONCE(kvms_dl_refused, kvms_dl_refused + 1);
		b->target = 0;
	}
	b->last_runtime = 0;
	/*
	 * A limit without deadline bandwidth (none left in reservable-mcpu,
	 * or the kernel refused it): SCHED_IDLE, the nearest thing to a
	 * ceiling the fair classes have; it runs only on CPU nothing else
	 * wants.
	 */
	if (vm->class == KVMSCHED_CLASS_BACKGROUND ||
	    p->bound == KVMSCHED_BOUND_LIMIT) {
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
	k = kvms_policy_nr_weighted(p);
	kvms_policy_mix(kvms_policy_target_weight(p), k,
			period ? &vm->mix.carry : &carry, &mix);
	/* Rotate which active vCPUs get the higher weight, for fairness inside the VM. */
	start = vm->mix.rotor % k;
	if (period)
		vm->mix.rotor++;
	list_for_each_entry(kv, &vm->vcpus, node) {
		int nice = mix.nice_hi;

		if (kv->owner)
			continue;
		/* a light one takes the higher level: it uses what it wants */
		if (kv->active && (!kv->light || k == p->nr_active)) {
			u32 slot = (i++ + k - start) % k;

			if (slot >= mix.nr_hi)
				nice++;
		}
		if (nice >= KVMS_NICE_IDLE)
			kvms_set(kv, SCHED_IDLE, 0, 0);
		else
			kvms_set(kv, SCHED_NORMAL, nice, 0);
	}
}

/* Is kvms_enforce_cpu_offline() taking a CPU offline that is active still? */
static bool kvms_cpu_leaving(void)
{
	int cpu = READ_ONCE(kvms_capacity_hold_cpu);

	return cpu >= 0 && cpu_active(cpu);
}

/**
 * kvms_capacity_mcpu() - the host's CPU capacity
 *
 * Active CPUs, not online ones: the kernel's deadline admission counts the
 * active CPUs of a root domain (dl_bw_cpus(), 6.1 and 6.12), and a CPU
 * going offline leaves the active mask first (sched_cpu_deactivate()).
 *
 * Return: active CPUs x 1000, less a CPU being taken offline.
 */
u32 kvms_capacity_mcpu(void)
{
	u32 cap = num_active_cpus() * 1000;

	return cap - (kvms_cpu_leaving() ? min(cap, 1000U) : 0);
}

/*
 * What a CPU going offline takes from the deadline bandwidth the others may
 * hold besides its capacity, mcpu: where there is a fair server (6.12), the
 * kernel's offline check (dl_bw_check_overflow() from cpuset_cpu_inactive())
 * still counts the leaving CPU's fair server in the booked bandwidth.
 */
static u32 kvms_offline_extra_mcpu(void)
{
	if (!kvms_cpu_leaving())
		return 0;
	return 1000 * (KVMS_DL_SYS_PCT - KVMS_DL_ADMIT_PCT) / 100;
}

/**
 * kvms_reservable_now() - what the sum of reservations may reach now
 *
 * Return: kvms_reservable_mcpu() for the online CPUs, the headroom tunable
 * and this kernel's deadline admission share, less the deadline bandwidth
 * the realtime watchdog holds (once it has guarded realtime threads).
 */
u32 kvms_reservable_now(void)
{
	u32 r = kvms_reservable_mcpu(kvms_capacity_mcpu(),
				     READ_ONCE(kvms_config.reserve_headroom_pct),
				     KVMS_DL_ADMIT_PCT);

	r -= min(r, READ_ONCE(kvms_wd_mcpu));	/* the watchdog's own */
	return r - min(r, kvms_offline_extra_mcpu());
}

/* Sum the deadline bandwidth the threads hold into kvms_dl_held_mcpu. */
static void kvms_count_dl(struct kvms_registry *reg)
{
	struct kvms_vcpu *kv;
	struct kvms_vm *vm;
	u32 sum = 0;

	list_for_each_entry(vm, &reg->vms, node)
		list_for_each_entry(kv, &vm->vcpus, node)
			if (kvms_dl_held(kv))
				sum += kv->sched.cur_dl_mcpu;
	WRITE_ONCE(kvms_dl_held_mcpu, sum);
}

/*
 * Decide every VM's entitlement and deadline runtime from the demand last
 * measured, and apply them (@period: see kvms_apply()). Return: as
 * kvms_enforce_period().
 */
static int kvms_enforce_decide(struct kvms_registry *reg, bool period)
{
	u32 reservable = kvms_reservable_now(), over, cap, rt_cap;
	unsigned int n = 0;
	struct kvms_vm *vm;
	u32 dl_cap;

	lockdep_assert_held(&reg->lock);
	if (reg->nr_vms > kvms_policy_vms_cap) {
		unsigned int cap = roundup_pow_of_two(reg->nr_vms);
		struct kvms_policy_vm **a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL);
		struct kvms_dlb **d = kvmalloc_array(cap, sizeof(*d), GFP_KERNEL);

		if (!a || !d) {
			kvfree(a);
			kvfree(d);
			return -ENOMEM;
		}
		kvfree(kvms_policy_vms);
		kvfree(kvms_dlbs);
		kvms_policy_vms = a;
		kvms_dlbs = d;
		kvms_policy_vms_cap = cap;
	}
	list_for_each_entry(vm, &reg->vms, node) {
		kvms_policy_vms[n] = &vm->policy;
		kvms_dlbs[n++] = &vm->dlb;
	}
	cap = kvms_capacity_mcpu();
	rt_cap = div_u64((u64)cap * (100 - READ_ONCE(kvms_config.reserve_headroom_pct)),
			 100);
	cap -= kvms_policy_entitle_rt(kvms_policy_vms, n, rt_cap);
	/* from what last period's shares gave: before they are replaced */
	if (period)
		kvms_policy_correct(kvms_policy_vms, n);
	kvms_policy_entitle(kvms_policy_vms, n, cap);
	dl_cap = div_u64((u64)kvms_capacity_mcpu() * KVMS_DL_ADMIT_PCT, 100);
	dl_cap -= min(dl_cap, kvms_offline_extra_mcpu() + READ_ONCE(kvms_wd_mcpu));
	kvms_dlb_plan(kvms_dlbs, n, reservable, dl_cap);
	/* ORDER: what frees deadline bandwidth before what takes it. */
	list_for_each_entry(vm, &reg->vms, node)
		if (!vm->dlb.grows)
			kvms_apply(vm, period);
	list_for_each_entry(vm, &reg->vms, node)
		if (vm->dlb.grows)
			kvms_apply(vm, period);
	kvms_count_dl(reg);
	kvms_wd_publish(reg);

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
 * kvms_enforce_period() - one enforcement period over every VM
 * @reg: the registry, after this period's accounting sample
 *
 * Context: the period worker, reg->lock held; may sleep.
 * Return: 0, 1 if kvms_overcommit_mcpu changed (the caller notifies), or
 * -ENOMEM (nothing was changed this period).
 */
int kvms_enforce_period(struct kvms_registry *reg)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vm, &reg->vms, node)
		kvms_measure(vm);
	return kvms_enforce_decide(reg, true);
}

/* Written by kvms_enforce_now() under kvms_reg.lock; READ_ONCE() elsewhere. */
u64 kvms_apply_last_ns;
u64 kvms_apply_max_ns;

/**
 * kvms_enforce_now() - apply changed CPU settings at once
 * @reg: the registry
 *
 * Decides and applies every VM's CPU from the demand measured in the last
 * period, with the settings as they are now: a vm-set's class, weight or
 * bounds reach the threads before its reply, instead of at the next
 * period. Nothing is measured, so the period's accounting is untouched.
 * Times itself into kvms_apply_last_ns and kvms_apply_max_ns.
 *
 * Context: process context, kvms_enforce_cpu_lock() and reg->lock held; may
 * sleep.
 */
void kvms_enforce_now(struct kvms_registry *reg)
{
	u64 t0 = ktime_get_ns(), dt;
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	/* its caller waited out any CPU offline or online (kvms_enforce_held()) */
	lockdep_assert_held(&kvms_cpu_mutex);
	list_for_each_entry(vm, &reg->vms, node)
		kvms_policy_settings(vm);
	if (kvms_enforce_decide(reg, false) == 1)
		reg->ops->overcommit();
	/* this period's usage was had under two plans: no feedback from it */
	list_for_each_entry(vm, &reg->vms, node)
		vm->dlb.replanned = true;
	dt = ktime_get_ns() - t0;
	WRITE_ONCE(kvms_apply_last_ns, dt);
	if (dt > kvms_apply_max_ns)
		WRITE_ONCE(kvms_apply_max_ns, dt);
}

/**
 * kvms_enforce_held() - is kvmsched taking a CPU offline or online?
 * @reg:	the registry
 *
 * Then no thread may be changed until it is done: the root domains are
 * rebuilt before remove_cpu() and add_cpu() return, and a rebuild
 * re-counts the deadline bandwidth of the deadline tasks only
 * (dl_add_task_root_domain()). A thread taken out of SCHED_DEADLINE just
 * before keeps its bandwidth booked until its inactive timer fires, which
 * then takes it off the new root domain too: its bandwidth goes missing
 * for good (on 6.1, total_bw was seen at minus two vCPUs' reservations,
 * and every later offline was refused). A change made meanwhile could
 * also be one a half-rebuilt root domain refuses, or decided from a CPU
 * count the root domains do not have yet. The period worker skips its
 * period; vm-set and the discovery worker wait (kvms_enforce_cpu_lock()).
 *
 * Context: reg->lock held.
 * Return: true while kvms_enforce_cpu_offline() or _online() runs.
 */
bool kvms_enforce_held(struct kvms_registry *reg)
{
	lockdep_assert_held(&reg->lock);
	return kvms_cpu_busy;
}

/**
 * kvms_enforce_cpu_lock() - wait out kvmsched's CPU offline or online
 *
 * For the paths that may take threads out of SCHED_DEADLINE outside the
 * period (a vm-set's restore, a vCPU's new thread): they run before or
 * after kvms_enforce_cpu_offline() and _online(), never during (see
 * kvms_enforce_held()). Taken before the registry lock; release with
 * kvms_enforce_cpu_unlock().
 *
 * Context: process context; may sleep.
 */
void kvms_enforce_cpu_lock(void)
{
	mutex_lock(&kvms_cpu_mutex);
}

void kvms_enforce_cpu_unlock(void)
{
	mutex_unlock(&kvms_cpu_mutex);
}

/* How long kvms_dl_settle() waits at most, ms. */
#define KVMS_DL_SETTLE_MS	200

/*
 * Wait until no thread kvmsched manages has left SCHED_DEADLINE with its
 * bandwidth still booked (its inactive timer pending until its 0-lag time).
 * A CPU going offline or online rebuilds the root domains, and 6.1 re-books
 * only the bandwidth of tasks that are deadline tasks then
 * (dl_add_task_root_domain()): the pending timer of one that just left
 * would later take its bandwidth off the new root domain a second time.
 */
static void kvms_dl_settle(struct kvms_registry *reg)
{
	unsigned long end = jiffies + msecs_to_jiffies(KVMS_DL_SETTLE_MS);
	struct kvms_vcpu *kv;
	struct kvms_vm *vm;
	bool pending;

	lockdep_assert_held(&reg->lock);
	do {
		pending = false;
		list_for_each_entry(vm, &reg->vms, node) {
			list_for_each_entry(kv, &vm->vcpus, node) {
				struct task_struct *p = kvms_vcpu_task(kv);

				if (READ_ONCE(p->policy) != SCHED_DEADLINE &&
				    hrtimer_active(&p->dl.inactive_timer))
					pending = true;
			}
		}
		if (pending)
			usleep_range(1000, 2000);
	} while (pending && time_before(jiffies, end));
}

/* Attempts, and the pause between them, of kvms_enforce_cpu_offline(). */
#define KVMS_OFFLINE_TRIES	10
#define KVMS_OFFLINE_WAIT_MS	20

/**
 * kvms_enforce_cpu_offline() - take a CPU offline, bound VMs or not
 * @reg:	the registry
 * @cpu:	an online CPU
 * @changed:	set when kvms_overcommit_mcpu changed (the caller notifies)
 *
 * The kernel refuses to offline a CPU while the deadline bandwidth booked
 * in its root domain does not fit on the CPUs that stay (sched_cpu_
 * deactivate(), before any callback a module could register). So the
 * bound VMs are first fitted into the capacity that stays, as if the CPU
 * were gone (floors scale down alike, kvms_dlb_plan()), then the CPU is
 * offlined. Threads that left SCHED_DEADLINE give their bandwidth back at
 * their 0-lag time, so a refusal (-EBUSY) is retried a few times.
 *
 * Context: process context, reg->lock not held; may sleep.
 * Return: 0, or the kernel's error (the decision is then undone).
 */
int kvms_enforce_cpu_offline(struct kvms_registry *reg, unsigned int cpu,
			     bool *changed)
{
	int err, tries = 0;

	mutex_lock(&kvms_cpu_mutex);
	kvms_wd_hold_dl(true);
	mutex_lock(&reg->lock);
	kvms_cpu_busy = true;
	WRITE_ONCE(kvms_capacity_hold_cpu, cpu);
	*changed = kvms_enforce_decide(reg, true) == 1;
	mutex_unlock(&reg->lock);
	for (;;) {
		mutex_lock(&reg->lock);
		kvms_dl_settle(reg);
		mutex_unlock(&reg->lock);
		err = remove_cpu(cpu);
		if (err != -EBUSY || ++tries >= KVMS_OFFLINE_TRIES)
			break;
		msleep(KVMS_OFFLINE_WAIT_MS);
	}
	mutex_lock(&reg->lock);
	WRITE_ONCE(kvms_capacity_hold_cpu, -1);
	kvms_cpu_busy = false;
	if (kvms_enforce_decide(reg, true) == 1)
		*changed = true;
	mutex_unlock(&reg->lock);
	kvms_wd_hold_dl(false);
	mutex_unlock(&kvms_cpu_mutex);
	return err < 0 ? err : 0;	/* 1: it was offline already */
}

/**
 * kvms_enforce_cpu_online() - bring a CPU online
 * @reg:	the registry
 * @cpu:	a possible CPU
 *
 * The next period grows the bound VMs' deadline bandwidth into it.
 *
 * Context: process context, reg->lock not held; may sleep.
 * Return: 0, or the kernel's error.
 */
int kvms_enforce_cpu_online(struct kvms_registry *reg, unsigned int cpu)
{
	int err;

	mutex_lock(&kvms_cpu_mutex);
	kvms_wd_hold_dl(true);
	mutex_lock(&reg->lock);
	kvms_cpu_busy = true;
	kvms_dl_settle(reg);	/* see there: online rebuilds root domains too */
	mutex_unlock(&reg->lock);
	err = add_cpu(cpu);
	mutex_lock(&reg->lock);
	kvms_cpu_busy = false;
	mutex_unlock(&reg->lock);
	kvms_wd_hold_dl(false);
	mutex_unlock(&kvms_cpu_mutex);
	return err < 0 ? err : 0;	/* 1: it was online already */
}

/**
 * kvms_enforce_exit() - free the enforcement state (module exit)
 */
void kvms_enforce_exit(void)
{
	kvfree(kvms_policy_vms);
	kvfree(kvms_dlbs);
	kvms_policy_vms = NULL;
	kvms_dlbs = NULL;
	kvms_policy_vms_cap = 0;
}
