// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: kvmsched's state as Prometheus metrics; see metrics.h.
 *
 * Conventions (https://prometheus.io/docs/practices/naming/): base units
 * (seconds, bytes; CPU as a number of CPUs, where the module says mcpu;
 * ratios 0-1 where it says permille), counters end in _total, enums are
 * state sets (one sample per state, 1 for the current one). A value the
 * module did not send (an absent attribute: unknown) has no sample.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "metrics.h"
#include "names.h"
#include "prom.h"
#include "stats.h"

#define MIB		1048576.0
#define DUMP_RETRIES	5

enum field {
	F_U32,		/* uint32_t */
	F_S32,		/* int32_t */
	F_U64,		/* uint64_t */
};

/* One metric from one attribute of a VM, a vCPU or the configuration. */
struct metric {
	const char *name;
	enum prom_type type;
	int attr;		/* KVMSCHED_A_*, the "present" bit */
	size_t off;		/* of the field in its struct */
	enum field field;
	double scale;		/* value = field * scale */
	const char *help;
	bool need_wakeups;	/* no sample for a window without wakeups */
};

#define VM(n, t, a, f, k, s, h) \
	{ n, t, KVMSCHED_A_VM_##a, offsetof(struct kvms_vm, f), k, s, h, \
	  false }
/*
 * A figure of the VM's last wake-latency window: a gauge (the window is
 * replaced as a whole, so its counts are not counters), and the quantiles
 * and maximum of an empty window have no sample rather than a 0.
 */
#define VM_LAT(n, a, f, s, w, h) \
	{ n, PROM_GAUGE, KVMSCHED_A_VM_##a, offsetof(struct kvms_vm, f), \
	  F_U64, s, h, w }
#define VCPU(n, t, a, f, k, s, h) \
	{ n, t, KVMSCHED_A_VCPU_##a, offsetof(struct kvms_vcpu, f), k, s, h, \
	  false }
#define CFG(n, t, a, f, k, s, h) \
	{ n, t, KVMSCHED_A_CONFIG_##a, offsetof(struct kvms_config, f), k, s, \
	  h, false }

static const struct metric vm_metrics[] = {
	VM("kvmsched_vm_vcpus", PROM_GAUGE, NR_VCPUS, nr_vcpus, F_U32, 1,
	   "vCPUs of the VM kvmsched found."),
	VM("kvmsched_vm_cpu_seconds_total", PROM_COUNTER, CPU_TIME_NS,
	   cpu_time_ns, F_U64, 1e-9, "CPU time of the VM's vCPU threads."),
	VM("kvmsched_vm_wait_seconds_total", PROM_COUNTER, WAIT_TIME_NS,
	   wait_time_ns, F_U64, 1e-9,
	   "Time the VM's vCPU threads waited for a CPU (steal as the guest sees it)."),
	VM("kvmsched_vm_entries_total", PROM_COUNTER, VM_ENTRIES, vm_entries,
	   F_U64, 1, "VM entries of the VM's vCPUs."),
	VM("kvmsched_vm_cpu_used_cpus", PROM_GAUGE, CPU_LAST_MCPU,
	   cpu_last_mcpu, F_U32, 1e-3, "CPUs the VM used in the last period."),
	VM("kvmsched_vm_steal_ratio", PROM_GAUGE, STEAL_LAST_PERMILLE,
	   steal_last_permille, F_U32, 1e-3,
	   "Mean share of the last period the VM's vCPUs waited for a CPU (0-1)."),
	VM("kvmsched_vm_weight", PROM_GAUGE, WEIGHT, weight, F_U32, 1,
	   "CPU weight of the VM within its class (1-10000)."),
	VM("kvmsched_vm_entitled_cpus", PROM_GAUGE, ENTITLED_MCPU,
	   entitled_mcpu, F_U32, 1e-3,
	   "CPUs the policy entitled the VM to in the last period."),
	VM("kvmsched_vm_demand_cpus", PROM_GAUGE, DEMAND_MCPU, demand_mcpu,
	   F_U32, 1e-3, "CPUs the VM wanted in the last period (used + waited)."),
	VM("kvmsched_vm_active_vcpus", PROM_GAUGE, NR_ACTIVE_VCPUS,
	   nr_active_vcpus, F_U32, 1,
	   "vCPUs that wanted at least 0.05 CPU in the last period."),
	VM("kvmsched_vm_reservation_cpus", PROM_GAUGE, RESERVATION_MCPU,
	   reservation_mcpu, F_U32, 1e-3, "CPU reservation (floor); 0: none."),
	VM("kvmsched_vm_limit_cpus", PROM_GAUGE, LIMIT_MCPU, limit_mcpu, F_U32,
	   1e-3, "CPU limit (ceiling); 0: unlimited."),
	VM("kvmsched_vm_throttled_seconds_total", PROM_COUNTER, THROTTLED_NS,
	   throttled_ns, F_U64, 1e-9,
	   "Time the VM's vCPUs were held back by its limit, summed over vCPUs."),
	VM("kvmsched_vm_reservation_misses_total", PROM_COUNTER,
	   RESERVATION_MISSES, reservation_misses, F_U32, 1,
	   "Periods in which the VM wanted its reservation and did not get it."),
	VM("kvmsched_vm_rt_priority", PROM_GAUGE, RT_PRIORITY, rt_priority,
	   F_U32, 1,
	   "Realtime priority of the VM (1-99, higher runs first); used in the realtime class only."),
	VM("kvmsched_vm_rr_quantum_seconds", PROM_GAUGE, RR_QUANTUM_MS,
	   rr_quantum_ms, F_U32, 1e-3,
	   "Round-robin quantum among realtime vCPUs of equal priority; 0: first-come-first-served."),
	VM("kvmsched_vm_rt_throttled_periods_total", PROM_COUNTER,
	   RT_THROTTLED_PERIODS, rt_throttled_periods, F_U64, 1,
	   "Periods the starvation watchdog ran the realtime VM SCHED_IDLE for the rest of the period."),
	VM("kvmsched_vm_latency_period_seconds", PROM_GAUGE, LATENCY_US,
	   latency_us, F_U32, 1e-6,
	   "Deadline period of the VM's vCPU threads in the latency class (latency_us, 0.001-0.01 s): one that used its share waits at most this long for more; used in the latency class and by a VM bound boost."),
	VM("kvmsched_vm_starved_total", PROM_COUNTER, STARVED_COUNT,
	   starved_count, F_U64, 1,
	   "Times a vCPU of the shares or latency VM was runnable and got no CPU for starve_ms in a row."),
	VM("kvmsched_vm_memory_shares", PROM_GAUGE, MEM_SHARES, mem_shares,
	   F_U32, 1, "Memory shares of the VM (1-10000)."),
	VM("kvmsched_vm_memory_min_bytes", PROM_GAUGE, MEM_MIN_MIB, mem_min_mib,
	   F_U32, MIB, "Memory floor of the VM's balloon target; 0: none."),
	VM("kvmsched_vm_memory_max_bytes", PROM_GAUGE, MEM_MAX_MIB, mem_max_mib,
	   F_U32, MIB, "Memory ceiling of the VM (the guest RAM if unset)."),
	VM("kvmsched_vm_guest_memory_bytes", PROM_GAUGE, GUEST_MEM_MIB,
	   guest_mem_mib, F_U32, MIB, "Guest RAM of the VM."),
	VM("kvmsched_vm_rss_bytes", PROM_GAUGE, RSS_MIB, rss_mib, F_U32, MIB,
	   "Resident memory of the VMM process."),
	VM("kvmsched_vm_guest_free_bytes", PROM_GAUGE, GUEST_FREE_MIB,
	   guest_free_mib, F_U32, MIB, "Free memory as the guest reported it."),
	VM("kvmsched_vm_guest_available_bytes", PROM_GAUGE, GUEST_AVAIL_MIB,
	   guest_avail_mib, F_U32, MIB,
	   "Available memory as the guest reported it."),
	VM("kvmsched_vm_balloon_actual_bytes", PROM_GAUGE, BALLOON_ACTUAL_MIB,
	   balloon_actual_mib, F_U32, MIB,
	   "Memory the guest has with its balloon as it is (QEMU's actual)."),
	VM("kvmsched_vm_balloon_target_bytes", PROM_GAUGE, BALLOON_TARGET_MIB,
	   balloon_target_mib, F_U32, MIB,
	   "Memory kvmsched wants the guest to have (the balloon target)."),
	VM_LAT("kvmsched_vm_wake_latency_wakeups", WAKE_LATENCY_COUNT,
	       wake_latency_count, 1, false,
	       "Wakeups of the VM's vCPU threads measured in kvmsched's last complete wake-latency window (10 periods)."),
	VM_LAT("kvmsched_vm_wake_latency_skipped", WAKE_LATENCY_SKIPPED,
	       wake_latency_skipped, 1, false,
	       "Runs of the VM's vCPU threads in the last window that were not measured (after a preemption or several switches)."),
	VM_LAT("kvmsched_vm_wake_latency_p50_seconds", WAKE_LATENCY_P50_NS,
	       wake_latency_p50_ns, 1e-9, true,
	       "Median wakeup-to-run delay of the VM's vCPU threads in the last window: the upper end of its log2 bucket (at most 2x the exact value), at most the maximum."),
	VM_LAT("kvmsched_vm_wake_latency_p99_seconds", WAKE_LATENCY_P99_NS,
	       wake_latency_p99_ns, 1e-9, true,
	       "99th percentile wakeup-to-run delay of the VM's vCPU threads in the last window, like the median."),
	VM_LAT("kvmsched_vm_wake_latency_max_seconds", WAKE_LATENCY_MAX_NS,
	       wake_latency_max_ns, 1e-9, true,
	       "Longest wakeup-to-run delay of the VM's vCPU threads in the last window."),
};

static const struct metric vcpu_metrics[] = {
	VCPU("kvmsched_vcpu_cpu_seconds_total", PROM_COUNTER, CPU_TIME_NS,
	     cpu_time_ns, F_U64, 1e-9, "CPU time of the vCPU thread."),
	VCPU("kvmsched_vcpu_wait_seconds_total", PROM_COUNTER, WAIT_TIME_NS,
	     wait_time_ns, F_U64, 1e-9,
	     "Time the vCPU thread waited for a CPU (steal)."),
	VCPU("kvmsched_vcpu_entries_total", PROM_COUNTER, VM_ENTRIES,
	     vm_entries, F_U64, 1, "VM entries of the vCPU."),
	VCPU("kvmsched_vcpu_cpu_used_cpus", PROM_GAUGE, CPU_LAST_MCPU,
	     cpu_last_mcpu, F_U32, 1e-3, "CPU the vCPU used in the last period."),
	VCPU("kvmsched_vcpu_steal_ratio", PROM_GAUGE, STEAL_LAST_PERMILLE,
	     steal_last_permille, F_U32, 1e-3,
	     "Share of the last period the vCPU waited for a CPU (0-1)."),
	VCPU("kvmsched_vcpu_nice", PROM_GAUGE, NICE, nice, F_S32, 1,
	     "Nice level of the vCPU thread."),
	VCPU("kvmsched_vcpu_overrides_total", PROM_COUNTER, OVERRIDES,
	     overrides, F_U32, 1,
	     "Times kvmsched set back a change someone else made to the thread."),
	VCPU("kvmsched_vcpu_deadline_runtime_cpus", PROM_GAUGE, DL_MCPU,
	     dl_mcpu, F_U32, 1e-3,
	     "SCHED_DEADLINE bandwidth given to the vCPU thread; 0: not in the class."),
	VCPU("kvmsched_vcpu_deadline_blocked_periods_total", PROM_COUNTER,
	     DL_BLOCKED, dl_blocked, F_U32, 1,
	     "Periods the vCPU thread was refused SCHED_DEADLINE."),
	VCPU("kvmsched_vcpu_starved_seconds", PROM_GAUGE, STARVED_MS,
	     starved_ms, F_U32, 1e-3,
	     "How long the vCPU has been runnable and got no CPU; 0 once it runs."),
	VCPU("kvmsched_vcpu_burst_seconds", PROM_GAUGE, BURST_US, burst_us,
	     F_U32, 1e-6,
	     "Mean run burst of the vCPU thread in the last period (its CPU time per time put on a CPU); 0: it did not run."),
};

static const struct metric host_metrics[] = {
	CFG("kvmsched_vms", PROM_GAUGE, NR_VMS, nr_vms, F_U32, 1,
	    "VMs kvmsched tracks."),
	CFG("kvmsched_period_seconds", PROM_GAUGE, PERIOD_MS, period_ms, F_U32,
	    1e-3, "The scheduling period."),
	CFG("kvmsched_capacity_cpus", PROM_GAUGE, CAPACITY_MCPU, capacity_mcpu,
	    F_U32, 1e-3, "CPUs of the host VMs can use."),
	CFG("kvmsched_reservable_cpus", PROM_GAUGE, RESERVABLE_MCPU,
	    reservable_mcpu, F_U32, 1e-3,
	    "CPUs that may be reserved (capacity less the headroom)."),
	CFG("kvmsched_reserved_cpus", PROM_GAUGE, RESERVED_MCPU, reserved_mcpu,
	    F_U32, 1e-3, "CPUs reserved by the VMs, summed."),
	CFG("kvmsched_overcommit_cpus", PROM_GAUGE, OVERCOMMIT_MCPU,
	    overcommit_mcpu, F_U32, 1e-3,
	    "CPUs reserved beyond the reservable; 0: none."),
	CFG("kvmsched_host_memory_bytes", PROM_GAUGE, HOST_MEM_MIB,
	    host_mem_mib, F_U32, MIB, "Memory of the host."),
	CFG("kvmsched_host_memory_available_bytes", PROM_GAUGE, HOST_AVAIL_MIB,
	    host_avail_mib, F_U32, MIB, "Available memory of the host."),
	CFG("kvmsched_host_memory_psi_some_avg10_ratio", PROM_GAUGE,
	    PSI_SOME_AVG10_BP, psi_some_avg10_bp, F_U32, 1e-4,
	    "Host memory pressure (PSI some avg10, 0-1) as last reported."),
	CFG("kvmsched_deadline_refused_total", PROM_COUNTER, DEADLINE_REFUSED,
	    deadline_refused, F_U64, 1,
	    "VM-periods refused SCHED_DEADLINE since the module was loaded."),
	CFG("kvmsched_deadline_reclaimed_total", PROM_COUNTER,
	    DEADLINE_RECLAIMED, deadline_reclaimed, F_U64, 1,
	    "Threads whose SCHED_DEADLINE bandwidth was released since the module was loaded."),
	CFG("kvmsched_rt_throttled_periods_total", PROM_COUNTER,
	    RT_THROTTLED_PERIODS, rt_throttled_periods, F_U64, 1,
	    "Periods the starvation watchdog ran the realtime VMs SCHED_IDLE for the rest of the period, since the module was loaded."),
	CFG("kvmsched_starve_seconds", PROM_GAUGE, STARVE_MS, starve_ms, F_U32,
	    1e-3, "Runnable without CPU this long counts a starved vCPU; 0: off."),
	CFG("kvmsched_burst_boost_enabled", PROM_GAUGE, BURST_BOOST,
	    burst_boost, F_U32, 1,
	    "Shortest-burst boost (burst_boost): 1 on, 0 off."),
	CFG("kvmsched_burst_threshold_seconds", PROM_GAUGE, BURST_THRESHOLD_US,
	    burst_threshold_us, F_U32, 1e-6,
	    "Mean run burst under which burst_boost boosts a shares VM (0.0001-0.1 s)."),
	CFG("kvmsched_apply_last_seconds", PROM_GAUGE, APPLY_LAST_NS,
	    apply_last_ns, F_U64, 1e-9,
	    "How long the last CPU setting change took to reach every thread."),
	CFG("kvmsched_apply_max_seconds", PROM_GAUGE, APPLY_MAX_NS,
	    apply_max_ns, F_U64, 1e-9,
	    "The longest kvmsched_apply_last_seconds since the module was loaded."),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static double field_value(const void *obj, const struct metric *m)
{
	const char *p = (const char *)obj + m->off;

	switch (m->field) {
	case F_S32:
		return *(const int32_t *)p * m->scale;
	case F_U64:
		return (double)*(const uint64_t *)p * m->scale;
	default:
		return *(const uint32_t *)p * m->scale;
	}
}

/* The labels of a VM: vm_id, vm_name (when named), pid. */
struct vm_labels {
	char id[16], pid[16], vcpu[16];
	struct prom_label l[5];
};

static const struct kvms_vm *vm_find(const struct metrics_snap *s,
				     uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nvms; i++)
		if (s->vms[i].id == id)
			return &s->vms[i];
	return NULL;
}

static size_t vm_labels(struct vm_labels *v, const struct kvms_vm *vm,
			const struct kvms_vcpu *vcpu)
{
	size_t n = 0;

	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%u",
		 vm ? vm->id : vcpu->vm_id);
	v->l[n++] = (struct prom_label){ "vm_id", v->id };
	if (vm && vm->name[0])
		v->l[n++] = (struct prom_label){ "vm_name", vm->name };
	if (vm && KVMS_HAS(vm, KVMSCHED_A_VM_PID)) {
		snprintf(v->pid, sizeof(v->pid), "%u", vm->pid);
		v->l[n++] = (struct prom_label){ "pid", v->pid };
	}
	if (vcpu) {
		snprintf(v->vcpu, sizeof(v->vcpu), "%u", vcpu->vcpu_id);
		v->l[n++] = (struct prom_label){ "vcpu", v->vcpu };
	}
	return n;
}

