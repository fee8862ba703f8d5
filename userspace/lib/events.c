// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: the events of the "events" group as text lines and JSON
 * (watch); see events.h. Pure.
 */
#include <inttypes.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"

static bool event_is_vm(int cmd)
{
	return cmd == KVMSCHED_CMD_VM_ADD_NTF || cmd == KVMSCHED_CMD_VM_DEL_NTF ||
	       cmd == KVMSCHED_CMD_VM_CHANGE_NTF ||
	       cmd == KVMSCHED_CMD_BALLOON_TARGET_NTF ||
	       cmd == KVMSCHED_CMD_VM_STARVED_NTF;
}

/* " key=value" for a u32 attribute the kernel sent. */
#define EV_U(f, obj, attr, field)					\
	do {								\
		if (KVMS_HAS(obj, attr))				\
			fprintf(f, " " #field "=%u", (obj)->field);	\
	} while (0)

/* " key=name", or the number when this program does not know it. */
#define EV_ENUM(f, obj, attr, key, fn, v)				\
	do {								\
		if (!KVMS_HAS(obj, attr))				\
			break;						\
		if (fn(v))						\
			fprintf(f, " " key "=%s", fn(v));		\
		else							\
			fprintf(f, " " key "=%u", (unsigned int)(v));	\
	} while (0)

/* balloon-target: the target and why, then the name (as other VM events). */
static void balloon_line(FILE *f, const struct kvms_vm *vm)
{
	char buf[FMT_CELL];

	EV_U(f, vm, KVMSCHED_A_VM_ID, id);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB))
		fprintf(f, " target_mib=%u", vm->balloon_target_mib);
	EV_ENUM(f, vm, KVMSCHED_A_VM_BALLOON_REASON, "reason",
		balloon_reason_name, vm->balloon_reason);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_NAME)) {
		fmt_sanitize(buf, sizeof(buf), vm->name);
		fprintf(f, " name=%s", buf);
	}
}

static void config_line(FILE *f, int cmd, const struct kvms_config *c)
{
	const struct kv_key *k;
	uint64_t v;

	if (cmd == KVMSCHED_CMD_OVERCOMMIT_NTF) {
		EV_U(f, c, KVMSCHED_A_CONFIG_RESERVED_MCPU, reserved_mcpu);
		EV_U(f, c, KVMSCHED_A_CONFIG_RESERVABLE_MCPU, reservable_mcpu);
		EV_U(f, c, KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU, overcommit_mcpu);
		return;
	}
	/* config-change: nr_vms and the tunables, as config names them. */
	for (k = kv_config_keys; k->key; k++) {
		if ((k->flags & KV_READONLY) &&
		    k->attr != KVMSCHED_A_CONFIG_NR_VMS)
			continue;
		if (config_value(c, k->attr, &v))
			fprintf(f, " %s=%" PRIu64, k->key, v);
	}
}

void event_line(FILE *f, const char *ts, const struct kvms_event *ev)
{
	const char *name = event_name(ev->cmd);
	char buf[FMT_CELL];

	if (!name) {
		fprintf(f, "%s unknown-event cmd=%d\n", ts, ev->cmd);
		return;
	}
	fprintf(f, "%s %s", ts, name);
	if (ev->cmd == KVMSCHED_CMD_BALLOON_TARGET_NTF) {
		balloon_line(f, &ev->vm);
	} else if (event_is_vm(ev->cmd)) {
		const struct kvms_vm *vm = &ev->vm;

		if (KVMS_HAS(vm, KVMSCHED_A_VM_ID))
			fprintf(f, " id=%u", vm->id);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_PID))
			fprintf(f, " pid=%u", vm->pid);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM)) {
			fmt_sanitize(buf, sizeof(buf), vm->comm);
			fprintf(f, " comm=%s", buf);
		}
		if (KVMS_HAS(vm, KVMSCHED_A_VM_NR_VCPUS))
			fprintf(f, " vcpus=%u", vm->nr_vcpus);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_NAME)) {
			fmt_sanitize(buf, sizeof(buf), vm->name);
			fprintf(f, " name=%s", buf);
		}
		if (ev->cmd == KVMSCHED_CMD_VM_CHANGE_NTF) {
			if (KVMS_HAS(vm, KVMSCHED_A_VM_CLASS)) {
				if (class_name(vm->class))
					fprintf(f, " class=%s",
						class_name(vm->class));
				else
					fprintf(f, " class=%u", vm->class);
			}
			EV_U(f, vm, KVMSCHED_A_VM_WEIGHT, weight);
			EV_U(f, vm, KVMSCHED_A_VM_RESERVATION_MCPU,
			     reservation_mcpu);
			EV_U(f, vm, KVMSCHED_A_VM_LIMIT_MCPU, limit_mcpu);
			EV_U(f, vm, KVMSCHED_A_VM_MEM_SHARES, mem_shares);
			EV_U(f, vm, KVMSCHED_A_VM_MEM_MIN_MIB, mem_min_mib);
			EV_U(f, vm, KVMSCHED_A_VM_MEM_MAX_MIB, mem_max_mib);
			EV_U(f, vm, KVMSCHED_A_VM_RT_PRIORITY, rt_priority);
			EV_U(f, vm, KVMSCHED_A_VM_RR_QUANTUM_MS, rr_quantum_ms);
			EV_U(f, vm, KVMSCHED_A_VM_LATENCY_US, latency_us);
		}
		if (ev->cmd == KVMSCHED_CMD_VM_STARVED_NTF &&
		    KVMS_HAS(vm, KVMSCHED_A_VM_STARVED_COUNT))
			fprintf(f, " starved_count=%llu",
				(unsigned long long)vm->starved_count);
		if (ev->cmd == KVMSCHED_CMD_VM_DEL_NTF) {
			if (KVMS_HAS(vm, KVMSCHED_A_VM_CPU_TIME_NS)) {
				fmt_ns_s(buf, sizeof(buf), vm->cpu_time_ns);
				fprintf(f, " cpu_s=%s", buf);
			}
			if (KVMS_HAS(vm, KVMSCHED_A_VM_WAIT_TIME_NS)) {
				fmt_ns_s(buf, sizeof(buf), vm->wait_time_ns);
				fprintf(f, " wait_s=%s", buf);
			}
		}
	} else {
		config_line(f, ev->cmd, &ev->config);
	}
	fputc('\n', f);
}

void event_json(FILE *f, const char *ts, const struct kvms_event *ev)
{
	const char *name = event_name(ev->cmd);
	struct jw w;

	jw_init(&w, f);
	jw_obj_begin(&w, NULL);
	jw_str(&w, "time", ts);
	if (!name) {
		jw_str(&w, "event", "unknown");
		jw_uint(&w, "cmd", (uint64_t)ev->cmd);
	} else {
		jw_str(&w, "event", name);
		if (event_is_vm(ev->cmd))
			jw_vm(&w, "vm", &ev->vm);
		else
			jw_config(&w, "config", &ev->config);
	}
	jw_obj_end(&w);
	fputc('\n', f);
}
