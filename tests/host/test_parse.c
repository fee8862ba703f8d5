// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of kvmschedctl's pure code: userspace/parse.c (selectors,
 * KEY=VALUE, numbers), format.c (escaping, JSON, tables, event lines) and
 * stats.c (top's rates). No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail; run.sh also builds this file with -DHARNESS_SELFTEST, which adds one
 * check that must fail, to prove the harness reports failures.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_parse: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"

/* -- output capture -------------------------------------------------------- */

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(2);
	}
}

/* Close and return the text (valid until the next cap_open on c). */
static const char *cap_text(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void cap_free(struct capture *c)
{
	free(c->buf);
	c->buf = NULL;
}

/* -- numbers --------------------------------------------------------------- */

static void test_u32(void)
{
	uint32_t v = 7;

	CHECK_INT(parse_u32("0", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(parse_u32("4294967295", &v), 0);
	CHECK_INT(v, 4294967295u);
	CHECK_INT(parse_u32("000123", &v), 0);
	CHECK_INT(v, 123);
	v = 7;
	CHECK_INT(parse_u32("4294967296", &v), -ERANGE);
	CHECK_INT(v, 7);		/* untouched on error */
	CHECK_INT(parse_u32("99999999999999999999999999", &v), -ERANGE);
	CHECK_INT(parse_u32("", &v), -EINVAL);
	CHECK_INT(parse_u32(NULL, &v), -EINVAL);
	CHECK_INT(parse_u32("-1", &v), -EINVAL);
	CHECK_INT(parse_u32("+1", &v), -EINVAL);
	CHECK_INT(parse_u32(" 1", &v), -EINVAL);
	CHECK_INT(parse_u32("1 ", &v), -EINVAL);
	CHECK_INT(parse_u32("1.5", &v), -EINVAL);
	CHECK_INT(parse_u32("0x10", &v), -EINVAL);
	CHECK_INT(parse_u32("1e3", &v), -EINVAL);
	/* Overflow first, then garbage: garbage wins (not a number at all). */
	CHECK_INT(parse_u32("99999999999x", &v), -EINVAL);
}

static void test_duration(void)
{
	uint64_t ms = 42;

	CHECK_INT(parse_duration_ms("1", 0, 100000, &ms), 0);
	CHECK_INT(ms, 1000);
	CHECK_INT(parse_duration_ms("0.5", 0, 100000, &ms), 0);
	CHECK_INT(ms, 500);
	CHECK_INT(parse_duration_ms("2.25", 0, 100000, &ms), 0);
	CHECK_INT(ms, 2250);
	CHECK_INT(parse_duration_ms("0.001", 0, 100000, &ms), 0);
	CHECK_INT(ms, 1);
	CHECK_INT(parse_duration_ms("10.100", 0, 100000, &ms), 0);
	CHECK_INT(ms, 10100);
	ms = 42;
	CHECK_INT(parse_duration_ms("1.2345", 0, 100000, &ms), -EINVAL);
	CHECK_INT(ms, 42);
	CHECK_INT(parse_duration_ms("1.", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms(".5", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms("", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms("-1", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms("1s", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms("1e3", 0, 100000, &ms), -EINVAL);
	CHECK_INT(parse_duration_ms("0.05", 100, 100000, &ms), -ERANGE);
	CHECK_INT(parse_duration_ms("100.001", 0, 100000, &ms), -ERANGE);
	CHECK_INT(parse_duration_ms("100", 0, 100000, &ms), 0);
	CHECK_INT(parse_duration_ms("99999999999999999999999", 0, 100000, &ms),
		  -ERANGE);
}

/* -- selectors ------------------------------------------------------------- */

static void sel_ok(const char *s, enum vm_sel_kind kind, uint32_t num,
		   const char *name, int line)
{
	struct vm_selector sel;
	char err[ERRLEN] = "";
	int rc = parse_selector(s, &sel, err, sizeof(err));

	check_(rc == 0, __FILE__, line, "selector \"%s\": rc %d (%s)", s, rc,
	       err);
	if (rc)
		return;
	check_(sel.kind == kind, __FILE__, line, "selector \"%s\": kind %d, want %d",
	       s, sel.kind, kind);
	if (kind == SEL_NAME)
		check_(!strcmp(sel.name, name), __FILE__, line,
		       "selector \"%s\": name \"%s\", want \"%s\"", s, sel.name,
		       name);
	else
		check_(sel.num == num, __FILE__, line,
		       "selector \"%s\": %u, want %u", s, sel.num, num);
}

static void sel_bad(const char *s, int want_rc, const char *want_msg, int line)
{
	struct vm_selector sel;
	char err[ERRLEN] = "";
	int rc = parse_selector(s, &sel, err, sizeof(err));

	check_(rc == want_rc, __FILE__, line,
	       "selector \"%s\": rc %d, want %d (%s)", s, rc, want_rc, err);
	check_(strstr(err, want_msg) != NULL, __FILE__, line,
	       "selector \"%s\": message \"%s\" lacks \"%s\"", s, err,
	       want_msg);
}

#define SEL_OK(s, k, n, nm)	sel_ok(s, k, n, nm, __LINE__)
#define SEL_BAD(s, rc, msg)	sel_bad(s, rc, msg, __LINE__)

static void test_selectors(void)
{
	char long_name[80];
	char buf[96];

	SEL_OK("3", SEL_ID, 3, NULL);
	SEL_OK("007", SEL_ID, 7, NULL);
	SEL_OK("id:7", SEL_ID, 7, NULL);
	SEL_OK("4294967295", SEL_ID, 4294967295u, NULL);
	SEL_OK("pid:123", SEL_PID, 123, NULL);
	SEL_OK("pid:4294967295", SEL_PID, 4294967295u, NULL);
	SEL_OK("name:web1", SEL_NAME, 0, "web1");
	SEL_OK("name:~!", SEL_NAME, 0, "~!");		/* 0x7e, 0x21 */
	SEL_OK("name:a:b=c", SEL_NAME, 0, "a:b=c");
	memset(long_name, 'x', 63);
	long_name[63] = '\0';
	snprintf(buf, sizeof(buf), "name:%s", long_name);
	SEL_OK(buf, SEL_NAME, 0, long_name);

	SEL_BAD("", -EINVAL, "empty VM selector");
	SEL_BAD(NULL, -EINVAL, "empty VM selector");
	SEL_BAD("0", -ERANGE, "out of range (accepted: 1-4294967295)");
	SEL_BAD("4294967296", -ERANGE, "VM id 4294967296 is out of range");
	SEL_BAD("18446744073709551616", -ERANGE, "out of range");
	SEL_BAD("-1", -EINVAL, "invalid VM selector '-1'");
	SEL_BAD("+1", -EINVAL, "invalid VM selector");
	SEL_BAD(" 1", -EINVAL, "invalid VM selector");
	SEL_BAD("1 ", -EINVAL, "invalid VM id '1 '");
	SEL_BAD("12abc", -EINVAL, "invalid VM id '12abc'");
	SEL_BAD("0x10", -EINVAL, "invalid VM id");
	SEL_BAD("id:", -EINVAL, "invalid VM id ''");
	SEL_BAD("id:0", -ERANGE, "out of range");
	SEL_BAD("pid:", -EINVAL, "invalid pid");
	SEL_BAD("pid:0", -ERANGE, "pid 0 is out of range");
	SEL_BAD("pid:-5", -EINVAL, "invalid pid '-5'");
	SEL_BAD("pid:4294967296", -ERANGE, "out of range (accepted: 1-4294967295)");
	SEL_BAD("pid:12x", -EINVAL, "invalid pid");
	SEL_BAD("name:", -EINVAL, "VM name: empty (accepted: 1-63 printable ASCII");
	SEL_BAD("name:a b", -EINVAL, "character 0x20 at position 2");
	SEL_BAD("name:\x01", -EINVAL, "character 0x01 at position 1");
	SEL_BAD("name:caf\xc3\xa9", -EINVAL, "character 0xc3 at position 4");
	snprintf(buf, sizeof(buf), "name:%sy", long_name);
	SEL_BAD(buf, -ERANGE, "64 characters is too long");
	SEL_BAD("foo", -EINVAL, "expected ID, id:ID, pid:PID or name:NAME");
	SEL_BAD("ID:3", -EINVAL, "invalid VM selector");
	SEL_BAD("PID:3", -EINVAL, "invalid VM selector");
	SEL_BAD("name", -EINVAL, "invalid VM selector");
	/* User input is echoed escaped, never raw. */
	SEL_BAD("\x1b[2J", -EINVAL, "'\\x1b[2J'");
}

static void test_selector_describe(void)
{
	struct vm_selector sel = { .kind = SEL_PID, .num = 42 };
	char buf[64];

	selector_describe(&sel, buf, sizeof(buf));
	CHECK_STR(buf, "VM pid:42");
	sel.kind = SEL_ID;
	selector_describe(&sel, buf, sizeof(buf));
	CHECK_STR(buf, "VM 42");
	sel.kind = SEL_NAME;
	strcpy(sel.name, "db");
	selector_describe(&sel, buf, sizeof(buf));
	CHECK_STR(buf, "VM name:db");
}

static struct kvms_vm mkvm(uint32_t id, uint32_t pid, const char *name)
{
	struct kvms_vm vm;

	memset(&vm, 0, sizeof(vm));
	vm.present = KVMS_BIT(KVMSCHED_A_VM_ID) | KVMS_BIT(KVMSCHED_A_VM_PID);
	vm.id = id;
	vm.pid = pid;
	if (name) {
		vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
		snprintf(vm.name, sizeof(vm.name), "%s", name);
	}
	return vm;
}

static void test_selector_match(void)
{
	struct kvms_vm vms[3];
	struct vm_selector sel;
	char err[ERRLEN];
	size_t idx = 99;

	vms[0] = mkvm(1, 100, "web1");
	vms[1] = mkvm(2, 200, NULL);
	vms[2] = mkvm(5, 200, "db");

	parse_selector("id:5", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)), 0);
	CHECK_INT(idx, 2);
	parse_selector("9", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "no VM with id 9");
	parse_selector("pid:100", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)), 0);
	CHECK_INT(idx, 0);
	parse_selector("pid:200", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)),
		  -ENOTUNIQ);
	CHECK_STR(err, "VM pid:200 matches 2 VMs (ids 2, 5); select one by id");
	parse_selector("pid:300", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "no VM with pid 300");
	parse_selector("name:db", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)), 0);
	CHECK_INT(idx, 2);
	parse_selector("name:web", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 3, &idx, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "no VM named 'web'");
	/* An empty list. */
	parse_selector("1", &sel, err, sizeof(err));
	CHECK_INT(selector_match(&sel, vms, 0, &idx, err, sizeof(err)),
		  -ENOENT);
}