/* A state set: name{labels...,label=state} 1 for the current state, else 0. */
static void state_set(struct prom *p, const char *name, const char *help,
		      const char *label, const struct kv_enum *states,
		      const struct metrics_snap *s, bool host, int attr,
		      size_t off)
{
	const struct kv_enum *e;
	struct vm_labels v;
	size_t i, n;

	prom_family(p, name, PROM_GAUGE, help);
	for (i = 0; i < (host ? 1 : s->nvms); i++) {
		const void *obj = host ? (const void *)&s->cfg : &s->vms[i];
		uint64_t present = host ? s->cfg.present : s->vms[i].present;
		uint32_t cur = *(const uint32_t *)((const char *)obj + off);

		if (!(present & KVMS_BIT(attr)))
			continue;
		n = host ? 0 : vm_labels(&v, &s->vms[i], NULL);
		for (e = states; e->name; e++) {
			v.l[n] = (struct prom_label){ label, e->name };
			prom_sample(p, v.l, n + 1, e->value == cur);
		}
	}
}

int metrics_render(FILE *f, const struct metrics_snap *s)
{
	struct vm_labels v;
	struct prom p;
	size_t i, j, n;

	prom_init(&p, f);
	for (j = 0; j < N(host_metrics); j++) {
		const struct metric *m = &host_metrics[j];

		if (!(s->cfg.present & KVMS_BIT(m->attr)))
			continue;
		prom_family(&p, m->name, m->type, m->help);
		prom_sample(&p, NULL, 0, field_value(&s->cfg, m));
	}
	state_set(&p, "kvmsched_memory_state",
		  "Host memory state of kvmsched's balloon policy (1: current).",
		  "state", mem_state_names, s, true, KVMSCHED_A_CONFIG_MEM_STATE,
		  offsetof(struct kvms_config, mem_state));

	prom_family(&p, "kvmsched_vm_info", PROM_GAUGE,
		    "A VM kvmsched tracks (always 1), with its VMM's comm and its class.");
	for (i = 0; i < s->nvms; i++) {
		const struct kvms_vm *vm = &s->vms[i];
		const char *cls = class_name(vm->class);

		n = vm_labels(&v, vm, NULL);
		v.l[n++] = (struct prom_label){ "comm",
			KVMS_HAS(vm, KVMSCHED_A_VM_COMM) ? vm->comm : NULL };
		v.l[n++] = (struct prom_label){ "class",
			KVMS_HAS(vm, KVMSCHED_A_VM_CLASS) ?
			(cls ? cls : "unknown") : NULL };
		prom_sample(&p, v.l, n, 1);
	}
	for (j = 0; j < N(vm_metrics); j++) {
		const struct metric *m = &vm_metrics[j];

		prom_family(&p, m->name, m->type, m->help);
		for (i = 0; i < s->nvms; i++) {
			if (!KVMS_HAS(&s->vms[i], m->attr))
				continue;
			if (m->need_wakeups &&
			    !(KVMS_HAS(&s->vms[i],
				       KVMSCHED_A_VM_WAKE_LATENCY_COUNT) &&
			      s->vms[i].wake_latency_count))
				continue;
			n = vm_labels(&v, &s->vms[i], NULL);
			prom_sample(&p, v.l, n, field_value(&s->vms[i], m));
		}
	}
	state_set(&p, "kvmsched_vm_bound",
		  "Which bound decided the VM's CPU in the last period (1: it).",
		  "bound", bound_names, s, false, KVMSCHED_A_VM_BOUND,
		  offsetof(struct kvms_vm, bound));
	state_set(&p, "kvmsched_vm_balloon_reason",
		  "Why the balloon target is what it is (1: the reason).",
		  "reason", balloon_reason_names, s, false,
		  KVMSCHED_A_VM_BALLOON_REASON,
		  offsetof(struct kvms_vm, balloon_reason));
	for (j = 0; j < N(vcpu_metrics); j++) {
		const struct metric *m = &vcpu_metrics[j];

		prom_family(&p, m->name, m->type, m->help);
		for (i = 0; i < s->nvcpus; i++) {
			const struct kvms_vcpu *c = &s->vcpus[i];

			if (!KVMS_HAS(c, m->attr))
				continue;
			n = vm_labels(&v, vm_find(s, c->vm_id), c);
			prom_sample(&p, v.l, n, field_value(c, m));
		}
	}
	return prom_finish(&p);
}

