// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: output formatting. Pure code, linked by the host unit tests
 * and the fuzzer; see format.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "format.h"
#include "parse.h"

/* The escaped form of byte c in tmp (NUL-terminated); returns its length. */
static size_t escape_byte(unsigned char c, char tmp[5], bool space)
{
	if (c == '\\')
		return (size_t)snprintf(tmp, 5, "\\\\");
	if ((c < 0x21 && !(space && c == ' ')) || c > 0x7e)
		return (size_t)snprintf(tmp, 5, "\\x%02x", c);
	tmp[0] = (char)c;
	tmp[1] = '\0';
	return 1;
}

static size_t sanitize(char *dst, size_t dstsz, const char *src, bool space)
{
	const unsigned char *s;
	size_t o = 0, total = 0, n;
	char tmp[5];

	if (!dstsz)
		return 0;
	for (s = (const unsigned char *)src; *s; s++)
		total += escape_byte(*s, tmp, space);
	for (s = (const unsigned char *)src; *s; s++) {
		n = escape_byte(*s, tmp, space);
		/* When it does not all fit, keep room for "..." and the NUL. */
		if (total >= dstsz ? o + n + 4 > dstsz : o + n + 1 > dstsz)
			break;
		memcpy(dst + o, tmp, n);
		o += n;
	}
	if (total >= dstsz && o + 4 <= dstsz) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return o;
}

size_t fmt_sanitize(char *dst, size_t dstsz, const char *src)
{
	return sanitize(dst, dstsz, src, false);
}

size_t fmt_quote(char *dst, size_t dstsz, const char *src)
{
	return sanitize(dst, dstsz, src, true);
}

void fmt_ns_s(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, ns / 1000000000,
		 ns % 1000000000 / 10000000);
}

void fmt_permille_pct(char *buf, size_t len, uint32_t permille)
{
	snprintf(buf, len, "%u.%u", permille / 10, permille % 10);
}