/* -- KEY=VALUE ------------------------------------------------------------- */

static const struct kv_enum test_classes[] = {
	{ "shares", 1 },
	{ "background", 2 },
	{ NULL, 0 },
};

/* Keys of the kinds the next kernel versions will add. */
static const struct kv_key test_keys[] = {
	{ .key = "weight", .attr = 40, .type = KV_U32, .min = 1, .max = 10000,
	  .help = "relative share" },
	{ .key = "class", .attr = 41, .type = KV_ENUM, .enums = test_classes,
	  .help = "scheduling class" },
	{ .key = "limit_mcpu", .attr = 42, .type = KV_U32, .min = 0,
	  .max = 4294967295u, .unit = "mcpu", .help = "CPU cap" },
	{ .key = "label", .attr = 43, .type = KV_STRING, .min = 2, .max = 4,
	  .help = "short label" },
	{ .key = NULL },
};

static void kv_ok_u32(const struct kv_key *t, const char *arg, int attr,
		      uint32_t want, int line)
{
	struct kv_setting s;
	char err[ERRLEN] = "";
	int rc = kv_parse(t, arg, &s, err, sizeof(err));

	check_(rc == 0, __FILE__, line, "kv \"%s\": rc %d (%s)", arg, rc, err);
	if (rc)
		return;
	check_(s.key && s.key->attr == attr, __FILE__, line,
	       "kv \"%s\": attr %d, want %d", arg, s.key ? s.key->attr : -1,
	       attr);
	check_(s.u32 == want, __FILE__, line, "kv \"%s\": %u, want %u", arg,
	       s.u32, want);
}

static void kv_ok_str(const struct kv_key *t, const char *arg, int attr,
		      const char *want, int line)
{
	struct kv_setting s;
	char err[ERRLEN] = "";
	int rc = kv_parse(t, arg, &s, err, sizeof(err));

	check_(rc == 0, __FILE__, line, "kv \"%s\": rc %d (%s)", arg, rc, err);
	if (rc)
		return;
	check_(s.key && s.key->attr == attr, __FILE__, line,
	       "kv \"%s\": attr %d, want %d", arg, s.key ? s.key->attr : -1,
	       attr);
	check_(s.str && !strcmp(s.str, want), __FILE__, line,
	       "kv \"%s\": \"%s\", want \"%s\"", arg, s.str ? s.str : "(null)",
	       want);
}

static void kv_bad(const struct kv_key *t, const char *arg, int want_rc,
		   const char *want_msg, int line)
{
	struct kv_setting s;
	char err[ERRLEN] = "";
	int rc = kv_parse(t, arg, &s, err, sizeof(err));

	check_(rc == want_rc, __FILE__, line, "kv \"%s\": rc %d, want %d (%s)",
	       arg, rc, want_rc, err);
	check_(strstr(err, want_msg) != NULL, __FILE__, line,
	       "kv \"%s\": message \"%s\" lacks \"%s\"", arg, err, want_msg);
}

#define KV_OK_U32(t, a, attr, v)	kv_ok_u32(t, a, attr, v, __LINE__)
#define KV_OK_STR(t, a, attr, v)	kv_ok_str(t, a, attr, v, __LINE__)
#define KV_BAD(t, a, rc, msg)		kv_bad(t, a, rc, msg, __LINE__)

/* The settable keys, in table order, as messages list them. */
#define VM_KEYS "name, class, weight, reservation_mcpu, limit_mcpu, " \
	"mem_shares, mem_min_mib, mem_max_mib"
#define CONFIG_KEYS "period_ms, reserve_headroom_pct, mem_low_pct, " \
	"mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, " \
	"balloon_min_step_bp, idle_tax_pct, balloon_max_pct, " \
	"balloon_period_ms, mem_psi_reclaim_bp"

static void test_kv_config(void)
{
	const struct kv_key *t = kv_config_keys;
	const int P = KVMSCHED_A_CONFIG_PERIOD_MS;

	KV_OK_U32(t, "period_ms=100", P, 100);
	KV_OK_U32(t, "period_ms=10", P, 10);
	KV_OK_U32(t, "period_ms=1000", P, 1000);
	KV_OK_U32(t, "period_ms=0100", P, 100);
	KV_BAD(t, "period_ms=9", -ERANGE,
	       "period_ms: 9 is out of range (accepted: 10-1000 ms)");
	KV_BAD(t, "period_ms=1001", -ERANGE, "accepted: 10-1000 ms");
	KV_BAD(t, "period_ms=4294967296", -ERANGE, "out of range");
	KV_BAD(t, "period_ms=0", -ERANGE, "out of range");
	KV_BAD(t, "period_ms=", -EINVAL, "'' is not a number (accepted: 10-1000 ms)");
	KV_BAD(t, "period_ms=abc", -EINVAL, "'abc' is not a number");
	KV_BAD(t, "period_ms=-5", -EINVAL, "not a number");
	KV_BAD(t, "period_ms=1e2", -EINVAL, "not a number");
	KV_BAD(t, "period_ms=100ms", -EINVAL, "not a number");
	KV_BAD(t, "period_ms= 100", -EINVAL, "not a number");
	KV_BAD(t, "period_ms", -EINVAL,
	       "invalid setting 'period_ms': expected KEY=VALUE (keys: " CONFIG_KEYS ")");
	KV_BAD(t, "=100", -EINVAL, "expected KEY=VALUE");
	KV_BAD(t, "", -EINVAL, "expected KEY=VALUE");
	KV_BAD(t, "nr_vms=3", -EINVAL, "nr_vms is read-only (settable keys: " CONFIG_KEYS ")");
	KV_BAD(t, "PERIOD_MS=100", -EINVAL, "unknown key 'PERIOD_MS'");
	KV_BAD(t, "period=100", -EINVAL,
	       "unknown key 'period' (accepted keys: " CONFIG_KEYS ")");
}

static void test_kv_vm(void)
{
	const struct kv_key *t = kv_vm_keys;
	const int N = KVMSCHED_A_VM_NAME;
	char arg[96], name[80];

	KV_OK_STR(t, "name=web1", N, "web1");
	KV_OK_STR(t, "name=a=b", N, "a=b");	/* split at the first '=' */
	KV_OK_STR(t, "name=~!", N, "~!");
	memset(name, 'n', 63);
	name[63] = '\0';
	snprintf(arg, sizeof(arg), "name=%s", name);
	KV_OK_STR(t, arg, N, name);
	snprintf(arg, sizeof(arg), "name=%sn", name);
	KV_BAD(t, arg, -ERANGE,
	       "name: 64 characters is too long (accepted: 1-63 printable ASCII characters 0x21-0x7e, no spaces)");
	KV_BAD(t, "name=", -EINVAL, "name: empty (accepted: 1-63");
	KV_BAD(t, "name=a b", -EINVAL, "character 0x20 at position 2");
	KV_BAD(t, "name=a\tb", -EINVAL, "character 0x09");
	KV_BAD(t, "name=\x7f", -EINVAL, "character 0x7f at position 1");
	KV_BAD(t, "name=x\n", -EINVAL, "character 0x0a at position 2");
	KV_BAD(t, "name=\xff", -EINVAL, "character 0xff");
	KV_BAD(t, "color=5", -EINVAL,
	       "unknown key 'color' (accepted keys: " VM_KEYS ")");
	KV_BAD(t, "weight=0", -ERANGE, "weight");
	KV_BAD(t, "weight=10001", -ERANGE, "1-10000");
	KV_BAD(t, "weight=abc", -EINVAL, "weight");
	KV_BAD(t, "class=realtime", -EINVAL, "shares|background");
	KV_BAD(t, "Name=x", -EINVAL, "unknown key 'Name'");
	KV_BAD(t, "name", -EINVAL, "expected KEY=VALUE (keys: " VM_KEYS ")");
	/* A hostile key is echoed escaped. */
	KV_BAD(t, "\x1b]0;x\x07=1", -EINVAL, "unknown key '\\x1b]0;x\\x07'");
}

