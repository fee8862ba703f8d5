// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched memory-balloon policy core (KVM-free, see balloon.h).
 *
 * Once a round, the host's available memory sets its state, and the state
 * moves each VM's balloon target (the memory its guest may keep) a bounded
 * step down (inflate) or up (deflate). Anchors: oVirt MOM's balloon policy
 * (reclaim under 20 % free host memory, at most 5 % of a guest per step, no
 * step under 0.25 %), and VMware ESX (Waldspurger, OSDI 2002: reclaim first
 * from the fewest shares per page with a 75 % idle memory tax; the balloon
 * takes at most 65 % of a guest). All sizes are MiB; percentages (_pct),
 * basis points (_bp) and defaults are those of struct kvms_mem_tun.
 *
 * 1. State, with hysteresis. a = avail / total. With psi_reclaim_bp != 0
 *    and PSI known (psi_some_bp >= 0), PSI is "hot" when psi_some_bp >=
 *    psi_reclaim_bp, and "cool" when psi_some_bp < psi_reclaim_bp / 2
 *    (exactly: 2 * psi_some_bp < psi_reclaim_bp); unknown PSI, or
 *    psi_reclaim_bp 0, is cool and never hot.
 *
 *      NORMAL   -> CRITICAL  a < critical%
 *               -> RECLAIM   a < low%, or PSI hot
 *      RECLAIM  -> CRITICAL  a < critical%
 *               -> NORMAL    a >= (low + hyst)% and PSI cool
 *      CRITICAL -> RECLAIM   a >= (critical + hyst)%
 *                  (NORMAL   if also a >= (low + hyst)% and PSI cool)
 *
 *    Inside a band ([low, low + hyst), [critical, critical + hyst), and for
 *    PSI [psi_reclaim_bp / 2, psi_reclaim_bp)) a host keeps its state, so it
 *    cannot flap: PSI hovering at the threshold keeps reclaim. Reclaim, for
 *    whatever reason it started, ends only with PSI cool. total = 0
 *    (unknown) keeps the state.
 *
 *    The mechanism records when PSI was reported; kvms_balloon_psi_bp()
 *    turns a report older than KVMS_PSI_MAX_AGE_MS (30 s) into unknown, so
 *    a controller that stopped while PSI was high does not hold the host
 *    in reclaim.
 *
 * 2. Limits, applied to every VM first, in every state and regardless of the
 *    step limits (so an admin's new min or max takes effect at once):
 *
 *      max    = min(max_mib ?: guest, guest)
 *      floor  = min(max(min_mib, guest - guest * max_pct / 100), max)
 *      target = clamp(target ?: max, floor, max)
 *
 *    A balloon cannot give a guest more than its RAM, so a max_mib above
 *    guest RAM means guest RAM. guest * max_pct / 100 rounds down: the
 *    balloon takes at most max_pct % of the guest. A min_mib above the max
 *    yields to the max. A VM of unknown guest RAM (0) is skipped.
 *
 * 3. Order: ESX's shares per taxed MiB, with k = 100 / (100 - idle_tax_pct)
 *    (4 at the default 75 %: an idle MiB costs a VM four times an active one):
 *
 *      idle   = min(free, target), or 0 when free is unknown (-1)
 *      active = target - idle
 *      rho    = shares / (active + k * idle)
 *             = (shares * (100 - tax) << 32) / (active * (100 - tax) + idle * 100)
 *
 *    Reclaim takes from the lowest rho first: fewer shares, or more idle
 *    memory at equal shares. Deflate gives to the highest rho first. Equal
 *    rho goes in array order.
 *
 * 4. Steps. step = max(guest * step_pct / 100, 1), twice that in CRITICAL;
 *    min_step = min(guest * min_step_bp / 10000, step outside CRITICAL). A
 *    VM moves at most step per round, and never less than min_step unless
 *    the move ends exactly at its floor (inflate) or max (deflate).
 *
 *    Inflate is also bounded by what the guest holds: with the balloon's
 *    actual size known (actual != 0), a target is never taken below
 *    actual - step (this round's step). A VM already there, or less than
 *    a min step above it, gives nothing this round (HOLD) until its guest
 *    gives memory back, so targets nobody applies do not fall to the
 *    floor. Unknown actual: no such bound. Deflate ignores actual.
 *
 * 5. RECLAIM and CRITICAL (inflate):
 *
 *      goal = ceil(total * (low + hyst) / 100)
 *      need = goal - avail, at least total * hyst / 100 (rounded down)
 *             while PSI is hot; inside the PSI band, PSI adds nothing
 *
 *    In ascending rho, each VM gives min(target - floor, step, need left).
 *    A last give under min_step is rounded up to min(min_step, the VM's
 *    move), so reclaim may overshoot need by less than one min step, rather
 *    than stall short of it. (With PSI hot the need stands for MemAvailable
 *    overstating what is free; with hyst 0, PSI only stops deflating.)
 *
 * 6. NORMAL (deflate): budget = avail - goal, if positive. In descending
 *    rho, each VM below its max gets min(max - target, step, budget left).
 *    When what is left is under the next VM's min_step (and does not bring
 *    it exactly to its max), deflating stops for the round: no overshoot,
 *    so giving memory back cannot push avail under low%, and a VM with
 *    less rho never gets memory ahead of one with more.
 *
 *    Both directions find the cut in the rho order by bisection on rho
 *    (at most 64 passes over the VMs), not by sorting: O(n log R) with R the
 *    span of rho, no allocation, and the caller's array keeps its order.
 *
 * 7. Reasons: INFLATE or DEFLATE when this round's step moved the target;
 *    otherwise AT_MIN at the floor, AT_MAX at the max (in NORMAL the max is
 *    checked first, else the floor), HOLD for the rest; NONE when skipped.
 *
 * 8. Notify: set when the target differs from notified_mib by at least
 *    min_step, or differs at all and sits at the floor or the max; then
 *    notified_mib becomes the target. Small moves accumulate until they
 *    are worth announcing.
 *
 * Overflow: guest up to 2^32 MiB, shares up to 10000 (clamped to
 * 1..10000 here) and total up to 2^56 MiB fit the u64 arithmetic.
 */
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "balloon.h"

/* mib < pct % of total */
static bool kvms_under(u64 mib, u64 total, u32 pct)
{
	return mib * 100 < total * pct;
}

static bool kvms_psi_hot(const struct kvms_mem_tun *t,
			 const struct kvms_mem_host *h)
{
	return t->psi_reclaim_bp && h->psi_some_bp >= 0 &&
	       (u32)h->psi_some_bp >= t->psi_reclaim_bp;
}

/* Under half the threshold, unknown, or ignored: reclaim may end. */
static bool kvms_psi_cool(const struct kvms_mem_tun *t,
			  const struct kvms_mem_host *h)
{
	return !t->psi_reclaim_bp || h->psi_some_bp < 0 ||
	       (u64)h->psi_some_bp * 2 < t->psi_reclaim_bp;
}

/**
 * kvms_balloon_psi_bp() - the PSI the policy may use
 * @psi_bp:	PSI "some" avg10 as last reported, basis points; -1 = never
 * @age_ms:	time since that report, ms
 *
 * A report older than KVMS_PSI_MAX_AGE_MS no longer describes the host
 * (see balloon.h); the policy must then treat PSI as unknown.
 *
 * Context: any.
 * Return: @psi_bp, or -1 when it is unknown or older than
 * KVMS_PSI_MAX_AGE_MS.
 */
s32 kvms_balloon_psi_bp(s32 psi_bp, u64 age_ms)
{
	if (psi_bp < 0 || age_ms > KVMS_PSI_MAX_AGE_MS)
		return -1;
	return psi_bp;
}

/**
 * kvms_mem_state() - the host's memory state this round
 * @t:		tunables
 * @h:		the host's memory (@h->state is not read)
 * @prev:	the previous round's state, KVMS_MEM_* (anything else counts
 *		as KVMSCHED_MEM_STATE_NORMAL)
 *
 * The transitions and their hysteresis are described at the top of
 * balloon.c.
 *
 * Context: any.
 * Return: KVMSCHED_MEM_STATE_NORMAL, KVMSCHED_MEM_STATE_RECLAIM or KVMSCHED_MEM_STATE_CRITICAL.
 */
u8 kvms_mem_state(const struct kvms_mem_tun *t, const struct kvms_mem_host *h,
		  u8 prev)
{
	u64 avail = h->avail_mib, total = h->total_mib;
	bool psi = kvms_psi_hot(t, h);
	bool calm;

	if (prev > KVMSCHED_MEM_STATE_CRITICAL)
		prev = KVMSCHED_MEM_STATE_NORMAL;
	if (!total)
		return prev;
	calm = kvms_psi_cool(t, h) &&
	       !kvms_under(avail, total, t->low_pct + t->hysteresis_pct);
	switch (prev) {
	case KVMSCHED_MEM_STATE_CRITICAL:
		if (kvms_under(avail, total,
			       t->critical_pct + t->hysteresis_pct))
			return KVMSCHED_MEM_STATE_CRITICAL;
		return calm ? KVMSCHED_MEM_STATE_NORMAL : KVMSCHED_MEM_STATE_RECLAIM;
	case KVMSCHED_MEM_STATE_RECLAIM:
		if (kvms_under(avail, total, t->critical_pct))
			return KVMSCHED_MEM_STATE_CRITICAL;
		return calm ? KVMSCHED_MEM_STATE_NORMAL : KVMSCHED_MEM_STATE_RECLAIM;
	default:
		if (kvms_under(avail, total, t->critical_pct))
			return KVMSCHED_MEM_STATE_CRITICAL;
		if (psi || kvms_under(avail, total, t->low_pct))
			return KVMSCHED_MEM_STATE_RECLAIM;
		return KVMSCHED_MEM_STATE_NORMAL;
	}
}

/**
 * kvms_balloon_max_mib() - the most memory a VM's target may be
 * @vm: the VM
 *
 * A balloon cannot give a guest more than its RAM, so the admin's max is
 * clamped to guest RAM, and 0 means guest RAM.
 *
 * Context: any.
 * Return: min(@vm->max_mib, @vm->guest_mib), or @vm->guest_mib when
 * @vm->max_mib is 0; MiB.
 */
u32 kvms_balloon_max_mib(const struct kvms_balloon_vm *vm)
{
	if (vm->max_mib && vm->max_mib < vm->guest_mib)
		return vm->max_mib;
	return vm->guest_mib;
}

/**
 * kvms_balloon_floor_mib() - the least memory a VM's target may be
 * @t:	tunables
 * @vm:	the VM
 *
 * What the balloon may not take (guest RAM less @t->max_pct % of it,
 * rounded in the guest's favour), or the admin's @vm->min_mib if higher,
 * but never above kvms_balloon_max_mib(): when they conflict, the max wins.
 *
 * Context: any.
 * Return: the floor, MiB.
 */
u32 kvms_balloon_floor_mib(const struct kvms_mem_tun *t,
			   const struct kvms_balloon_vm *vm)
{
	u32 keep = vm->guest_mib -
		   (u32)div_u64((u64)vm->guest_mib * min(t->max_pct, 100U), 100);

	return min(max(keep, vm->min_mib), kvms_balloon_max_mib(vm));
}

/**
 * kvms_balloon_rho() - a VM's shares per taxed MiB
 * @t:	tunables (@t->idle_tax_pct)
 * @vm:	the VM, with @vm->target_mib as the memory it holds
 *
 * rho = shares / (active + idle * 100 / (100 - idle_tax_pct)), where idle is
 * the guest's free memory (at most the target; 0 when unknown) and active
 * the rest of the target. Shares are clamped to KVMSCHED_MEM_SHARES_MIN..MAX.
 *
 * Context: any.
 * Return: rho in units of 2^-KVMS_BALLOON_RHO_SHIFT shares per MiB, or
 * U64_MAX for a VM holding no memory.
 */
u64 kvms_balloon_rho(const struct kvms_mem_tun *t, const struct kvms_balloon_vm *vm)
{
	u32 untaxed = 100 - min(t->idle_tax_pct, 99U);
	u32 shares = clamp(vm->shares, (u32)KVMSCHED_MEM_SHARES_MIN,
			   (u32)KVMSCHED_MEM_SHARES_MAX);
	u64 idle = 0, den;

	if (vm->free_mib >= 0)
		idle = min_t(u64, vm->free_mib, vm->target_mib);
	den = (vm->target_mib - idle) * untaxed + idle * 100;
	if (!den)
		return U64_MAX;
	return div64_u64((u64)shares * untaxed << KVMS_BALLOON_RHO_SHIFT, den);
}

/*
 * How far @vm's target may come down this round: to its floor, but not
 * more than @step below the guest's actual size when that is known, and
 * then not by less than a min step (the guest has to catch up first).
 */
static u64 kvms_inflate_room(const struct kvms_balloon_vm *vm, u32 lo, u64 step)
{
	u64 bound;

	if (vm->actual_mib <= step || vm->actual_mib - step <= lo)
		return vm->target_mib - lo;
	bound = vm->actual_mib - step;
	if (vm->target_mib < bound + vm->min_step)
		return 0;
	return vm->target_mib - bound;
}

/*
 * Clamp @vm's target into its limits and fill the scratch fields: rho, the
 * most it may move this round in the direction of @state (full), and its
 * min step.
 */
static void kvms_balloon_prepare(const struct kvms_mem_tun *t,
				 struct kvms_balloon_vm *vm, u8 state)
{
	u32 hi = kvms_balloon_max_mib(vm), lo = kvms_balloon_floor_mib(t, vm);
	u64 step = max_t(u64, div_u64((u64)vm->guest_mib * t->step_pct, 100), 1);
	u64 room;

	vm->min_step = min_t(u64, div_u64((u64)vm->guest_mib * t->min_step_bp,
					  10000), step);
	if (state == KVMSCHED_MEM_STATE_CRITICAL)
		step *= 2;
	WRITE_ONCE(vm->target_mib, clamp(vm->target_mib ?: hi, lo, hi));
	vm->rho = kvms_balloon_rho(t, vm);
	room = state == KVMSCHED_MEM_STATE_NORMAL ? hi - vm->target_mib :
					  kvms_inflate_room(vm, lo, step);
	vm->full = min(room, step);
	WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_HOLD);
}

