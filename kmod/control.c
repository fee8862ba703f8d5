// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched control core (KVM-free, see control.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>

#include "../uapi/linux/kvmsched.h"
#include "control.h"
#include "policy.h"

static int kvms_why_set(struct kvms_why *why, int attr, int err,
			const char *fmt, ...) __printf(4, 5);

static int kvms_why_set(struct kvms_why *why, int attr, int err,
			const char *fmt, ...)
{
	va_list args;

	why->attr = attr;
	va_start(args, fmt);
	vsnprintf(why->msg, sizeof(why->msg), fmt, args);
	va_end(args);
	return err;
}

/* The CPU bounds @s asks for: consistent, and admitted. */
static int kvms_vm_check_bounds(const struct kvms_vm *vm,
				const struct kvms_vm_settings *s,
				u32 reservable_mcpu, struct kvms_why *why)
{
	bool res_given = kvms_vs_given(s, KVMSCHED_A_VM_RESERVATION_MCPU);
	u32 r = res_given ? s->reservation_mcpu : vm->reservation_mcpu;
	u32 l = kvms_vs_given(s, KVMSCHED_A_VM_LIMIT_MCPU) ? s->limit_mcpu :
							    vm->limit_mcpu;
	int bad = res_given ? KVMSCHED_A_VM_RESERVATION_MCPU :
			      KVMSCHED_A_VM_LIMIT_MCPU;
	u32 nr = READ_ONCE(vm->nr_vcpus), left;
	const char *unused;

	if (kvms_policy_check_bounds(nr, r, l, &unused)) {
		if (r > (u64)nr * KVMS_DL_VCPU_MAX_MCPU)
			return kvms_why_set(why, bad, -EINVAL,
					    "reservation_mcpu %u exceeds nr_vcpus x %u = %u",
					    r, KVMS_DL_VCPU_MAX_MCPU,
					    nr * KVMS_DL_VCPU_MAX_MCPU);
		return kvms_why_set(why, bad, -EINVAL,
				    "reservation_mcpu %u exceeds limit_mcpu %u",
				    r, l);
	}
	if (kvms_policy_admit(reservable_mcpu, vm->reg->reserved_mcpu,
			      vm->reservation_mcpu, r, &left))
		return kvms_why_set(why, KVMSCHED_A_VM_RESERVATION_MCPU, -EBUSY,
				    "reservation_mcpu %u does not fit: %u of %u mcpu left",
				    r, left, reservable_mcpu);
	return 0;
}

/* A realtime VM takes no CPU bounds: the starvation watchdog bounds it. */
static int kvms_vm_check_class(const struct kvms_vm *vm,
			       const struct kvms_vm_settings *s,
			       struct kvms_why *why)
{
	u32 class = kvms_vs_given(s, KVMSCHED_A_VM_CLASS) ? s->class : vm->class;
	u32 r = kvms_vs_given(s, KVMSCHED_A_VM_RESERVATION_MCPU) ?
		s->reservation_mcpu : vm->reservation_mcpu;
	u32 l = kvms_vs_given(s, KVMSCHED_A_VM_LIMIT_MCPU) ? s->limit_mcpu :
							    vm->limit_mcpu;

	if (class != KVMSCHED_CLASS_REALTIME || (!r && !l))
		return 0;
	if (!kvms_vs_given(s, KVMSCHED_A_VM_CLASS))
		return kvms_why_set(why, r ? KVMSCHED_A_VM_RESERVATION_MCPU :
					     KVMSCHED_A_VM_LIMIT_MCPU, -EINVAL,
				    "a realtime VM takes no reservation_mcpu or limit_mcpu (only 0)");
	return kvms_why_set(why, KVMSCHED_A_VM_CLASS, -EINVAL,
			    "class realtime takes no CPU bounds: %s is %u (set it to 0)",
			    r ? "reservation_mcpu" : "limit_mcpu", r ? r : l);
}

/* The memory bounds @s asks for, against the VM's current figures. */
static int kvms_vm_check_mem(struct kvms_vm *vm,
			     const struct kvms_vm_settings *s,
			     struct kvms_why *why)
{
	bool min_given = kvms_vs_given(s, KVMSCHED_A_VM_MEM_MIN_MIB);
	bool max_given = kvms_vs_given(s, KVMSCHED_A_VM_MEM_MAX_MIB);
	struct kvms_balloon_vm b;