void fmt_timestamp(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;
	char date[32], zone[8];

	if (!localtime_r(&ts->tv_sec, &tm)) {
		snprintf(buf, len, "%lld.%03ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000000);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%03ld%s", date, ts->tv_nsec / 1000000, zone);
}

/* -- JSON ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (1-4), 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		if (c == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		if (c == 0xf4)
			hi = 0x8f;	/* > U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static void jw_pre(struct jw *w, const char *key)
{
	if (w->has_items[w->depth])
		fputc(',', w->f);
	w->has_items[w->depth] = true;
	if (key) {
		json_string(w->f, key);
		fputc(':', w->f);
	}
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_pre(w, key);
	fputc(c, w->f);
	if (w->depth < JW_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
}

static void jw_close(struct jw *w, char c)
{
	fputc(c, w->f);
	if (w->depth)
		w->depth--;
}

void jw_obj_begin(struct jw *w, const char *key)
{
	jw_open(w, key, '{');
}

void jw_obj_end(struct jw *w)
{
	jw_close(w, '}');
}

void jw_arr_begin(struct jw *w, const char *key)
{
	jw_open(w, key, '[');
}

void jw_arr_end(struct jw *w)
{
	jw_close(w, ']');
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_pre(w, key);
	if (v)
		json_string(w->f, v);
	else
		fputs("null", w->f);
}

void jw_uint(struct jw *w, const char *key, uint64_t v)
{
	jw_pre(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_int(struct jw *w, const char *key, int64_t v)
{
	jw_pre(w, key);
	fprintf(w->f, "%" PRId64, v);
}

void jw_fixed(struct jw *w, const char *key, double v, int decimals)
{
	jw_pre(w, key);
	if (isfinite(v))
		fprintf(w->f, "%.*f", decimals, v);
	else
		fputs("null", w->f);
}

void jw_null(struct jw *w, const char *key)
{
	jw_pre(w, key);
	fputs("null", w->f);
}

#define JW_U(w, obj, attr, field)				\
	do {							\
		if (KVMS_HAS(obj, attr))			\
			jw_uint(w, #field, (obj)->field);	\
	} while (0)

/* An enum by name, or its number when this program does not know it. */
#define JW_ENUM(w, obj, attr, field, fn)				\
	do {								\
		if (!KVMS_HAS(obj, attr))				\
			break;						\
		if (fn((obj)->field))					\
			jw_str(w, #field, fn((obj)->field));		\
		else							\
			jw_uint(w, #field, (obj)->field);		\
	} while (0)

void jw_vm(struct jw *w, const char *key, const struct kvms_vm *vm)
{
	jw_obj_begin(w, key);
	JW_U(w, vm, KVMSCHED_A_VM_ID, id);
	jw_str(w, "name", KVMS_HAS(vm, KVMSCHED_A_VM_NAME) ? vm->name : NULL);
	JW_U(w, vm, KVMSCHED_A_VM_PID, pid);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM))
		jw_str(w, "comm", vm->comm);
	JW_U(w, vm, KVMSCHED_A_VM_NR_VCPUS, nr_vcpus);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_CLASS)) {
		if (class_name(vm->class))
			jw_str(w, "class", class_name(vm->class));
		else
			jw_uint(w, "class", vm->class);
	}
	JW_U(w, vm, KVMSCHED_A_VM_WEIGHT, weight);
	JW_U(w, vm, KVMSCHED_A_VM_ENTITLED_MCPU, entitled_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_DEMAND_MCPU, demand_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, nr_active_vcpus);
	JW_U(w, vm, KVMSCHED_A_VM_CPU_LAST_MCPU, cpu_last_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_STEAL_LAST_PERMILLE, steal_last_permille);
	JW_U(w, vm, KVMSCHED_A_VM_CPU_TIME_NS, cpu_time_ns);
	JW_U(w, vm, KVMSCHED_A_VM_WAIT_TIME_NS, wait_time_ns);
	JW_U(w, vm, KVMSCHED_A_VM_VM_ENTRIES, vm_entries);
	/* CPU bounds */
	JW_U(w, vm, KVMSCHED_A_VM_RESERVATION_MCPU, reservation_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_LIMIT_MCPU, limit_mcpu);
	JW_ENUM(w, vm, KVMSCHED_A_VM_BOUND, bound, bound_name);
	JW_U(w, vm, KVMSCHED_A_VM_THROTTLED_NS, throttled_ns);
	JW_U(w, vm, KVMSCHED_A_VM_RESERVATION_MISSES, reservation_misses);
	/* memory */
	JW_U(w, vm, KVMSCHED_A_VM_MEM_SHARES, mem_shares);
	JW_U(w, vm, KVMSCHED_A_VM_MEM_MIN_MIB, mem_min_mib);
	JW_U(w, vm, KVMSCHED_A_VM_MEM_MAX_MIB, mem_max_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_MEM_MIB, guest_mem_mib);
	JW_U(w, vm, KVMSCHED_A_VM_RSS_MIB, rss_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_FREE_MIB, guest_free_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_AVAIL_MIB, guest_avail_mib);
	JW_U(w, vm, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, balloon_actual_mib);
	JW_U(w, vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB, balloon_target_mib);
	JW_ENUM(w, vm, KVMSCHED_A_VM_BALLOON_REASON, balloon_reason,
		balloon_reason_name);
	jw_obj_end(w);
}

