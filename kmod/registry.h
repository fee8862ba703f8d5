/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched registry: the VMs and vCPUs kvmsched knows about.
 *
 * KVM-free bookkeeping over plain structs: objects are keyed by opaque
 * pointers (the struct kvm and struct kvm_vcpu the mechanism saw), so the
 * KUnit suite kvmsched_registry runs it on UML with made-up keys.
 *
 * Lifetimes: the registry holds one reference on each linked VM, a VM holds
 * one on each of its vCPUs (dropped when the VM is freed), and every other
 * holder (a sysfs directory, a dump in progress) takes its own. A vCPU holds
 * no reference on its VM: @vm is only valid while the holder also holds one.
 * The last kvms_vm_put()/kvms_vcpu_put() calls the mechanism's release hook
 * and frees the object after an RCU grace period, because the kvm_entry probe
 * reads vCPUs under RCU.
 *
 * Locking: reg->lock (a mutex) serialises every change to the VM list, the
 * vCPU hash and the vCPU lists. The kvm_entry probe only reads the hash under
 * RCU and writes its own vCPU's counter; it never takes reg->lock.
 */
#ifndef _KVMSCHED_REGISTRY_H
#define _KVMSCHED_REGISTRY_H

#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "acct.h"
#include "balloon.h"
#include "dlbudget.h"
#include "lathist.h"
#include "policy.h"

struct kvms_registry;

/**
 * struct kvms_sched - a vCPU thread's scheduling attributes, as kvmsched
 * found them and as it last set them
 * @saved:	@orig_* are valid
 * @foreign:	the thread was RT or deadline when found: left alone
 * @applied:	@cur_* were set by kvmsched
 * @orig_reset_on_fork: the thread had SCHED_RESET_ON_FORK when first managed
 * @orig_policy: policy when first managed (SCHED_NORMAL, _BATCH or _IDLE)
 * @orig_nice:	nice when first managed (kept by SCHED_IDLE threads too)
 * @orig_slice_ns: custom time slice when first managed (6.12 EEVDF
 *		sched_attr.sched_runtime of a fair thread), 0 = none
 * @cur_policy:	policy kvmsched set last
 * @cur_nice:	nice kvmsched set last (fair policies only)
 * @cur_dl_mcpu: with @cur_policy SCHED_DEADLINE: the runtime kvmsched set,
 *		in millicpus of its deadline period
 * @cur_dl_period_ns: with @cur_policy SCHED_DEADLINE: the deadline period
 *		kvmsched set (a latency VM's latency_us, else 10 ms); written
 *		and read under reg->lock only
 * @overrides:	times something else changed the thread's attributes and
 *		kvmsched set them back
 * @dl_block:	enum kvmsched_dl_block: why the thread last could not run (or
 *		stay) in SCHED_DEADLINE, KVMSCHED_DL_BLOCK_NONE if it could
 * @dl_blocked:	periods in which the thread could not run in SCHED_DEADLINE
 *		although its VM's bound wanted it to
 *
 * Written by the period worker (and vm-set, rmmod, VM release) under
 * reg->lock; sysfs and netlink dumps read single fields with READ_ONCE().
 */
struct kvms_sched {
	bool saved;
	bool foreign;
	bool applied;
	bool orig_reset_on_fork;
	int orig_policy;
	int orig_nice;
	u64 orig_slice_ns;
	int cur_policy;
	int cur_nice;
	u32 cur_dl_mcpu;
	u64 cur_dl_period_ns;
	u32 overrides;
	u8 dl_block;
	u32 dl_blocked;
};

/* VM names: 1 to KVMS_NAME_MAX_LEN printable ASCII characters (0x21-0x7e). */
#define KVMS_NAME_MAX_LEN 63

/**
 * struct kvms_name - an RCU-managed VM name
 * @rcu:	for freeing after readers are done
 * @s:		the NUL-terminated name
 */
struct kvms_name {
	struct rcu_head rcu;
	char s[];
};