	if (!min_given && !max_given)
		return 0;
	/* A VM found since the last balloon round: read its guest RAM now. */
	vm->reg->ops->vm_read_mem(vm);
	b = vm->balloon;
	if (min_given)
		b.min_mib = s->mem_min_mib;
	if (max_given)
		b.max_mib = s->mem_max_mib;
	if (b.min_mib > kvms_balloon_max_mib(&b))
		return kvms_why_set(why, min_given ? KVMSCHED_A_VM_MEM_MIN_MIB :
						     KVMSCHED_A_VM_MEM_MAX_MIB,
				    -EINVAL, "mem_min_mib %u exceeds mem_max_mib %u",
				    b.min_mib, kvms_balloon_max_mib(&b));
	return 0;
}

/**
 * kvms_vm_commit() - validate a VM's new settings whole, then apply them
 * @vm:		a linked VM
 * @s:		the settings to change (@s->given says which)
 * @reservable_mcpu: what all reservations together may reach now
 * @why:	on failure, the attribute at fault and a message naming it and
 *		its allowed range
 *
 * All or nothing: everything that can be refused is checked before
 * anything changes. A new class, or a VM that becomes bound or unbound,
 * gives the VM's threads their original attributes back first (the
 * vm_restore hook); a new class, weight or bound reaches the threads
 * before this returns (the cpu_changed hook). Announces the change
 * (vm_changed) and, for memory settings, asks for new balloon targets
 * (mem_changed).
 *
 * Context: process context, vm->reg->lock held; may sleep.
 * Return: 0; -EINVAL (inconsistent bounds, a realtime VM with bounds, bad
 * name), -EBUSY (reservation
 * not admitted), -EEXIST (name taken) or -ENOMEM, with @why filled in.
 */
int kvms_vm_commit(struct kvms_vm *vm, const struct kvms_vm_settings *s,
		   u32 reservable_mcpu, struct kvms_why *why)
{
	struct kvms_registry *reg = vm->reg;
	bool restore, mem, was_bound, bound;
	const char *msg;
	int err;

	lockdep_assert_held(&reg->lock);
	why->attr = 0;
	why->msg[0] = 0;
	err = kvms_vm_check_class(vm, s, why) ?:
	      kvms_vm_check_bounds(vm, s, reservable_mcpu, why) ?:
	      kvms_vm_check_mem(vm, s, why);
	if (err)
		return err;
	/*
	 * kvms_vm_set_name() checks the name whole (valid, not another live
	 * VM's) before changing it, and it is the first change: a refusal
	 * still leaves everything as it was.
	 */
	if (kvms_vs_given(s, KVMSCHED_A_VM_NAME)) {
		err = kvms_vm_set_name(vm, s->name, &msg);
		if (err)
			return kvms_why_set(why, KVMSCHED_A_VM_NAME, err, "%s", msg);
	}
	/*
	 * New bounds of a VM that stays bound are a new deadline runtime for
	 * threads already in the class: the kernel changes it in place. Only
	 * a VM that becomes bound or unbound, or changes class, gets its
	 * originals back first (a thread leaving SCHED_DEADLINE keeps its
	 * bandwidth booked, or stays throttled, until its inactive timer
	 * fires: putting it back at once would be refused).
	 */
	was_bound = vm->reservation_mcpu || vm->limit_mcpu;
	bound = (kvms_vs_given(s, KVMSCHED_A_VM_RESERVATION_MCPU) ?
		 s->reservation_mcpu : vm->reservation_mcpu) ||
		(kvms_vs_given(s, KVMSCHED_A_VM_LIMIT_MCPU) ?
		 s->limit_mcpu : vm->limit_mcpu);
	restore = (kvms_vs_given(s, KVMSCHED_A_VM_CLASS) &&
		   s->class != vm->class) || was_bound != bound;
	if (restore)
		reg->ops->vm_restore(vm);
	if (kvms_vs_given(s, KVMSCHED_A_VM_CLASS))
		WRITE_ONCE(vm->class, s->class);
	if (kvms_vs_given(s, KVMSCHED_A_VM_WEIGHT))
		WRITE_ONCE(vm->weight, s->weight);
	if (kvms_vs_given(s, KVMSCHED_A_VM_RESERVATION_MCPU))
		kvms_vm_set_reservation(vm, s->reservation_mcpu);
	if (kvms_vs_given(s, KVMSCHED_A_VM_LIMIT_MCPU))
		WRITE_ONCE(vm->limit_mcpu, s->limit_mcpu);
	if (kvms_vs_given(s, KVMSCHED_A_VM_RT_PRIORITY))
		WRITE_ONCE(vm->rt_priority, s->rt_priority);
	if (kvms_vs_given(s, KVMSCHED_A_VM_RR_QUANTUM_MS))
		WRITE_ONCE(vm->rr_quantum_ms, s->rr_quantum_ms);
	if (kvms_vs_given(s, KVMSCHED_A_VM_LATENCY_US))
		WRITE_ONCE(vm->latency_us, s->latency_us);
	if (kvms_vs_given(s, KVMSCHED_A_VM_MEM_SHARES))
		WRITE_ONCE(vm->balloon.shares, s->mem_shares);
	if (kvms_vs_given(s, KVMSCHED_A_VM_MEM_MIN_MIB))
		WRITE_ONCE(vm->balloon.min_mib, s->mem_min_mib);
	if (kvms_vs_given(s, KVMSCHED_A_VM_MEM_MAX_MIB))
		WRITE_ONCE(vm->balloon.max_mib, s->mem_max_mib);
	reg->gen++;
	if (kvms_vs_given(s, KVMSCHED_A_VM_CLASS) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_WEIGHT) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_RESERVATION_MCPU) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_LIMIT_MCPU) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_RT_PRIORITY) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_RR_QUANTUM_MS) ||
	    kvms_vs_given(s, KVMSCHED_A_VM_LATENCY_US))
		reg->ops->cpu_changed(reg);
	reg->ops->vm_changed(vm, KVMSCHED_CMD_VM_CHANGE_NTF);
	mem = kvms_vs_given(s, KVMSCHED_A_VM_MEM_SHARES) ||
	      kvms_vs_given(s, KVMSCHED_A_VM_MEM_MIN_MIB) ||
	      kvms_vs_given(s, KVMSCHED_A_VM_MEM_MAX_MIB);
	if (mem)
		reg->ops->mem_changed();
	return 0;
}

