// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched: a VM-aware scheduling policy for KVM hosts.
 *
 * Module init and exit, and the wiring: the registry's hooks (struct
 * kvms_registry_ops) connect the mechanism (track, enforce, memory) to the
 * interfaces (sysfs, netlink), so that no mechanism file calls an interface
 * file. See Documentation/design.rst.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "config.h"
#include "enforce.h"
#include "memory.h"
#include "netlink.h"
#include "registry.h"
#include "sysfs.h"
#include "track.h"
#include "version.h"
#include "watchdog.h"

static int period_ms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, KVMSCHED_PERIOD_MS_MIN,
				     KVMSCHED_PERIOD_MS_MAX);
}

static const struct kernel_param_ops period_ms_ops = {
	.set = period_ms_set,
	.get = param_get_uint,
};

module_param_cb(period_ms, &period_ms_ops, &kvms_config.period_ms, 0444);
MODULE_PARM_DESC(period_ms,
		 "Sampling and enforcement period in ms ("
		 __stringify(KVMSCHED_PERIOD_MS_MIN) "-"
		 __stringify(KVMSCHED_PERIOD_MS_MAX) ", default "
		 __stringify(KVMSCHED_PERIOD_MS_DEFAULT) ")");

/* sysfs directories; a VM or vCPU without one still runs (the log says why). */
static void kvms_on_vm_added(struct kvms_vm *vm)
{
	kvms_sysfs_add_vm(vm);
}

static void kvms_on_vcpu_added(struct kvms_vcpu *kv)
{
	kvms_sysfs_add_vcpu(kv);
}

static void kvms_on_config_changed(bool period)
{
	if (period)
		kvms_track_period_changed();
	kvms_nl_notify_config();
}

static const struct kvms_registry_ops kvms_ops = {
	.vcpu_release = kvms_track_vcpu_release,
	.vm_added = kvms_on_vm_added,
	.vcpu_added = kvms_on_vcpu_added,
	.vm_changed = kvms_nl_notify_vm,
	.vm_gone = kvms_sysfs_del_vm,
	.vm_restore = kvms_enforce_restore_vm,
	.cpu_changed = kvms_enforce_now,
	.vm_read_mem = kvms_memory_read_vm,
	.mem_changed = kvms_memory_kick,
	.config_changed = kvms_on_config_changed,
	.overcommit = kvms_nl_notify_overcommit,
};

static int __init kvms_init(void)
{
	int err;

	kvms_registry_init(&kvms_reg, &kvms_ops);
	err = kvms_sysfs_init();
	if (err)
		return err;
	/* ORDER: the first period may hand the watchdog realtime threads. */
	err = kvms_wd_init();
	if (err)
		goto err_sysfs;
	/* ORDER: VMs get sysfs directories as soon as tracking starts. */
	err = kvms_track_init();
	if (err)
		goto err_wd;
	/* ORDER: the control plane comes up last, when there is something to control. */
	err = kvms_nl_init();
	if (err)
		goto err_track;
	kvms_memory_start();
	pr_info("version %s loaded\n", KVMSCHED_VERSION);
	return 0;

err_track:
	kvms_track_exit();
err_wd:
	kvms_wd_exit();
err_sysfs:
	kvms_sysfs_exit();
	return err;
}

static void __exit kvms_exit(void)
{
	kvms_nl_exit();
	/* ORDER: nothing re-arms the balloon worker once netlink is gone. */
	kvms_memory_stop();
	kvms_track_exit();
	/* ORDER: after every VM gave its threads back (kvms_track_exit()). */
	kvms_wd_exit();
	kvms_sysfs_exit();
	/* ORDER: objects are freed by kfree_rcu(); let those run first. */
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(kvms_init);
module_exit(kvms_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VM-aware scheduling policy for KVM hosts");
MODULE_AUTHOR("The kvmsched authors");
MODULE_VERSION(KVMSCHED_VERSION);