/**
 * struct kvms_vcpu - one vCPU thread
 * @hnode:	in reg->vcpu_hash by @key; added and removed under reg->lock,
 *		read under RCU (kvm_entry probe)
 * @tnode:	in reg->thread_hash by @task while this vCPU manages its
 *		thread (@owner NULL); changed under reg->lock
 * @node:	in vm->vcpus, sorted by @vcpu_id; added under reg->lock with
 *		list_add_tail_rcu(), never removed while @vm lives
 * @ref:	reference count
 * @rcu:	for freeing after a grace period
 * @vm:		the VM; see the top of this file for when it is valid
 * @ops:	the registry's hooks (the vCPU may outlive its VM and registry)
 * @key:	the struct kvm_vcpu, opaque here; valid while the VM's struct kvm
 *		is referenced by the mechanism
 * @lock:	the registry's lock, for lockdep checks of @task readers
 * @task:	the thread that runs the vCPU (last seen entering it); the
 *		mechanism holds a task reference on it. Never NULL. Replaced
 *		under reg->lock by kvms_vcpu_set_task() when another thread
 *		runs the vCPU (QEMU re-plugging a parked vCPU); read under
 *		reg->lock or RCU (kvms_vcpu_task()); the reference on a
 *		replaced thread is dropped after a grace period
 * @owner:	NULL when this vCPU manages its thread; else the vCPU that
 *		does, which runs on the same thread (a VMM that runs several
 *		vCPUs on one thread): this one then neither samples nor sets
 *		the thread. Written under reg->lock (WRITE_ONCE), read under
 *		it or with READ_ONCE() (sysfs, VM totals).
 * @vcpu_id:	KVM's vcpu_id
 * @tid:	thread id of @task, in the initial pid namespace; like @task
 * @entries:	VM entries since discovery; single writer: the kvm_entry probe
 *		on the CPU running the vCPU (KVM serialises KVM_RUN per vCPU);
 *		readers use READ_ONCE()
 * @acct:	per-period accounting; written by the sampling worker under
 *		reg->lock, readers use READ_ONCE()
 * @sched:	scheduling attributes, mechanism-owned (enforce.c); written by
 *		the period worker under reg->lock, READ_ONCE() elsewhere
 * @active:	wanted CPU last period; written by the period worker under
 *		reg->lock
 * @light:	active, but wanted under KVMS_LIGHT_MCPU (kvms_policy_nr_
 *		weighted()); likewise
 * @lat:	wake latency, cumulative: written by the kvm_entry probe on the
 *		thread (like @entries; only a vCPU that manages its thread),
 *		read by the period worker (see struct kvms_lat_probe)
 * @lat_seen:	what the period worker already folded of @lat; reg->lock
 * @priv:	mechanism-owned (the vCPU's sysfs directory)
 */
struct kvms_vcpu {
	struct hlist_node hnode;
	struct hlist_node tnode;
	struct list_head node;
	struct kref ref;
	struct rcu_head rcu;
	struct kvms_vm *vm;
	const struct kvms_registry_ops *ops;
	const void *key;
	struct mutex *lock;	/* the registry's, for lockdep */
	struct task_struct __rcu *task;
	struct kvms_vcpu *owner;
	u32 vcpu_id;
	pid_t tid;
	u64 entries;
	struct kvms_acct acct;
	struct kvms_sched sched;
	bool active;
	bool light;
	struct kvms_lat_probe lat;
	struct kvms_lat_seen lat_seen;
	void *priv;
};

/**
 * struct kvms_vm_mix - the nice-level mix of a VM's vCPUs (enforce.c)
 * @carry:	error diffusion carry of the mix (kvms_policy_mix())
 * @rotor:	rotates which vCPUs get the higher nice level
 * @restored:	a thread of the VM left SCHED_DEADLINE when its threads got
 *		their originals back since the last period (no SCHED_DEADLINE
 *		before the next one)
 */
struct kvms_vm_mix {
	s64 carry;
	u32 rotor;
	bool restored;
};

/**
 * struct kvms_vm_mem - a VM's memory as the mechanism last saw it
 * @rss_mib:	the VMM's resident anon + shmem memory
 * @actual_mib:	balloon actual size reported by the controller, 0 = unknown
 * @avail_mib:	guest-reported available memory, -1 = unknown
 */
struct kvms_vm_mem {
	u32 rss_mib;
	u32 actual_mib;
	s32 avail_mib;
};