void jw_vcpu(struct jw *w, const char *key, const struct kvms_vcpu *v)
{
	jw_obj_begin(w, key);
	JW_U(w, v, KVMSCHED_A_VCPU_VM_ID, vm_id);
	JW_U(w, v, KVMSCHED_A_VCPU_VCPU_ID, vcpu_id);
	JW_U(w, v, KVMSCHED_A_VCPU_TID, tid);
	JW_U(w, v, KVMSCHED_A_VCPU_POLICY, policy);
	if (KVMS_HAS(v, KVMSCHED_A_VCPU_NICE))
		jw_int(w, "nice", v->nice);
	JW_U(w, v, KVMSCHED_A_VCPU_OVERRIDES, overrides);
	JW_U(w, v, KVMSCHED_A_VCPU_CPU_LAST_MCPU, cpu_last_mcpu);
	JW_U(w, v, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE, steal_last_permille);
	JW_U(w, v, KVMSCHED_A_VCPU_CPU_TIME_NS, cpu_time_ns);
	JW_U(w, v, KVMSCHED_A_VCPU_WAIT_TIME_NS, wait_time_ns);
	JW_U(w, v, KVMSCHED_A_VCPU_VM_ENTRIES, vm_entries);
	jw_obj_end(w);
}

/* The name of value v of an enum key, or NULL. */
static const char *kv_enum_name(const struct kv_key *k, uint32_t v)
{
	const struct kv_enum *e;

	for (e = k->enums; e && e->name; e++)
		if (e->value == v)
			return e->name;
	return NULL;
}

/* Config attributes by the keys of kv_config_keys, in its order. */
void jw_config(struct jw *w, const char *key, const struct kvms_config *c)
{
	const struct kv_key *k;
	const uint32_t *v;

	jw_obj_begin(w, key);
	for (k = kv_config_keys; k->key; k++) {
		v = config_field_c(c, k->attr);
		if (!v || !KVMS_HAS(c, k->attr))
			continue;
		if (k->type == KV_ENUM && kv_enum_name(k, *v))
			jw_str(w, k->key, kv_enum_name(k, *v));
		else
			jw_uint(w, k->key, *v);
	}
	jw_obj_end(w);
}

/* -- tables ---------------------------------------------------------------- */

void table_init(struct table *t, const struct table_col *cols,
		unsigned int ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
}

int table_add(struct table *t, const char *const *cells)
{
	unsigned int i;
	char **row;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **n = realloc(t->cells, cap * t->ncols * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->cells = n;
		t->cap = cap;
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

static void table_line(const struct table *t, const size_t *width,
		       const char *const *cells, FILE *f)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		size_t len = strlen(cells[i]);
		bool last = i + 1 == t->ncols;

		if (i)
			fputs("  ", f);
		if (t->cols[i].right)
			fprintf(f, "%*s", (int)width[i], cells[i]);
		else if (last)
			fputs(cells[i], f);
		else
			fprintf(f, "%s%*s", cells[i], (int)(width[i] - len), "");
	}
	fputc('\n', f);
}

void table_print(const struct table *t, FILE *f)
{
	const char *hdr[32];
	size_t width[32];
	unsigned int i, n = t->ncols < 32 ? t->ncols : 32;
	size_t r;

	for (i = 0; i < n; i++) {
		hdr[i] = t->cols[i].title;
		width[i] = strlen(hdr[i]);
	}
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < n; i++) {
			size_t len = strlen(t->cells[r * t->ncols + i]);

			if (len > width[i])
				width[i] = len;
		}
	table_line(t, width, hdr, f);
	for (r = 0; r < t->nrows; r++)
		table_line(t, width,
			   (const char *const *)t->cells + r * t->ncols, f);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

const char *class_name(uint32_t class)
{
	switch (class) {
	case KVMSCHED_CLASS_SHARES:
		return "shares";
	case KVMSCHED_CLASS_BACKGROUND:
		return "background";
	}
	return NULL;
}

const char *bound_name(uint32_t bound)
{
	switch (bound) {
	case KVMSCHED_BOUND_NONE:
		return "none";
	case KVMSCHED_BOUND_RESERVATION:
		return "reservation";
	case KVMSCHED_BOUND_LIMIT:
		return "limit";
	}
	return NULL;
}

const char *mem_state_name(uint32_t state)
{
	switch (state) {
	case KVMSCHED_MEM_STATE_NORMAL:
		return "normal";
	case KVMSCHED_MEM_STATE_RECLAIM:
		return "reclaim";
	case KVMSCHED_MEM_STATE_CRITICAL:
		return "critical";
	}
	return NULL;
}