static void test_kv_future(void)
{
	char *argv[4], err[ERRLEN] = "", keys[KV_KEYS_LEN], range[64];
	struct kv_setting s[4];
	char a0[] = "weight=5", a1[] = "class=background", a2[] = "weight=6";
	char a3[] = "limit_mcpu=4294967295";

	KV_OK_U32(test_keys, "weight=1", 40, 1);
	KV_OK_U32(test_keys, "weight=10000", 40, 10000);
	KV_BAD(test_keys, "weight=0", -ERANGE, "weight: 0 is out of range (accepted: 1-10000)");
	KV_BAD(test_keys, "weight=10001", -ERANGE, "(accepted: 1-10000)");
	KV_OK_U32(test_keys, "class=shares", 41, 1);
	KV_OK_U32(test_keys, "class=background", 41, 2);
	KV_BAD(test_keys, "class=idle", -EINVAL,
	       "class: unknown value 'idle' (accepted: shares|background)");
	KV_BAD(test_keys, "class=", -EINVAL, "unknown value ''");
	KV_BAD(test_keys, "class=Shares", -EINVAL, "unknown value");
	KV_OK_U32(test_keys, "limit_mcpu=0", 42, 0);
	KV_BAD(test_keys, "limit_mcpu=x", -EINVAL, "(accepted: 0-4294967295 mcpu)");
	KV_OK_STR(test_keys, "label=ab", 43, "ab");
	KV_BAD(test_keys, "label=a", -EINVAL, "label: 1 characters is too short (accepted: 2-4");
	KV_BAD(test_keys, "label=abcde", -ERANGE, "too long");

	kv_key_list(test_keys, keys, sizeof(keys));
	CHECK_STR(keys, "weight, class, limit_mcpu, label");
	kv_key_list(kv_config_keys, keys, sizeof(keys));
	CHECK_STR(keys, CONFIG_KEYS);		/* read-only keys left out */
	kv_range(&test_keys[1], range, sizeof(range));
	CHECK_STR(range, "shares|background");
	kv_range(&kv_config_keys[0], range, sizeof(range));
	CHECK_STR(range, "10-1000 ms");

	argv[0] = a0;
	argv[1] = a1;
	argv[2] = a3;
	CHECK_INT(kv_parse_list(test_keys, 3, argv, s, err, sizeof(err)), 3);
	CHECK_INT(s[0].u32, 5);
	CHECK_INT(s[1].u32, 2);
	CHECK_INT(s[2].u32, 4294967295u);
	argv[2] = a2;
	CHECK_INT(kv_parse_list(test_keys, 3, argv, s, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "weight given more than once");
	CHECK_INT(kv_parse_list(test_keys, 0, argv, s, err, sizeof(err)), 0);
}

/* KVMSCHEDCTL_NO_LOCAL_CHECKS: values go to the kernel unchecked. */
static void test_no_local_checks(void)
{
	const struct kv_key *t = kv_vm_keys;
	struct vm_selector sel;
	struct kv_setting st[2];
	char err[ERRLEN], name[80], arg[96];
	char a0[] = "weight=0", a1[] = "weight=7";
	char *argv[2] = { a0, a1 };

	/* Checked (the default) first, to prove the flag is what changes. */
	KV_BAD(t, "weight=0", -ERANGE, "weight: 0 is out of range");
	CHECK_INT(parse_selector("0", &sel, err, sizeof(err)), -ERANGE);

	parse_no_local_checks = true;
	KV_OK_U32(t, "weight=0", KVMSCHED_A_VM_WEIGHT, 0);
	KV_OK_U32(t, "weight=10001", KVMSCHED_A_VM_WEIGHT, 10001);
	KV_OK_U32(t, "weight=4294967295", KVMSCHED_A_VM_WEIGHT, 4294967295u);
	KV_BAD(t, "weight=4294967296", -ERANGE, "out of range");	/* not a u32 */
	KV_BAD(t, "weight=abc", -EINVAL, "weight: 'abc' is not a number");
	KV_OK_U32(t, "class=background", KVMSCHED_A_VM_CLASS,
		  KVMSCHED_CLASS_BACKGROUND);
	KV_OK_U32(t, "class=2", KVMSCHED_A_VM_CLASS, 2);	/* raw value */
	KV_BAD(t, "class=foo", -EINVAL, "class: unknown value 'foo' (accepted: shares|background)");
	KV_OK_STR(t, "name=", KVMSCHED_A_VM_NAME, "");
	KV_OK_STR(t, "name=a b", KVMSCHED_A_VM_NAME, "a b");
	KV_OK_STR(t, "name=\x01", KVMSCHED_A_VM_NAME, "\x01");
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(arg, sizeof(arg), "name=%s", name);
	KV_OK_STR(t, arg, KVMSCHED_A_VM_NAME, name);
	KV_OK_U32(kv_config_keys, "period_ms=9", KVMSCHED_A_CONFIG_PERIOD_MS, 9);
	KV_OK_U32(kv_config_keys, "nr_vms=3", KVMSCHED_A_CONFIG_NR_VMS, 3);
	/* Syntax is still checked. */
	KV_BAD(t, "color=1", -EINVAL, "unknown key 'color'");
	KV_BAD(t, "weight", -EINVAL, "expected KEY=VALUE");
	CHECK_INT(kv_parse_list(t, 2, argv, st, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "weight given more than once");
	CHECK_INT(parse_selector("0", &sel, err, sizeof(err)), 0);
	CHECK(sel.kind == SEL_ID && sel.num == 0, "selector 0: %d %u", sel.kind,
	      sel.num);
	CHECK_INT(parse_selector("name:", &sel, err, sizeof(err)), -EINVAL);
	parse_no_local_checks = false;

	KV_BAD(t, "class=2", -EINVAL, "unknown value '2'");
}

/* -- formatting ------------------------------------------------------------ */

static void test_sanitize(void)
{
	char buf[64], small[8];
	size_t n;

	n = fmt_sanitize(buf, sizeof(buf), "qemu-system-x86");
	CHECK_STR(buf, "qemu-system-x86");
	CHECK_INT(n, 15);
	fmt_sanitize(buf, sizeof(buf), "a b");
	CHECK_STR(buf, "a\\x20b");
	fmt_sanitize(buf, sizeof(buf), "\x1b[31mred");
	CHECK_STR(buf, "\\x1b[31mred");
	fmt_sanitize(buf, sizeof(buf), "back\\slash");
	CHECK_STR(buf, "back\\\\slash");
	fmt_sanitize(buf, sizeof(buf), "caf\xc3\xa9\x7f");
	CHECK_STR(buf, "caf\\xc3\\xa9\\x7f");
	fmt_sanitize(buf, sizeof(buf), "");
	CHECK_STR(buf, "");
	/* Bounded: ends in "..." when it does not fit, never overflows. */
	n = fmt_sanitize(small, sizeof(small), "abcdefg");
	CHECK_STR(small, "abcdefg");
	CHECK_INT(n, 7);
	n = fmt_sanitize(small, sizeof(small), "abcdefgh");
	CHECK_STR(small, "abcd...");
	CHECK_INT(n, 7);
	fmt_sanitize(small, sizeof(small), "ab\x01\x02\x03");
	CHECK_STR(small, "ab...");	/* an escape is never cut in half */
	n = fmt_sanitize(small, 1, "abc");
	CHECK_STR(small, "");
	CHECK_INT(n, 0);
}

static void test_numbers_fmt(void)
{
	char buf[64];

	fmt_ns_s(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0.00");
	fmt_ns_s(buf, sizeof(buf), 999999999);
	CHECK_STR(buf, "0.99");
	fmt_ns_s(buf, sizeof(buf), 1000000000);
	CHECK_STR(buf, "1.00");
	fmt_ns_s(buf, sizeof(buf), 12345678901ull);
	CHECK_STR(buf, "12.34");
	fmt_ns_s(buf, sizeof(buf), UINT64_MAX);
	CHECK_STR(buf, "18446744073.70");
	fmt_permille_pct(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0.0");
	fmt_permille_pct(buf, sizeof(buf), 5);
	CHECK_STR(buf, "0.5");
	fmt_permille_pct(buf, sizeof(buf), 1000);
	CHECK_STR(buf, "100.0");
}

static void test_timestamp(void)
{
	struct timespec ts = { .tv_sec = 86400 + 3661, .tv_nsec = 5999999 };
	char buf[64];

	setenv("TZ", "UTC", 1);
	tzset();
	fmt_timestamp(buf, sizeof(buf), &ts);
	CHECK_STR(buf, "1970-01-02T01:01:01.005+0000");
}

static const char *json_of(struct capture *c, const char *s)
{
	cap_free(c);
	cap_open(c);
	json_string(c->f, s);
	return cap_text(c);
}

static void test_json_string(void)
{
	struct capture c = { 0 };

	CHECK_STR(json_of(&c, "web1"), "\"web1\"");
	CHECK_STR(json_of(&c, ""), "\"\"");
	CHECK_STR(json_of(&c, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(json_of(&c, "l1\nl2\tx\r\b\f"), "\"l1\\nl2\\tx\\r\\b\\f\"");
	CHECK_STR(json_of(&c, "\x01\x1f"), "\"\\u0001\\u001f\"");
	CHECK_STR(json_of(&c, "del\x7f"), "\"del\\u007f\"");
	CHECK_STR(json_of(&c, "/slash"), "\"/slash\"");
	/* Valid UTF-8 passes through: 2, 3 and 4 bytes. */
	CHECK_STR(json_of(&c, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(json_of(&c, "\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(json_of(&c, "\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	/* Invalid UTF-8 becomes U+FFFD, one per bad byte. */
	CHECK_STR(json_of(&c, "\xff"), "\"\\ufffd\"");
	CHECK_STR(json_of(&c, "a\xc3"), "\"a\\ufffd\"");	/* truncated */
	CHECK_STR(json_of(&c, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(json_of(&c, "\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(json_of(&c, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	CHECK_STR(json_of(&c, "\xf4\x90\x80\x80"),
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	CHECK_STR(json_of(&c, "\xe2\x82x"), "\"\\ufffd\\ufffdx\"");
	cap_free(&c);
}

static void test_json_writer(void)
{
	struct capture c;
	struct kvms_vm vm;
	struct kvms_vcpu v;
	struct kvms_config cfg = { 0 };
	struct jw w;

	cap_open(&c);
	jw_init(&w, c.f);
	jw_obj_begin(&w, NULL);
	jw_uint(&w, "a", 1);
	jw_arr_begin(&w, "b");
	jw_uint(&w, NULL, 1);
	jw_uint(&w, NULL, 18446744073709551615ull);
	jw_arr_end(&w);
	jw_obj_begin(&w, "c");
	jw_null(&w, "d");
	jw_str(&w, "e", NULL);
	jw_fixed(&w, "f", 12.345, 2);
	jw_fixed(&w, "g", NAN, 2);
	jw_obj_end(&w);
	jw_arr_begin(&w, "h");
	jw_arr_end(&w);
	jw_obj_end(&w);
	CHECK_STR(cap_text(&c),
		  "{\"a\":1,\"b\":[1,18446744073709551615],\"c\":{\"d\":null,\"e\":null,\"f\":12.35,\"g\":null},\"h\":[]}");
	cap_free(&c);

	vm = mkvm(3, 123, NULL);
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS);
	strcpy(vm.comm, "qemu\"x");
	vm.nr_vcpus = 2;
	vm.cpu_time_ns = 5000000000ull;
	vm.vm_entries = 77;	/* not present: must not be printed */
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":3,\"name\":null,\"pid\":123,\"comm\":\"qemu\\\"x\",\"nr_vcpus\":2,\"cpu_time_ns\":5000000000}");
	cap_free(&c);

	vm = mkvm(4, 1, "web1");
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c), "{\"id\":4,\"name\":\"web1\",\"pid\":1}");
	cap_free(&c);

	/* The scheduling attributes, after nr_vcpus; class by name. */
	vm = mkvm(5, 2, "db");
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU);
	vm.nr_vcpus = 4;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 10000;
	vm.entitled_mcpu = 0;
	vm.demand_mcpu = 3999;
	vm.nr_active_vcpus = 3;
	vm.cpu_last_mcpu = 12;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":5,\"name\":\"db\",\"pid\":2,\"nr_vcpus\":4,\"class\":\"background\",\"weight\":10000,\"entitled_mcpu\":0,\"demand_mcpu\":3999,\"nr_active_vcpus\":3,\"cpu_last_mcpu\":12}");
	cap_free(&c);
	vm.class = 9;		/* unknown to this program: the number */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
			KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU));
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":5,\"name\":\"db\",\"pid\":2,\"nr_vcpus\":4,\"class\":9,\"entitled_mcpu\":0,\"nr_active_vcpus\":3,\"cpu_last_mcpu\":12}");
	cap_free(&c);

	/* vCPUs: policy as the kernel's number, nice signed. */
	memset(&v, 0, sizeof(v));
	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		    KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
		    KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES) |
		    KVMS_BIT(KVMSCHED_A_VCPU_VM_ENTRIES);
	v.vm_id = 5;
	v.vcpu_id = 0;
	v.tid = 77;
	v.policy = 5;
	v.nice = -20;
	v.overrides = 4294967295u;
	v.vm_entries = 1;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vm_id\":5,\"vcpu_id\":0,\"tid\":77,\"policy\":5,\"nice\":-20,\"overrides\":4294967295,\"vm_entries\":1}");
	cap_free(&c);
	v.present &= ~KVMS_BIT(KVMSCHED_A_VCPU_NICE);
	v.nice = 0;
	v.present &= ~KVMS_BIT(KVMSCHED_A_VCPU_POLICY);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vm_id\":5,\"vcpu_id\":0,\"tid\":77,\"overrides\":4294967295,\"vm_entries\":1}");
	cap_free(&c);

	cap_open(&c);
	jw_init(&w, c.f);
	jw_arr_begin(&w, NULL);
	jw_int(&w, NULL, -1);
	jw_int(&w, NULL, INT64_MIN);
	jw_int(&w, NULL, 19);
	jw_arr_end(&w);
	CHECK_STR(cap_text(&c), "[-1,-9223372036854775808,19]");
	cap_free(&c);

	cfg.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
		      KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_STR(cap_text(&c), "{\"period_ms\":100,\"nr_vms\":2}");
	cap_free(&c);
}

static void test_table(void)
{
	static const struct table_col cols[] = {
		{ "ID", true, false }, { "NAME", false, false },
		{ "CPU", true, false }, { "COMM", false, false },
	};
	const char *r1[] = { "1", "web1", "12", "qemu" };
	const char *r2[] = { "10", "x", "3", "kvmtest" };
	struct capture c;
	struct table t;

	table_init(&t, cols, 4);
	CHECK_INT(table_add(&t, r1), 0);
	CHECK_INT(table_add(&t, r2), 0);
	CHECK_INT(t.nrows, 2);
	cap_open(&c);
	table_print(&t, c.f);
	CHECK_STR(cap_text(&c),
		  "ID  NAME  CPU  COMM\n"
		  " 1  web1   12  qemu\n"
		  "10  x       3  kvmtest\n");
	cap_free(&c);
	table_free(&t);

	/* Header only when there are no rows. */
	table_init(&t, cols, 4);
	cap_open(&c);
	table_print(&t, c.f);
	CHECK_STR(cap_text(&c), "ID  NAME  CPU  COMM\n");
	cap_free(&c);
	table_free(&t);
}

static void test_vm_row(void)
{
	char cells[VM_NCOLS][FMT_CELL], vc[VCPU_NCOLS][FMT_CELL];
	static const char *const want[VM_NCOLS] = {
		[VMC_ID] = "3", [VMC_NAME] = "-", [VMC_PID] = "123",
		[VMC_COMM] = "qemu\\x20kvm", [VMC_VCPUS] = "2",
		[VMC_CLASS] = "background", [VMC_WEIGHT] = "250",
		[VMC_ENT] = "400", [VMC_CPU] = "512", [VMC_STEAL] = "1.5",
		[VMC_DEMAND] = "1800", [VMC_ACTIVE] = "2",
		[VMC_RES] = "-", [VMC_LIMIT] = "-", [VMC_BOUND] = "-",
		[VMC_MEM] = "-", [VMC_RSS] = "-", [VMC_TARGET] = "-",
		[VMC_CPU_S] = "12.34", [VMC_WAIT_S] = "0.56",
		[VMC_ENTRIES] = "99",
	};
	struct kvms_vcpu v = { 0 };
	struct kvms_vm vm;
	int i;

	vm = mkvm(3, 123, NULL);
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_STEAL_LAST_PERMILLE) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_VM_ENTRIES) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS);
	strcpy(vm.comm, "qemu kvm");
	vm.nr_vcpus = 2;
	vm.cpu_last_mcpu = 512;
	vm.steal_last_permille = 15;
	vm.cpu_time_ns = 12345678901ull;
	vm.wait_time_ns = 560000000;
	vm.vm_entries = 99;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 250;
	vm.entitled_mcpu = 400;
	vm.demand_mcpu = 1800;
	vm.nr_active_vcpus = 2;
	vm_row(&vm, cells);
	for (i = 0; i < VM_NCOLS; i++)
		CHECK(!strcmp(cells[i], want[i]), "vm_row column %s: \"%s\", want \"%s\"",
		      vm_cols[i].title, cells[i], want[i]);
	vm.class = 7;		/* a class from a newer kernel: its number */
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_CLASS], "7");
	vm.class = KVMSCHED_CLASS_SHARES;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_CLASS], "shares");

	vm = mkvm(7, 1, "db");
	vm.class = 1;		/* not present: must not be shown */
	vm.weight = 5;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_NAME], "db");
	CHECK_STR(cells[VMC_COMM], "-");	/* absent attributes show as '-' */
	CHECK_STR(cells[VMC_CPU_S], "-");
	CHECK_STR(cells[VMC_ENTRIES], "-");
	CHECK_STR(cells[VMC_CLASS], "-");
	CHECK_STR(cells[VMC_WEIGHT], "-");
	CHECK_STR(cells[VMC_ENT], "-");
	CHECK_STR(cells[VMC_DEMAND], "-");
	CHECK_STR(cells[VMC_ACTIVE], "-");

	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE) |
		    KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		    KVMS_BIT(KVMSCHED_A_VCPU_NICE);
	v.vcpu_id = 1;
	v.tid = 4242;
	v.steal_last_permille = 1000;
	v.policy = 5;
	v.nice = -20;
	v.overrides = 9;	/* not present */
	v.cpu_time_ns = 1;	/* not present */
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_VCPU], "1");
	CHECK_STR(vc[VCC_TID], "4242");
	CHECK_STR(vc[VCC_POLICY], "idle");
	CHECK_STR(vc[VCC_NICE], "-20");
	CHECK_STR(vc[VCC_OVERRIDES], "-");
	CHECK_STR(vc[VCC_CPU], "-");
	CHECK_STR(vc[VCC_STEAL], "100.0");
	CHECK_STR(vc[VCC_CPU_S], "-");
	v.present |= KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES);
	v.policy = 4;		/* no SCHED_* 4: the number */
	v.nice = 19;
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_POLICY], "4");
	CHECK_STR(vc[VCC_NICE], "19");
	CHECK_STR(vc[VCC_OVERRIDES], "9");
}