/**
 * struct kvms_vm - one VM
 * @node:	in reg->vms, in creation order; changed under reg->lock
 * @ref:	reference count
 * @rcu:	for freeing after a grace period
 * @reg:	the registry that created it
 * @key:	the struct kvm, opaque here; the mechanism holds a kvm reference
 *		from creation until the VM is unlinked
 * @id:		stable id, never reused while the module is loaded (1, 2, ...)
 * @pid:	the VMM's process id (thread group id of its vCPU threads)
 * @comm:	the VMM's command name at discovery
 * @vcpus:	the vCPUs, sorted by vcpu_id; see struct kvms_vcpu.node
 * @nr_vcpus:	length of @vcpus; written under reg->lock, READ_ONCE() elsewhere
 * @linked:	true while in reg->vms; written under reg->lock
 * @name:	admin-chosen name or NULL; replaced under reg->lock, read under
 *		RCU (sysfs) or reg->lock (netlink)
 * @class:	KVMSCHED_CLASS_*; a setting (see below)
 * @weight:	KVMSCHED_WEIGHT_MIN..MAX; a setting
 * @reservation_mcpu: CPU floor, 0 = none; a setting, written through
 *		kvms_vm_set_reservation() (which keeps reg->reserved_mcpu)
 * @limit_mcpu:	CPU ceiling, 0 = none; a setting
 * @rt_priority: KVMSCHED_RT_PRIORITY_MIN..MAX; a setting (realtime class)
 * @rr_quantum_ms: round-robin quantum, ms, 0 = FCFS; a setting (realtime)
 * @latency_us:	deadline period, us; a setting (latency class)
 * @starved_count: times a vCPU of the VM (shares, latency) waited for a CPU
 *		without running for starve_ms; the period worker (enforce.c),
 *		under reg->lock
 * @rt_throttled_periods: periods the starvation watchdog ran the VM
 *		SCHED_IDLE for; written by the watchdog kthread only
 *		(watchdog.c, which holds no reg->lock: the VM outlives every
 *		watchdog entry that points at it), READ_ONCE() elsewhere
 * @policy:	the policy core's view (policy.h): inputs and entitlement of
 *		the last period; the period worker (enforce.c)
 * @dlb:	the deadline budget core's view (dlbudget.h): deadline
 *		runtime, feedback, misses, time throttled; the period worker
 * @balloon:	the balloon core's view (balloon.h): settings (mem_shares,
 *		mem_min_mib, mem_max_mib: the control core), guest figures
 *		and target (the balloon worker, memory.c)
 * @mix:	enforce.c's nice-level mix; the period worker
 * @mem:	memory figures: @mem.rss_mib by the balloon worker (memory.c),
 *		@mem.actual_mib and @mem.avail_mib by vm-mem-report
 * @lat_win:	the wake latency window being filled; the period worker
 * @lat:	the last complete wake latency window; the period worker
 *		writes it inside @lat_seq (and reg->lock); readers without
 *		reg->lock copy it with kvms_vm_lat()
 * @lat_seq:	guards @lat, tied to reg->lock
 * @priv:	sysfs.c's (the VM's directory)
 *
 * Owners: the registry writes the identity and list fields; the control
 * core (control.c) writes the settings; each core's view is written by the
 * mechanism that runs that core; @mix, @mem and @priv are private to the
 * file named. Every writer holds reg->lock; other readers use READ_ONCE()
 * on single fields.
 */
struct kvms_vm {
	struct list_head node;
	struct kref ref;
	struct rcu_head rcu;
	struct kvms_registry *reg;
	const void *key;
	u32 id;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct list_head vcpus;
	unsigned int nr_vcpus;
	bool linked;
	struct kvms_name __rcu *name;
	u8 class;
	u32 weight;
	u32 reservation_mcpu;
	u32 limit_mcpu;
	u32 rt_priority;
	u32 rr_quantum_ms;
	u32 latency_us;
	u64 rt_throttled_periods;
	u64 starved_count;
	struct kvms_policy_vm policy;
	struct kvms_dlb dlb;
	struct kvms_balloon_vm balloon;
	struct kvms_vm_mix mix;
	struct kvms_vm_mem mem;
	struct kvms_lat_win lat_win;
	struct kvms_lat_stat lat;
	seqcount_mutex_t lat_seq;
	void *priv;
};

/**
 * struct kvms_registry_ops - what the mechanism and the interfaces do when
 * the registry's objects change; wired in main.c, so no mechanism file
 * calls an interface file (sysfs, netlink) or another mechanism directly.
 * The release hooks may be NULL; main.c sets every other one.
 * @vm_release:		the last VM reference went, before the VM is freed;
 *			may sleep
 * @vcpu_release:	likewise for a vCPU (drop the task reference)
 * @vm_added:		a VM was linked (before its first vCPU); reg->lock held
 * @vcpu_added:		a vCPU was created in a linked VM; reg->lock held
 * @vm_changed:		something in a VM changed, or it came or is going:
 *			@ntf is the netlink notification that says so
 *			(KVMSCHED_CMD_VM_ADD_NTF, _VM_CHANGE_NTF, _VM_DEL_NTF,
 *			_BALLOON_TARGET_NTF, _VM_STARVED_NTF); reg->lock held
 * @vm_gone:		a VM was unlinked and its threads restored; without
 *			reg->lock, may sleep
 * @vm_restore:		give every thread of a VM its original attributes
 *			(a class or bound changes); reg->lock held
 * @cpu_changed:	a VM's class, weight or CPU bounds changed: decide
 *			and apply every VM's CPU now, from the demand last
 *			measured; reg->lock held, may sleep
 * @vm_read_mem:	refresh a VM's memory figures now; reg->lock held
 * @mem_changed:	memory settings changed (a VM's or global): recompute
 *			balloon targets soon; any context that may sleep
 * @config_changed:	global tunables changed (@period: period_ms among
 *			them); reg->lock held
 * @overcommit:		the overcommitted reservations changed; reg->lock held
 */