/**
 * kvms_config_commit() - validate new global tunables whole, then apply them
 * @reg:	the registry whose reservations the tunables must keep room for
 * @c:		the candidate: every tunable (the current ones where the
 *		request gave none)
 * @capacity_mcpu: the host's CPU capacity now
 * @dl_pct:	the share of it the kernel's deadline admission allows
 * @why:	on failure, the attribute at fault and a message naming it and
 *		its allowed range
 *
 * All or nothing. Raising reserve_headroom_pct under the reservations
 * already admitted is refused; lowering it, or any other change, never is.
 * Announces the change (config_changed, mem_changed).
 *
 * Context: process context, reg->lock held.
 * Return: 0; -ERANGE (a tunable out of range), -EINVAL (tunables that
 * disagree) or -EBUSY (the headroom), with @why filled in.
 */
int kvms_config_commit(struct kvms_registry *reg, const struct kvms_config *c,
		       u32 capacity_mcpu, u32 dl_pct, struct kvms_why *why)
{
	struct kvms_config *cur = &kvms_config;
	u32 reservable;
	bool period;
	int err;

	lockdep_assert_held(&reg->lock);
	why->attr = 0;
	why->msg[0] = 0;
	err = kvms_config_validate(c, why->msg, sizeof(why->msg), &why->attr);
	if (err)
		return err;
	reservable = kvms_reservable_mcpu(capacity_mcpu,
					  c->reserve_headroom_pct, dl_pct);
	if (reg->reserved_mcpu > reservable &&
	    c->reserve_headroom_pct > cur->reserve_headroom_pct)
		return kvms_why_set(why, KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT,
				    -EBUSY,
				    "reserve_headroom_pct %u leaves %u mcpu, under the %u reserved",
				    c->reserve_headroom_pct, reservable,
				    reg->reserved_mcpu);
	period = c->period_ms != cur->period_ms;
	WRITE_ONCE(cur->period_ms, c->period_ms);
	WRITE_ONCE(cur->reserve_headroom_pct, c->reserve_headroom_pct);
	WRITE_ONCE(cur->balloon_period_ms, c->balloon_period_ms);
	WRITE_ONCE(cur->starve_ms, c->starve_ms);
	WRITE_ONCE(cur->burst_boost, c->burst_boost);
	WRITE_ONCE(cur->burst_threshold_us, c->burst_threshold_us);
	WRITE_ONCE(cur->mem.low_pct, c->mem.low_pct);
	WRITE_ONCE(cur->mem.critical_pct, c->mem.critical_pct);
	WRITE_ONCE(cur->mem.hysteresis_pct, c->mem.hysteresis_pct);
	WRITE_ONCE(cur->mem.step_pct, c->mem.step_pct);
	WRITE_ONCE(cur->mem.min_step_bp, c->mem.min_step_bp);
	WRITE_ONCE(cur->mem.idle_tax_pct, c->mem.idle_tax_pct);
	WRITE_ONCE(cur->mem.max_pct, c->mem.max_pct);
	WRITE_ONCE(cur->mem.psi_reclaim_bp, c->mem.psi_reclaim_bp);
	reg->ops->config_changed(period);
	reg->ops->mem_changed();
	return 0;
}