static void test_names(void)
{
	static const struct { uint32_t v; const char *name; } pol[] = {
		{ 0, "normal" }, { 1, "fifo" }, { 2, "rr" }, { 3, "batch" },
		{ 5, "idle" }, { 6, "deadline" },
	};
	size_t i;

	CHECK_STR(class_name(KVMSCHED_CLASS_SHARES), "shares");
	CHECK_STR(class_name(KVMSCHED_CLASS_BACKGROUND), "background");
	CHECK(class_name(2) == NULL, "class 2 has a name");
	for (i = 0; i < sizeof(pol) / sizeof(pol[0]); i++)
		CHECK_STR(policy_name(pol[i].v), pol[i].name);
	CHECK(policy_name(4) == NULL, "policy 4 has a name");
	CHECK(policy_name(UINT32_MAX) == NULL, "policy 2^32-1 has a name");
	/* The CLI's class keys are the spec's names, with the same values. */
	CHECK_STR(kv_vm_keys[1].key, "class");
	CHECK_STR(kv_vm_keys[1].enums[0].name,
		  class_name(kv_vm_keys[1].enums[0].value));
	CHECK_STR(kv_vm_keys[1].enums[1].name,
		  class_name(kv_vm_keys[1].enums[1].value));
}

/* The longest line of s (without its newline). */
static size_t max_line(const char *s)
{
	size_t best = 0, n;

	while (*s) {
		n = strcspn(s, "\n");
		if (n > best)
			best = n;
		s += n;
		if (*s)
			s++;
	}
	return best;
}

/* A VM as a real host has it: qemu, a name, every attribute. */
static struct kvms_vm full_vm(uint32_t id, const char *name)
{
	struct kvms_vm vm = mkvm(id, 1234567, name);

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_STEAL_LAST_PERMILLE) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_VM_ENTRIES) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS);
	strcpy(vm.comm, "qemu-system-x86");
	vm.nr_vcpus = 16;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 10000;
	vm.entitled_mcpu = 16000;
	vm.demand_mcpu = 16000;
	vm.nr_active_vcpus = 16;
	vm.cpu_last_mcpu = 16000;
	vm.steal_last_permille = 1000;
	vm.cpu_time_ns = 123456789012345ull;
	vm.wait_time_ns = 12345678901234ull;
	vm.vm_entries = 123456789012ull;
	return vm;
}

