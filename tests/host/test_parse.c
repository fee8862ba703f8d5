// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/parse.c: numbers, durations, VM selectors,
 * KEY=VALUE settings (ranges, read-only keys, checks between keys) and the
 * key lists of the usage texts. No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail; run.sh also builds this file with -DHARNESS_SELFTEST, which
 * adds one check that must fail, to prove the harness reports failures.
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

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"
#include "fixtures.h"

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
	"mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, " \
	"latency_us"
#define CONFIG_KEYS "period_ms, reserve_headroom_pct, mem_low_pct, " \
	"mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, " \
	"balloon_min_step_bp, idle_tax_pct, balloon_max_pct, " \
	"balloon_period_ms, mem_psi_reclaim_bp, starve_ms, burst_boost, " \
	"burst_threshold_us"

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
	KV_BAD(t, "class=deadline", -EINVAL,
	       "class: unknown value 'deadline' (accepted: shares|background|realtime|latency)");
	KV_BAD(t, "class=Realtime", -EINVAL, "unknown value 'Realtime'");
	KV_BAD(t, "class=2", -EINVAL, "unknown value '2'");
	KV_BAD(t, "Name=x", -EINVAL, "unknown key 'Name'");
	KV_BAD(t, "name", -EINVAL, "expected KEY=VALUE (keys: " VM_KEYS ")");
	/* A hostile key is echoed escaped. */
	KV_BAD(t, "\x1b]0;x\x07=1", -EINVAL, "unknown key '\\x1b]0;x\\x07'");
}

/* The realtime class and its keys, from the uapi header's numbers. */
static void test_kv_realtime(void)
{
	const struct kv_key *t = kv_vm_keys;
	const int C = KVMSCHED_A_VM_CLASS, P = KVMSCHED_A_VM_RT_PRIORITY;
	const int Q = KVMSCHED_A_VM_RR_QUANTUM_MS;

	KV_OK_U32(t, "class=realtime", C, 2);
	KV_OK_U32(t, "class=realtime", C, KVMSCHED_CLASS_REALTIME);
	KV_OK_U32(t, "class=background", C, 1);
	KV_OK_U32(t, "rt_priority=1", P, 1);
	KV_OK_U32(t, "rt_priority=30", P, 30);
	KV_OK_U32(t, "rt_priority=99", P, 99);
	KV_BAD(t, "rt_priority=0", -ERANGE,
	       "rt_priority: 0 is out of range (accepted: 1-99)");
	KV_BAD(t, "rt_priority=100", -ERANGE,
	       "rt_priority: 100 is out of range (accepted: 1-99)");
	KV_BAD(t, "rt_priority=high", -EINVAL,
	       "rt_priority: 'high' is not a number (accepted: 1-99)");
	KV_OK_U32(t, "rr_quantum_ms=0", Q, 0);
	KV_OK_U32(t, "rr_quantum_ms=20", Q, 20);
	KV_OK_U32(t, "rr_quantum_ms=1000", Q, 1000);
	KV_BAD(t, "rr_quantum_ms=1001", -ERANGE,
	       "rr_quantum_ms: 1001 is out of range (accepted: 0-1000 ms)");
	KV_BAD(t, "rr_quantum_ms=20ms", -EINVAL,
	       "rr_quantum_ms: '20ms' is not a number (accepted: 0-1000 ms)");
	KV_BAD(t, "rt_throttled_periods=0", -EINVAL,
	       "unknown key 'rt_throttled_periods'");
	/* The global counter is shown by config, never set. */
	KV_BAD(kv_config_keys, "rt_throttled_periods=0", -EINVAL,
	       "rt_throttled_periods is read-only (settable keys: ");
}

