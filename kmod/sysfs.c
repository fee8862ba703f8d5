// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched sysfs view, read-only: /sys/kernel/kvmsched/.
 *
 *   global files (version, nr_vms, tunables, CPU and memory state)
 *   vms/<id>/...                  one directory per VM
 *   vms/<id>/vcpus/<vcpu_id>/...  one per vCPU
 *
 * Every file is documented in Documentation/ABI/testing/sysfs-kernel-kvmsched.
 *
 * Every directory holds a reference on its VM or vCPU object, so show()
 * needs no lock: it reads fields that are either immutable or single
 * values read with READ_ONCE(). Directories are added by the discovery
 * worker under kvms_reg.lock and removed without it, so a reader that is
 * blocked in show() can never hold up a lock the remover needs.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait_bit.h>

#include "config.h"
#include "enforce.h"
#include "memory.h"
#include "names.h"
#include "registry.h"
#include "sysfs.h"
#include "version.h"
#include "watchdog.h"

struct kvms_vm_dir {
	struct kobject kobj;
	struct kobject *vcpus;
	struct kvms_vm *vm;
};

struct kvms_vcpu_dir {
	struct kobject kobj;
	struct kvms_vcpu *vcpu;
};

static struct kobject *kvms_root;
static struct kobject *kvms_vms;

/*
 * VM and vCPU directories not yet released. Their release functions are
 * module code, and a kobject may be released long after its last
 * kobject_put() (CONFIG_DEBUG_KOBJECT_RELEASE delays it by 1-4 s): module
 * exit waits until every one has run (kvms_sysfs_exit()).
 */
static atomic_t kvms_sysfs_dirs = ATOMIC_INIT(0);

static void kvms_sysfs_dir_gone(void)
{
	if (atomic_dec_and_test(&kvms_sysfs_dirs))
		wake_up_var(&kvms_sysfs_dirs);
}

static struct kvms_vm *to_vm(struct kobject *kobj)
{
	return container_of(kobj, struct kvms_vm_dir, kobj)->vm;
}

static struct kvms_vcpu *to_vcpu(struct kobject *kobj)
{
	return container_of(kobj, struct kvms_vcpu_dir, kobj)->vcpu;
}

/* ---- per-vCPU files ---- */