static void test_vm_table(void)
{
	struct kvms_vm vms[2];
	struct capture c;
	const char *text;

	vms[0] = full_vm(7, "web1");
	vms[1] = mkvm(12, 99, NULL);	/* only id and pid */
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS       WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n"
		  " 7  web1  1234567  qemu-system-x86     16  background   10000      16000      16000   100.0\n"
		  "12  -          99  -                    -  -                -          -          -       -\n");
	cap_free(&c);

	/* A kernel without CPU bounds and memory: '-' in those columns. */
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 1, true), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS       WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%  DEMAND(mcpu)  ACTIVE  RES(mcpu)  LIMIT(mcpu)  BOUND  MEM(MiB)  RSS(MiB)  TARGET(MiB)      CPU_S    WAIT_S       ENTRIES\n"
		  " 7  web1  1234567  qemu-system-x86     16  background   10000      16000      16000   100.0         16000      16          -            -  -             -         -            -  123456.78  12345.67  123456789012\n");
	cap_free(&c);

	/*
	 * Readable in 100 columns: qemu, 4-digit ids, 7-digit pids,
	 * 11-character names, every number at its widest.
	 */
	vms[0] = full_vm(999, "web-front-1");
	vms[1] = full_vm(1000, "db");
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	text = cap_text(&c);
	CHECK(max_line(text) <= 100, "list line of %zu columns:\n%s",
	      max_line(text), text);
	cap_free(&c);

	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 0, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME  PID  COMM  VCPUS  CLASS  WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n");
	cap_free(&c);
}

static void test_show_output(void)
{
	struct kvms_vcpu v[2];
	struct kvms_vm vm = full_vm(7, "web1");
	struct capture c;

	vm.class = KVMSCHED_CLASS_SHARES;
	vm.weight = 100;
	vm.entitled_mcpu = 500;
	vm.demand_mcpu = 2000;
	vm.nr_active_vcpus = 2;
	vm.cpu_last_mcpu = 480;
	vm.steal_last_permille = 250;
	vm.nr_vcpus = 2;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_STR(cap_text(&c),
		  "VM 7\n"
		  "  name:          web1\n"
		  "  pid:           1234567\n"
		  "  comm:          qemu-system-x86\n"
		  "  vcpus:         2\n"
		  "  class:         shares\n"
		  "  weight:        100\n"
		  "  entitled:      500 mcpu (last period)\n"
		  "  demand:        2000 mcpu (last period)\n"
		  "  active vcpus:  2 (last period)\n"
		  "  cpu:           480 mcpu (last period)\n"
		  "  steal:         25.0 % (last period)\n"
		  "  cpu time:      123456.78 s\n"
		  "  wait time:     12345.67 s\n"
		  "  vm entries:    123456789012\n");
	cap_free(&c);

	memset(v, 0, sizeof(v));
	v[0].present = KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		       KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
		       KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES) |
		       KVMS_BIT(KVMSCHED_A_VCPU_CPU_LAST_MCPU) |
		       KVMS_BIT(KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE) |
		       KVMS_BIT(KVMSCHED_A_VCPU_CPU_TIME_NS) |
		       KVMS_BIT(KVMSCHED_A_VCPU_WAIT_TIME_NS) |
		       KVMS_BIT(KVMSCHED_A_VCPU_VM_ENTRIES);
	v[0].vm_id = 7;
	v[0].vcpu_id = 0;
	v[0].tid = 4321;
	v[0].policy = 0;
	v[0].nice = -3;
	v[0].overrides = 12;
	v[0].cpu_last_mcpu = 240;
	v[0].steal_last_permille = 250;
	v[0].cpu_time_ns = 1500000000;
	v[0].wait_time_ns = 20000000;
	v[0].vm_entries = 5000;
	v[1] = v[0];
	v[1].vcpu_id = 1;
	v[1].tid = 4322;
	v[1].policy = 5;
	v[1].nice = 0;
	v[1].overrides = 0;
	cap_open(&c);
	CHECK_INT(vcpu_table_print(c.f, v, 2), 0);
	CHECK_STR(cap_text(&c),
		  "VCPU   TID  POLICY  NICE  OVERRIDES  CPU(mcpu)  STEAL%  CPU_S  WAIT_S  ENTRIES\n"
		  "   0  4321  normal    -3         12        240    25.0   1.50    0.02     5000\n"
		  "   1  4322  idle       0          0        240    25.0   1.50    0.02     5000\n");
	cap_free(&c);
}

static const char *line_of(struct capture *c, const struct kvms_event *ev,
			   bool json)
{
	cap_free(c);
	cap_open(c);
	if (json)
		event_json(c->f, "T", ev);
	else
		event_line(c->f, "T", ev);
	return cap_text(c);
}

static void test_events(void)
{
	struct capture c = { 0 };
	struct kvms_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	ev.vm = mkvm(3, 123, NULL);
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
			 KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS);
	strcpy(ev.vm.comm, "qemu");
	ev.vm.nr_vcpus = 2;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=123 comm=qemu vcpus=2\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"vm-add\",\"vm\":{\"id\":3,\"name\":null,\"pid\":123,\"comm\":\"qemu\",\"nr_vcpus\":2}}\n");

	ev.cmd = KVMSCHED_CMD_VM_CHANGE_NTF;
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
	strcpy(ev.vm.name, "web1");
	strcpy(ev.vm.comm, "my vmm");
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1\n");
	/* vm-change shows the settings; other VM events do not. */
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			 KVMS_BIT(KVMSCHED_A_VM_WEIGHT);
	ev.vm.class = KVMSCHED_CLASS_BACKGROUND;
	ev.vm.weight = 250;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=background weight=250\n");
	ev.vm.class = 3;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=3 weight=250\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"vm-change\",\"vm\":{\"id\":3,\"name\":\"web1\",\"pid\":123,\"comm\":\"my vmm\",\"nr_vcpus\":2,\"class\":3,\"weight\":250}}\n");
	ev.vm.class = KVMSCHED_CLASS_SHARES;
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1\n");
	ev.vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			   KVMS_BIT(KVMSCHED_A_VM_WEIGHT));

	ev.cmd = KVMSCHED_CMD_VM_DEL_NTF;
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
			 KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS);
	ev.vm.cpu_time_ns = 2500000000ull;
	ev.vm.wait_time_ns = 10000000;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-del id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 cpu_s=2.50 wait_s=0.01\n");

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_CONFIG_CHANGE_NTF;
	ev.config.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	ev.config.period_ms = 200;
	ev.config.nr_vms = 1;
	CHECK_STR(line_of(&c, &ev, false),
		  "T config-change period_ms=200 nr_vms=1\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"config-change\",\"config\":{\"period_ms\":200,\"nr_vms\":1}}\n");

	ev.cmd = 99;
	CHECK_STR(line_of(&c, &ev, false), "T unknown-event cmd=99\n");
	CHECK(event_name(99) == NULL, "event_name(99) is not NULL");
	CHECK_STR(event_name(KVMSCHED_CMD_VM_DEL_NTF), "vm-del");
	cap_free(&c);
}

/* -- CPU bounds and memory (reservation, limit, balloons) ------------------- */

struct key_range {
	const char *key;
	int attr;
	uint32_t min, max;
	const char *range;	/* as messages give it */
};

static const struct key_range vm_new_keys[] = {
	{ "reservation_mcpu", KVMSCHED_A_VM_RESERVATION_MCPU, 0, 1024000, "0-1024000 mcpu" },
	{ "limit_mcpu", KVMSCHED_A_VM_LIMIT_MCPU, 0, 1024000, "0-1024000 mcpu" },
	{ "mem_shares", KVMSCHED_A_VM_MEM_SHARES, 1, 10000, "1-10000" },
	{ "mem_min_mib", KVMSCHED_A_VM_MEM_MIN_MIB, 0, 16777216, "0-16777216 MiB" },
	{ "mem_max_mib", KVMSCHED_A_VM_MEM_MAX_MIB, 0, 16777216, "0-16777216 MiB" },
};

