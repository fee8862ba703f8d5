// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kvmschedctl's parsers and escapers (userspace/lib/
 * parse.c, format.c, json.c): feeds arbitrary bytes as a command-line argument and
 * checks properties that must hold for every input:
 *  - parsers return 0 or a negative errno, and a message on error;
 *  - accepted values are within the key's range / valid names;
 *  - fmt_sanitize() output is NUL-terminated, fits, and is printable ASCII;
 *  - json_string() output is a valid JSON string in valid UTF-8;
 * and feeds the same bytes to decode.c as attributes and as netlink error
 * and done messages (ASan catches any read out of bounds), to policy.c as
 * a policy file (0 or -EINVAL with "f.conf:" first; accepted rules have a
 * pattern and settings) and to vmident.c as a /proc/PID/cmdline.
 * Built with clang -fsanitize=fuzzer,address,undefined by tests/host/Makefile;
 * run.sh runs it for a fixed number of inputs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "policy.h"
#include "prom.h"

#define ASSERT(c) do { if (!(c)) { fprintf(stderr, "assertion failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

static const struct kv_enum classes[] = {
	{ "shares", 1 }, { "background", 2 }, { NULL, 0 },
};

static const struct kv_key keys[] = {
	{ .key = "weight", .attr = 1, .type = KV_U32, .min = 1, .max = 10000 },
	{ .key = "class", .attr = 2, .type = KV_ENUM, .enums = classes },
	{ .key = "label", .attr = 3, .type = KV_STRING, .min = 1, .max = 8 },
	{ .key = NULL },
};

static void check_err(int rc, const char *err)
{
	ASSERT(rc <= 0);
	ASSERT(memchr(err, '\0', ERRLEN));
	if (rc)
		ASSERT(err[0] != '\0');
	/* Messages never carry raw control characters from the input. */
	for (; *err; err++)
		ASSERT((unsigned char)*err >= 0x20 && (unsigned char)*err != 0x7f);
}

static void check_name(const char *s)
{
	size_t len = strlen(s), i;

	ASSERT(len >= 1 && len <= KVMSCHED_VM_NAME_MAX_LEN);
	for (i = 0; i < len; i++)
		ASSERT(s[i] >= 0x21 && s[i] <= 0x7e);
}

static void check_kv(const struct kv_key *table, const char *s)
{
	struct kv_setting set;
	char err[ERRLEN];
	int rc;

	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	err[0] = '\0';
	rc = kv_parse(table, s, &set, err, sizeof(err));
	check_err(rc, err);
	if (rc)
		return;
	ASSERT(set.key && !(set.key->flags & KV_READONLY));
	if (set.key->type == KV_U32)
		ASSERT(set.u32 >= set.key->min && set.u32 <= set.key->max);
	if (set.key->type == KV_STRING) {
		size_t len = strlen(set.str);

		ASSERT(len >= set.key->min && len <= set.key->max);
	}
}

/* A table cell: NUL-terminated, printable ASCII, never empty. */
static void check_cell(const char *c)
{
	size_t n = strnlen(c, FMT_CELL);

	ASSERT(n > 0 && n < FMT_CELL);
	for (; *c; c++)
		ASSERT(*c >= 0x20 && *c <= 0x7e);
}

/* A JSON string: quotes, escapes, valid UTF-8, no raw controls. */
static void check_json(const unsigned char *p, size_t n)
{
	size_t i = 1;

	ASSERT(n >= 2 && p[0] == '"' && p[n - 1] == '"');
	while (i < n - 1) {
		unsigned char c = p[i];

		ASSERT(c >= 0x20 && c != 0x7f && c != '"');
		if (c == '\\') {
			ASSERT(i + 1 < n - 1);
			if (p[i + 1] == 'u') {
				ASSERT(i + 5 < n - 1);
				i += 6;
			} else {
				ASSERT(strchr("\"\\/bfnrt", p[i + 1]));
				i += 2;
			}
			continue;
		}
		if (c < 0x80) {
			i++;
		} else {
			size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, k;

			ASSERT(c >= 0xc2 && c <= 0xf4);
			ASSERT(i + len <= n - 1);
			for (k = 1; k < len; k++)
				ASSERT((p[i + k] & 0xc0) == 0x80);
			i += len;
		}
	}
}

