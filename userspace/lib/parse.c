// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: command-line parsing. Pure code, linked by the host unit tests
 * and the fuzzer; see parse.h for the conventions.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "format.h"
#include "parse.h"

bool parse_no_local_checks;

/* The kernel's limit on mem-low-pct + mem-hysteresis-pct. */
#define KVMS_MEM_LOW_HYST_MAX	KVMSCHED_MEM_LOW_HYSTERESIS_PCT_MAX

/* -- helpers --------------------------------------------------------------- */

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* User input echoed in a message: escaped and bounded. */
#define ECHO_MAX 72
static const char *echo(char buf[ECHO_MAX], const char *s)
{
	fmt_quote(buf, ECHO_MAX, s);
	return buf;
}

static const char *echo_n(char buf[ECHO_MAX], const char *s, size_t n)
{
	char tmp[ECHO_MAX];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return echo(buf, tmp);
}

/* -- numbers --------------------------------------------------------------- */

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	bool big = false;
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (!big) {
			v = v * 10 + (uint64_t)(*p - '0');
			big = v > UINT32_MAX;
		}
	}
	if (big)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t min_ms, uint64_t max_ms,
		      uint64_t *out)
{
	/* 10^15 ms is far beyond any sane bound and cannot overflow below. */
	const uint64_t cap = UINT64_C(1000000000000000);
	uint64_t ms = 0, scale = 1000;
	bool big = false;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (!big) {
			ms = ms * 10 + (uint64_t)(*p - '0');
			big = ms > cap;
		}
	}
	if (big)
		return -ERANGE;
	ms *= 1000;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			scale /= 10;
			if (!scale)
				return -EINVAL;	/* finer than 1 ms */
			ms += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p)
		return -EINVAL;
	if (ms < min_ms || ms > max_ms)
		return -ERANGE;
	*out = ms;
	return 0;
}

/* -- strings --------------------------------------------------------------- */

static int check_printable(const char *field, const char *s, uint32_t min,
			   uint32_t max, char *err, size_t errlen)
{
	size_t len = strlen(s), i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e) {
			seterr(err, errlen,
			       "%s: character 0x%02x at position %zu is not allowed (accepted: %u-%u printable ASCII characters 0x21-0x7e, no spaces)",
			       field, c, i + 1, min, max);
			return -EINVAL;
		}
	}
	if (len < min || len > max) {
		if (!len)
			seterr(err, errlen,
			       "%s: empty (accepted: %u-%u printable ASCII characters 0x21-0x7e, no spaces)",
			       field, min, max);
		else
			seterr(err, errlen,
			       "%s: %zu characters is too %s (accepted: %u-%u printable ASCII characters 0x21-0x7e, no spaces)",
			       field, len, len < min ? "short" : "long", min,
			       max);
		return len < min ? -EINVAL : -ERANGE;
	}
	return 0;
}

int check_vm_name(const char *field, const char *s, char *err, size_t errlen)
{
	return check_printable(field, s, 1, KVMSCHED_VM_NAME_MAX_LEN, err,
			       errlen);
}

/* -- selectors ------------------------------------------------------------- */

static int parse_num_sel(const char *what, const char *s, uint32_t *out,
			 char *err, size_t errlen)
{
	char e[ECHO_MAX];
	int rc = parse_u32(s, out);

	if (rc == -EINVAL) {
		seterr(err, errlen, "invalid %s '%s' (expected a number, 1-%u)",
		       what, echo(e, s), UINT32_MAX);
		return rc;
	}
	if (rc == -ERANGE || (*out == 0 && !parse_no_local_checks)) {
		seterr(err, errlen, "%s %s is out of range (accepted: 1-%u)",
		       what, echo(e, s), UINT32_MAX);
		return -ERANGE;
	}
	return 0;
}