static const struct key_range config_new_keys[] = {
	{ "reserve_headroom_pct", KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT, 0, 50, "0-50 %" },
	{ "mem_low_pct", KVMSCHED_A_CONFIG_MEM_LOW_PCT, 1, 90, "1-90 %" },
	{ "mem_critical_pct", KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT, 0, 89, "0-89 %" },
	{ "mem_hysteresis_pct", KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT, 0, 50, "0-50 %" },
	{ "balloon_step_pct", KVMSCHED_A_CONFIG_BALLOON_STEP_PCT, 1, 100, "1-100 %" },
	{ "balloon_min_step_bp", KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP, 0, 10000, "0-10000 bp" },
	{ "idle_tax_pct", KVMSCHED_A_CONFIG_IDLE_TAX_PCT, 0, 99, "0-99 %" },
	{ "balloon_max_pct", KVMSCHED_A_CONFIG_BALLOON_MAX_PCT, 0, 90, "0-90 %" },
	{ "balloon_period_ms", KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS, 100, 600000, "100-600000 ms" },
	{ "mem_psi_reclaim_bp", KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP, 0, 10000, "0-10000 bp" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Both ends accepted, one past each refused with the key and the range. */
static void check_ranges(const struct kv_key *t, const struct key_range *r,
			 size_t n)
{
	char arg[96], want[160];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(arg, sizeof(arg), "%s=%u", r[i].key, r[i].min);
		kv_ok_u32(t, arg, r[i].attr, r[i].min, __LINE__);
		snprintf(arg, sizeof(arg), "%s=%u", r[i].key, r[i].max);
		kv_ok_u32(t, arg, r[i].attr, r[i].max, __LINE__);
		snprintf(arg, sizeof(arg), "%s=%u", r[i].key, r[i].max + 1);
		snprintf(want, sizeof(want),
			 "%s: %u is out of range (accepted: %s)", r[i].key,
			 r[i].max + 1, r[i].range);
		kv_bad(t, arg, -ERANGE, want, __LINE__);
		if (r[i].min) {
			snprintf(arg, sizeof(arg), "%s=%u", r[i].key,
				 r[i].min - 1);
			snprintf(want, sizeof(want),
				 "%s: %u is out of range (accepted: %s)",
				 r[i].key, r[i].min - 1, r[i].range);
			kv_bad(t, arg, -ERANGE, want, __LINE__);
		}
		snprintf(arg, sizeof(arg), "%s=4294967296", r[i].key);
		kv_bad(t, arg, -ERANGE, "out of range", __LINE__);
		snprintf(arg, sizeof(arg), "%s=-1", r[i].key);
		snprintf(want, sizeof(want),
			 "%s: '-1' is not a number (accepted: %s)", r[i].key,
			 r[i].range);
		kv_bad(t, arg, -EINVAL, want, __LINE__);
		snprintf(arg, sizeof(arg), "%s=", r[i].key);
		kv_bad(t, arg, -EINVAL, "'' is not a number", __LINE__);
	}
}

static void test_kv_bounds_mem(void)
{
	static const char *const ro[] = {
		"capacity_mcpu=1", "reservable_mcpu=1", "reserved_mcpu=1",
		"overcommit_mcpu=0", "mem_state=normal", "host_mem_mib=1",
		"host_avail_mib=1", "psi_some_avg10_bp=5", "nr_vms=1",
	};
	char want[64];
	size_t i;

	check_ranges(kv_vm_keys, vm_new_keys, NELEM(vm_new_keys));
	check_ranges(kv_config_keys, config_new_keys, NELEM(config_new_keys));
	/* The read-only attributes config shows are refused by name. */
	for (i = 0; i < NELEM(ro); i++) {
		snprintf(want, sizeof(want), "%.*s is read-only (settable keys: ",
			 (int)(strchr(ro[i], '=') - ro[i]), ro[i]);
		kv_bad(kv_config_keys, ro[i], -EINVAL, want, __LINE__);
	}
	/* The spec's dashed names are not keys; kernel attribute types match. */
	KV_BAD(kv_vm_keys, "reservation-mcpu=1", -EINVAL,
	       "unknown key 'reservation-mcpu'");
	KV_BAD(kv_config_keys, "mem-low-pct=1", -EINVAL,
	       "unknown key 'mem-low-pct'");
	KV_BAD(kv_vm_keys, "limit_mcpu=1.5", -EINVAL, "limit_mcpu: '1.5' is not a number");
	KV_BAD(kv_vm_keys, "guest_mem_mib=1", -EINVAL, "unknown key 'guest_mem_mib'");
	KV_BAD(kv_vm_keys, "bound=limit", -EINVAL, "unknown key 'bound'");
}

/* kv_parse_list over a command's arguments (a copy: argv is not const). */
static int parse_args(const struct kv_key *t, const char *args, char *err)
{
	char buf[256], *argv[8], *p;
	struct kv_setting s[8];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", args);
	for (p = strtok(buf, " "); p && n < 8; p = strtok(NULL, " "))
		argv[n++] = p;
	err[0] = '\0';
	return kv_parse_list(t, n, argv, s, err, ERRLEN);
}

#define ARGS_OK(t, args, n)						\
	do {								\
		char e_[ERRLEN];					\
		int rc_ = parse_args(t, args, e_);			\
		CHECK(rc_ == (n), "\"%s\": rc %d, want %d (%s)", args,	\
		      rc_, n, e_);					\
	} while (0)

#define ARGS_BAD(t, args, msg)						\
	do {								\
		char e_[ERRLEN];					\
		int rc_ = parse_args(t, args, e_);			\
		CHECK(rc_ == -EINVAL, "\"%s\": rc %d, want -EINVAL", args, rc_); \
		CHECK_STR(e_, msg);					\
	} while (0)

static void test_cross_checks(void)
{
	const struct kv_key *v = kv_vm_keys, *c = kv_config_keys;
	struct kv_setting s[2];
	char err[ERRLEN];

	/* reservation <= limit, when both are given and the limit is set. */
	ARGS_BAD(v, "reservation_mcpu=900 limit_mcpu=500",
		 "reservation_mcpu: 900 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	ARGS_BAD(v, "limit_mcpu=500 weight=3 reservation_mcpu=501",
		 "reservation_mcpu: 501 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	ARGS_OK(v, "reservation_mcpu=500 limit_mcpu=500", 2);
	ARGS_OK(v, "reservation_mcpu=900 limit_mcpu=0", 2);
	ARGS_OK(v, "reservation_mcpu=0 limit_mcpu=1", 2);
	ARGS_OK(v, "reservation_mcpu=1024000", 1);	/* the kernel checks */
	ARGS_OK(v, "limit_mcpu=1", 1);
	/* mem_min_mib <= mem_max_mib, unless the max is 0 (the guest RAM). */
	ARGS_BAD(v, "mem_min_mib=4096 mem_max_mib=2048",
		 "mem_min_mib: 4096 exceeds mem_max_mib 2048 (accepted: 0-2048 with mem_max_mib=2048; mem_max_mib=0 is the guest RAM)");
	ARGS_OK(v, "mem_min_mib=2048 mem_max_mib=2048", 2);
	ARGS_OK(v, "mem_min_mib=4096 mem_max_mib=0", 2);
	ARGS_OK(v, "mem_min_mib=4096 mem_shares=5", 2);
	/* A range error comes first, and names its key. */
	CHECK_INT(parse_args(v, "reservation_mcpu=2000000 limit_mcpu=5", err),
		  -ERANGE);
	CHECK_STR(err, "reservation_mcpu: 2000000 is out of range (accepted: 0-1024000 mcpu)");
	/* mem_critical_pct < mem_low_pct; low + hysteresis <= 95. */
	ARGS_BAD(c, "mem_critical_pct=20 mem_low_pct=20",
		 "mem_critical_pct: 20 is not below mem_low_pct 20 (accepted: 0-19 with mem_low_pct=20)");
	ARGS_BAD(c, "mem_low_pct=1 mem_critical_pct=1",
		 "mem_critical_pct: 1 is not below mem_low_pct 1 (accepted: 0-0 with mem_low_pct=1)");
	ARGS_OK(c, "mem_critical_pct=19 mem_low_pct=20", 2);
	ARGS_OK(c, "mem_critical_pct=89", 1);		/* the kernel checks */
	ARGS_BAD(c, "mem_low_pct=90 mem_hysteresis_pct=6",
		 "mem_hysteresis_pct: 6 plus mem_low_pct 90 exceeds 95 (accepted: 0-5 with mem_low_pct=90)");
	ARGS_OK(c, "mem_low_pct=90 mem_hysteresis_pct=5", 2);
	ARGS_OK(c, "mem_low_pct=45 mem_hysteresis_pct=50 period_ms=10", 3);
	ARGS_OK(c, "mem_hysteresis_pct=50", 1);
	/* Tables without rules, and the testing aid, skip them. */
	CHECK_INT(kv_cross_check(test_keys, s, 0, err, sizeof(err)), 0);
	parse_no_local_checks = true;
	ARGS_OK(v, "reservation_mcpu=900 limit_mcpu=500", 2);
	ARGS_OK(c, "mem_critical_pct=50 mem_low_pct=10", 2);
	ARGS_OK(v, "reservation_mcpu=2000000 limit_mcpu=5", 2);
	parse_no_local_checks = false;
}

/* set -h / config -h: help texts aligned after the longest writable key. */
static void test_print_keys(void)
{
	struct capture c;
	const char *text, *line;
	int lines = 0;

	cap_open(&c);
	kv_print_keys(c.f, kv_vm_keys);
	text = cap_text(&c);
	CHECK_HAS(text, "\n  reservation_mcpu CPU floor in millicpus, 0 = none (default) (0-1024000 mcpu)\n");
	CHECK_HAS(text, "\n  limit_mcpu       CPU ceiling in millicpus, 0 = unlimited (default) (0-1024000 mcpu)\n");
	CHECK_HAS(text, "\n  mem_shares       relative memory shares under host memory pressure (default 100) (1-10000)\n");
	CHECK_HAS(text, "\n  mem_min_mib      balloon target floor (default 0) (0-16777216 MiB)\n");
	CHECK_HAS(text, "\n  mem_max_mib      balloon target ceiling, 0 = the guest RAM (default) (0-16777216 MiB)\n");
	for (line = text; *line; line = strchr(line, '\n') + 1, lines++)
		CHECK(line[18] == ' ' && line[19] != ' ',
		      "set -h line %d not aligned: %.40s", lines, line);
	CHECK_INT(lines, 8);
	cap_free(&c);

	cap_open(&c);
	kv_print_keys(c.f, kv_config_keys);
	text = cap_text(&c);
	CHECK_HAS(text, "  period_ms            sampling and enforcement period (10-1000 ms)\n");
	CHECK_HAS(text, "\n  reserve_headroom_pct host CPU reservations may never take (default 10) (0-50 %)\n");
	CHECK_HAS(text, "\n  balloon_period_ms    how often balloon targets are recomputed (default 10000) (100-600000 ms)\n");
	CHECK(!strstr(text, "capacity_mcpu") && !strstr(text, "mem_state"),
	      "read-only keys in config -h keys: %s", text);
	lines = 0;
	for (line = text; *line; line = strchr(line, '\n') + 1, lines++)
		CHECK(strlen(line) > 23 && line[22] == ' ' && line[23] != ' ',
		      "config -h line %d not aligned: %.40s", lines, line);
	CHECK_INT(lines, 11);
	cap_free(&c);
}

/* A VM from a kernel with CPU bounds and balloons: every attribute. */
static struct kvms_vm bounded_vm(void)
{
	struct kvms_vm vm = full_vm(3, "web1");

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_LIMIT_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_BOUND) |
		      KVMS_BIT(KVMSCHED_A_VM_THROTTLED_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MISSES) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_SHARES) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_MIN_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_MAX_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_MEM_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_RSS_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON);
	vm.class = KVMSCHED_CLASS_SHARES;
	vm.weight = 100;
	vm.nr_vcpus = 2;
	vm.entitled_mcpu = 500;
	vm.demand_mcpu = 2000;
	vm.nr_active_vcpus = 2;
	vm.cpu_last_mcpu = 480;
	vm.steal_last_permille = 250;
	vm.reservation_mcpu = 500;
	vm.limit_mcpu = 1500;
	vm.bound = KVMSCHED_BOUND_RESERVATION;
	vm.throttled_ns = 1250000000ull;
	vm.reservation_misses = 3;
	vm.mem_shares = 200;
	vm.mem_min_mib = 512;
	vm.mem_max_mib = 2048;
	vm.guest_mem_mib = 2048;
	vm.rss_mib = 1900;
	vm.guest_free_mib = 700;
	vm.guest_avail_mib = 1100;
	vm.balloon_actual_mib = 1536;
	vm.balloon_target_mib = 1024;
	vm.balloon_reason = KVMSCHED_BALLOON_REASON_INFLATE;
	return vm;
}

