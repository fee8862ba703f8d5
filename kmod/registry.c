// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched registry (KVM-free, see registry.h).
 */
#include <linux/hash.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "registry.h"

/* The module's registry (main.c sets it up); KUnit suites make their own. */
struct kvms_registry kvms_reg;

/**
 * kvms_registry_init() - set up an empty registry
 * @reg: the registry
 * @ops: mechanism hooks called on release, or NULL
 */
void kvms_registry_init(struct kvms_registry *reg,
			const struct kvms_registry_ops *ops)
{
	mutex_init(&reg->lock);
	INIT_LIST_HEAD(&reg->vms);
	reg->nr_vms = 0;
	reg->next_id = 1;
	reg->gen = 1;
	reg->ops = ops;
	hash_init(reg->vcpu_hash);
	hash_init(reg->thread_hash);
}

/**
 * kvms_vm_create() - link a new VM
 * @reg:	the registry
 * @key:	opaque identity of the VM (its struct kvm); must not be linked yet
 * @pid:	the VMM's process id
 * @comm:	the VMM's command name (truncated to TASK_COMM_LEN - 1)
 *
 * The registry's reference is the one returned: the caller does not own it.
 *
 * Context: process context, reg->lock held; allocates with GFP_KERNEL.
 * Return: the new VM, NULL when out of memory or out of ids.
 */
struct kvms_vm *kvms_vm_create(struct kvms_registry *reg, const void *key,
			       pid_t pid, const char *comm)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	if (!reg->next_id)	/* wrapped: 2^32 - 1 VMs in one load */
		return NULL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	kref_init(&vm->ref);
	vm->reg = reg;
	vm->key = key;
	vm->id = reg->next_id++;
	vm->pid = pid;
	strscpy(vm->comm, comm, sizeof(vm->comm));
	INIT_LIST_HEAD(&vm->vcpus);
	seqcount_mutex_init(&vm->lat_seq, &reg->lock);
	vm->dlb.policy = &vm->policy;
	vm->class = KVMSCHED_CLASS_SHARES;
	vm->weight = KVMSCHED_WEIGHT_DEFAULT;
	vm->rt_priority = KVMSCHED_RT_PRIORITY_DEFAULT;
	vm->latency_us = KVMSCHED_LATENCY_US_DEFAULT;
	vm->balloon.shares = KVMSCHED_MEM_SHARES_DEFAULT;
	vm->balloon.free_mib = -1;
	vm->mem.avail_mib = -1;
	vm->linked = true;
	list_add_tail(&vm->node, &reg->vms);
	WRITE_ONCE(reg->nr_vms, reg->nr_vms + 1);
	reg->gen++;
	return vm;
}

/**
 * kvms_thread_owner() - the vCPU that manages a thread
 * @reg:	the registry
 * @task:	the thread
 *
 * Context: reg->lock held.
 * Return: the vCPU of a linked VM whose thread @task is and that manages
 * it, or NULL.
 */
struct kvms_vcpu *kvms_thread_owner(struct kvms_registry *reg,
				    const struct task_struct *task)
{
	struct kvms_vcpu *vcpu;

	lockdep_assert_held(&reg->lock);
	hash_for_each_possible(reg->thread_hash, vcpu, tnode,
			       hash_ptr(task, KVMS_VCPU_HASH_BITS))
		if (rcu_access_pointer(vcpu->task) == task)
			return vcpu;
	return NULL;
}

/* @vcpu now runs on its @task: manage it, or share its manager. */
static void kvms_thread_attach(struct kvms_registry *reg,
			       struct kvms_vcpu *vcpu)
{
	struct task_struct *task = rcu_dereference_protected(vcpu->task,
					lockdep_is_held(&reg->lock));

	WRITE_ONCE(vcpu->owner, kvms_thread_owner(reg, task));
	if (!vcpu->owner)
		hash_add(reg->thread_hash, &vcpu->tnode,
			 hash_ptr(task, KVMS_VCPU_HASH_BITS));
}

/*
 * @vcpu no longer runs on its thread. If it managed the thread, the first
 * vCPU (of any linked VM) that shared it takes over, and the others now
 * share the heir's. Return: the heir, or NULL.
 */