/* Human output: printable ASCII lines, whatever the kernel sent. */
static void check_text(char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		ASSERT(buf[i] == '\n' || (buf[i] >= 0x20 && buf[i] <= 0x7e));
	ASSERT(!len || buf[len - 1] == '\n' || buf[len - 1] == '}');
	free(buf);
}

/* JSON output: balanced braces outside strings (json_string is checked). */
static void check_json_doc(char *buf, size_t len)
{
	int depth = 0;
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_str = false;
			continue;
		}
		if (buf[i] == '"')
			in_str = true;
		else if (buf[i] == '{' || buf[i] == '[')
			depth++;
		else if (buf[i] == '}' || buf[i] == ']')
			ASSERT(--depth >= 0);
	}
	ASSERT(!in_str && depth == 0);
	free(buf);
}

static void check_text_vm(const struct kvms_vm *vm)
{
	char *buf = NULL;
	size_t len = 0;
	struct jw w;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return;
	vm_details_print(f, vm);
	vm_table_print(f, vm, 1, true);
	fclose(f);
	check_text(buf, len);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	jw_init(&w, f);
	jw_vm(&w, NULL, vm);
	fclose(f);
	check_json_doc(buf, len);
}

static void check_text_config(const struct kvms_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	struct jw w;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return;
	config_print(f, c);
	fclose(f);
	check_text(buf, len);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	jw_init(&w, f);
	jw_config(&w, NULL, c);
	fclose(f);
	check_json_doc(buf, len);
}

static void check_text_event(const struct kvms_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return;
	event_line(f, "T", ev);
	fclose(f);
	check_text(buf, len);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	event_json(f, "T", ev);
	fclose(f);
	check_json_doc(buf, len);
}

/*
 * The input split at spaces as a command's KEY=VALUE arguments: an error
 * has a message, and accepted settings are in range and consistent.
 */
static void check_kv_list(const struct kv_key *table, const char *s)
{
	char buf[256], *argv[6], *p, err[ERRLEN];
	struct kv_setting set[6];
	const struct kv_setting *res = NULL, *lim = NULL, *low = NULL,
				*crit = NULL, *hyst = NULL;
	int argc = 0, rc, i;

	if (strlen(s) >= sizeof(buf))
		return;
	strcpy(buf, s);
	for (p = strtok(buf, " "); p && argc < 6; p = strtok(NULL, " "))
		argv[argc++] = p;
	err[0] = '\0';
	rc = kv_parse_list(table, argc, argv, set, err, sizeof(err));
	check_err(rc < 0 ? rc : 0, err);
	if (rc < 0)
		return;
	ASSERT(rc == argc);
	for (i = 0; i < rc; i++) {
		ASSERT(!(set[i].key->flags & KV_READONLY));
		if (set[i].key->type == KV_U32)
			ASSERT(set[i].u32 >= set[i].key->min &&
			       set[i].u32 <= set[i].key->max);
		if (table == kv_vm_keys &&
		    set[i].key->attr == KVMSCHED_A_VM_RESERVATION_MCPU)
			res = &set[i];
		if (table == kv_vm_keys &&
		    set[i].key->attr == KVMSCHED_A_VM_LIMIT_MCPU)
			lim = &set[i];
		if (table == kv_config_keys &&
		    set[i].key->attr == KVMSCHED_A_CONFIG_MEM_LOW_PCT)
			low = &set[i];
		if (table == kv_config_keys &&
		    set[i].key->attr == KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT)
			crit = &set[i];
		if (table == kv_config_keys &&
		    set[i].key->attr == KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT)
			hyst = &set[i];
	}
	if (res && lim && lim->u32)
		ASSERT(res->u32 <= lim->u32);
	if (low && crit)
		ASSERT(crit->u32 < low->u32);
	if (low && hyst)
		ASSERT(low->u32 + hyst->u32 <= 95);
}