#define KVMS_VCPU_ATTR(_name, _fmt, _expr)					\
static ssize_t vcpu_##_name##_show(struct kobject *kobj,			\
				   struct kobj_attribute *attr, char *buf)	\
{										\
	const struct kvms_vcpu *kv = to_vcpu(kobj);				\
	ssize_t n;								\
										\
	rcu_read_lock();	/* kvms_vcpu_task() */				\
	n = sysfs_emit(buf, _fmt "\n", _expr);					\
	rcu_read_unlock();							\
	return n;								\
}										\
static struct kobj_attribute vcpu_attr_##_name =				\
	__ATTR(_name, 0444, vcpu_##_name##_show, NULL)

KVMS_VCPU_ATTR(vcpu_id, "%u", kv->vcpu_id);
KVMS_VCPU_ATTR(tid, "%d", READ_ONCE(kv->tid));
KVMS_VCPU_ATTR(cpu_time_ns, "%llu", kvms_vcpu_cpu_ns(kv));
KVMS_VCPU_ATTR(wait_time_ns, "%llu", kvms_vcpu_wait_ns(kv));
KVMS_VCPU_ATTR(vm_entries, "%llu", READ_ONCE(kv->entries));
KVMS_VCPU_ATTR(cpu_last_mcpu, "%u", kvms_acct_cpu_mcpu(&kv->acct));
KVMS_VCPU_ATTR(steal_last_permille, "%u", kvms_acct_steal_permille(&kv->acct));
KVMS_VCPU_ATTR(sched_policy, "%s",
	       kvms_policy_name(READ_ONCE(kvms_vcpu_task(kv)->policy)));
KVMS_VCPU_ATTR(nice, "%d", task_nice(kvms_vcpu_task(kv)));
KVMS_VCPU_ATTR(overrides, "%u", READ_ONCE(kv->sched.overrides));
KVMS_VCPU_ATTR(dl_mcpu, "%u", READ_ONCE(kv->sched.cur_dl_mcpu));
KVMS_VCPU_ATTR(dl_block, "%s", kvms_dl_block_name(READ_ONCE(kv->sched.dl_block)));
KVMS_VCPU_ATTR(dl_blocked, "%u", READ_ONCE(kv->sched.dl_blocked));
KVMS_VCPU_ATTR(thread_shared, "%d", kvms_vcpu_shared_with(kv));
KVMS_VCPU_ATTR(starved_ms, "%u", kvms_vcpu_starved_ms(kv));
KVMS_VCPU_ATTR(burst_us, "%u", kvms_vcpu_burst_us(kv));

static struct attribute *kvms_vcpu_attrs[] = {
	&vcpu_attr_vcpu_id.attr,
	&vcpu_attr_tid.attr,
	&vcpu_attr_cpu_time_ns.attr,
	&vcpu_attr_wait_time_ns.attr,
	&vcpu_attr_vm_entries.attr,
	&vcpu_attr_cpu_last_mcpu.attr,
	&vcpu_attr_steal_last_permille.attr,
	&vcpu_attr_sched_policy.attr,
	&vcpu_attr_nice.attr,
	&vcpu_attr_overrides.attr,
	&vcpu_attr_dl_mcpu.attr,
	&vcpu_attr_dl_block.attr,
	&vcpu_attr_dl_blocked.attr,
	&vcpu_attr_thread_shared.attr,
	&vcpu_attr_starved_ms.attr,
	&vcpu_attr_burst_us.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kvms_vcpu);

static void kvms_vcpu_dir_release(struct kobject *kobj)
{
	struct kvms_vcpu_dir *d = container_of(kobj, struct kvms_vcpu_dir, kobj);

	kvms_vcpu_put(d->vcpu);
	kfree(d);
	kvms_sysfs_dir_gone();
}

static const struct kobj_type kvms_vcpu_ktype = {
	.release = kvms_vcpu_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kvms_vcpu_groups,
};

/* ---- per-VM files ---- */

#define KVMS_VM_ATTR(_name, _fmt, _expr)					\
static ssize_t vm_##_name##_show(struct kobject *kobj,			\
				 struct kobj_attribute *attr, char *buf)	\
{										\
	const struct kvms_vm *vm = to_vm(kobj);					\
										\
	return sysfs_emit(buf, _fmt "\n", _expr);				\
}										\
static struct kobj_attribute vm_attr_##_name =				\
	__ATTR(_name, 0444, vm_##_name##_show, NULL)

/* A VM statistic: the sum (or mean) over its vCPUs, read live. */
#define KVMS_VM_STAT(_name, _field, _fmt)					\
static ssize_t vm_##_name##_show(struct kobject *kobj,			\
				 struct kobj_attribute *attr, char *buf)	\
{										\
	struct kvms_vm_stats st;						\
										\
	kvms_vm_stats(to_vm(kobj), &st);					\
	return sysfs_emit(buf, _fmt "\n", st._field);				\
}										\
static struct kobj_attribute vm_attr_##_name =				\
	__ATTR(_name, 0444, vm_##_name##_show, NULL)

/* The effective max, from one lockless read of each input. */
static u32 vm_mem_max_mib(const struct kvms_vm *vm)
{
	const struct kvms_balloon_vm b = {
		.max_mib = READ_ONCE(vm->balloon.max_mib),
		.guest_mib = READ_ONCE(vm->balloon.guest_mib),
	};

	return kvms_balloon_max_mib(&b);
}

KVMS_VM_ATTR(id, "%u", vm->id);
KVMS_VM_ATTR(pid, "%d", vm->pid);
KVMS_VM_ATTR(comm, "%s", vm->comm);
KVMS_VM_ATTR(nr_vcpus, "%u", READ_ONCE(vm->nr_vcpus));
KVMS_VM_ATTR(class, "%s", kvms_class_name(READ_ONCE(vm->class)));
KVMS_VM_ATTR(weight, "%u", READ_ONCE(vm->weight));
KVMS_VM_ATTR(rt_priority, "%u", READ_ONCE(vm->rt_priority));
KVMS_VM_ATTR(rr_quantum_ms, "%u", READ_ONCE(vm->rr_quantum_ms));
KVMS_VM_ATTR(latency_us, "%u", READ_ONCE(vm->latency_us));
KVMS_VM_ATTR(rt_throttled_periods, "%llu", READ_ONCE(vm->rt_throttled_periods));
KVMS_VM_ATTR(starved_count, "%llu", READ_ONCE(vm->starved_count));
KVMS_VM_ATTR(entitled_mcpu, "%u", READ_ONCE(vm->policy.entitled_mcpu));
KVMS_VM_ATTR(demand_mcpu, "%u", READ_ONCE(vm->policy.demand_mcpu));
KVMS_VM_ATTR(nr_active_vcpus, "%u", READ_ONCE(vm->policy.nr_active));
KVMS_VM_ATTR(reservation_mcpu, "%u", READ_ONCE(vm->reservation_mcpu));
KVMS_VM_ATTR(limit_mcpu, "%u", READ_ONCE(vm->limit_mcpu));
KVMS_VM_ATTR(bound, "%s", kvms_bound_name(READ_ONCE(vm->policy.bound)));
KVMS_VM_ATTR(throttled_ns, "%llu", READ_ONCE(vm->dlb.throttled_ns));
KVMS_VM_ATTR(reservation_misses, "%u", READ_ONCE(vm->dlb.misses));
KVMS_VM_ATTR(mem_shares, "%u", READ_ONCE(vm->balloon.shares));
KVMS_VM_ATTR(mem_min_mib, "%u", READ_ONCE(vm->balloon.min_mib));
KVMS_VM_ATTR(mem_max_mib, "%u", vm_mem_max_mib(vm));
KVMS_VM_ATTR(guest_mem_mib, "%u", READ_ONCE(vm->balloon.guest_mib));
KVMS_VM_ATTR(rss_mib, "%u", READ_ONCE(vm->mem.rss_mib));
KVMS_VM_ATTR(guest_free_mib, "%d", READ_ONCE(vm->balloon.free_mib));
KVMS_VM_ATTR(guest_avail_mib, "%d", READ_ONCE(vm->mem.avail_mib));
KVMS_VM_ATTR(balloon_actual_mib, "%u", READ_ONCE(vm->mem.actual_mib));
KVMS_VM_ATTR(balloon_target_mib, "%u", READ_ONCE(vm->balloon.target_mib));
KVMS_VM_ATTR(balloon_reason, "%s", kvms_balloon_reason_name(READ_ONCE(vm->balloon.reason)));
KVMS_VM_STAT(cpu_time_ns, cpu_ns, "%llu");
KVMS_VM_STAT(wait_time_ns, wait_ns, "%llu");
KVMS_VM_STAT(vm_entries, entries, "%llu");
KVMS_VM_STAT(cpu_last_mcpu, cpu_last_mcpu, "%u");
KVMS_VM_STAT(steal_last_permille, steal_last_permille, "%u");

/* A figure of the last complete wake latency window. */
#define KVMS_VM_LAT(_name, _field)						\
static ssize_t vm_##_name##_show(struct kobject *kobj,			\
				 struct kobj_attribute *attr, char *buf)	\
{										\
	struct kvms_lat_stat l;							\
										\
	kvms_vm_lat(to_vm(kobj), &l);						\
	return sysfs_emit(buf, "%llu\n", l._field);				\
}										\
static struct kobj_attribute vm_attr_##_name =				\
	__ATTR(_name, 0444, vm_##_name##_show, NULL)

KVMS_VM_LAT(wake_latency_count, count);
KVMS_VM_LAT(wake_latency_p50_ns, p50_ns);
KVMS_VM_LAT(wake_latency_p99_ns, p99_ns);
KVMS_VM_LAT(wake_latency_max_ns, max_ns);
KVMS_VM_LAT(wake_latency_skipped, skipped);

/* The window's histogram: one count per bucket, space-separated. */
static ssize_t vm_wake_latency_hist_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	struct kvms_lat_stat l;
	unsigned int i;
	int len = 0;

	kvms_vm_lat(to_vm(kobj), &l);
	for (i = 0; i < KVMS_LAT_BUCKETS; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? " " : "", l.hist[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static struct kobj_attribute vm_attr_wake_latency_hist =
	__ATTR(wake_latency_hist, 0444, vm_wake_latency_hist_show, NULL);

/* The admin-chosen name; empty when none is set. */
static ssize_t vm_name_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	const struct kvms_vm *vm = to_vm(kobj);
	const struct kvms_name *n;
	ssize_t len;

	rcu_read_lock();
	n = rcu_dereference(vm->name);
	len = sysfs_emit(buf, "%s\n", n ? n->s : "");
	rcu_read_unlock();
	return len;
}

static struct kobj_attribute vm_attr_name = __ATTR(name, 0444, vm_name_show, NULL);

static struct attribute *kvms_vm_attrs[] = {
	&vm_attr_id.attr,
	&vm_attr_pid.attr,
	&vm_attr_comm.attr,
	&vm_attr_name.attr,
	&vm_attr_nr_vcpus.attr,
	&vm_attr_class.attr,
	&vm_attr_weight.attr,
	&vm_attr_rt_priority.attr,
	&vm_attr_rr_quantum_ms.attr,
	&vm_attr_latency_us.attr,
	&vm_attr_rt_throttled_periods.attr,
	&vm_attr_starved_count.attr,
	&vm_attr_entitled_mcpu.attr,
	&vm_attr_demand_mcpu.attr,
	&vm_attr_nr_active_vcpus.attr,
	&vm_attr_cpu_time_ns.attr,
	&vm_attr_wait_time_ns.attr,
	&vm_attr_vm_entries.attr,
	&vm_attr_cpu_last_mcpu.attr,
	&vm_attr_steal_last_permille.attr,
	&vm_attr_reservation_mcpu.attr,
	&vm_attr_limit_mcpu.attr,
	&vm_attr_bound.attr,
	&vm_attr_throttled_ns.attr,
	&vm_attr_reservation_misses.attr,
	&vm_attr_mem_shares.attr,
	&vm_attr_mem_min_mib.attr,
	&vm_attr_mem_max_mib.attr,
	&vm_attr_guest_mem_mib.attr,
	&vm_attr_rss_mib.attr,
	&vm_attr_guest_free_mib.attr,
	&vm_attr_guest_avail_mib.attr,
	&vm_attr_balloon_actual_mib.attr,
	&vm_attr_balloon_target_mib.attr,
	&vm_attr_balloon_reason.attr,
	&vm_attr_wake_latency_count.attr,
	&vm_attr_wake_latency_p50_ns.attr,
	&vm_attr_wake_latency_p99_ns.attr,
	&vm_attr_wake_latency_max_ns.attr,
	&vm_attr_wake_latency_skipped.attr,
	&vm_attr_wake_latency_hist.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kvms_vm);

static void kvms_vm_dir_release(struct kobject *kobj)
{
	struct kvms_vm_dir *d = container_of(kobj, struct kvms_vm_dir, kobj);

	kvms_vm_put(d->vm);
	kfree(d);
	kvms_sysfs_dir_gone();
}

static const struct kobj_type kvms_vm_ktype = {
	.release = kvms_vm_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kvms_vm_groups,
};

/**
 * kvms_sysfs_add_vm() - create vms/<id>/ for a newly linked VM
 * @vm: the VM
 *
 * A VM without a directory is still tracked; the failure is logged.
 *
 * Context: process context, kvms_reg.lock held.
 * Return: 0 or a negative errno.
 */
int kvms_sysfs_add_vm(struct kvms_vm *vm)
{
	struct kvms_vm_dir *d;
	int err;

	lockdep_assert_held(&kvms_reg.lock);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	atomic_inc(&kvms_sysfs_dirs);	/* ORDER: before anything can release d */
	kvms_vm_get(vm);
	d->vm = vm;
	err = kobject_init_and_add(&d->kobj, &kvms_vm_ktype, kvms_vms, "%u",
				   vm->id);
	if (err)
		goto err_put;
	d->vcpus = kobject_create_and_add("vcpus", &d->kobj);
	if (!d->vcpus) {
		err = -ENOMEM;
		goto err_del;
	}
	vm->priv = d;
	return 0;

err_del:
	kobject_del(&d->kobj);
err_put:
	kobject_put(&d->kobj);	/* frees d and drops the VM reference */
	pr_warn_ratelimited("VM %u: no sysfs directory (%d)\n", vm->id, err);
	return err;
}

/**
 * kvms_sysfs_add_vcpu() - create vms/<id>/vcpus/<vcpu_id>/
 * @kv: the vCPU, already in its VM's list
 *
 * Context: process context, kvms_reg.lock held.
 * Return: 0 or a negative errno.
 */
int kvms_sysfs_add_vcpu(struct kvms_vcpu *kv)
{
	struct kvms_vm_dir *vd = kv->vm->priv;
	struct kvms_vcpu_dir *d;
	int err;

	lockdep_assert_held(&kvms_reg.lock);
	if (!vd)
		return -ENOENT;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	atomic_inc(&kvms_sysfs_dirs);	/* ORDER: before anything can release d */
	kvms_vcpu_get(kv);
	d->vcpu = kv;
	err = kobject_init_and_add(&d->kobj, &kvms_vcpu_ktype, vd->vcpus, "%u",
				   kv->vcpu_id);
	if (err) {
		kobject_put(&d->kobj);
		pr_warn_ratelimited("VM %u vCPU %u: no sysfs directory (%d)\n",
				    kv->vm->id, kv->vcpu_id, err);
		return err;
	}
	kv->priv = d;
	return 0;
}

/**
 * kvms_sysfs_del_vm() - remove vms/<id>/ and everything below it
 * @vm: an unlinked VM (so no vCPU can be added concurrently)
 *
 * Context: process context, kvms_reg.lock not held.
 */
void kvms_sysfs_del_vm(struct kvms_vm *vm)
{
	struct kvms_vm_dir *vd = vm->priv;
	struct kvms_vcpu *kv;

	list_for_each_entry(kv, &vm->vcpus, node) {
		struct kvms_vcpu_dir *d = kv->priv;

		if (d) {
			kv->priv = NULL;
			kobject_del(&d->kobj);
			kobject_put(&d->kobj);
		}
	}
	if (vd) {
		vm->priv = NULL;
		kobject_put(vd->vcpus);
		kobject_del(&vd->kobj);
		kobject_put(&vd->kobj);
	}
}

/* ---- top level ---- */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", KVMSCHED_VERSION);
}

static ssize_t nr_vms_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(kvms_reg.nr_vms));
}