/* The order key: ascending for inflate, descending rho for deflate. */
static u64 kvms_key(const struct kvms_balloon_vm *vm, bool give)
{
	return give ? ~vm->rho : vm->rho;
}

/* What the VMs with a key of at most @cut may move in all. */
static u64 kvms_movable(struct kvms_balloon_vm **vms, unsigned int n, u64 cut,
			bool give)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (vms[i]->full && kvms_key(vms[i], give) <= cut)
			sum += vms[i]->full;
	}
	return sum;
}

static void kvms_move(struct kvms_balloon_vm *vm, u32 mib, bool give)
{
	if (give) {
		WRITE_ONCE(vm->target_mib, vm->target_mib + mib);
		WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_DEFLATE);
	} else {
		WRITE_ONCE(vm->target_mib, vm->target_mib - mib);
		WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_INFLATE);
	}
}

/*
 * Move targets by @want MiB in all (down, or up if @give), in key order
 * (then array order), each VM by at most its full move; the min-step rules
 * are at the top of the file. The cut is the least key whose VMs and those
 * below it can move @want: found by bisection, since the sum is monotonic.
 */
static void kvms_distribute(struct kvms_balloon_vm **vms, unsigned int n, u64 want,
			    bool give)
{
	u64 lo = U64_MAX, hi = 0, left = want;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!vms[i]->full)
			continue;
		lo = min(lo, kvms_key(vms[i], give));
		hi = max(hi, kvms_key(vms[i], give));
	}
	if (!want || lo > hi)
		return;
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (kvms_movable(vms, n, mid, give) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* Below the cut, everyone moves in full: that is less than @want. */
	for (i = 0; i < n; i++) {
		struct kvms_balloon_vm *vm = vms[i];

		if (vm->full && kvms_key(vm, give) < lo) {
			kvms_move(vm, vm->full, give);
			left -= vm->full;
		}
	}
	/* At the cut, in array order, until @want is covered. */
	for (i = 0; i < n && left; i++) {
		struct kvms_balloon_vm *vm = vms[i];
		u64 take;

		if (!vm->full || kvms_key(vm, give) != lo)
			continue;
		take = min_t(u64, vm->full, left);
		if (take < vm->full && take < vm->min_step) {
			if (give)
				break;	/* would overshoot the budget */
			take = min(vm->full, vm->min_step);
		}
		kvms_move(vm, take, give);
		left -= min(take, left);
	}
}

