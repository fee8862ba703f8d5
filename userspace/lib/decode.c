// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: decoding from raw netlink bytes; see decode.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "format.h"

/* The "present" bits of model.h: one per attribute type. */
_Static_assert(KVMSCHED_A_VM_MAX < 64, "too many VM attributes");
_Static_assert(KVMSCHED_A_VCPU_MAX < 64, "too many vCPU attributes");
_Static_assert(KVMSCHED_A_CONFIG_MAX < 64, "too many config attributes");

static const char *const vm_names[] = {
	[KVMSCHED_A_VM_ID] = "id",
	[KVMSCHED_A_VM_PID] = "pid",
	[KVMSCHED_A_VM_COMM] = "comm",
	[KVMSCHED_A_VM_NAME] = "name",
	[KVMSCHED_A_VM_NR_VCPUS] = "nr-vcpus",
	[KVMSCHED_A_VM_CPU_TIME_NS] = "cpu-time-ns",
	[KVMSCHED_A_VM_WAIT_TIME_NS] = "wait-time-ns",
	[KVMSCHED_A_VM_VM_ENTRIES] = "vm-entries",
	[KVMSCHED_A_VM_CPU_LAST_MCPU] = "cpu-last-mcpu",
	[KVMSCHED_A_VM_STEAL_LAST_PERMILLE] = "steal-last-permille",
	[KVMSCHED_A_VM_PAD] = "pad",
	[KVMSCHED_A_VM_CLASS] = "class",
	[KVMSCHED_A_VM_WEIGHT] = "weight",
	[KVMSCHED_A_VM_ENTITLED_MCPU] = "entitled-mcpu",
	[KVMSCHED_A_VM_DEMAND_MCPU] = "demand-mcpu",
	[KVMSCHED_A_VM_NR_ACTIVE_VCPUS] = "nr-active-vcpus",
	[KVMSCHED_A_VM_RESERVATION_MCPU] = "reservation-mcpu",
	[KVMSCHED_A_VM_LIMIT_MCPU] = "limit-mcpu",
	[KVMSCHED_A_VM_BOUND] = "bound",
	[KVMSCHED_A_VM_THROTTLED_NS] = "throttled-ns",
	[KVMSCHED_A_VM_RESERVATION_MISSES] = "reservation-misses",
	[KVMSCHED_A_VM_MEM_SHARES] = "mem-shares",
	[KVMSCHED_A_VM_MEM_MIN_MIB] = "mem-min-mib",
	[KVMSCHED_A_VM_MEM_MAX_MIB] = "mem-max-mib",
	[KVMSCHED_A_VM_GUEST_MEM_MIB] = "guest-mem-mib",
	[KVMSCHED_A_VM_RSS_MIB] = "rss-mib",
	[KVMSCHED_A_VM_GUEST_FREE_MIB] = "guest-free-mib",
	[KVMSCHED_A_VM_GUEST_AVAIL_MIB] = "guest-avail-mib",
	[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB] = "balloon-actual-mib",
	[KVMSCHED_A_VM_BALLOON_TARGET_MIB] = "balloon-target-mib",
	[KVMSCHED_A_VM_BALLOON_REASON] = "balloon-reason",
	[KVMSCHED_A_VM_WAKE_LATENCY_COUNT] = "wake-latency-count",
	[KVMSCHED_A_VM_WAKE_LATENCY_P50_NS] = "wake-latency-p50-ns",
	[KVMSCHED_A_VM_WAKE_LATENCY_P99_NS] = "wake-latency-p99-ns",
	[KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS] = "wake-latency-max-ns",
	[KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED] = "wake-latency-skipped",
	[KVMSCHED_A_VM_WAKE_LATENCY_HIST] = "wake-latency-hist",
	[KVMSCHED_A_VM_RT_PRIORITY] = "rt-priority",
	[KVMSCHED_A_VM_RR_QUANTUM_MS] = "rr-quantum-ms",
	[KVMSCHED_A_VM_RT_THROTTLED_PERIODS] = "rt-throttled-periods",
	[KVMSCHED_A_VM_STARVED_COUNT] = "starved-count",
	[KVMSCHED_A_VM_LATENCY_US] = "latency-us",
};