const char *balloon_reason_name(uint32_t reason)
{
	switch (reason) {
	case KVMSCHED_BALLOON_REASON_NONE:
		return "none";
	case KVMSCHED_BALLOON_REASON_AT_MAX:
		return "at-max";
	case KVMSCHED_BALLOON_REASON_INFLATE:
		return "inflate";
	case KVMSCHED_BALLOON_REASON_DEFLATE:
		return "deflate";
	case KVMSCHED_BALLOON_REASON_AT_MIN:
		return "at-min";
	case KVMSCHED_BALLOON_REASON_HOLD:
		return "hold";
	}
	return NULL;
}

/* The kernel's SCHED_* numbers (uapi/linux/sched.h), named as chrt(1) does. */
const char *policy_name(uint32_t policy)
{
	switch (policy) {
	case 0:
		return "normal";
	case 1:
		return "fifo";
	case 2:
		return "rr";
	case 3:
		return "batch";
	case 5:
		return "idle";
	case 6:
		return "deadline";
	}
	return NULL;
}

const struct table_col vm_cols[VM_NCOLS] = {
	[VMC_ID] = { "ID", true, false },
	[VMC_NAME] = { "NAME", false, false },
	[VMC_PID] = { "PID", true, false },
	[VMC_COMM] = { "COMM", false, false },
	[VMC_VCPUS] = { "VCPUS", true, false },
	[VMC_CLASS] = { "CLASS", false, false },
	[VMC_WEIGHT] = { "WEIGHT", true, false },
	[VMC_ENT] = { "ENT(mcpu)", true, false },
	[VMC_CPU] = { "CPU(mcpu)", true, false },
	[VMC_STEAL] = { "STEAL%", true, false },
	[VMC_DEMAND] = { "DEMAND(mcpu)", true, true },
	[VMC_ACTIVE] = { "ACTIVE", true, true },
	[VMC_RES] = { "RES(mcpu)", true, true },
	[VMC_LIMIT] = { "LIMIT(mcpu)", true, true },
	[VMC_BOUND] = { "BOUND", false, true },
	[VMC_MEM] = { "MEM(MiB)", true, true },
	[VMC_RSS] = { "RSS(MiB)", true, true },
	[VMC_TARGET] = { "TARGET(MiB)", true, true },
	[VMC_CPU_S] = { "CPU_S", true, true },
	[VMC_WAIT_S] = { "WAIT_S", true, true },
	[VMC_ENTRIES] = { "ENTRIES", true, true },
};

const struct table_col vcpu_cols[VCPU_NCOLS] = {
	[VCC_VCPU] = { "VCPU", true, false },
	[VCC_TID] = { "TID", true, false },
	[VCC_POLICY] = { "POLICY", false, false },
	[VCC_NICE] = { "NICE", true, false },
	[VCC_OVERRIDES] = { "OVERRIDES", true, false },
	[VCC_CPU] = { "CPU(mcpu)", true, false },
	[VCC_STEAL] = { "STEAL%", true, false },
	[VCC_CPU_S] = { "CPU_S", true, false },
	[VCC_WAIT_S] = { "WAIT_S", true, false },
	[VCC_ENTRIES] = { "ENTRIES", true, false },
};

#define CELL_U(cell, obj, attr, v)					\
	do {								\
		if (KVMS_HAS(obj, attr))				\
			snprintf(cell, FMT_CELL, "%" PRIu64, (uint64_t)(v)); \
		else							\
			strcpy(cell, "-");				\
	} while (0)

#define CELL_F(cell, obj, attr, fn, v)					\
	do {								\
		if (KVMS_HAS(obj, attr))				\
			fn(cell, FMT_CELL, v);				\
		else							\
			strcpy(cell, "-");				\
	} while (0)