struct kvms_registry_ops {
	void (*vm_release)(struct kvms_vm *vm);
	void (*vcpu_release)(struct kvms_vcpu *vcpu);
	void (*vm_added)(struct kvms_vm *vm);
	void (*vcpu_added)(struct kvms_vcpu *vcpu);
	void (*vm_changed)(struct kvms_vm *vm, u8 ntf);
	void (*vm_gone)(struct kvms_vm *vm);
	void (*vm_restore)(struct kvms_vm *vm);
	void (*cpu_changed)(struct kvms_registry *reg);
	void (*vm_read_mem)(struct kvms_vm *vm);
	void (*mem_changed)(void);
	void (*config_changed)(bool period);
	void (*overcommit)(void);
};

#define KVMS_VCPU_HASH_BITS 10

/**
 * struct kvms_registry - every VM kvmsched knows about
 * @lock:	serialises changes (see the top of this file)
 * @vms:	linked VMs, in creation order; protected by @lock
 * @nr_vms:	length of @vms; written under @lock, READ_ONCE() elsewhere
 * @next_id:	the next VM id; protected by @lock
 * @gen:	bumped under @lock by every change to @vms or a VM's vCPUs, so
 *		dumps can detect that they raced with a change
 * @reserved_mcpu: sum of the linked VMs' reservations; written under @lock
 *		(WRITE_ONCE), read under it or with READ_ONCE() (sysfs)
 * @ops:	the hooks (struct kvms_registry_ops); NULL only in KUnit suites
 *		that call no hook but the release ones
 * @vcpu_hash:	every vCPU of a linked VM by key; see struct kvms_vcpu.hnode
 * @thread_hash: every vCPU of a linked VM that manages its thread, by
 *		task; see struct kvms_vcpu.tnode. Under @lock.
 */
struct kvms_registry {
	struct mutex lock;	/* see the top of this file */
	struct list_head vms;
	unsigned int nr_vms;
	u32 next_id;
	unsigned long gen;
	u32 reserved_mcpu;
	const struct kvms_registry_ops *ops;
	DECLARE_HASHTABLE(vcpu_hash, KVMS_VCPU_HASH_BITS);
	DECLARE_HASHTABLE(thread_hash, KVMS_VCPU_HASH_BITS);
};

/* The module's registry; set up by main.c with the module's hooks. */
extern struct kvms_registry kvms_reg;

void kvms_registry_init(struct kvms_registry *reg,
			const struct kvms_registry_ops *ops);
struct kvms_vm *kvms_vm_create(struct kvms_registry *reg, const void *key,
			       pid_t pid, const char *comm);
struct kvms_vcpu *kvms_vcpu_create(struct kvms_vm *vm, const void *key,
				   struct task_struct *task, u32 vcpu_id,
				   pid_t tid);
struct kvms_vm *kvms_vm_find_key(struct kvms_registry *reg, const void *key);
struct kvms_vm *kvms_vm_find_id(struct kvms_registry *reg, u32 id);
struct kvms_vcpu *kvms_vcpu_find_rcu(struct kvms_registry *reg,
				     const void *key);
void kvms_vm_unlink(struct kvms_vm *vm);
struct kvms_vcpu *kvms_thread_owner(struct kvms_registry *reg,
				    const struct task_struct *task);
struct task_struct *kvms_vcpu_set_task(struct kvms_vcpu *vcpu,
				       struct task_struct *task, pid_t tid,
				       struct kvms_vcpu **heir);
int kvms_name_check(const char *name, const char **why);
struct kvms_vm *kvms_vm_find_name(struct kvms_registry *reg, const char *name);
int kvms_vm_set_name(struct kvms_vm *vm, const char *name, const char **why);
const char *kvms_vm_name_locked(const struct kvms_vm *vm);
void kvms_vm_set_reservation(struct kvms_vm *vm, u32 mcpu);
void kvms_vm_put(struct kvms_vm *vm);
void kvms_vcpu_put(struct kvms_vcpu *vcpu);