static const char *const vcpu_names[] = {
	[KVMSCHED_A_VCPU_VM_ID] = "vm-id",
	[KVMSCHED_A_VCPU_VCPU_ID] = "vcpu-id",
	[KVMSCHED_A_VCPU_TID] = "tid",
	[KVMSCHED_A_VCPU_CPU_TIME_NS] = "cpu-time-ns",
	[KVMSCHED_A_VCPU_WAIT_TIME_NS] = "wait-time-ns",
	[KVMSCHED_A_VCPU_VM_ENTRIES] = "vm-entries",
	[KVMSCHED_A_VCPU_CPU_LAST_MCPU] = "cpu-last-mcpu",
	[KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE] = "steal-last-permille",
	[KVMSCHED_A_VCPU_PAD] = "pad",
	[KVMSCHED_A_VCPU_POLICY] = "policy",
	[KVMSCHED_A_VCPU_NICE] = "nice",
	[KVMSCHED_A_VCPU_OVERRIDES] = "overrides",
	[KVMSCHED_A_VCPU_DL_MCPU] = "dl-mcpu",
	[KVMSCHED_A_VCPU_DL_BLOCK] = "dl-block",
	[KVMSCHED_A_VCPU_DL_BLOCKED] = "dl-blocked",
	[KVMSCHED_A_VCPU_STARVED_MS] = "starved-ms",
	[KVMSCHED_A_VCPU_THREAD_SHARED] = "thread-shared",
	[KVMSCHED_A_VCPU_BURST_US] = "burst-us",
};

static const char *const config_names[] = {
	[KVMSCHED_A_CONFIG_PERIOD_MS] = "period-ms",
	[KVMSCHED_A_CONFIG_NR_VMS] = "nr-vms",
	[KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT] = "reserve-headroom-pct",
	[KVMSCHED_A_CONFIG_CAPACITY_MCPU] = "capacity-mcpu",
	[KVMSCHED_A_CONFIG_RESERVABLE_MCPU] = "reservable-mcpu",
	[KVMSCHED_A_CONFIG_RESERVED_MCPU] = "reserved-mcpu",
	[KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU] = "overcommit-mcpu",
	[KVMSCHED_A_CONFIG_MEM_LOW_PCT] = "mem-low-pct",
	[KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT] = "mem-critical-pct",
	[KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT] = "mem-hysteresis-pct",
	[KVMSCHED_A_CONFIG_BALLOON_STEP_PCT] = "balloon-step-pct",
	[KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP] = "balloon-min-step-bp",
	[KVMSCHED_A_CONFIG_IDLE_TAX_PCT] = "idle-tax-pct",
	[KVMSCHED_A_CONFIG_BALLOON_MAX_PCT] = "balloon-max-pct",
	[KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS] = "balloon-period-ms",
	[KVMSCHED_A_CONFIG_MEM_STATE] = "mem-state",
	[KVMSCHED_A_CONFIG_HOST_MEM_MIB] = "host-mem-mib",
	[KVMSCHED_A_CONFIG_HOST_AVAIL_MIB] = "host-avail-mib",
	[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP] = "psi-some-avg10-bp",
	[KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP] = "mem-psi-reclaim-bp",
	[KVMSCHED_A_CONFIG_PAD] = "pad",
	[KVMSCHED_A_CONFIG_DEADLINE_REFUSED] = "deadline-refused",
	[KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED] = "deadline-reclaimed",
	[KVMSCHED_A_CONFIG_APPLY_LAST_NS] = "apply-last-ns",
	[KVMSCHED_A_CONFIG_APPLY_MAX_NS] = "apply-max-ns",
	[KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS] = "rt-throttled-periods",
	[KVMSCHED_A_CONFIG_STARVE_MS] = "starve-ms",
	[KVMSCHED_A_CONFIG_BURST_BOOST] = "burst-boost",
	[KVMSCHED_A_CONFIG_BURST_THRESHOLD_US] = "burst-threshold-us",
};