/* A name from fn(v), or the number when fn does not know it. */
#define CELL_NAME(cell, obj, attr, fn, v)				\
	do {								\
		if (!KVMS_HAS(obj, attr))				\
			strcpy(cell, "-");				\
		else if (fn(v))						\
			snprintf(cell, FMT_CELL, "%s", fn(v));		\
		else							\
			snprintf(cell, FMT_CELL, "%u", (unsigned int)(v)); \
	} while (0)

void vm_row(const struct kvms_vm *vm, char c[VM_NCOLS][FMT_CELL])
{
	CELL_U(c[VMC_ID], vm, KVMSCHED_A_VM_ID, vm->id);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_NAME) && vm->name[0])
		fmt_sanitize(c[VMC_NAME], FMT_CELL, vm->name);
	else
		strcpy(c[VMC_NAME], "-");
	CELL_U(c[VMC_PID], vm, KVMSCHED_A_VM_PID, vm->pid);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM) && vm->comm[0])
		fmt_sanitize(c[VMC_COMM], FMT_CELL, vm->comm);
	else
		strcpy(c[VMC_COMM], "-");
	CELL_U(c[VMC_VCPUS], vm, KVMSCHED_A_VM_NR_VCPUS, vm->nr_vcpus);
	CELL_NAME(c[VMC_CLASS], vm, KVMSCHED_A_VM_CLASS, class_name, vm->class);
	CELL_U(c[VMC_WEIGHT], vm, KVMSCHED_A_VM_WEIGHT, vm->weight);
	CELL_U(c[VMC_ENT], vm, KVMSCHED_A_VM_ENTITLED_MCPU, vm->entitled_mcpu);
	CELL_U(c[VMC_CPU], vm, KVMSCHED_A_VM_CPU_LAST_MCPU, vm->cpu_last_mcpu);
	CELL_F(c[VMC_STEAL], vm, KVMSCHED_A_VM_STEAL_LAST_PERMILLE,
	       fmt_permille_pct, vm->steal_last_permille);
	CELL_U(c[VMC_DEMAND], vm, KVMSCHED_A_VM_DEMAND_MCPU, vm->demand_mcpu);
	CELL_U(c[VMC_ACTIVE], vm, KVMSCHED_A_VM_NR_ACTIVE_VCPUS,
	       vm->nr_active_vcpus);
	CELL_U(c[VMC_RES], vm, KVMSCHED_A_VM_RESERVATION_MCPU,
	       vm->reservation_mcpu);
	CELL_U(c[VMC_LIMIT], vm, KVMSCHED_A_VM_LIMIT_MCPU, vm->limit_mcpu);
	CELL_NAME(c[VMC_BOUND], vm, KVMSCHED_A_VM_BOUND, bound_name, vm->bound);
	CELL_U(c[VMC_MEM], vm, KVMSCHED_A_VM_GUEST_MEM_MIB, vm->guest_mem_mib);
	CELL_U(c[VMC_RSS], vm, KVMSCHED_A_VM_RSS_MIB, vm->rss_mib);
	CELL_U(c[VMC_TARGET], vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB,
	       vm->balloon_target_mib);
	CELL_F(c[VMC_CPU_S], vm, KVMSCHED_A_VM_CPU_TIME_NS, fmt_ns_s,
	       vm->cpu_time_ns);
	CELL_F(c[VMC_WAIT_S], vm, KVMSCHED_A_VM_WAIT_TIME_NS, fmt_ns_s,
	       vm->wait_time_ns);
	CELL_U(c[VMC_ENTRIES], vm, KVMSCHED_A_VM_VM_ENTRIES, vm->vm_entries);
}