static int vcpu_cmp(const void *a, const void *b)
{
	const struct kvms_vcpu *x = a, *y = b;

	if (x->vm_id != y->vm_id)
		return x->vm_id < y->vm_id ? -1 : 1;
	return (x->vcpu_id > y->vcpu_id) - (x->vcpu_id < y->vcpu_id);
}

int metrics_fetch(struct ipc *ipc, struct metrics_snap *s)
{
	bool intr = false;
	int attempt, rc;

	memset(s, 0, sizeof(*s));
	rc = ipc_config_get(ipc, &s->cfg);
	if (rc)
		return rc;
	for (attempt = 0; attempt <= DUMP_RETRIES; attempt++) {
		free(s->vms);
		s->vms = NULL;
		rc = ipc_vm_dump(ipc, &s->vms, &s->nvms, &intr);
		if (rc || !intr)
			break;
	}
	if (rc)
		return rc;
	vms_sort_by_id(s->vms, s->nvms);
	for (attempt = 0; attempt <= DUMP_RETRIES; attempt++) {
		free(s->vcpus);
		s->vcpus = NULL;
		rc = ipc_vcpu_dump(ipc, NULL, &s->vcpus, &s->nvcpus, &intr);
		if (rc || !intr)
			break;
	}
	if (rc)
		return rc;
	qsort(s->vcpus, s->nvcpus, sizeof(*s->vcpus), vcpu_cmp);
	return 0;
}

void metrics_snap_free(struct metrics_snap *s)
{
	free(s->vms);
	free(s->vcpus);
	s->vms = NULL;
	s->vcpus = NULL;
	s->nvms = s->nvcpus = 0;
}

static bool id_in(uint32_t id, const uint32_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

void metrics_filter(struct metrics_snap *s, const uint32_t *ids, size_t n)
{
	size_t i, k;

	for (i = k = 0; i < s->nvms; i++)
		if (id_in(s->vms[i].id, ids, n))
			s->vms[k++] = s->vms[i];
	s->nvms = k;
	for (i = k = 0; i < s->nvcpus; i++)
		if (id_in(s->vcpus[i].vm_id, ids, n))
			s->vcpus[k++] = s->vcpus[i];
	s->nvcpus = k;
}