static void test_bounds_mem_output(void)
{
	char cells[VM_NCOLS][FMT_CELL];
	struct kvms_vm vm = bounded_vm(), vms[2];
	struct capture c;
	struct jw w;

	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_RES], "500");
	CHECK_STR(cells[VMC_LIMIT], "1500");
	CHECK_STR(cells[VMC_BOUND], "reservation");
	CHECK_STR(cells[VMC_MEM], "2048");
	CHECK_STR(cells[VMC_RSS], "1900");
	CHECK_STR(cells[VMC_TARGET], "1024");
	vm.bound = 9;		/* from a newer kernel: its number */
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_BOUND], "9");
	vm.bound = KVMSCHED_BOUND_LIMIT;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_BOUND], "limit");
	vm.bound = KVMSCHED_BOUND_RESERVATION;

	/* list: the default table is unchanged; -l has the new columns. */
	vms[0] = vm;
	vms[1] = vm;
	vms[1].id = 4;
	strcpy(vms[1].name, "db");
	vms[1].present &= ~KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB);
	vms[1].reservation_mcpu = 0;
	vms[1].limit_mcpu = 0;
	vms[1].bound = KVMSCHED_BOUND_NONE;
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS   WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n"
		  " 3  web1  1234567  qemu-system-x86      2  shares     100        500        480    25.0\n"
		  " 4  db    1234567  qemu-system-x86      2  shares     100        500        480    25.0\n");
	cap_free(&c);
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, true), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS   WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%  DEMAND(mcpu)  ACTIVE  RES(mcpu)  LIMIT(mcpu)  BOUND        MEM(MiB)  RSS(MiB)  TARGET(MiB)      CPU_S    WAIT_S       ENTRIES\n"
		  " 3  web1  1234567  qemu-system-x86      2  shares     100        500        480    25.0          2000       2        500         1500  reservation      2048      1900         1024  123456.78  12345.67  123456789012\n"
		  " 4  db    1234567  qemu-system-x86      2  shares     100        500        480    25.0          2000       2          0            0  none             2048      1900            -  123456.78  12345.67  123456789012\n");
	cap_free(&c);

	/* show: the sections after the VM's fields. */
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_STR(cap_text(&c),
		  "VM 3\n"
		  "  name:          web1\n"
		  "  pid:           1234567\n"
		  "  comm:          qemu-system-x86\n"
		  "  vcpus:         2\n"
		  "  class:         shares\n"
		  "  weight:        100\n"
		  "  entitled:      500 mcpu (last period)\n"
		  "  demand:        2000 mcpu (last period)\n"
		  "  active vcpus:  2 (last period)\n"
		  "  cpu:           480 mcpu (last period)\n"
		  "  steal:         25.0 % (last period)\n"
		  "  cpu time:      123456.78 s\n"
		  "  wait time:     12345.67 s\n"
		  "  vm entries:    123456789012\n"
		  "  cpu bounds:\n"
		  "    reservation: 500 mcpu (floor)\n"
		  "    limit:       1500 mcpu (ceiling)\n"
		  "    bound:       reservation (last period)\n"
		  "    throttled:   1.25 s\n"
		  "    res. misses: 3\n"
		  "  memory:\n"
		  "    shares:      200\n"
		  "    min:         512 MiB\n"
		  "    max:         2048 MiB\n"
		  "    guest ram:   2048 MiB\n"
		  "    rss:         1900 MiB\n"
		  "    guest free:  700 MiB (guest-reported)\n"
		  "    guest avail: 1100 MiB (guest-reported)\n"
		  "  balloon:\n"
		  "    actual:      1536 MiB (guest size now)\n"
		  "    target:      1024 MiB\n"
		  "    reason:      inflate\n");
	cap_free(&c);

	/* Unknown guest figures are '-'; 0 bounds are explained. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB));
	vm.reservation_mcpu = 0;
	vm.limit_mcpu = 0;
	vm.bound = 7;
	vm.balloon_reason = KVMSCHED_BALLOON_REASON_NONE;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "  cpu bounds:\n"
		  "    reservation: 0 mcpu (none)\n"
		  "    limit:       0 mcpu (unlimited)\n"
		  "    bound:       7 (last period)\n");
	CHECK_HAS(c.buf,
		  "    guest free:  -\n"
		  "    guest avail: -\n"
		  "  balloon:\n"
		  "    actual:      -\n"
		  "    target:      -\n"
		  "    reason:      none\n");
	cap_free(&c);
	vm.balloon_reason = 42;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c), "    reason:      42\n");
	cap_free(&c);

	/* JSON: every field, the spec's names with underscores, enums by name. */
	vm = bounded_vm();
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":3,\"name\":\"web1\",\"pid\":1234567,\"comm\":\"qemu-system-x86\",\"nr_vcpus\":2,"
		  "\"class\":\"shares\",\"weight\":100,\"entitled_mcpu\":500,\"demand_mcpu\":2000,"
		  "\"nr_active_vcpus\":2,\"cpu_last_mcpu\":480,\"steal_last_permille\":250,"
		  "\"cpu_time_ns\":123456789012345,\"wait_time_ns\":12345678901234,\"vm_entries\":123456789012,"
		  "\"reservation_mcpu\":500,\"limit_mcpu\":1500,\"bound\":\"reservation\",\"throttled_ns\":1250000000,"
		  "\"reservation_misses\":3,\"mem_shares\":200,\"mem_min_mib\":512,\"mem_max_mib\":2048,"
		  "\"guest_mem_mib\":2048,\"rss_mib\":1900,\"guest_free_mib\":700,\"guest_avail_mib\":1100,"
		  "\"balloon_actual_mib\":1536,\"balloon_target_mib\":1024,\"balloon_reason\":\"inflate\"}");
	cap_free(&c);
	/* Unknown figures are left out; unknown enum values are numbers. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB));
	vm.bound = 5;
	vm.balloon_reason = 6;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c),
		  "\"reservation_mcpu\":500,\"limit_mcpu\":1500,\"bound\":5,\"throttled_ns\":1250000000,"
		  "\"reservation_misses\":3,\"mem_shares\":200,\"mem_min_mib\":512,\"mem_max_mib\":2048,"
		  "\"guest_mem_mib\":2048,\"rss_mib\":1900,\"balloon_reason\":6}");
	cap_free(&c);
}

/* A configuration as a kernel with reservations and balloons sends it. */
static struct kvms_config full_config(void)
{
	struct kvms_config cfg;
	int a;

	memset(&cfg, 0, sizeof(cfg));
	for (a = 1; a <= KVMSCHED_A_CONFIG_MAX; a++)
		cfg.present |= KVMS_BIT(a);
	cfg.present &= ~KVMS_BIT(KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP);
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cfg.reserve_headroom_pct = 10;
	cfg.capacity_mcpu = 2000;
	cfg.reservable_mcpu = 1800;
	cfg.reserved_mcpu = 1400;
	cfg.overcommit_mcpu = 0;
	cfg.mem_low_pct = 20;
	cfg.mem_critical_pct = 5;
	cfg.mem_hysteresis_pct = 5;
	cfg.balloon_step_pct = 5;
	cfg.balloon_min_step_bp = 25;
	cfg.idle_tax_pct = 75;
	cfg.balloon_max_pct = 65;
	cfg.balloon_period_ms = 10000;
	cfg.mem_state = KVMSCHED_MEM_STATE_RECLAIM;
	cfg.host_mem_mib = 7936;
	cfg.host_avail_mib = 1200;
	cfg.psi_some_avg10_bp = 1234;	/* not present */
	cfg.mem_psi_reclaim_bp = 1000;
	return cfg;
}

static void test_config_output(void)
{
	struct kvms_config cfg = full_config();
	struct capture c;
	struct jw w;

	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_STR(cap_text(&c),
		  "period_ms: 100\n"
		  "nr_vms: 2\n"
		  "reserve_headroom_pct: 10\n"
		  "capacity_mcpu: 2000\n"
		  "reservable_mcpu: 1800\n"
		  "reserved_mcpu: 1400\n"
		  "overcommit_mcpu: 0\n"
		  "mem_low_pct: 20\n"
		  "mem_critical_pct: 5\n"
		  "mem_hysteresis_pct: 5\n"
		  "balloon_step_pct: 5\n"
		  "balloon_min_step_bp: 25\n"
		  "idle_tax_pct: 75\n"
		  "balloon_max_pct: 65\n"
		  "balloon_period_ms: 10000\n"
		  "mem_state: reclaim\n"
		  "host_mem_mib: 7936\n"
		  "host_avail_mib: 1200\n"
		  "psi_some_avg10_bp: -\n"
		  "mem_psi_reclaim_bp: 1000\n");
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_STR(cap_text(&c),
		  "{\"period_ms\":100,\"nr_vms\":2,\"reserve_headroom_pct\":10,\"capacity_mcpu\":2000,"
		  "\"reservable_mcpu\":1800,\"reserved_mcpu\":1400,\"overcommit_mcpu\":0,"
		  "\"mem_low_pct\":20,\"mem_critical_pct\":5,\"mem_hysteresis_pct\":5,"
		  "\"balloon_step_pct\":5,\"balloon_min_step_bp\":25,\"idle_tax_pct\":75,"
		  "\"balloon_max_pct\":65,\"balloon_period_ms\":10000,\"mem_state\":\"reclaim\","
		  "\"host_mem_mib\":7936,\"host_avail_mib\":1200,\"mem_psi_reclaim_bp\":1000}");
	cap_free(&c);

	/* PSI reported; a state from a newer kernel is its number. */
	cfg.present |= KVMS_BIT(KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP);
	cfg.mem_state = 3;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c), "mem_state: 3\nhost_mem_mib: 7936\n"
		  "host_avail_mib: 1200\npsi_some_avg10_bp: 1234\n");
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_HAS(cap_text(&c), "\"mem_state\":3,\"host_mem_mib\":7936,"
		  "\"host_avail_mib\":1200,\"psi_some_avg10_bp\":1234,");
	cap_free(&c);
	cfg.mem_state = KVMSCHED_MEM_STATE_CRITICAL;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c), "mem_state: critical\n");
	cap_free(&c);

	/* An older kernel: just what it sent, no '-' for PSI. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
		      KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_STR(cap_text(&c), "period_ms: 100\nnr_vms: 2\n");
	cap_free(&c);
}

static void test_events_bounds_mem(void)
{
	struct capture c = { 0 };
	struct kvms_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_BALLOON_TARGET_NTF;
	ev.vm = bounded_vm();
	ev.vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_NAME);
	ev.vm.balloon_target_mib = 768;
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 target_mib=768 reason=inflate\n");
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
	ev.vm.balloon_reason = KVMSCHED_BALLOON_REASON_DEFLATE;
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 target_mib=768 reason=deflate name=web1\n");
	ev.vm.balloon_reason = 17;
	ev.vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB);
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 reason=17 name=web1\n");
	ev.vm = mkvm(3, 1, NULL);
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |
			 KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON);
	ev.vm.balloon_target_mib = 768;
	ev.vm.balloon_reason = KVMSCHED_BALLOON_REASON_INFLATE;
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"balloon-target\",\"vm\":{\"id\":3,\"name\":null,\"pid\":1,"
		  "\"balloon_target_mib\":768,\"balloon_reason\":\"inflate\"}}\n");
	CHECK_STR(event_name(KVMSCHED_CMD_BALLOON_TARGET_NTF), "balloon-target");

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_OVERCOMMIT_NTF;
	ev.config = full_config();
	ev.config.reserved_mcpu = 2000;
	ev.config.overcommit_mcpu = 200;
	CHECK_STR(line_of(&c, &ev, false),
		  "T overcommit reserved_mcpu=2000 reservable_mcpu=1800 overcommit_mcpu=200\n");
	ev.config.present = KVMS_BIT(KVMSCHED_A_CONFIG_RESERVED_MCPU) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_RESERVABLE_MCPU) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU);
	ev.config.reserved_mcpu = 1400;
	ev.config.overcommit_mcpu = 0;
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"overcommit\",\"config\":{\"reservable_mcpu\":1800,"
		  "\"reserved_mcpu\":1400,\"overcommit_mcpu\":0}}\n");
	CHECK_STR(event_name(KVMSCHED_CMD_OVERCOMMIT_NTF), "overcommit");

	/* config-change: nr_vms and every tunable, not the host's state. */
	ev.cmd = KVMSCHED_CMD_CONFIG_CHANGE_NTF;
	ev.config = full_config();
	CHECK_STR(line_of(&c, &ev, false),
		  "T config-change period_ms=100 nr_vms=2 reserve_headroom_pct=10 mem_low_pct=20 "
		  "mem_critical_pct=5 mem_hysteresis_pct=5 balloon_step_pct=5 balloon_min_step_bp=25 "
		  "idle_tax_pct=75 balloon_max_pct=65 balloon_period_ms=10000 mem_psi_reclaim_bp=1000\n");

	/* vm-change: the settings, as set names them. */
	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_VM_CHANGE_NTF;
	ev.vm = bounded_vm();
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=1234567 comm=qemu-system-x86 vcpus=2 name=web1 class=shares "
		  "weight=100 reservation_mcpu=500 limit_mcpu=1500 mem_shares=200 mem_min_mib=512 "
		  "mem_max_mib=2048\n");
	/* ... which vm-add and vm-del do not show. */
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=1234567 comm=qemu-system-x86 vcpus=2 name=web1\n");
	cap_free(&c);
}