static struct kvms_vcpu *kvms_thread_detach(struct kvms_registry *reg,
					    struct kvms_vcpu *vcpu)
{
	struct kvms_vcpu *heir = NULL, *kv;
	struct kvms_vm *vm;

	if (vcpu->owner) {
		WRITE_ONCE(vcpu->owner, NULL);
		return NULL;
	}
	hash_del(&vcpu->tnode);
	list_for_each_entry(vm, &reg->vms, node) {
		list_for_each_entry(kv, &vm->vcpus, node) {
			if (kv->owner != vcpu)
				continue;
			if (heir) {
				WRITE_ONCE(kv->owner, heir);
				continue;
			}
			heir = kv;
			WRITE_ONCE(heir->owner, NULL);
			hash_add(reg->thread_hash, &heir->tnode,
				 hash_ptr(rcu_access_pointer(heir->task),
					  KVMS_VCPU_HASH_BITS));
		}
	}
	return heir;
}

/**
 * kvms_vcpu_set_task() - another thread runs a vCPU now
 * @vcpu:	a vCPU of a linked VM
 * @task:	the new thread; the caller hands over one task reference
 * @tid:	its thread id
 * @heir:	set to the vCPU that now manages the old thread in @vcpu's
 *		place (it shared the thread with @vcpu), or NULL
 *
 * Readers under RCU may still see the old thread until a grace period
 * passes: the caller drops the returned reference only after one.
 *
 * Context: reg->lock held.
 * Return: the old thread, whose reference moves to the caller.
 */
struct task_struct *kvms_vcpu_set_task(struct kvms_vcpu *vcpu,
				       struct task_struct *task, pid_t tid,
				       struct kvms_vcpu **heir)
{
	struct kvms_registry *reg = vcpu->vm->reg;
	struct task_struct *old;

	lockdep_assert_held(&reg->lock);
	old = rcu_dereference_protected(vcpu->task, lockdep_is_held(&reg->lock));
	*heir = kvms_thread_detach(reg, vcpu);
	rcu_assign_pointer(vcpu->task, task);
	WRITE_ONCE(vcpu->tid, tid);
	kvms_thread_attach(reg, vcpu);
	reg->gen++;
	return old;
}

/**
 * kvms_vcpu_create() - add a vCPU to a linked VM
 * @vm:		the VM
 * @key:	opaque identity of the vCPU (its struct kvm_vcpu); not linked yet
 * @task:	the vCPU thread; the caller hands over one task reference,
 *		which the vcpu_release hook drops
 * @vcpu_id:	KVM's vcpu_id
 * @tid:	thread id
 *
 * A vCPU whose thread already runs another vCPU shares that vCPU's
 * management of the thread (struct kvms_vcpu.owner).
 *
 * Context: process context, reg->lock held; allocates with GFP_KERNEL.
 * Return: the new vCPU (owned by @vm), NULL when out of memory; on failure
 * the caller keeps its task reference.
 */
struct kvms_vcpu *kvms_vcpu_create(struct kvms_vm *vm, const void *key,
				   struct task_struct *task, u32 vcpu_id,
				   pid_t tid)
{
	struct kvms_registry *reg = vm->reg;
	struct kvms_vcpu *vcpu, *pos;
	struct list_head *before = &vm->vcpus;

	lockdep_assert_held(&reg->lock);
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
	if (!vcpu)
		return NULL;
	kref_init(&vcpu->ref);
	vcpu->vm = vm;
	vcpu->ops = reg->ops;
	vcpu->key = key;
	vcpu->lock = &reg->lock;
	RCU_INIT_POINTER(vcpu->task, task);
	vcpu->vcpu_id = vcpu_id;
	vcpu->tid = tid;
	kvms_thread_attach(reg, vcpu);

	list_for_each_entry(pos, &vm->vcpus, node) {
		if (pos->vcpu_id > vcpu_id) {
			before = &pos->node;
			break;
		}
	}
	/* Lockless readers walk vm->vcpus under RCU (sysfs totals). */
	list_add_tail_rcu(&vcpu->node, before);
	WRITE_ONCE(vm->nr_vcpus, vm->nr_vcpus + 1);
	hash_add_rcu(reg->vcpu_hash, &vcpu->hnode, hash_ptr(key, KVMS_VCPU_HASH_BITS));
	reg->gen++;
	return vcpu;
}