/* The bytes as a reply's attributes, and as NLMSG_ERROR / NLMSG_DONE. */
static void fuzz_decode(const uint8_t *data, size_t size)
{
	/* A config-set request with one attribute, for NLMSGERR_ATTR_OFFS. */
	static const uint32_t req[] = { 28, 0x00050020, 1, 0, 0x105,
					0x00010008, 5 };
	static const int cmds[] = {
		KVMSCHED_CMD_VM_CHANGE_NTF, KVMSCHED_CMD_CONFIG_CHANGE_NTF,
		KVMSCHED_CMD_BALLOON_TARGET_NTF, KVMSCHED_CMD_OVERCOMMIT_NTF,
		99,
	};
	struct kvms_event ev;
	struct kvms_config c;
	struct kvms_vcpu v;
	struct kvms_vm vm;
	static char vcells[VM_NCOLS][FMT_CELL], ccells[VCPU_NCOLS][FMT_CELL];
	struct ipc_error e;
	uint32_t *b;
	char why[1024];
	int rc, i;

	if (size > 65536)
		return;
	b = malloc(size + 4);	/* malloc()'s alignment suits nlmsghdr */
	if (!b)
		return;
	memcpy(b, data, size);
	rc = decode_vm(b, (int)size, &vm);
	ASSERT(rc == 0 || rc == -EPROTO);
	if (!rc) {
		ASSERT(memchr(vm.comm, '\0', sizeof(vm.comm)));
		ASSERT(memchr(vm.name, '\0', sizeof(vm.name)));
		/* Whatever the kernel sent, every cell is printable. */
		vm_row(&vm, vcells);
		for (i = 0; i < VM_NCOLS; i++)
			check_cell(vcells[i]);
	}
	rc = decode_vcpu(b, (int)size, &v);
	ASSERT(rc == 0 || rc == -EPROTO);
	if (!rc) {
		vcpu_row(&v, ccells);
		for (i = 0; i < VCPU_NCOLS; i++)
			check_cell(ccells[i]);
	}
	if (!rc)
		check_text_vm(&vm);
	rc = decode_config(b, (int)size, &c);
	ASSERT(rc == 0 || rc == -EPROTO);
	if (!rc)
		check_text_config(&c);
	/* The same bytes as each kind of event. */
	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++) {
		rc = decode_event(cmds[i], b, (int)size, &ev);
		ASSERT(rc == 0 || rc == -EPROTO);
		ASSERT(ev.cmd == cmds[i]);
		if (!rc)
			check_text_event(&ev);
	}
	if (size >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)b;

		/* libnl only hands over messages that fit what it read. */
		if (h->nlmsg_len > size)
			h->nlmsg_len = (uint32_t)size;
		memset(&e, 0, sizeof(e));
		rc = decode_error(h, (const struct nlmsghdr *)req,
				  &config_attr_names, &e);
		ASSERT(rc <= 0 && rc >= -4095);
		ASSERT(memchr(e.msg, '\0', sizeof(e.msg)));
		ASSERT(memchr(e.attr, '\0', sizeof(e.attr)));
		/* The user's message: bounded, no raw control characters. */
		describe_error(why, sizeof(why), rc, &e);
		ASSERT(memchr(why, '\0', sizeof(why)) && why[0]);
		for (i = 0; why[i]; i++)
			ASSERT((unsigned char)why[i] >= 0x20 &&
			       (unsigned char)why[i] != 0x7f);
		memset(&e, 0, sizeof(e));
		rc = decode_done(h, NULL, &vm_attr_names, &e);
		ASSERT(rc <= 0 && rc >= -4095);
	}
	free(b);
}