static void test_names_bounds_mem(void)
{
	static const char *const reasons[] = {
		"none", "at-max", "inflate", "deflate", "at-min", "hold",
	};
	const struct kv_key *k;
	uint32_t i;

	CHECK_STR(bound_name(KVMSCHED_BOUND_NONE), "none");
	CHECK_STR(bound_name(KVMSCHED_BOUND_RESERVATION), "reservation");
	CHECK_STR(bound_name(KVMSCHED_BOUND_LIMIT), "limit");
	CHECK(bound_name(3) == NULL, "bound 3 has a name");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_NORMAL), "normal");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_RECLAIM), "reclaim");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_CRITICAL), "critical");
	CHECK(mem_state_name(3) == NULL, "mem state 3 has a name");
	for (i = 0; i < NELEM(reasons); i++)
		CHECK_STR(balloon_reason_name(i), reasons[i]);
	CHECK_INT(KVMSCHED_BALLOON_REASON_HOLD, 5);
	CHECK(balloon_reason_name(6) == NULL, "balloon reason 6 has a name");
	/* config's mem_state key uses the same names and values. */
	k = kv_find(kv_config_keys, "mem_state", 9);
	CHECK(k && k->type == KV_ENUM && (k->flags & KV_READONLY),
	      "mem_state key");
	for (i = 0; k && k->enums[i].name; i++)
		CHECK_STR(k->enums[i].name, mem_state_name(k->enums[i].value));
	CHECK_INT(i, 3);
	/* Every config attribute has a key, named as the spec with '_'. */
	for (i = 1; i <= KVMSCHED_A_CONFIG_MAX; i++) {
		for (k = kv_config_keys; k->key; k++)
			if (k->attr == (int)i)
				break;
		CHECK(k->key != NULL, "config attribute %u has no key", i);
	}
}

/* -- top ------------------------------------------------------------------- */

static struct kvms_vm sample(uint32_t id, uint32_t vcpus, uint64_t cpu,
			     uint64_t wait)
{
	struct kvms_vm vm = mkvm(id, id * 10, NULL);

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS);
	vm.nr_vcpus = vcpus;
	vm.cpu_time_ns = cpu;
	vm.wait_time_ns = wait;
	return vm;
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_top(void)
{
	const uint64_t s = 1000000000ull;
	struct kvms_vm prev[4], cur[5];
	struct top_row rows[5];

	prev[0] = sample(1, 2, 1 * s, 0);
	prev[1] = sample(2, 1, 5 * s, s);
	prev[2] = sample(4, 1, 9 * s, 0);	/* gone in cur */
	cur[0] = sample(1, 2, 1 * s + s / 2, s / 5);	/* 50%, 10% of 2 vCPUs */
	cur[1] = sample(2, 1, 5 * s + 4 * s / 5, s + s / 2); /* 80%, 50% */
	cur[2] = sample(3, 4, 7 * s, 0);		/* new: no rate */
	cur[3] = sample(5, 0, 0, 0);			/* new, no vCPU */
	prev[2].id = 5;		/* same id, counters went back: no rate */
	prev[2].cpu_time_ns = 3 * s;
	prev[2].wait_time_ns = 0;
	prev[3] = sample(6, 1, 2 * s, 0);
	cur[4] = sample(6, 1, 2 * s, 0);		/* idle: 0%, but a rate */

	CHECK_INT(top_compute(prev, 4, cur, 5, s, rows), 5);
	/* Sorted: rates first, highest CPU first, then by id. */
	CHECK_INT(rows[0].vm->id, 2);
	CHECK(rows[0].has_cpu && near(rows[0].cpu_pct, 80.0),
	      "VM 2 CPU%% %f, want 80", rows[0].cpu_pct);
	CHECK(rows[0].has_wait && near(rows[0].wait_pct, 50.0),
	      "VM 2 WAIT%% %f, want 50", rows[0].wait_pct);
	CHECK_INT(rows[1].vm->id, 1);
	CHECK(rows[1].has_cpu && near(rows[1].cpu_pct, 50.0),
	      "VM 1 CPU%% %f, want 50", rows[1].cpu_pct);
	CHECK(rows[1].has_wait && near(rows[1].wait_pct, 10.0),
	      "VM 1 WAIT%% %f, want 10 (0.2 s / (1 s x 2 vCPUs))",
	      rows[1].wait_pct);
	CHECK_INT(rows[2].vm->id, 6);	/* an idle VM before VMs without rate */
	CHECK(rows[2].has_cpu && rows[2].cpu_pct == 0.0, "idle VM 6: %d %f",
	      rows[2].has_cpu, rows[2].cpu_pct);
	CHECK_INT(rows[3].vm->id, 3);
	CHECK(!rows[3].has_cpu && !rows[3].has_wait, "new VM 3 has a rate");
	CHECK_INT(rows[4].vm->id, 5);
	CHECK(!rows[4].has_cpu, "VM 5 whose counters went back has a CPU rate");
	CHECK(!rows[4].has_wait, "VM 5 without vCPUs has a WAIT rate");

	/* Over half a second the same deltas are twice the rate. */
	top_compute(prev, 2, cur, 2, s / 2, rows);
	CHECK(near(rows[0].cpu_pct, 160.0), "VM 2 CPU%% %f over 0.5 s, want 160",
	      rows[0].cpu_pct);
	/* A zero interval gives no rate rather than a division by zero. */
	top_compute(prev, 2, cur, 2, 0, rows);
	CHECK(!rows[0].has_cpu && !rows[1].has_cpu, "rate over a 0 ns interval");
	CHECK_INT(top_compute(prev, 0, cur, 0, s, rows), 0);
}

static void test_sort(void)
{
	struct kvms_vm vms[3] = { mkvm(9, 1, NULL), mkvm(2, 1, NULL),
				  mkvm(5, 1, NULL) };
	struct kvms_vcpu v[3] = {
		{ .vm_id = 2, .vcpu_id = 3 }, { .vm_id = 1, .vcpu_id = 7 },
		{ .vm_id = 2, .vcpu_id = 0 },
	};

	vms_sort_by_id(vms, 3);
	CHECK(vms[0].id == 2 && vms[1].id == 5 && vms[2].id == 9,
	      "sorted ids %u %u %u", vms[0].id, vms[1].id, vms[2].id);
	vcpus_sort_by_id(v, 3);
	CHECK(v[0].vm_id == 1 && v[1].vcpu_id == 0 && v[2].vcpu_id == 3,
	      "sorted vCPUs %u/%u %u/%u %u/%u", v[0].vm_id, v[0].vcpu_id,
	      v[1].vm_id, v[1].vcpu_id, v[2].vm_id, v[2].vcpu_id);
}

int main(void)
{
	test_u32();
	test_duration();
	test_selectors();
	test_selector_describe();
	test_selector_match();
	test_kv_config();
	test_kv_vm();
	test_kv_future();
	test_no_local_checks();
	test_sanitize();
	test_numbers_fmt();
	test_timestamp();
	test_json_string();
	test_json_writer();
	test_table();
	test_vm_row();
	test_names();
	test_vm_table();
	test_show_output();
	test_events();
	test_top();
	test_sort();
	test_kv_bounds_mem();
	test_cross_checks();
	test_print_keys();
	test_bounds_mem_output();
	test_config_output();
	test_events_bounds_mem();
	test_names_bounds_mem();
#ifdef HARNESS_SELFTEST
	CHECK_INT(1 + 1, 3);	/* must be reported as the one failure */
#endif
	return check_done("test_parse");
}