/* The latency class and its key, from the uapi header's numbers. */
static void test_kv_latency(void)
{
	const struct kv_key *t = kv_vm_keys;
	const int C = KVMSCHED_A_VM_CLASS, L = KVMSCHED_A_VM_LATENCY_US;
	char arg[64], want[128];

	KV_OK_U32(t, "class=latency", C, 3);
	KV_OK_U32(t, "class=latency", C, KVMSCHED_CLASS_LATENCY);
	KV_BAD(t, "class=Latency", -EINVAL, "unknown value 'Latency'");
	KV_BAD(t, "class=3", -EINVAL, "unknown value '3'");
	KV_OK_U32(t, "latency_us=1000", L, 1000);
	KV_OK_U32(t, "latency_us=5000", L, 5000);
	KV_OK_U32(t, "latency_us=10000", L, 10000);
	KV_BAD(t, "latency_us=999", -ERANGE,
	       "latency_us: 999 is out of range (accepted: 1000-10000 us)");
	KV_BAD(t, "latency_us=10001", -ERANGE,
	       "latency_us: 10001 is out of range (accepted: 1000-10000 us)");
	/* The old range's ends are outside the new one. */
	KV_BAD(t, "latency_us=500", -ERANGE,
	       "latency_us: 500 is out of range (accepted: 1000-10000 us)");
	KV_BAD(t, "latency_us=100000", -ERANGE,
	       "latency_us: 100000 is out of range (accepted: 1000-10000 us)");
	KV_BAD(t, "latency_us=0", -ERANGE,
	       "latency_us: 0 is out of range (accepted: 1000-10000 us)");
	KV_BAD(t, "latency_us=5000us", -EINVAL,
	       "latency_us: '5000us' is not a number (accepted: 1000-10000 us)");
	KV_BAD(t, "latency_us=", -EINVAL, "latency_us");
	/* The ends are the uapi header's, the spec's consts. */
	CHECK_INT(KVMSCHED_LATENCY_US_MIN, 1000);
	CHECK_INT(KVMSCHED_LATENCY_US_MAX, 10000);
	CHECK_INT(KVMSCHED_LATENCY_US_DEFAULT, 5000);
	snprintf(arg, sizeof(arg), "latency_us=%u", KVMSCHED_LATENCY_US_MAX + 1);
	snprintf(want, sizeof(want), "latency_us: %u is out of range",
		 KVMSCHED_LATENCY_US_MAX + 1);
	KV_BAD(t, arg, -ERANGE, want);
	/* A per-VM key only. */
	KV_BAD(kv_config_keys, "latency_us=5000", -EINVAL,
	       "unknown key 'latency_us'");
}

static void test_kv_starve(void)
{
	const struct kv_key *t = kv_config_keys;
	const int S = KVMSCHED_A_CONFIG_STARVE_MS;
	char range[64];

	KV_OK_U32(t, "starve_ms=0", S, 0);	/* off */
	KV_OK_U32(t, "starve_ms=100", S, KVMSCHED_STARVE_MS_MIN);
	KV_OK_U32(t, "starve_ms=1000", S, KVMSCHED_STARVE_MS_DEFAULT);
	KV_OK_U32(t, "starve_ms=60000", S, KVMSCHED_STARVE_MS_MAX);
	KV_BAD(t, "starve_ms=1", -ERANGE,
	       "starve_ms: 1 is out of range (accepted: 0 (off) or 100-60000 ms)");
	KV_BAD(t, "starve_ms=99", -ERANGE,
	       "starve_ms: 99 is out of range (accepted: 0 (off) or 100-60000 ms)");
	KV_BAD(t, "starve_ms=60001", -ERANGE,
	       "starve_ms: 60001 is out of range (accepted: 0 (off) or 100-60000 ms)");
	KV_BAD(t, "starve_ms=4294967296", -ERANGE, "out of range");
	KV_BAD(t, "starve_ms=1s", -EINVAL,
	       "starve_ms: '1s' is not a number (accepted: 0 (off) or 100-60000 ms)");
	kv_range(kv_find(t, "starve_ms", 9), range, sizeof(range));
	CHECK_STR(range, "0 (off) or 100-60000 ms");
	/* Read-only, from the kernel: never settable. */
	KV_BAD(kv_vm_keys, "starved_count=0", -EINVAL,
	       "unknown key 'starved_count'");
	/* Without local checks, 99 goes to the kernel (which refuses it). */
	parse_no_local_checks = true;
	KV_OK_U32(t, "starve_ms=99", S, 99);
	parse_no_local_checks = false;
}