static void fuzz_policy(const uint8_t *data, size_t size)
{
	char err[ERRLEN] = "";
	struct vm_ident id;
	struct policy p;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = policy_parse("f.conf", (const char *)data, size, &p, err,
			  sizeof(err));
	ASSERT(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	ASSERT(memchr(err, '\0', sizeof(err)));
	if (rc == -EINVAL)
		ASSERT(!strncmp(err, "f.conf:", 7));
	for (i = 0; !rc && i < p.nrules; i++)
		ASSERT(p.rules[i].pattern && *p.rules[i].pattern &&
		       p.rules[i].nset >= 1 && p.rules[i].nset <= POLICY_MAX_SET);
	vm_ident_parse((const char *)data, size, &id);
	ASSERT(strlen(id.name) <= KVMSCHED_VM_NAME_MAX_LEN);
	ASSERT(!id.uuid[0] || strlen(id.uuid) == VM_UUID_LEN);
	ASSERT(strlen(id.cmdline) < sizeof(id.cmdline));
	if (!rc)
		policy_match(&p, id.name, &id);
	policy_free(&p);
}

/* prom.c: an escaped label value or HELP text unescapes to the input and
 * never holds a raw newline; a sample with it stays one line. */
static void fuzz_prom(const char *s)
{
	size_t n = strlen(s), need, i, k;
	char *full = malloc(2 * n + 1), small[7];
	struct prom_label l = { "vm_name", s };
	char *buf = NULL;
	size_t len = 0;
	struct prom p;
	int help, lines;
	FILE *f;

	if (!full)
		return;
	for (help = 0; help < 2; help++) {
		need = prom_escape(full, 2 * n + 1, s, help);
		ASSERT(need == strlen(full) && need <= 2 * n);
		ASSERT(!strchr(full, '\n'));
		for (i = k = 0; full[i]; i++, k++) {
			char c = full[i];

			if (c == '\\') {
				c = full[++i];
				ASSERT(c == '\\' || c == 'n' || (!help && c == '"'));
				c = c == 'n' ? '\n' : c;
			} else {
				ASSERT(help || c != '"');
			}
			ASSERT(s[k] == c);
		}
		ASSERT(k == n);
		/* truncated: a prefix of the whole, never half an escape */
		prom_escape(small, sizeof(small), s, help);
		ASSERT(!strncmp(small, full, strlen(small)));
		ASSERT(strlen(small) >= need || strlen(small) + 2 > sizeof(small) - 1);
	}
	f = open_memstream(&buf, &len);
	if (f) {
		prom_init(&p, f);
		prom_family(&p, "kvmsched_fuzz", PROM_GAUGE, s);
		prom_sample(&p, &l, 1, 1);
		ASSERT(prom_finish(&p) == 0);
		fclose(f);
		for (lines = 0, i = 0; i < len; i++)
			lines += buf[i] == '\n';
		ASSERT(lines == 3);
		free(buf);
	}
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[ERRLEN], out[FMT_CELL], tiny[6];
	struct vm_selector sel;
	uint64_t ms;
	uint32_t v;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f;
	int rc;

	fuzz_decode(data, size);
	fuzz_policy(data, size);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	err[0] = '\0';
	rc = parse_selector(s, &sel, err, sizeof(err));
	check_err(rc, err);
	if (!rc) {
		if (sel.kind == SEL_NAME)
			check_name(sel.name);
		else
			ASSERT(sel.num >= 1);
	}
	check_kv(kv_vm_keys, s);
	check_kv(kv_config_keys, s);
	check_kv(keys, s);
	check_kv_list(kv_vm_keys, s);
	check_kv_list(kv_config_keys, s);
	rc = parse_u32(s, &v);
	ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	rc = parse_duration_ms(s, 100, 86400000, &ms);
	ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (!rc)
		ASSERT(ms >= 100 && ms <= 86400000);

	fuzz_prom(s);
	n = fmt_sanitize(out, sizeof(out), s);
	ASSERT(n < sizeof(out) && strlen(out) == n);
	for (size_t i = 0; i < n; i++)
		ASSERT(out[i] >= 0x21 && out[i] <= 0x7e);
	n = fmt_sanitize(tiny, sizeof(tiny), s);
	ASSERT(n < sizeof(tiny) && strlen(tiny) == n);

	f = open_memstream(&buf, &len);
	if (f) {
		json_string(f, s);
		fclose(f);
		check_json((const unsigned char *)buf, len);
		free(buf);
	}
	free(s);
	return 0;
}