int parse_selector(const char *s, struct vm_selector *sel, char *err,
		   size_t errlen)
{
	char e[ECHO_MAX];

	memset(sel, 0, sizeof(*sel));
	if (!s || !*s) {
		seterr(err, errlen, "empty VM selector (expected %s)",
		       SELECTOR_FORMS);
		return -EINVAL;
	}
	if (*s >= '0' && *s <= '9') {
		sel->kind = SEL_ID;
		return parse_num_sel("VM id", s, &sel->num, err, errlen);
	}
	if (!strncmp(s, "id:", 3)) {
		sel->kind = SEL_ID;
		return parse_num_sel("VM id", s + 3, &sel->num, err, errlen);
	}
	if (!strncmp(s, "pid:", 4)) {
		sel->kind = SEL_PID;
		return parse_num_sel("pid", s + 4, &sel->num, err, errlen);
	}
	if (!strncmp(s, "name:", 5)) {
		int rc;

		sel->kind = SEL_NAME;
		rc = check_vm_name("VM name", s + 5, err, errlen);
		if (rc)
			return rc;
		strcpy(sel->name, s + 5);	/* length checked above */
		return 0;
	}
	seterr(err, errlen, "invalid VM selector '%s' (expected %s)",
	       echo(e, s), SELECTOR_FORMS);
	return -EINVAL;
}

void selector_describe(const struct vm_selector *sel, char *buf, size_t len)
{
	switch (sel->kind) {
	case SEL_ID:
		snprintf(buf, len, "VM %u", sel->num);
		break;
	case SEL_PID:
		snprintf(buf, len, "VM pid:%u", sel->num);
		break;
	case SEL_NAME:
		snprintf(buf, len, "VM name:%s", sel->name);
		break;
	}
}

static bool sel_matches(const struct vm_selector *sel,
			const struct kvms_vm *vm)
{
	switch (sel->kind) {
	case SEL_ID:
		return KVMS_HAS(vm, KVMSCHED_A_VM_ID) && vm->id == sel->num;
	case SEL_PID:
		return KVMS_HAS(vm, KVMSCHED_A_VM_PID) && vm->pid == sel->num;
	case SEL_NAME:
		return KVMS_HAS(vm, KVMSCHED_A_VM_NAME) &&
		       !strcmp(vm->name, sel->name);
	}
	return false;
}

int selector_match(const struct vm_selector *sel, const struct kvms_vm *vms,
		   size_t n, size_t *idx, char *err, size_t errlen)
{
	char ids[96] = "", what[96];
	size_t i, found = 0, used = 0;

	for (i = 0; i < n; i++) {
		if (!sel_matches(sel, &vms[i]))
			continue;
		if (!found)
			*idx = i;
		if (used < sizeof(ids) - 16)
			used += (size_t)snprintf(ids + used, sizeof(ids) - used,
						 "%s%u", found ? ", " : "",
						 vms[i].id);
		else if (used < sizeof(ids) - 4)
			used += (size_t)snprintf(ids + used, sizeof(ids) - used,
						 ", ...");
		found++;
	}
	if (found == 1)
		return 0;
	selector_describe(sel, what, sizeof(what));
	if (!found) {
		switch (sel->kind) {
		case SEL_ID:
			seterr(err, errlen, "no VM with id %u", sel->num);
			break;
		case SEL_PID:
			seterr(err, errlen, "no VM with pid %u", sel->num);
			break;
		case SEL_NAME:
			seterr(err, errlen, "no VM named '%s'", sel->name);
			break;
		}
		return -ENOENT;
	}
	seterr(err, errlen, "%s matches %zu VMs (ids %s); select one by id",
	       what, found, ids);
	return -ENOTUNIQ;
}

/* -- KEY=VALUE ------------------------------------------------------------- */

const struct kv_key *kv_find(const struct kv_key *table, const char *key,
			     size_t keylen)
{
	const struct kv_key *k;

	for (k = table; k->key; k++)
		if (strlen(k->key) == keylen && !strncmp(k->key, key, keylen))
			return k;
	return NULL;
}

void kv_key_list(const struct kv_key *table, char *buf, size_t len)
{
	const struct kv_key *k;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (k = table; k->key; k++) {
		if (k->flags & KV_READONLY)
			continue;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "", k->key);
	}
}