/**
 * kvms_vm_find_key() - the linked VM with this key
 * @reg: the registry
 * @key: opaque identity (struct kvm)
 *
 * Context: reg->lock held.
 * Return: the VM (no reference taken) or NULL.
 */
struct kvms_vm *kvms_vm_find_key(struct kvms_registry *reg, const void *key)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vm, &reg->vms, node)
		if (vm->key == key)
			return vm;
	return NULL;
}

/**
 * kvms_vm_find_id() - the linked VM with this id
 * @reg: the registry
 * @id:  VM id
 *
 * Context: reg->lock held.
 * Return: the VM (no reference taken) or NULL.
 */
struct kvms_vm *kvms_vm_find_id(struct kvms_registry *reg, u32 id)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vm, &reg->vms, node)
		if (vm->id == id)
			return vm;
	return NULL;
}

/**
 * kvms_vcpu_find_rcu() - the vCPU with this key
 * @reg: the registry
 * @key: opaque identity (struct kvm_vcpu)
 *
 * Context: RCU read side (or preemption disabled), any context; never sleeps.
 * Return: the vCPU (no reference taken; valid until the read side ends) or NULL.
 */
struct kvms_vcpu *kvms_vcpu_find_rcu(struct kvms_registry *reg,
				     const void *key)
{
	struct kvms_vcpu *vcpu;

	hash_for_each_possible_rcu(reg->vcpu_hash, vcpu, hnode,
				   hash_ptr(key, KVMS_VCPU_HASH_BITS))
		if (vcpu->key == key)
			return vcpu;
	return NULL;
}

/**
 * kvms_vm_unlink() - forget a VM: remove it and its vCPUs from every lookup
 * @vm: a linked VM
 *
 * The registry's reference moves to the caller, who drops it with
 * kvms_vm_put() once it has detached everything else (sysfs, caches).
 * RCU readers may still see the vCPUs until a grace period passes; the
 * objects are freed only after one.
 *
 * Context: reg->lock held.
 */
void kvms_vm_unlink(struct kvms_vm *vm)
{
	struct kvms_registry *reg = vm->reg;
	struct kvms_vcpu *vcpu;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vcpu, &vm->vcpus, node) {
		hash_del_rcu(&vcpu->hnode);
		/* an heir starts afresh: it never set the thread */
		kvms_thread_detach(reg, vcpu);
	}
	list_del(&vm->node);
	WRITE_ONCE(reg->reserved_mcpu, reg->reserved_mcpu - vm->reservation_mcpu);
	vm->linked = false;
	WRITE_ONCE(reg->nr_vms, reg->nr_vms - 1);
	reg->gen++;
}

/**
 * kvms_vm_set_reservation() - change a linked VM's reservation
 * @vm:		the VM
 * @mcpu:	the new reservation, already admitted (kvms_policy_admit())
 *
 * Keeps reg->reserved_mcpu, the sum admission control checks against.
 *
 * Context: reg->lock held.
 */
void kvms_vm_set_reservation(struct kvms_vm *vm, u32 mcpu)
{
	struct kvms_registry *reg = vm->reg;

	lockdep_assert_held(&reg->lock);
	if (vm->linked)
		WRITE_ONCE(reg->reserved_mcpu,
			   reg->reserved_mcpu - vm->reservation_mcpu + mcpu);
	WRITE_ONCE(vm->reservation_mcpu, mcpu);
}

/**
 * kvms_name_check() - is @name a valid VM name?
 * @name:	NUL-terminated candidate
 * @why:	set to a message naming the rule broken
 *
 * Return: 0, or -EINVAL when empty, longer than KVMS_NAME_MAX_LEN, or with a
 * character outside 0x21-0x7e (printable ASCII, no space).
 */