int vm_table_print(FILE *f, const struct kvms_vm *vms, size_t n, bool wide)
{
	static char cells[VM_NCOLS][FMT_CELL];
	struct table_col cols[VM_NCOLS];
	const char *row[VM_NCOLS];
	unsigned int map[VM_NCOLS], nc = 0, j;
	struct table t;
	size_t i;
	int rc = 0;

	for (j = 0; j < VM_NCOLS; j++) {
		if (vm_cols[j].wide && !wide)
			continue;
		cols[nc] = vm_cols[j];
		map[nc++] = j;
	}
	table_init(&t, cols, nc);
	for (i = 0; i < n && !rc; i++) {
		vm_row(&vms[i], cells);
		for (j = 0; j < nc; j++)
			row[j] = cells[map[j]];
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f);
	table_free(&t);
	return rc;
}

/* The attributes of show's sections (present bits). */
#define VM_BOUNDS_ATTRS	(KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MCPU) |	\
			 KVMS_BIT(KVMSCHED_A_VM_LIMIT_MCPU) |		\
			 KVMS_BIT(KVMSCHED_A_VM_BOUND) |		\
			 KVMS_BIT(KVMSCHED_A_VM_THROTTLED_NS) |		\
			 KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MISSES))
#define VM_MEM_ATTRS	(KVMS_BIT(KVMSCHED_A_VM_MEM_SHARES) |		\
			 KVMS_BIT(KVMSCHED_A_VM_MEM_MIN_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_MEM_MAX_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_MEM_MIB) |	\
			 KVMS_BIT(KVMSCHED_A_VM_RSS_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |	\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB))
#define VM_BALLOON_ATTRS (KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |	\
			  KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |	\
			  KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON))

/* "    label:       <value>[ unit]", or "-" alone when absent. */
static void detail_u(FILE *f, const char *label, bool has, uint64_t v,
		     const char *unit, const char *note)
{
	if (!has) {
		fprintf(f, "    %-12s -\n", label);
		return;
	}
	fprintf(f, "    %-12s %" PRIu64 "%s%s%s%s%s\n", label, v,
		unit ? " " : "", unit ? unit : "", note ? " (" : "",
		note ? note : "", note ? ")" : "");
}

/* An enum value by name, else its number; "-" when absent. */
static void detail_enum(FILE *f, const char *label, bool has, uint32_t v,
			const char *(*fn)(uint32_t), const char *note)
{
	if (!has)
		fprintf(f, "    %-12s -\n", label);
	else if (fn(v))
		fprintf(f, "    %-12s %s%s%s%s\n", label, fn(v), note ? " (" : "",
			note ? note : "", note ? ")" : "");
	else
		fprintf(f, "    %-12s %u%s%s%s\n", label, v, note ? " (" : "",
			note ? note : "", note ? ")" : "");
}

#define HAS(a) KVMS_HAS(vm, a)

static void vm_bounds_print(FILE *f, const struct kvms_vm *vm)
{
	char buf[FMT_CELL];

	if (!(vm->present & VM_BOUNDS_ATTRS))
		return;
	fprintf(f, "  cpu bounds:\n");
	detail_u(f, "reservation:", HAS(KVMSCHED_A_VM_RESERVATION_MCPU),
		 vm->reservation_mcpu, "mcpu",
		 vm->reservation_mcpu ? "floor" : "none");
	detail_u(f, "limit:", HAS(KVMSCHED_A_VM_LIMIT_MCPU), vm->limit_mcpu,
		 "mcpu", vm->limit_mcpu ? "ceiling" : "unlimited");
	detail_enum(f, "bound:", HAS(KVMSCHED_A_VM_BOUND), vm->bound,
		    bound_name, "last period");
	if (HAS(KVMSCHED_A_VM_THROTTLED_NS)) {
		fmt_ns_s(buf, sizeof(buf), vm->throttled_ns);
		fprintf(f, "    %-12s %s s\n", "throttled:", buf);
	} else {
		fprintf(f, "    %-12s -\n", "throttled:");
	}
	detail_u(f, "res. misses:", HAS(KVMSCHED_A_VM_RESERVATION_MISSES),
		 vm->reservation_misses, NULL, NULL);
}