static void test_kv_burst(void)
{
	const struct kv_key *t = kv_config_keys;
	const int B = KVMSCHED_A_CONFIG_BURST_BOOST;
	const int T = KVMSCHED_A_CONFIG_BURST_THRESHOLD_US;
	struct kv_setting s[2];
	char err[ERRLEN] = "", range[64];
	char a0[] = "burst_boost=1", a1[] = "burst_threshold_us=500";
	char *argv[2] = { a0, a1 };

	/* burst_boost: 0 (off) or 1, nothing else. */
	KV_OK_U32(t, "burst_boost=0", B, 0);
	KV_OK_U32(t, "burst_boost=1", B, 1);
	KV_BAD(t, "burst_boost=2", -ERANGE,
	       "burst_boost: 2 is out of range (accepted: 0-1)");
	KV_BAD(t, "burst_boost=4294967296", -ERANGE, "out of range");
	KV_BAD(t, "burst_boost=on", -EINVAL,
	       "burst_boost: 'on' is not a number (accepted: 0-1)");
	KV_BAD(t, "burst_boost=-1", -EINVAL, "not a number");
	kv_range(kv_find(t, "burst_boost", 11), range, sizeof(range));
	CHECK_STR(range, "0-1");

	/* burst_threshold_us: the spec's 100-100000 us. */
	KV_OK_U32(t, "burst_threshold_us=100", T, KVMSCHED_BURST_THRESHOLD_US_MIN);
	KV_OK_U32(t, "burst_threshold_us=1000", T,
		  KVMSCHED_BURST_THRESHOLD_US_DEFAULT);
	KV_OK_U32(t, "burst_threshold_us=100000", T,
		  KVMSCHED_BURST_THRESHOLD_US_MAX);
	KV_BAD(t, "burst_threshold_us=99", -ERANGE,
	       "burst_threshold_us: 99 is out of range (accepted: 100-100000 us)");
	KV_BAD(t, "burst_threshold_us=100001", -ERANGE,
	       "burst_threshold_us: 100001 is out of range (accepted: 100-100000 us)");
	/* 0 is no "off" here, unlike starve_ms. */
	KV_BAD(t, "burst_threshold_us=0", -ERANGE,
	       "burst_threshold_us: 0 is out of range (accepted: 100-100000 us)");
	KV_BAD(t, "burst_threshold_us=1ms", -EINVAL,
	       "burst_threshold_us: '1ms' is not a number (accepted: 100-100000 us)");
	kv_range(kv_find(t, "burst_threshold_us", 18), range, sizeof(range));
	CHECK_STR(range, "100-100000 us");

	/* Both in one command: two settings, no cross-check between them. */
	CHECK_INT(kv_parse_list(t, 2, argv, s, err, sizeof(err)), 2);
	CHECK_STR(err, "");
	CHECK_INT(s[0].key->attr, B);
	CHECK_INT(s[0].u32, 1);
	CHECK_INT(s[1].key->attr, T);
	CHECK_INT(s[1].u32, 500);

	/* The vCPU's burst-us is read-only: no key of set. */
	KV_BAD(kv_vm_keys, "burst_us=5", -EINVAL, "unknown key 'burst_us'");
	/* Without local checks, the kernel refuses (its policy: max 1, 100-100000). */
	parse_no_local_checks = true;
	KV_OK_U32(t, "burst_boost=2", B, 2);
	KV_OK_U32(t, "burst_threshold_us=99", T, 99);
	parse_no_local_checks = false;
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
	KV_BAD(t, "class=foo", -EINVAL, "class: unknown value 'foo' (accepted: shares|background|realtime|latency)");
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
	/* realtime class: 0 and 100 refused, 1001 ms refused */
	{ "rt_priority", KVMSCHED_A_VM_RT_PRIORITY, 1, 99, "1-99" },
	{ "rr_quantum_ms", KVMSCHED_A_VM_RR_QUANTUM_MS, 0, 1000, "0-1000 ms" },
	/* latency class: 999 and 10001 refused */
	{ "latency_us", KVMSCHED_A_VM_LATENCY_US, 1000, 10000, "1000-10000 us" },
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
	/* A realtime VM takes no reservation or limit. */
	ARGS_BAD(v, "class=realtime reservation_mcpu=500",
		 "reservation_mcpu: 500 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	ARGS_BAD(v, "limit_mcpu=1 rt_priority=5 class=realtime",
		 "limit_mcpu: 1 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	ARGS_BAD(v, "class=realtime reservation_mcpu=0 limit_mcpu=2000",
		 "limit_mcpu: 2000 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	ARGS_OK(v, "class=realtime reservation_mcpu=0 limit_mcpu=0", 3);
	ARGS_OK(v, "class=realtime rt_priority=99 rr_quantum_ms=0", 3);
	ARGS_OK(v, "class=shares reservation_mcpu=500 limit_mcpu=1000", 3);
	/* A latency VM takes reservation and limit like a shares VM. */
	ARGS_OK(v, "class=latency reservation_mcpu=500 limit_mcpu=1000", 3);
	ARGS_OK(v, "class=latency latency_us=3000 limit_mcpu=2000", 3);
	ARGS_BAD(v, "class=latency reservation_mcpu=900 limit_mcpu=500",
		 "reservation_mcpu: 900 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	/* The kernel checks against the class the VM has. */
	ARGS_OK(v, "rt_priority=50 reservation_mcpu=500", 2);
	/* Tables without rules, and the testing aid, skip them. */
	CHECK_INT(kv_cross_check(test_keys, s, 0, err, sizeof(err)), 0);
	parse_no_local_checks = true;
	ARGS_OK(v, "reservation_mcpu=900 limit_mcpu=500", 2);
	ARGS_OK(c, "mem_critical_pct=50 mem_low_pct=10", 2);
	ARGS_OK(v, "reservation_mcpu=2000000 limit_mcpu=5", 2);
	ARGS_OK(v, "class=realtime limit_mcpu=500", 2);
	ARGS_OK(v, "rt_priority=0 rr_quantum_ms=1001", 2);
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
	CHECK_HAS(text, "\n  class            scheduling class (shares|background|realtime|latency)\n");
	CHECK_HAS(text, "\n  latency_us       latency class: deadline period of the vCPU threads (default 5000) (1000-10000 us)\n");
	CHECK_HAS(text, "\n  rt_priority      realtime class priority, higher runs first (default 1) (1-99)\n");
	CHECK_HAS(text, "\n  rr_quantum_ms    realtime round robin quantum, 0 = first-come-first-served (default) (0-1000 ms)\n");
	CHECK_INT(lines, 11);
	cap_free(&c);

	cap_open(&c);
	kv_print_keys(c.f, kv_config_keys);
	text = cap_text(&c);
	CHECK_HAS(text, "  period_ms            sampling and enforcement period (10-1000 ms)\n");
	CHECK_HAS(text, "\n  reserve_headroom_pct host CPU reservations may never take (default 10) (0-50 %)\n");
	CHECK_HAS(text, "\n  starve_ms            count and report a runnable shares vCPU getting no CPU this long, 0 = off (default 1000) (0 (off) or 100-60000 ms)\n");
	CHECK_HAS(text, "\n  balloon_period_ms    how often balloon targets are recomputed (default 10000) (100-600000 ms)\n");
	CHECK(!strstr(text, "capacity_mcpu") && !strstr(text, "mem_state"),
	      "read-only keys in config -h keys: %s", text);
	lines = 0;
	for (line = text; *line; line = strchr(line, '\n') + 1, lines++)
		CHECK(strlen(line) > 23 && line[22] == ' ' && line[23] != ' ',
		      "config -h line %d not aligned: %.40s", lines, line);
	CHECK_HAS(text, "\n  burst_boost          run a shares VM whose vCPUs all ran in short bursts ahead of the fair class, 0 = off (default 0) (0-1)\n");
	CHECK_HAS(text, "\n  burst_threshold_us   burst_boost: a mean run burst under this is short (default 1000) (100-100000 us)\n");
	CHECK_INT(lines, 14);
	cap_free(&c);
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
	test_kv_realtime();
	test_kv_latency();
	test_kv_starve();
	test_kv_burst();
	test_kv_future();
	test_no_local_checks();
	test_kv_bounds_mem();
	test_cross_checks();
	test_print_keys();
#ifdef HARNESS_SELFTEST
	CHECK_INT(1 + 1, 3);	/* must be reported as the one failure */
#endif
	return check_done("test_parse");
}