static const char *const cpu_names[] = {
	[KVMSCHED_A_CPU_CPU_ID] = "cpu-id",
	[KVMSCHED_A_CPU_ONLINE] = "online",
};

/* Every attribute of the uapi header has its name (checked at build time). */
#define NAMES_COMPLETE(a, max) \
	_Static_assert(sizeof(a) / sizeof(a[0]) == (max) + 1, \
		       #a " lacks the last attributes of the uapi header")
NAMES_COMPLETE(vm_names, KVMSCHED_A_VM_MAX);
NAMES_COMPLETE(vcpu_names, KVMSCHED_A_VCPU_MAX);
NAMES_COMPLETE(config_names, KVMSCHED_A_CONFIG_MAX);
NAMES_COMPLETE(cpu_names, KVMSCHED_A_CPU_MAX);

#define NAMES(a) { a, sizeof(a) / sizeof(a[0]) }
const struct attr_names vm_attr_names = NAMES(vm_names);
const struct attr_names vcpu_attr_names = NAMES(vcpu_names);
const struct attr_names config_attr_names = NAMES(config_names);
const struct attr_names cpu_attr_names = NAMES(cpu_names);

/*
 * Walk the attributes in [head, head + len): each must fit, and the next
 * starts NLA_ALIGN()ed; trailing bytes too short for an attribute are
 * ignored, as the kernel's nla_for_each_attr() does.
 */
#define for_each_attr(a, head, len, rem)				\
	for ((a) = (const struct nlattr *)(head), (rem) = (len);	\
	     (rem) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&	\
	     (a)->nla_len <= (rem);					\
	     (rem) -= NLA_ALIGN((a)->nla_len),				\
	     (a) = (const struct nlattr *)((const char *)(a) +		\
					   NLA_ALIGN((a)->nla_len)))

static int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* What the last decode_*() rejected, for decode_last_error(). */
static struct {
	const struct attr_names *names;
	int type, len;
	const char *want;
	const char *what;	/* instead of the above */
} rejected;

static int size_err(const struct nlattr *a, const char *want)
{
	rejected.names = NULL;	/* set by the decoder that fails */
	rejected.what = NULL;
	rejected.type = attr_type(a);
	rejected.len = attr_len(a);
	rejected.want = want;
	return -EPROTO;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (attr_len(a) != sizeof(*v))
		return size_err(a, "4");
	memcpy(v, attr_data(a), sizeof(*v));
	return 0;
}

static int get_s32(const struct nlattr *a, int32_t *v)
{
	if (attr_len(a) != sizeof(*v))
		return size_err(a, "4");
	memcpy(v, attr_data(a), sizeof(*v));
	return 0;
}

/* u64 counters; a 4-byte value is accepted too (the spec's "uint"). */
static int get_u64(const struct nlattr *a, uint64_t *v)
{
	uint32_t v32;

	if (attr_len(a) == sizeof(*v)) {
		memcpy(v, attr_data(a), sizeof(*v));
		return 0;
	}
	if (attr_len(a) == sizeof(v32)) {
		memcpy(&v32, attr_data(a), sizeof(v32));
		*v = v32;
		return 0;
	}
	return size_err(a, "8 or 4");
}

/*
 * A binary attribute of exactly size bytes (the wake-latency histogram: an
 * array of native-endian u32). Shorter or longer is -EPROTO: a newer module
 * with more buckets must get a new attribute, not a longer payload.
 */
static int get_exact(const struct nlattr *a, void *buf, size_t size,
		     const char *want)
{
	if ((size_t)attr_len(a) != size)
		return size_err(a, want);
	memcpy(buf, attr_data(a), size);
	return 0;
}

/* Up to the first NUL or the end of the attribute, truncated to fit. */
static int get_str(const struct nlattr *a, char *buf, size_t size)
{
	const char *s = attr_data(a);
	size_t len = strnlen(s, (size_t)attr_len(a));

	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

/* The histogram's size in the message, as text. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define HIST_BYTES "128 (" STR(KVMSCHED_WAKE_LATENCY_BUCKETS) " u32)"
_Static_assert(sizeof(((struct kvms_vm *)0)->wake_latency_hist) == 128,
	       "HIST_BYTES is out of date");

const char *decode_last_error(char *buf, size_t len)
{
	if (rejected.what || !rejected.names) {
		snprintf(buf, len, "%s", rejected.what ? rejected.what :
			 "no attribute was rejected");
		return buf;
	}
	if (rejected.type > 0 && (size_t)rejected.type < rejected.names->n &&
	    rejected.names->names[rejected.type])
		snprintf(buf, len, "attribute %s has %d bytes, want %s",
			 rejected.names->names[rejected.type], rejected.len,
			 rejected.want);
	else
		snprintf(buf, len, "attribute #%d has %d bytes, want %s",
			 rejected.type, rejected.len, rejected.want);
	return buf;
}

int decode_vm(const void *attrs, int len, struct kvms_vm *vm)
{
	const struct nlattr *a;
	int rem, rc, t;

	memset(vm, 0, sizeof(*vm));
	for_each_attr(a, attrs, len, rem) {
		t = attr_type(a);
		switch (t) {
		case KVMSCHED_A_VM_ID:
			rc = get_u32(a, &vm->id);
			break;
		case KVMSCHED_A_VM_PID:
			rc = get_u32(a, &vm->pid);
			break;
		case KVMSCHED_A_VM_COMM:
			rc = get_str(a, vm->comm, sizeof(vm->comm));
			break;
		case KVMSCHED_A_VM_NAME:
			rc = get_str(a, vm->name, sizeof(vm->name));
			break;
		case KVMSCHED_A_VM_NR_VCPUS:
			rc = get_u32(a, &vm->nr_vcpus);
			break;
		case KVMSCHED_A_VM_CPU_TIME_NS:
			rc = get_u64(a, &vm->cpu_time_ns);
			break;
		case KVMSCHED_A_VM_WAIT_TIME_NS:
			rc = get_u64(a, &vm->wait_time_ns);
			break;
		case KVMSCHED_A_VM_VM_ENTRIES:
			rc = get_u64(a, &vm->vm_entries);
			break;
		case KVMSCHED_A_VM_CPU_LAST_MCPU:
			rc = get_u32(a, &vm->cpu_last_mcpu);
			break;
		case KVMSCHED_A_VM_STEAL_LAST_PERMILLE:
			rc = get_u32(a, &vm->steal_last_permille);
			break;
		case KVMSCHED_A_VM_CLASS:
			rc = get_u32(a, &vm->class);
			break;
		case KVMSCHED_A_VM_WEIGHT:
			rc = get_u32(a, &vm->weight);
			break;
		case KVMSCHED_A_VM_ENTITLED_MCPU:
			rc = get_u32(a, &vm->entitled_mcpu);
			break;
		case KVMSCHED_A_VM_DEMAND_MCPU:
			rc = get_u32(a, &vm->demand_mcpu);
			break;
		case KVMSCHED_A_VM_NR_ACTIVE_VCPUS:
			rc = get_u32(a, &vm->nr_active_vcpus);
			break;
		case KVMSCHED_A_VM_RESERVATION_MCPU:
			rc = get_u32(a, &vm->reservation_mcpu);
			break;
		case KVMSCHED_A_VM_LIMIT_MCPU:
			rc = get_u32(a, &vm->limit_mcpu);
			break;
		case KVMSCHED_A_VM_BOUND:
			rc = get_u32(a, &vm->bound);
			break;
		case KVMSCHED_A_VM_THROTTLED_NS:
			rc = get_u64(a, &vm->throttled_ns);
			break;
		case KVMSCHED_A_VM_RESERVATION_MISSES:
			rc = get_u32(a, &vm->reservation_misses);
			break;
		case KVMSCHED_A_VM_MEM_SHARES:
			rc = get_u32(a, &vm->mem_shares);
			break;
		case KVMSCHED_A_VM_MEM_MIN_MIB:
			rc = get_u32(a, &vm->mem_min_mib);
			break;
		case KVMSCHED_A_VM_MEM_MAX_MIB:
			rc = get_u32(a, &vm->mem_max_mib);
			break;
		case KVMSCHED_A_VM_GUEST_MEM_MIB:
			rc = get_u32(a, &vm->guest_mem_mib);
			break;
		case KVMSCHED_A_VM_RSS_MIB:
			rc = get_u32(a, &vm->rss_mib);
			break;
		case KVMSCHED_A_VM_GUEST_FREE_MIB:
			rc = get_u32(a, &vm->guest_free_mib);
			break;
		case KVMSCHED_A_VM_GUEST_AVAIL_MIB:
			rc = get_u32(a, &vm->guest_avail_mib);
			break;
		case KVMSCHED_A_VM_BALLOON_ACTUAL_MIB:
			rc = get_u32(a, &vm->balloon_actual_mib);
			break;
		case KVMSCHED_A_VM_BALLOON_TARGET_MIB:
			rc = get_u32(a, &vm->balloon_target_mib);
			break;
		case KVMSCHED_A_VM_BALLOON_REASON:
			rc = get_u32(a, &vm->balloon_reason);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_COUNT:
			rc = get_u64(a, &vm->wake_latency_count);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_P50_NS:
			rc = get_u64(a, &vm->wake_latency_p50_ns);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_P99_NS:
			rc = get_u64(a, &vm->wake_latency_p99_ns);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS:
			rc = get_u64(a, &vm->wake_latency_max_ns);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED:
			rc = get_u64(a, &vm->wake_latency_skipped);
			break;
		case KVMSCHED_A_VM_WAKE_LATENCY_HIST:
			rc = get_exact(a, vm->wake_latency_hist,
				       sizeof(vm->wake_latency_hist),
				       HIST_BYTES);
			break;
		case KVMSCHED_A_VM_RT_PRIORITY:
			rc = get_u32(a, &vm->rt_priority);
			break;
		case KVMSCHED_A_VM_RR_QUANTUM_MS:
			rc = get_u32(a, &vm->rr_quantum_ms);
			break;
		case KVMSCHED_A_VM_RT_THROTTLED_PERIODS:
			rc = get_u64(a, &vm->rt_throttled_periods);
			break;
		case KVMSCHED_A_VM_STARVED_COUNT:
			rc = get_u64(a, &vm->starved_count);
			break;
		case KVMSCHED_A_VM_LATENCY_US:
			rc = get_u32(a, &vm->latency_us);
			break;
		default:
			continue;
		}
		if (rc) {
			rejected.names = &vm_attr_names;
			return rc;
		}
		vm->present |= KVMS_BIT(t);
	}
	if (KVMS_HAS(vm, KVMSCHED_A_VM_ID))
		return 0;
	rejected.what = "a VM without an id";
	return -EPROTO;
}

int decode_vcpu(const void *attrs, int len, struct kvms_vcpu *v)
{
	const struct nlattr *a;
	int rem, rc, t;

	memset(v, 0, sizeof(*v));
	for_each_attr(a, attrs, len, rem) {
		t = attr_type(a);
		switch (t) {
		case KVMSCHED_A_VCPU_VM_ID:
			rc = get_u32(a, &v->vm_id);
			break;
		case KVMSCHED_A_VCPU_VCPU_ID:
			rc = get_u32(a, &v->vcpu_id);
			break;
		case KVMSCHED_A_VCPU_TID:
			rc = get_u32(a, &v->tid);
			break;
		case KVMSCHED_A_VCPU_CPU_TIME_NS:
			rc = get_u64(a, &v->cpu_time_ns);
			break;
		case KVMSCHED_A_VCPU_WAIT_TIME_NS:
			rc = get_u64(a, &v->wait_time_ns);
			break;
		case KVMSCHED_A_VCPU_VM_ENTRIES:
			rc = get_u64(a, &v->vm_entries);
			break;
		case KVMSCHED_A_VCPU_CPU_LAST_MCPU:
			rc = get_u32(a, &v->cpu_last_mcpu);
			break;
		case KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE:
			rc = get_u32(a, &v->steal_last_permille);
			break;
		case KVMSCHED_A_VCPU_POLICY:
			rc = get_u32(a, &v->policy);
			break;
		case KVMSCHED_A_VCPU_NICE:
			rc = get_s32(a, &v->nice);
			break;
		case KVMSCHED_A_VCPU_OVERRIDES:
			rc = get_u32(a, &v->overrides);
			break;
		case KVMSCHED_A_VCPU_DL_MCPU:
			rc = get_u32(a, &v->dl_mcpu);
			break;
		case KVMSCHED_A_VCPU_DL_BLOCK:
			rc = get_u32(a, &v->dl_block);
			break;
		case KVMSCHED_A_VCPU_DL_BLOCKED:
			rc = get_u32(a, &v->dl_blocked);
			break;
		case KVMSCHED_A_VCPU_THREAD_SHARED:
			rc = get_s32(a, &v->thread_shared);
			break;
		case KVMSCHED_A_VCPU_STARVED_MS:
			rc = get_u32(a, &v->starved_ms);
			break;
		case KVMSCHED_A_VCPU_BURST_US:
			rc = get_u32(a, &v->burst_us);
			break;
		default:
			continue;
		}
		if (rc) {
			rejected.names = &vcpu_attr_names;
			return rc;
		}
		v->present |= KVMS_BIT(t);
	}
	return 0;
}

uint32_t *config_field(struct kvms_config *c, int attr)
{
	switch (attr) {
	case KVMSCHED_A_CONFIG_PERIOD_MS:		return &c->period_ms;
	case KVMSCHED_A_CONFIG_NR_VMS:			return &c->nr_vms;
	case KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT:	return &c->reserve_headroom_pct;
	case KVMSCHED_A_CONFIG_CAPACITY_MCPU:		return &c->capacity_mcpu;
	case KVMSCHED_A_CONFIG_RESERVABLE_MCPU:		return &c->reservable_mcpu;
	case KVMSCHED_A_CONFIG_RESERVED_MCPU:		return &c->reserved_mcpu;
	case KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU:		return &c->overcommit_mcpu;
	case KVMSCHED_A_CONFIG_MEM_LOW_PCT:		return &c->mem_low_pct;
	case KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT:	return &c->mem_critical_pct;
	case KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT:	return &c->mem_hysteresis_pct;
	case KVMSCHED_A_CONFIG_BALLOON_STEP_PCT:	return &c->balloon_step_pct;
	case KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP:	return &c->balloon_min_step_bp;
	case KVMSCHED_A_CONFIG_IDLE_TAX_PCT:		return &c->idle_tax_pct;
	case KVMSCHED_A_CONFIG_BALLOON_MAX_PCT:		return &c->balloon_max_pct;
	case KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS:	return &c->balloon_period_ms;
	case KVMSCHED_A_CONFIG_MEM_STATE:		return &c->mem_state;
	case KVMSCHED_A_CONFIG_HOST_MEM_MIB:		return &c->host_mem_mib;
	case KVMSCHED_A_CONFIG_HOST_AVAIL_MIB:		return &c->host_avail_mib;
	case KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP:	return &c->psi_some_avg10_bp;
	case KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP:	return &c->mem_psi_reclaim_bp;
	case KVMSCHED_A_CONFIG_STARVE_MS:		return &c->starve_ms;
	case KVMSCHED_A_CONFIG_BURST_BOOST:		return &c->burst_boost;
	case KVMSCHED_A_CONFIG_BURST_THRESHOLD_US:	return &c->burst_threshold_us;
	}
	return NULL;
}

const uint32_t *config_field_c(const struct kvms_config *c, int attr)
{
	return config_field((struct kvms_config *)c, attr);
}

uint64_t *config_field64(struct kvms_config *c, int attr)
{
	switch (attr) {
	case KVMSCHED_A_CONFIG_DEADLINE_REFUSED:	return &c->deadline_refused;
	case KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED:	return &c->deadline_reclaimed;
	case KVMSCHED_A_CONFIG_APPLY_LAST_NS:		return &c->apply_last_ns;
	case KVMSCHED_A_CONFIG_APPLY_MAX_NS:		return &c->apply_max_ns;
	case KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS:	return &c->rt_throttled_periods;
	}
	return NULL;
}

bool config_value(const struct kvms_config *c, int attr, uint64_t *v)
{
	struct kvms_config *m = (struct kvms_config *)c;
	const uint64_t *f64;
	const uint32_t *f;

	if (attr <= 0 || attr > KVMSCHED_A_CONFIG_MAX || !KVMS_HAS(c, attr))
		return false;
	f = config_field(m, attr);
	if (f) {
		*v = *f;
		return true;
	}
	f64 = config_field64(m, attr);
	if (f64) {
		*v = *f64;
		return true;
	}
	return false;
}

int decode_config(const void *attrs, int len, struct kvms_config *c)
{
	const struct nlattr *a;
	uint64_t *f64;
	uint32_t *f;
	int rem, rc, t;

	memset(c, 0, sizeof(*c));
	for_each_attr(a, attrs, len, rem) {
		t = attr_type(a);
		f = config_field(c, t);
		f64 = f ? NULL : config_field64(c, t);
		if (f)
			rc = get_u32(a, f);
		else if (f64)
			rc = get_u64(a, f64);
		else
			continue;
		if (rc) {
			rejected.names = &config_attr_names;
			return rc;
		}
		c->present |= KVMS_BIT(t);
	}
	return 0;
}

int decode_event(int cmd, const void *attrs, int len, struct kvms_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;
	switch (cmd) {
	case KVMSCHED_CMD_VM_ADD_NTF:
	case KVMSCHED_CMD_VM_DEL_NTF:
	case KVMSCHED_CMD_VM_CHANGE_NTF:
	case KVMSCHED_CMD_BALLOON_TARGET_NTF:
	case KVMSCHED_CMD_VM_STARVED_NTF:
		return decode_vm(attrs, len, &ev->vm);
	case KVMSCHED_CMD_CONFIG_CHANGE_NTF:
	case KVMSCHED_CMD_OVERCOMMIT_NTF:
		return decode_config(attrs, len, &ev->config);
	}
	return 0;	/* a newer event: reported by its number */
}

/* -- errors ---------------------------------------------------------------- */

static void set_attr_name(struct ipc_error *e, const struct attr_names *names,
			  uint32_t type)
{
	if (names && type && type < names->n && names->names[type])
		snprintf(e->attr, sizeof(e->attr), "%s", names->names[type]);
	else
		snprintf(e->attr, sizeof(e->attr), "#%u", type);
}

/* NLMSGERR_ATTR_POLICY: the range the rejected attribute must be in. */
static void parse_policy(struct ipc_error *e, const struct nlattr *nest)
{
	const struct nlattr *a;
	uint64_t v64;
	uint32_t v32;
	int rem;

	for_each_attr(a, attr_data(nest), attr_len(nest), rem) {
		switch (attr_type(a)) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			if (attr_len(a) == 8 && !get_u64(a, &v64)) {
				e->min = v64;
				e->has_range = e->has_min = true;
			}
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			if (attr_len(a) == 8 && !get_u64(a, &v64)) {
				e->max = v64;
				e->has_range = e->has_max = true;
			}
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			if (!get_u32(a, &v32)) {
				e->min = v32;
				e->has_range = e->has_min = true;
				e->is_len = true;
			}
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			if (!get_u32(a, &v32)) {
				e->max = v32;
				e->has_range = e->has_max = true;
				e->is_len = true;
			}
			break;
		}
	}
}