static void vm_memory_print(FILE *f, const struct kvms_vm *vm)
{
	if (vm->present & VM_MEM_ATTRS) {
		fprintf(f, "  memory:\n");
		detail_u(f, "shares:", HAS(KVMSCHED_A_VM_MEM_SHARES),
			 vm->mem_shares, NULL, NULL);
		detail_u(f, "min:", HAS(KVMSCHED_A_VM_MEM_MIN_MIB),
			 vm->mem_min_mib, "MiB", NULL);
		detail_u(f, "max:", HAS(KVMSCHED_A_VM_MEM_MAX_MIB),
			 vm->mem_max_mib, "MiB", NULL);
		detail_u(f, "guest ram:", HAS(KVMSCHED_A_VM_GUEST_MEM_MIB),
			 vm->guest_mem_mib, "MiB", NULL);
		detail_u(f, "rss:", HAS(KVMSCHED_A_VM_RSS_MIB), vm->rss_mib,
			 "MiB", NULL);
		detail_u(f, "guest free:", HAS(KVMSCHED_A_VM_GUEST_FREE_MIB),
			 vm->guest_free_mib, "MiB", "guest-reported");
		detail_u(f, "guest avail:", HAS(KVMSCHED_A_VM_GUEST_AVAIL_MIB),
			 vm->guest_avail_mib, "MiB", "guest-reported");
	}
	if (vm->present & VM_BALLOON_ATTRS) {
		fprintf(f, "  balloon:\n");
		detail_u(f, "actual:", HAS(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB),
			 vm->balloon_actual_mib, "MiB", "guest size now");
		detail_u(f, "target:", HAS(KVMSCHED_A_VM_BALLOON_TARGET_MIB),
			 vm->balloon_target_mib, "MiB", NULL);
		detail_enum(f, "reason:", HAS(KVMSCHED_A_VM_BALLOON_REASON),
			    vm->balloon_reason, balloon_reason_name, NULL);
	}
}

#undef HAS

void vm_details_print(FILE *f, const struct kvms_vm *vm)
{
	char c[VM_NCOLS][FMT_CELL];

	vm_row(vm, c);
	fprintf(f, "VM %s\n", c[VMC_ID]);
	fprintf(f, "  %-14s %s\n", "name:", c[VMC_NAME]);
	fprintf(f, "  %-14s %s\n", "pid:", c[VMC_PID]);
	fprintf(f, "  %-14s %s\n", "comm:", c[VMC_COMM]);
	fprintf(f, "  %-14s %s\n", "vcpus:", c[VMC_VCPUS]);
	fprintf(f, "  %-14s %s\n", "class:", c[VMC_CLASS]);
	fprintf(f, "  %-14s %s\n", "weight:", c[VMC_WEIGHT]);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "entitled:", c[VMC_ENT]);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "demand:", c[VMC_DEMAND]);
	fprintf(f, "  %-14s %s (last period)\n", "active vcpus:",
		c[VMC_ACTIVE]);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "cpu:", c[VMC_CPU]);
	fprintf(f, "  %-14s %s %% (last period)\n", "steal:", c[VMC_STEAL]);
	fprintf(f, "  %-14s %s s\n", "cpu time:", c[VMC_CPU_S]);
	fprintf(f, "  %-14s %s s\n", "wait time:", c[VMC_WAIT_S]);
	fprintf(f, "  %-14s %s\n", "vm entries:", c[VMC_ENTRIES]);
	vm_bounds_print(f, vm);
	vm_memory_print(f, vm);
}

