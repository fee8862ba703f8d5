/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: command-line parsing (VM selectors, KEY=VALUE settings,
 * numbers, durations). Pure: no netlink, no I/O except kv_print_keys().
 *
 * Every parser returns 0 or a negative errno and, on error, writes a message
 * that names the field and the accepted range into err (always
 * NUL-terminated). Callers print "kvmschedctl: <err>" and exit 2.
 */
#ifndef KVMSCHEDCTL_PARSE_H
#define KVMSCHEDCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "names.h"

/* Room for a message with the longest key list and an echoed value. */
#define ERRLEN 512

/*
 * A testing aid (KVMSCHEDCTL_NO_LOCAL_CHECKS=1): skip the local range and
 * name checks so that bad values reach the kernel, whose policy and extack
 * are then what is tested. Values must still have the right type (a number
 * for a number; a name or a number for an enum). Also lets selectors name
 * VM id 0. Off by default.
 */
extern bool parse_no_local_checks;

/* -- numbers ------------------------------------------------------------- */

/* Decimal digits only (no sign, space, or base prefix): -EINVAL or -ERANGE. */
int parse_u32(const char *s, uint32_t *out);

/*
 * A duration in seconds with at most 3 decimals ("2", "0.5", "1.250"),
 * returned in ms; -EINVAL if malformed, -ERANGE if outside min_ms..max_ms.
 */
int parse_duration_ms(const char *s, uint64_t min_ms, uint64_t max_ms,
		      uint64_t *out);

/* -- VM names -------------------------------------------------------------- */

/* 1 to KVMSCHED_VM_NAME_MAX_LEN characters, each 0x21-0x7e. */
int check_vm_name(const char *field, const char *s, char *err, size_t errlen);

/* -- VM selectors ---------------------------------------------------------- */

enum vm_sel_kind {
	SEL_ID,		/* "3" or "id:3" */
	SEL_PID,	/* "pid:1234" */
	SEL_NAME,	/* "name:web1" */
};

struct vm_selector {
	enum vm_sel_kind kind;
	uint32_t num;					/* SEL_ID, SEL_PID */
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1];	/* SEL_NAME */
};

#define SELECTOR_FORMS "ID, id:ID, pid:PID or name:NAME"

int parse_selector(const char *s, struct vm_selector *sel, char *err,
		   size_t errlen);

/* "VM 3", "VM pid:1234", "VM name:web1" (for messages). */
void selector_describe(const struct vm_selector *sel, char *buf, size_t len);

/*
 * Find the one VM in vms[0..n) that sel selects: 0 and *idx, -ENOENT if
 * none, -ENOTUNIQ if several (a VMM process can own more than one VM).
 */
int selector_match(const struct vm_selector *sel, const struct kvms_vm *vms,
		   size_t n, size_t *idx, char *err, size_t errlen);

/* -- KEY=VALUE settings ---------------------------------------------------- */

enum kv_type {
	KV_U32,		/* decimal, min..max */
	KV_STRING,	/* min..max characters, each printable ASCII 0x21-0x7e */
	KV_ENUM,	/* one of enums[].name, sent as its u32 value */
	KV_U64,		/* read-only counters only: shown, never set */
};

#define KV_READONLY	0x1	/* shown by get, rejected by set */
#define KV_ZERO_OFF	0x2	/* KV_U32: 0 (off) accepted besides min-max */

/*
 * One settable key: adding a setting to the CLI is one entry in a table of
 * these (and the kernel accepting its attribute).
 */
struct kv_key {
	const char *key;		/* CLI name, e.g. "period_ms" */
	int attr;			/* KVMSCHED_A_* it is sent as */
	enum kv_type type;
	uint32_t min, max;		/* value range; length range for strings */
	const char *unit;		/* "ms", "mcpu", ... or NULL */
	const char *help;		/* one line */
	const struct kv_enum *enums;	/* KV_ENUM: terminated by {NULL} */
	unsigned int flags;		/* KV_READONLY */
};

struct kv_setting {
	const struct kv_key *key;
	uint32_t u32;			/* KV_U32, KV_ENUM */
	const char *str;		/* KV_STRING: points into the argument */
};

/* The tables (keys.c), terminated by an entry with key == NULL. */
extern const struct kv_key kv_vm_keys[];
extern const struct kv_key kv_config_keys[];

const struct kv_key *kv_find(const struct kv_key *table, const char *key,
			     size_t keylen);

/*
 * One KEY=VALUE. With parse_no_local_checks, numbers out of range, any
 * string, enum values given as numbers and read-only keys are accepted.
 */
int kv_parse(const struct kv_key *table, const char *arg,
	     struct kv_setting *out, char *err, size_t errlen);

/*
 * Parse argv[0..argc) into out[0..argc); rejects a key given twice, then
 * runs kv_cross_check(). Returns the number of settings or a negative errno.
 */
int kv_parse_list(const struct kv_key *table, int argc, char *const *argv,
		  struct kv_setting *out, char *err, size_t errlen);

/*
 * Checks between keys given together (kv_vm_keys, kv_config_keys; other
 * tables have none), made locally only when both are in the same command:
 * the kernel checks again against the values it holds. -EINVAL with a
 * message naming the key and its accepted range given the other:
 *   set: reservation_mcpu <= limit_mcpu, mem_min_mib <= mem_max_mib (unless
 *        the latter is 0: unlimited, the guest RAM); class=realtime only
 *        with reservation_mcpu and limit_mcpu 0 (or not given);
 *   config: mem_critical_pct < mem_low_pct, mem_low_pct +
 *        mem_hysteresis_pct <= 95.
 * Skipped with parse_no_local_checks.
 */
int kv_cross_check(const struct kv_key *table, const struct kv_setting *s,
		   size_t n, char *err, size_t errlen);

/* Big enough for kv_key_list() of every table. */
#define KV_KEYS_LEN 320

/* "name" or "period_ms" (writable keys, ", "-separated). */
void kv_key_list(const struct kv_key *table, char *buf, size_t len);

/* "10-1000 ms", "1-63 characters, printable ASCII 0x21-0x7e", "a|b". */
void kv_range(const struct kv_key *k, char *buf, size_t len);

/* Usage lines: "  KEY=VALUE  help (range)". */
void kv_print_keys(FILE *f, const struct kv_key *table);

#endif /* KVMSCHEDCTL_PARSE_H */