/* The TLVs of an NLMSG_ERROR or NLMSG_DONE, from byte off of nlh. */
static void parse_extack(const struct nlmsghdr *nlh, size_t off,
			 const struct nlmsghdr *req,
			 const struct attr_names *names, struct ipc_error *e)
{
	const struct nlattr *a;
	uint32_t v;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= nlh->nlmsg_len)
		return;
	for_each_attr(a, (const char *)nlh + off, (int)(nlh->nlmsg_len - off),
		      rem) {
		switch (attr_type(a)) {
		case NLMSGERR_ATTR_MSG: {
			size_t len;

			get_str(a, e->msg, sizeof(e->msg));
			/* Drop the trailing newline some handlers add. */
			len = strlen(e->msg);
			while (len && e->msg[len - 1] == '\n')
				e->msg[--len] = '\0';
			break;
		}
		case NLMSGERR_ATTR_OFFS: {
			struct nlattr bad;

			/* An offset into our request, at an attribute. */
			if (get_u32(a, &v) || !req ||
			    v < NLMSG_HDRLEN + 4 /* genlmsghdr */ ||
			    v > req->nlmsg_len ||
			    req->nlmsg_len - v < NLA_HDRLEN)
				break;
			/* Copied: a bogus offset need not be aligned. */
			memcpy(&bad, (const char *)req + v, sizeof(bad));
			set_attr_name(e, names, (uint32_t)attr_type(&bad));
			break;
		}
		case NLMSGERR_ATTR_MISS_TYPE:
			if (!get_u32(a, &v)) {
				set_attr_name(e, names, v);
				e->missing = true;
			}
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(e, a);
			break;
		}
	}
}