void config_print(FILE *f, const struct kvms_config *c)
{
	const struct kv_key *k;
	const uint32_t *v;

	for (k = kv_config_keys; k->key; k++) {
		v = config_field_c(c, k->attr);
		if (!v)
			continue;
		if (!KVMS_HAS(c, k->attr)) {
			/* Never reported, from a kernel that knows PSI. */
			if (k->attr == KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP &&
			    KVMS_HAS(c, KVMSCHED_A_CONFIG_MEM_STATE))
				fprintf(f, "%s: -\n", k->key);
			continue;
		}
		if (k->type == KV_ENUM && kv_enum_name(k, *v))
			fprintf(f, "%s: %s\n", k->key, kv_enum_name(k, *v));
		else
			fprintf(f, "%s: %u\n", k->key, *v);
	}
}

void vcpu_row(const struct kvms_vcpu *v, char c[VCPU_NCOLS][FMT_CELL])
{
	CELL_U(c[VCC_VCPU], v, KVMSCHED_A_VCPU_VCPU_ID, v->vcpu_id);
	CELL_U(c[VCC_TID], v, KVMSCHED_A_VCPU_TID, v->tid);
	CELL_NAME(c[VCC_POLICY], v, KVMSCHED_A_VCPU_POLICY, policy_name,
		  v->policy);
	if (KVMS_HAS(v, KVMSCHED_A_VCPU_NICE))
		snprintf(c[VCC_NICE], FMT_CELL, "%" PRId32, v->nice);
	else
		strcpy(c[VCC_NICE], "-");
	CELL_U(c[VCC_OVERRIDES], v, KVMSCHED_A_VCPU_OVERRIDES, v->overrides);
	CELL_U(c[VCC_CPU], v, KVMSCHED_A_VCPU_CPU_LAST_MCPU, v->cpu_last_mcpu);
	CELL_F(c[VCC_STEAL], v, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE,
	       fmt_permille_pct, v->steal_last_permille);
	CELL_F(c[VCC_CPU_S], v, KVMSCHED_A_VCPU_CPU_TIME_NS, fmt_ns_s,
	       v->cpu_time_ns);
	CELL_F(c[VCC_WAIT_S], v, KVMSCHED_A_VCPU_WAIT_TIME_NS, fmt_ns_s,
	       v->wait_time_ns);
	CELL_U(c[VCC_ENTRIES], v, KVMSCHED_A_VCPU_VM_ENTRIES, v->vm_entries);
}

int vcpu_table_print(FILE *f, const struct kvms_vcpu *v, size_t n)
{
	static char cells[VCPU_NCOLS][FMT_CELL];
	const char *row[VCPU_NCOLS];
	struct table t;
	size_t i;
	int j, rc = 0;

	table_init(&t, vcpu_cols, VCPU_NCOLS);
	for (j = 0; j < VCPU_NCOLS; j++)
		row[j] = cells[j];
	for (i = 0; i < n && !rc; i++) {
		vcpu_row(&v[i], cells);
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f);
	table_free(&t);
	return rc;
}

/* -- events ---------------------------------------------------------------- */

const char *event_name(int cmd)
{
	switch (cmd) {
	case KVMSCHED_CMD_VM_ADD_NTF:
		return "vm-add";
	case KVMSCHED_CMD_VM_DEL_NTF:
		return "vm-del";
	case KVMSCHED_CMD_VM_CHANGE_NTF:
		return "vm-change";
	case KVMSCHED_CMD_CONFIG_CHANGE_NTF:
		return "config-change";
	case KVMSCHED_CMD_BALLOON_TARGET_NTF:
		return "balloon-target";
	case KVMSCHED_CMD_OVERCOMMIT_NTF:
		return "overcommit";
	}
	return NULL;
}

static bool event_is_vm(int cmd)
{
	return cmd == KVMSCHED_CMD_VM_ADD_NTF || cmd == KVMSCHED_CMD_VM_DEL_NTF ||
	       cmd == KVMSCHED_CMD_VM_CHANGE_NTF ||
	       cmd == KVMSCHED_CMD_BALLOON_TARGET_NTF;
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
	const uint32_t *v;

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
		v = config_field_c(c, k->attr);
		if (v && KVMS_HAS(c, k->attr))
			fprintf(f, " %s=%u", k->key, *v);
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
		}
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
