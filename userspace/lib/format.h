/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: output formatting of the kvmsched objects (VMs, vCPUs, the
 * configuration) as tables, "key: value" lines and JSON (the writers:
 * table.h, json.h; events: events.h). Pure: writes only to the FILE it is
 * given; no netlink.
 */
#ifndef KVMSCHEDCTL_FORMAT_H
#define KVMSCHEDCTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "json.h"
#include "model.h"
#include "names.h"
#include "table.h"

/* Size of one table cell: room for a fully escaped 63-byte name. */
#define FMT_CELL 256

/*
 * Copy src for human output: bytes outside 0x21-0x7e become \xNN and '\' becomes
 * "\\", so names and comms (chosen by whoever runs the VMM) cannot inject
 * terminal escapes or break columns. Always NUL-terminates; a copy that does
 * not fit ends in "...". Returns strlen(dst).
 */
size_t fmt_sanitize(char *dst, size_t dstsz, const char *src);

/* The same, but spaces are kept: for user input quoted in messages. */
size_t fmt_quote(char *dst, size_t dstsz, const char *src);

/* 12345678901 ns -> "12.34" (seconds, truncated to 10 ms). */
void fmt_ns_s(char *buf, size_t len, uint64_t ns);
/* 123 permille -> "12.3" (percent). */
void fmt_permille_pct(char *buf, size_t len, uint32_t permille);
/* Local time, ISO 8601 with ms: "2024-11-23T17:01:02.123+0100". */
void fmt_timestamp(char *buf, size_t len, const struct timespec *ts);

/*
 * The objects, with the spec's attribute names (dashes as underscores).
 * Attributes absent from the reply are left out, except "name", which is
 * null when the VM has no name. Enum attributes (class) are given by name,
 * or as their number when this program does not know the value. The
 * wake-latency histogram is "wake_latency_hist", an array of the
 * KVMSCHED_WAKE_LATENCY_BUCKETS counts (bounds: latency.h).
 */
void jw_vm(struct jw *w, const char *key, const struct kvms_vm *vm);
void jw_vcpu(struct jw *w, const char *key, const struct kvms_vcpu *vcpu);
void jw_config(struct jw *w, const char *key, const struct kvms_config *c);

/* The cells vm_row() fills, in list -l order (vm_cols[] has the titles). */
enum vm_col {
	VMC_ID, VMC_NAME, VMC_PID, VMC_COMM, VMC_VCPUS,
	VMC_CLASS, VMC_WEIGHT, VMC_ENT, VMC_CPU, VMC_STEAL,
	/* list -l only: */
	VMC_DEMAND, VMC_ACTIVE, VMC_RES, VMC_LIMIT, VMC_BOUND,
	VMC_MEM, VMC_RSS, VMC_TARGET,
	VMC_CPU_S, VMC_WAIT_S, VMC_ENTRIES,
	VM_NCOLS
};
extern const struct table_col vm_cols[VM_NCOLS];
/* Every cell; '-' for attributes the kernel did not send. */
void vm_row(const struct kvms_vm *vm, char cells[VM_NCOLS][FMT_CELL]);

/*
 * The VM table of list: ID NAME PID COMM VCPUS CLASS WEIGHT ENT(mcpu)
 * CPU(mcpu) STEAL%, and with wide DEMAND(mcpu) ACTIVE RES(mcpu)
 * LIMIT(mcpu) BOUND MEM(MiB) RSS(MiB) TARGET(MiB) CPU_S WAIT_S ENTRIES
 * too. Returns 0 or -ENOMEM.
 */
int vm_table_print(FILE *f, const struct kvms_vm *vms, size_t n, bool wide);

/*
 * One VM as "  key:  value" lines (show), with a "realtime:" line (priority,
 * FCFS or RR quantum, watchdog-throttled periods) for a realtime VM and a
 * "latency:" line (deadline period latency_us) for a latency VM, then
 * the sections "cpu bounds:",
 * "memory:", "balloon:" and "wake latency:" (latency.h; each only when the
 * kernel sent any of its attributes); '-' for what is unknown.
 */
void vm_details_print(FILE *f, const struct kvms_vm *vm);

/*
 * The configuration as "key: value" lines (config), in kv_config_keys
 * order with its key names (u32 and u64 values alike); enums by name. psi_some_avg10_bp is shown as
 * "-" when the kernel reports memory state but no PSI was ever reported.
 */
void config_print(FILE *f, const struct kvms_config *c);

/*
 * VCPU TID POLICY NICE OVERRIDES DL(mcpu) BLOCK STARVED(ms) BURST(us)
 * CPU(mcpu) STEAL% CPU_S WAIT_S ENTRIES; DL, BLOCK, STARVED and BURST are
 * the vCPU's dl_mcpu, dl_block (by name), starved_ms and burst_us, '-' from
 * a module that does not send them.
 */
enum vcpu_col {
	VCC_VCPU, VCC_TID, VCC_POLICY, VCC_NICE, VCC_OVERRIDES, VCC_DL,
	VCC_BLOCK, VCC_STARVED, VCC_BURST, VCC_CPU, VCC_STEAL, VCC_CPU_S,
	VCC_WAIT_S, VCC_ENTRIES,
	VCPU_NCOLS
};
extern const struct table_col vcpu_cols[VCPU_NCOLS];
void vcpu_row(const struct kvms_vcpu *v, char cells[VCPU_NCOLS][FMT_CELL]);
/* The vCPU table of show. Returns 0 or -ENOMEM. */
int vcpu_table_print(FILE *f, const struct kvms_vcpu *v, size_t n);

#endif /* KVMSCHEDCTL_FORMAT_H */