int decode_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 const struct attr_names *names, struct ipc_error *e)
{
	const struct nlmsgerr *err;
	size_t off;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
		return -EPROTO;
	err = (const struct nlmsgerr *)NLMSG_DATA(nlh);
	if (err->error > 0 || err->error < -4095)
		return -EPROTO;
	/* The TLVs follow our request, echoed unless the ACK is capped. */
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return err->error;
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	parse_extack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(off), req, names, e);
	return err->error;
}

int decode_done(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		const struct attr_names *names, struct ipc_error *e)
{
	int err;

	/* Old kernels sent an empty DONE; the errno is an int. */
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return 0;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err >= 0)
		return 0;
	if (err < -4095)
		return -EPROTO;
	parse_extack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(err)), req, names,
		     e);
	return err;
}

/* -- messages -------------------------------------------------------------- */

void describe_error(char *buf, size_t len, int rc, const struct ipc_error *e)
{
	const char *what = e->is_len ? "length" : "accepted";
	char msg[sizeof(e->msg) * 4];
	size_t used = 0;
	bool paren = false;

#define ADD(...)							\
	do {								\
		if (used < len)						\
			used += (size_t)snprintf(buf + used, len - used,	\
						 __VA_ARGS__);		\
	} while (0)

	if (!len)
		return;
	buf[0] = '\0';
	ADD("%s", strerror(rc < 0 ? -rc : rc));
	if (e->msg[0]) {
		fmt_quote(msg, sizeof(msg), e->msg);
		ADD(": kernel says: %s", msg);
	}
	if (e->attr[0]) {
		ADD(" (%s %s", e->missing ? "missing attribute" : "attribute",
		    e->attr);
		paren = true;
	}
	if (e->has_min && e->has_max)
		ADD("%s%s %llu-%llu", paren ? ", " : " (", what,
		    (unsigned long long)e->min, (unsigned long long)e->max);
	else if (e->has_max)
		ADD("%s%s at most %llu", paren ? ", " : " (", what,
		    (unsigned long long)e->max);
	else if (e->has_min)
		ADD("%s%s at least %llu", paren ? ", " : " (", what,
		    (unsigned long long)e->min);
	paren = paren || e->has_min || e->has_max;
	if (rc == -EPERM && !e->msg[0]) {
		ADD("%sneeds CAP_NET_ADMIN", paren ? ", " : " (");
		paren = true;
	}
	if (paren)
		ADD(")");
#undef ADD
}