/* Set the reason of a VM the step did not move, and whether to announce. */
static void kvms_balloon_finish(const struct kvms_mem_tun *t,
				struct kvms_balloon_vm *vm, u8 state)
{
	u32 hi = kvms_balloon_max_mib(vm), lo = kvms_balloon_floor_mib(t, vm);
	u32 diff;

	if (vm->reason == KVMSCHED_BALLOON_REASON_HOLD) {
		bool at_min = vm->target_mib == lo, at_max = vm->target_mib == hi;

		if (state == KVMSCHED_MEM_STATE_NORMAL && at_max)
			WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_AT_MAX);
		else if (at_min)
			WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_AT_MIN);
		else if (at_max)
			WRITE_ONCE(vm->reason, KVMSCHED_BALLOON_REASON_AT_MAX);
	}
	diff = vm->target_mib > vm->notified_mib ?
	       vm->target_mib - vm->notified_mib :
	       vm->notified_mib - vm->target_mib;
	vm->notify = diff && (diff >= vm->min_step || vm->target_mib == lo ||
			      vm->target_mib == hi);
	if (vm->notify)
		vm->notified_mib = vm->target_mib;
}

/**
 * kvms_balloon_compute() - one round of the balloon policy
 * @t:	tunables
 * @h:	the host's memory; @h->state is updated to this round's state
 * @vms: the VMs; their order is kept
 * @n:	how many
 *
 * Sets the host's state, then every VM's target, reason and notify, as
 * described at the top of balloon.c.
 *
 * Context: any; no allocation. O(n) per pass, at most ~66 passes.
 */