int kvms_name_check(const char *name, const char **why)
{
	size_t len = strnlen(name, KVMS_NAME_MAX_LEN + 1);
	size_t i;

	if (!len || len > KVMS_NAME_MAX_LEN) {
		*why = "name must be 1-63 characters";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (name[i] < 0x21 || name[i] > 0x7e) {
			*why = "name must be printable ASCII without spaces (0x21-0x7e)";
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * kvms_vm_name_locked() - a VM's name while holding reg->lock
 * @vm: the VM
 *
 * Return: the name, or NULL when none is set.
 */
const char *kvms_vm_name_locked(const struct kvms_vm *vm)
{
	struct kvms_name *n = rcu_dereference_protected(vm->name,
							lockdep_is_held(&vm->reg->lock));

	return n ? n->s : NULL;
}

/**
 * kvms_vm_find_name() - the linked VM with this name
 * @reg:	the registry
 * @name:	the name
 *
 * Context: reg->lock held.
 * Return: the VM (no reference taken) or NULL.
 */
struct kvms_vm *kvms_vm_find_name(struct kvms_registry *reg, const char *name)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&reg->lock);
	list_for_each_entry(vm, &reg->vms, node) {
		const char *n = kvms_vm_name_locked(vm);

		if (n && !strcmp(n, name))
			return vm;
	}
	return NULL;
}

/**
 * kvms_vm_set_name() - name a VM
 * @vm:		a linked VM
 * @name:	the new name (checked here)
 * @why:	set to a message on failure
 *
 * Setting the name a VM already has succeeds and changes nothing.
 *
 * Context: process context, reg->lock held; allocates with GFP_KERNEL.
 * Return: 0; -EINVAL for an invalid name; -EEXIST when another live VM has
 * it; -ENOMEM.
 */
int kvms_vm_set_name(struct kvms_vm *vm, const char *name, const char **why)
{
	struct kvms_registry *reg = vm->reg;
	struct kvms_name *n, *old;
	struct kvms_vm *other;
	size_t len;
	int err;

	lockdep_assert_held(&reg->lock);
	err = kvms_name_check(name, why);
	if (err)
		return err;
	other = kvms_vm_find_name(reg, name);
	if (other == vm)
		return 0;
	if (other) {
		*why = "name is already used by another live VM";
		return -EEXIST;
	}
	len = strlen(name);
	n = kmalloc(struct_size(n, s, len + 1), GFP_KERNEL);
	if (!n) {
		*why = "out of memory";
		return -ENOMEM;
	}
	memcpy(n->s, name, len + 1);
	old = rcu_replace_pointer(vm->name, n, lockdep_is_held(&reg->lock));
	if (old)
		kfree_rcu(old, rcu);
	reg->gen++;
	return 0;
}

static void kvms_vcpu_release(struct kref *ref)
{
	struct kvms_vcpu *vcpu = container_of(ref, struct kvms_vcpu, ref);

	if (vcpu->ops && vcpu->ops->vcpu_release)
		vcpu->ops->vcpu_release(vcpu);
	kfree_rcu(vcpu, rcu);
}

/**
 * kvms_vcpu_put() - drop a vCPU reference
 * @vcpu: the vCPU
 *
 * Context: process context (the release hook may sleep).
 */
void kvms_vcpu_put(struct kvms_vcpu *vcpu)
{
	kref_put(&vcpu->ref, kvms_vcpu_release);
}

static void kvms_vm_release(struct kref *ref)
{
	struct kvms_vm *vm = container_of(ref, struct kvms_vm, ref);
	struct kvms_vcpu *vcpu, *tmp;

	if (vm->reg->ops && vm->reg->ops->vm_release)
		vm->reg->ops->vm_release(vm);
	list_for_each_entry_safe(vcpu, tmp, &vm->vcpus, node)
		kvms_vcpu_put(vcpu);
	/* The last reference: nobody else can see the name any more. */
	kfree_rcu(rcu_dereference_protected(vm->name, true), rcu);
	kfree_rcu(vm, rcu);
}

/**
 * kvms_vm_put() - drop a VM reference
 * @vm: the VM
 *
 * The last reference frees the VM and drops its references on its vCPUs.
 * The registry must not be freed while a VM still references it.
 *
 * Context: process context (the release hook may sleep).
 */
void kvms_vm_put(struct kvms_vm *vm)
{
	kref_put(&vm->ref, kvms_vm_release);
}