void kv_range(const struct kv_key *k, char *buf, size_t len)
{
	const struct kv_enum *e;
	size_t used = 0;

	switch (k->type) {
	case KV_U64:
		snprintf(buf, len, "read-only%s%s", k->unit ? ", " : "",
			 k->unit ? k->unit : "");
		return;
	case KV_U32:
		snprintf(buf, len, "%s%u-%u%s%s",
			 k->flags & KV_ZERO_OFF ? "0 (off) or " : "",
			 k->min, k->max, k->unit ? " " : "", k->unit ? k->unit : "");
		return;
	case KV_STRING:
		snprintf(buf, len,
			 "%u-%u printable ASCII characters 0x21-0x7e, no spaces",
			 k->min, k->max);
		return;
	case KV_ENUM:
		if (len)
			buf[0] = '\0';
		for (e = k->enums; e && e->name; e++)
			if (used < len)
				used += (size_t)snprintf(buf + used, len - used,
							 "%s%s", used ? "|" : "",
							 e->name);
		return;
	}
}

int kv_parse(const struct kv_key *table, const char *arg,
	     struct kv_setting *out, char *err, size_t errlen)
{
	char keys[KV_KEYS_LEN], range[128], e[ECHO_MAX];
	const struct kv_key *k;
	const struct kv_enum *en;
	const char *eq = strchr(arg, '='), *val;
	int rc;

	memset(out, 0, sizeof(*out));
	kv_key_list(table, keys, sizeof(keys));
	if (!eq || eq == arg) {
		seterr(err, errlen,
		       "invalid setting '%s': expected KEY=VALUE (keys: %s)",
		       echo(e, arg), keys);
		return -EINVAL;
	}
	k = kv_find(table, arg, (size_t)(eq - arg));
	if (!k) {
		seterr(err, errlen, "unknown key '%s' (accepted keys: %s)",
		       echo_n(e, arg, (size_t)(eq - arg)), keys);
		return -EINVAL;
	}
	if ((k->flags & KV_READONLY) && !parse_no_local_checks) {
		seterr(err, errlen, "%s is read-only (settable keys: %s)",
		       k->key, keys);
		return -EINVAL;
	}
	val = eq + 1;
	kv_range(k, range, sizeof(range));
	out->key = k;
	switch (k->type) {
	case KV_U64:	/* read-only: reaches here for the kernel to refuse */
	case KV_U32:
		rc = parse_u32(val, &out->u32);
		if (rc == -EINVAL) {
			seterr(err, errlen,
			       "%s: '%s' is not a number (accepted: %s)",
			       k->key, echo(e, val), range);
			return rc;
		}
		if (rc == -ERANGE ||
		    ((out->u32 < k->min || out->u32 > k->max) &&
		     !(out->u32 == 0 && (k->flags & KV_ZERO_OFF)) &&
		     !parse_no_local_checks)) {
			seterr(err, errlen,
			       "%s: %s is out of range (accepted: %s)",
			       k->key, echo(e, val), range);
			return -ERANGE;
		}
		return 0;
	case KV_STRING:
		if (!parse_no_local_checks) {
			rc = check_printable(k->key, val, k->min, k->max, err,
					     errlen);
			if (rc)
				return rc;
		}
		out->str = val;
		return 0;
	case KV_ENUM:
		for (en = k->enums; en && en->name; en++) {
			if (!strcmp(en->name, val)) {
				out->u32 = en->value;
				return 0;
			}
		}
		if (parse_no_local_checks && !parse_u32(val, &out->u32))
			return 0;
		seterr(err, errlen, "%s: unknown value '%s' (accepted: %s)",
		       k->key, echo(e, val), range);
		return -EINVAL;
	}
	return -EINVAL;
}

/* The setting of attribute attr among s[0..n), or NULL. */
static const struct kv_setting *kv_given(const struct kv_setting *s, size_t n,
					 int attr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i].key && s[i].key->attr == attr)
			return &s[i];
	return NULL;
}