static ssize_t period_ms_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(kvms_config.period_ms));
}

#define KVMS_ROOT_ATTR(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,				\
			    struct kobj_attribute *attr, char *buf)		\
{										\
	return sysfs_emit(buf, _fmt "\n", _expr);				\
}										\
static struct kobj_attribute kvms_attr_##_name = __ATTR_RO(_name)

static u32 kvms_overcommit_now(void)
{
	u32 reserved = READ_ONCE(kvms_reg.reserved_mcpu);
	u32 reservable = kvms_reservable_now();

	return reserved > reservable ? reserved - reservable : 0;
}

KVMS_ROOT_ATTR(reserve_headroom_pct, "%u",
	       READ_ONCE(kvms_config.reserve_headroom_pct));
KVMS_ROOT_ATTR(capacity_mcpu, "%u", kvms_capacity_mcpu());
KVMS_ROOT_ATTR(reservable_mcpu, "%u", kvms_reservable_now());
KVMS_ROOT_ATTR(reserved_mcpu, "%u", READ_ONCE(kvms_reg.reserved_mcpu));
KVMS_ROOT_ATTR(overcommit_mcpu, "%u", kvms_overcommit_now());
KVMS_ROOT_ATTR(deadline_refused, "%lu", READ_ONCE(kvms_dl_refused));
KVMS_ROOT_ATTR(deadline_reclaimed, "%ld", atomic_long_read(&kvms_dl_reclaimed));
KVMS_ROOT_ATTR(apply_last_ns, "%llu", READ_ONCE(kvms_apply_last_ns));
KVMS_ROOT_ATTR(apply_max_ns, "%llu", READ_ONCE(kvms_apply_max_ns));
KVMS_ROOT_ATTR(rt_throttled_periods, "%llu", READ_ONCE(kvms_wd_throttled));
KVMS_ROOT_ATTR(starve_ms, "%u", READ_ONCE(kvms_config.starve_ms));
KVMS_ROOT_ATTR(burst_boost, "%u", READ_ONCE(kvms_config.burst_boost));
KVMS_ROOT_ATTR(burst_threshold_us, "%u", READ_ONCE(kvms_config.burst_threshold_us));
KVMS_ROOT_ATTR(mem_state, "%s", kvms_mem_state_name(READ_ONCE(kvms_host_mem.state)));
KVMS_ROOT_ATTR(host_mem_mib, "%llu", READ_ONCE(kvms_host_mem.total_mib));
KVMS_ROOT_ATTR(host_avail_mib, "%llu", READ_ONCE(kvms_host_mem.avail_mib));
KVMS_ROOT_ATTR(psi_some_avg10_bp, "%d", READ_ONCE(kvms_host_mem.psi_some_bp));
KVMS_ROOT_ATTR(balloon_period_ms, "%u", READ_ONCE(kvms_config.balloon_period_ms));
KVMS_ROOT_ATTR(mem_low_pct, "%u", READ_ONCE(kvms_config.mem.low_pct));
KVMS_ROOT_ATTR(mem_critical_pct, "%u", READ_ONCE(kvms_config.mem.critical_pct));
KVMS_ROOT_ATTR(mem_hysteresis_pct, "%u", READ_ONCE(kvms_config.mem.hysteresis_pct));
KVMS_ROOT_ATTR(balloon_step_pct, "%u", READ_ONCE(kvms_config.mem.step_pct));
KVMS_ROOT_ATTR(balloon_min_step_bp, "%u", READ_ONCE(kvms_config.mem.min_step_bp));
KVMS_ROOT_ATTR(idle_tax_pct, "%u", READ_ONCE(kvms_config.mem.idle_tax_pct));
KVMS_ROOT_ATTR(balloon_max_pct, "%u", READ_ONCE(kvms_config.mem.max_pct));
KVMS_ROOT_ATTR(mem_psi_reclaim_bp, "%u", READ_ONCE(kvms_config.mem.psi_reclaim_bp));