/**
 * kvms_vcpu_task() - the thread that runs a vCPU
 * @vcpu: the vCPU
 *
 * Context: an RCU read-side section (the task stays valid until it ends),
 * reg->lock held, or the VM unlinked (nothing replaces its threads then).
 * Return: the task, never NULL.
 */
static inline struct task_struct *kvms_vcpu_task(const struct kvms_vcpu *vcpu)
{
	return rcu_dereference_check(vcpu->task, rcu_read_lock_held() ||
				     lockdep_is_held(vcpu->lock) ||
				     !READ_ONCE(vcpu->vm->linked));
}

/**
 * kvms_vcpu_shared_with() - which vCPU manages this vCPU's thread
 * @vcpu: the vCPU
 *
 * Return: the vcpu_id of the vCPU that manages the thread @vcpu shares with
 * it, or -1 when @vcpu manages its own thread.
 */
static inline int kvms_vcpu_shared_with(const struct kvms_vcpu *vcpu)
{
	const struct kvms_vcpu *owner = READ_ONCE(vcpu->owner);

	return owner ? (int)READ_ONCE(owner->vcpu_id) : -1;
}

/* How long a vCPU has been runnable with no CPU (acct.starved_ns), ms. */
static inline u32 kvms_vcpu_starved_ms(const struct kvms_vcpu *vcpu)
{
	return min_t(u64, div_u64(READ_ONCE(vcpu->acct.starved_ns), NSEC_PER_MSEC),
		     U32_MAX);
}

/* A vCPU's mean run burst in the last period (acct.burst_ns), us. */
static inline u32 kvms_vcpu_burst_us(const struct kvms_vcpu *vcpu)
{
	return min_t(u64, div_u64(READ_ONCE(vcpu->acct.burst_ns), NSEC_PER_USEC),
		     U32_MAX);
}

/* CPU time of a vCPU's thread, ns; context as for kvms_vcpu_task(). */
static inline u64 kvms_vcpu_cpu_ns(const struct kvms_vcpu *kv)
{
	return READ_ONCE(kvms_vcpu_task(kv)->se.sum_exec_runtime);
}

/*
 * Time a vCPU's thread spent runnable but not running, ns; likewise. The
 * kernel keeps it with CONFIG_SCHED_INFO (Debian's kernels; UML's KUnit
 * build has none).
 */
static inline u64 kvms_vcpu_wait_ns(const struct kvms_vcpu *kv)
{
#ifdef CONFIG_SCHED_INFO
	return READ_ONCE(kvms_vcpu_task(kv)->sched_info.run_delay);
#else
	return 0;
#endif
}

/*
 * When a vCPU's thread began the wait for a CPU under way
 * (sched_info.last_queued, rq_clock()), or 0; likewise. Only a runnable
 * thread's stamp counts: on 6.12 a sleeping thread still queued (delayed
 * dequeue) that the load balancer moves is stamped by enqueue_task() and
 * taken off its queue by the fair class alone, so its stamp stays until it
 * next runs.
 */
static inline u64 kvms_vcpu_queued_since(const struct kvms_vcpu *kv)
{
#ifdef CONFIG_SCHED_INFO
	const struct task_struct *p = kvms_vcpu_task(kv);

	if (READ_ONCE(p->__state) != TASK_RUNNING)
		return 0;
	return READ_ONCE(p->sched_info.last_queued);
#else
	return 0;
#endif
}

/*
 * Times a vCPU's thread was put on a CPU (sched_info.pcount); likewise,
 * and 0 without CONFIG_SCHED_INFO.
 */
static inline u64 kvms_vcpu_runs(const struct kvms_vcpu *kv)
{
#ifdef CONFIG_SCHED_INFO
	return READ_ONCE(kvms_vcpu_task(kv)->sched_info.pcount);
#else
	return 0;
#endif
}

/* Times a vCPU's thread blocked (nvcsw); likewise. */
static inline u64 kvms_vcpu_blocks(const struct kvms_vcpu *kv)
{
	return READ_ONCE(kvms_vcpu_task(kv)->nvcsw);
}

/*
 * A consistent copy of @vm's last wake latency window, from any context that
 * may spin (sysfs reads it without reg->lock).
 */
static inline void kvms_vm_lat(const struct kvms_vm *vm,
			       struct kvms_lat_stat *out)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&vm->lat_seq);
		*out = vm->lat;
	} while (read_seqcount_retry(&vm->lat_seq, seq));
}

static inline void kvms_vm_get(struct kvms_vm *vm)
{
	kref_get(&vm->ref);
}

static inline void kvms_vcpu_get(struct kvms_vcpu *vcpu)
{
	kref_get(&vcpu->ref);
}

#endif /* _KVMSCHED_REGISTRY_H */