int kv_cross_check(const struct kv_key *table, const struct kv_setting *s,
		   size_t n, char *err, size_t errlen)
{
	const struct kv_setting *a, *b, *c;

	if (parse_no_local_checks)
		return 0;
	if (table == kv_vm_keys) {
		a = kv_given(s, n, KVMSCHED_A_VM_RESERVATION_MCPU);
		b = kv_given(s, n, KVMSCHED_A_VM_LIMIT_MCPU);
		if (a && b && b->u32 && a->u32 > b->u32) {
			seterr(err, errlen,
			       "reservation_mcpu: %u exceeds limit_mcpu %u (accepted: 0-%u with limit_mcpu=%u; limit_mcpu=0 is unlimited)",
			       a->u32, b->u32, b->u32, b->u32);
			return -EINVAL;
		}
		/* A realtime VM takes no reservation or limit. */
		c = kv_given(s, n, KVMSCHED_A_VM_CLASS);
		if (c && c->u32 == KVMSCHED_CLASS_REALTIME) {
			a = kv_given(s, n, KVMSCHED_A_VM_RESERVATION_MCPU);
			if (!a || !a->u32)
				a = kv_given(s, n, KVMSCHED_A_VM_LIMIT_MCPU);
			if (a && a->u32) {
				seterr(err, errlen,
				       "%s: %u with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)",
				       a->key->key, a->u32);
				return -EINVAL;
			}
		}
		a = kv_given(s, n, KVMSCHED_A_VM_MEM_MIN_MIB);
		b = kv_given(s, n, KVMSCHED_A_VM_MEM_MAX_MIB);
		if (a && b && b->u32 && a->u32 > b->u32) {
			seterr(err, errlen,
			       "mem_min_mib: %u exceeds mem_max_mib %u (accepted: 0-%u with mem_max_mib=%u; mem_max_mib=0 is the guest RAM)",
			       a->u32, b->u32, b->u32, b->u32);
			return -EINVAL;
		}
	}
	if (table == kv_config_keys) {
		a = kv_given(s, n, KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT);
		b = kv_given(s, n, KVMSCHED_A_CONFIG_MEM_LOW_PCT);
		/* mem_low_pct is at least 1 here (range-checked). */
		if (a && b && a->u32 >= b->u32) {
			seterr(err, errlen,
			       "mem_critical_pct: %u is not below mem_low_pct %u (accepted: 0-%u with mem_low_pct=%u)",
			       a->u32, b->u32, b->u32 - 1, b->u32);
			return -EINVAL;
		}
		a = kv_given(s, n, KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT);
		if (a && b && a->u32 + b->u32 > KVMS_MEM_LOW_HYST_MAX) {
			seterr(err, errlen,
			       "mem_hysteresis_pct: %u plus mem_low_pct %u exceeds %u (accepted: 0-%u with mem_low_pct=%u)",
			       a->u32, b->u32, KVMS_MEM_LOW_HYST_MAX,
			       KVMS_MEM_LOW_HYST_MAX - b->u32, b->u32);
			return -EINVAL;
		}
	}
	return 0;
}

int kv_parse_list(const struct kv_key *table, int argc, char *const *argv,
		  struct kv_setting *out, char *err, size_t errlen)
{
	int i, j, rc;

	for (i = 0; i < argc; i++) {
		rc = kv_parse(table, argv[i], &out[i], err, errlen);
		if (rc)
			return rc;
		for (j = 0; j < i; j++) {
			if (out[j].key == out[i].key) {
				seterr(err, errlen, "%s given more than once",
				       out[i].key->key);
				return -EINVAL;
			}
		}
	}
	rc = kv_cross_check(table, out, argc > 0 ? (size_t)argc : 0, err,
			    errlen);
	return rc ? rc : argc;
}

void kv_print_keys(FILE *f, const struct kv_key *table)
{
	const struct kv_key *k;
	char range[128];
	int width = 12;

	/* Help texts aligned after the longest key. */
	for (k = table; k->key; k++)
		if (!(k->flags & KV_READONLY) && (int)strlen(k->key) > width)
			width = (int)strlen(k->key);
	for (k = table; k->key; k++) {
		if (k->flags & KV_READONLY)
			continue;
		kv_range(k, range, sizeof(range));
		fprintf(f, "  %-*s %s (%s)\n", width, k->key, k->help, range);
	}
}