static struct kobj_attribute kvms_attr_version = __ATTR_RO(version);
static struct kobj_attribute kvms_attr_nr_vms = __ATTR_RO(nr_vms);
static struct kobj_attribute kvms_attr_period_ms = __ATTR_RO(period_ms);

static struct attribute *kvms_root_attrs[] = {
	&kvms_attr_version.attr,
	&kvms_attr_nr_vms.attr,
	&kvms_attr_period_ms.attr,
	&kvms_attr_reserve_headroom_pct.attr,
	&kvms_attr_capacity_mcpu.attr,
	&kvms_attr_reservable_mcpu.attr,
	&kvms_attr_reserved_mcpu.attr,
	&kvms_attr_overcommit_mcpu.attr,
	&kvms_attr_deadline_refused.attr,
	&kvms_attr_deadline_reclaimed.attr,
	&kvms_attr_apply_last_ns.attr,
	&kvms_attr_apply_max_ns.attr,
	&kvms_attr_rt_throttled_periods.attr,
	&kvms_attr_starve_ms.attr,
	&kvms_attr_burst_boost.attr,
	&kvms_attr_burst_threshold_us.attr,
	&kvms_attr_mem_state.attr,
	&kvms_attr_host_mem_mib.attr,
	&kvms_attr_host_avail_mib.attr,
	&kvms_attr_psi_some_avg10_bp.attr,
	&kvms_attr_balloon_period_ms.attr,
	&kvms_attr_mem_low_pct.attr,
	&kvms_attr_mem_critical_pct.attr,
	&kvms_attr_mem_hysteresis_pct.attr,
	&kvms_attr_balloon_step_pct.attr,
	&kvms_attr_balloon_min_step_bp.attr,
	&kvms_attr_idle_tax_pct.attr,
	&kvms_attr_balloon_max_pct.attr,
	&kvms_attr_mem_psi_reclaim_bp.attr,
	NULL,
};