void kvms_balloon_compute(const struct kvms_mem_tun *t,
			  struct kvms_mem_host *h, struct kvms_balloon_vm **vms,
			  unsigned int n)
{
	u8 state = kvms_mem_state(t, h, h->state);
	u64 goal = 0, want = 0;
	unsigned int i;

	WRITE_ONCE(h->state, state);
	for (i = 0; i < n; i++) {
		if (vms[i]->guest_mib)
			kvms_balloon_prepare(t, vms[i], state);
		else
			vms[i]->full = 0;
	}
	if (h->total_mib) {
		goal = div_u64(h->total_mib * (t->low_pct + t->hysteresis_pct) +
			       99, 100);
		if (state == KVMSCHED_MEM_STATE_NORMAL) {
			want = h->avail_mib > goal ? h->avail_mib - goal : 0;
		} else {
			want = goal > h->avail_mib ? goal - h->avail_mib : 0;
			if (kvms_psi_hot(t, h))
				want = max(want, div_u64(h->total_mib *
							 t->hysteresis_pct,
							 100));
		}
	}
	kvms_distribute(vms, n, want, state == KVMSCHED_MEM_STATE_NORMAL);
	for (i = 0; i < n; i++) {
		if (vms[i]->guest_mib) {
			kvms_balloon_finish(t, vms[i], state);
		} else {
			WRITE_ONCE(vms[i]->reason, KVMSCHED_BALLOON_REASON_NONE);
			vms[i]->notify = false;
		}
	}
}