static const struct attribute_group kvms_root_group = {
	.attrs = kvms_root_attrs,
};

/**
 * kvms_sysfs_init() - create /sys/kernel/kvmsched/ and vms/
 *
 * Return: 0 or a negative errno.
 */
int kvms_sysfs_init(void)
{
	int err;

	kvms_root = kobject_create_and_add("kvmsched", kernel_kobj);
	if (!kvms_root)
		return -ENOMEM;
	err = sysfs_create_group(kvms_root, &kvms_root_group);
	if (err)
		goto err_root;
	kvms_vms = kobject_create_and_add("vms", kvms_root);
	if (!kvms_vms) {
		err = -ENOMEM;
		goto err_group;
	}
	return 0;

err_group:
	sysfs_remove_group(kvms_root, &kvms_root_group);
err_root:
	kobject_put(kvms_root);
	return err;
}

/**
 * kvms_sysfs_exit() - remove /sys/kernel/kvmsched/; every VM is gone already
 */
void kvms_sysfs_exit(void)
{
	/*
	 * ORDER: out of sysfs now, not at their (possibly delayed) release, so
	 * that a new insmod finds the names free.
	 */
	kobject_del(kvms_vms);
	kobject_put(kvms_vms);
	sysfs_remove_group(kvms_root, &kvms_root_group);
	kobject_del(kvms_root);
	kobject_put(kvms_root);
	/* ORDER: no release function of ours may run after the module is gone. */
	wait_var_event(&kvms_sysfs_dirs, !atomic_read(&kvms_sysfs_dirs));
}
