// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/policy.c and vmident.c: the policy files
 * (YAML) with every kind of error and its exact "FILE:LINE:COLUMN: " message,
 * drop-in order, QEMU -name/-uuid from a command line, and which rule
 * matches (first wins, globs). No kernel, no netlink.
 *
 * Output: one "not ok" line per failed check and a last line
 * "test_policy: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"

#include "check.h"

static char err[ERRLEN];

/* Parse text as file "t.conf" into a fresh policy; returns the rc. */
static int parse(const char *text, struct policy *p)
{
	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	return policy_parse("t.conf", text, strlen(text), p, err, sizeof(err));
}

static const char good[] =
	"# a comment\n"
	"config:\n"
	"  period_ms: 50\n"
	"  reserve_headroom_pct: 10\n"
	"rules:\n"
	"  - name: web1\n"
	"    set:\n"
	"      class: shares\n"
	"      weight: 400\n"
	"      limit_mcpu: 1500\n"
	"  - name: \"web*\"\n"
	"    set: { weight: 200 }\n"
	"  - uuid: 6E1D7C4A-0000-4000-8000-00000000AB01\n"
	"    set: { class: background, reservation_mcpu: 0 }\n"
	"  - cmdline: \"*qemu-system-x86_64 *-name guest=db*\"\n"
	"    set: { mem_shares: 2000, mem_min_mib: 64, mem_max_mib: 512, name: dbx }\n";

static void test_good(void)
{
	struct policy p;
	char buf[256];

	CHECK_INT(parse(good, &p), 0);
	CHECK_STR(err, "");
	CHECK_INT(p.nconfig, 2);
	CHECK_STR(p.config[0].key->key, "period_ms");
	CHECK_INT(p.config[0].u32, 50);
	CHECK_STR(p.config_where[1], "t.conf:4");
	CHECK_INT(p.nrules, 4);
	CHECK_INT(p.rules[0].kind, POL_NAME);
	CHECK_STR(p.rules[0].pattern, "web1");
	CHECK_STR(p.rules[0].where, "t.conf:6");
	CHECK_INT(p.rules[0].nset, 3);
	CHECK_INT(p.rules[0].set[0].u32, KVMSCHED_CLASS_SHARES);
	CHECK_INT(p.rules[0].set[1].u32, 400);
	CHECK_INT(p.rules[1].index, 2);
	CHECK_INT(p.rules[2].kind, POL_UUID);
	CHECK_INT(p.rules[2].set[0].u32, KVMSCHED_CLASS_BACKGROUND);
	CHECK_INT(p.rules[3].kind, POL_CMDLINE);
	CHECK_STR(p.rules[3].set[3].str, "dbx");
	pol_rule_sets(&p.rules[0], buf, sizeof(buf));
	CHECK_STR(buf, "class=shares weight=400 limit_mcpu=1500");
	policy_free(&p);
	CHECK_INT(p.nrules, 0);

	/* Empty and comment-only files and empty sections: no rules. */
	CHECK_INT(parse("", &p), 0);
	CHECK_INT(p.nrules + p.nconfig, 0);
	policy_free(&p);
	CHECK_INT(parse("# nothing\n", &p), 0);
	policy_free(&p);
	CHECK_INT(parse("rules:\nconfig:\n", &p), 0);
	CHECK_INT(p.nrules + p.nconfig, 0);
	policy_free(&p);
}

/* Each bad file: rc -EINVAL and exactly this message. */
static void bad(const char *text, const char *want)
{
	struct policy p;
	int rc = parse(text, &p);

	CHECK(rc == -EINVAL, "rc %d for: %s", rc, want);
	CHECK_STR(err, want);
	policy_free(&p);
}

static void test_bad(void)
{
	/* Syntax. */
	bad("rules:\n  - name: a\n    set: {weight: 1\n",
	    "t.conf:4:1: YAML syntax: did not find expected ',' or '}' while parsing a flow mapping");
	bad("rules:\n  - name: a\n   set: x\n",
	    "t.conf:3:4: YAML syntax: did not find expected '-' indicator while parsing a block collection");
	bad("config: {}\n---\nrules:\n",
	    "t.conf:3:1: a second YAML document ('---'): put everything in one");
	bad("- a\n", "t.conf:1:1: expected a mapping with 'config:' and 'rules:', not a list");
	/* Unknown keys, at each level. */
	bad("rule:\n  - name: a\n",
	    "t.conf:1:1: top level: unknown key 'rule' (accepted keys: config, rules)");
	bad("rules:\n  - name: a\n    sets: {weight: 1}\n",
	    "t.conf:3:5: rule 1: unknown key 'sets' (accepted keys: name, uuid, cmdline, set)");
	bad("rules:\n  - name: a\n    set: {wieght: 1}\n",
	    "t.conf:3:11: rule 1: unknown key 'wieght' (accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us)");
	bad("config:\n  period: 100\n",
	    "t.conf:2:3: config: unknown key 'period' (accepted keys: period_ms, reserve_headroom_pct, mem_low_pct, mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, balloon_min_step_bp, idle_tax_pct, balloon_max_pct, balloon_period_ms, mem_psi_reclaim_bp, starve_ms, burst_boost, burst_threshold_us)");
	bad("config:\n  nr_vms: 3\n",
	    "t.conf:2:3: config: nr_vms is read-only (settable keys: period_ms, reserve_headroom_pct, mem_low_pct, mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, balloon_min_step_bp, idle_tax_pct, balloon_max_pct, balloon_period_ms, mem_psi_reclaim_bp, starve_ms, burst_boost, burst_threshold_us)");
	/* Out of range: the spec's range in the message, column of the value. */
	bad("rules:\n  - name: a\n    set:\n      weight: 0\n",
	    "t.conf:4:15: rule 1: weight: 0 is out of range (accepted: 1-10000)");
	bad("rules:\n  - name: a\n    set: {limit_mcpu: 2000000}\n",
	    "t.conf:3:23: rule 1: limit_mcpu: 2000000 is out of range (accepted: 0-1024000 mcpu)");
	bad("config:\n  period_ms: 5\n",
	    "t.conf:2:14: config: period_ms: 5 is out of range (accepted: 10-1000 ms)");
	bad("rules:\n  - name: a\n    set: {class: gold}\n",
	    "t.conf:3:18: rule 1: class: unknown value 'gold' (accepted: shares|background|realtime|latency)");
	bad("rules:\n  - name: a\n    set: {weight: [1]}\n",
	    "t.conf:3:19: rule 1: weight: expected a value, not a list");
	bad("rules:\n  - name: a\n    set: {reservation_mcpu: 900, limit_mcpu: 500}\n",
	    "t.conf:3:10: rule 1: reservation_mcpu: 900 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	/* Rule shape. */
	bad("rules:\n  - set: {weight: 2}\n",
	    "t.conf:2:5: rule 1: matches nothing: give one of name, uuid, cmdline");
	bad("rules:\n  - name: a\n    uuid: 6e1d7c4a-0000-4000-8000-00000000ab01\n    set: {weight: 2}\n",
	    "t.conf:3:5: rule 1: matches by name and by uuid: give exactly one of name, uuid, cmdline");
	bad("rules:\n  - name: a\n",
	    "t.conf:2:5: rule 1: sets nothing: add 'set:' with kvmschedctl set keys");
	bad("rules:\n  - uuid: 1234\n    set: {weight: 2}\n",
	    "t.conf:2:11: rule 1: uuid: '1234' is not a UUID (accepted: 36 characters, 8-4-4-4-12 hex digits)");
	bad("rules:\n  - name: a\n    set: {weight: 2, weight: 3}\n",
	    "t.conf:3:22: rule 1: key 'weight' given twice");
	/* Conflicting rules: the same match twice. */
	bad("rules:\n  - name: web1\n    set: {weight: 2}\n  - name: web1\n    set: {weight: 3}\n",
	    "t.conf:4:11: rule 2: conflicts with rule 1 at t.conf:2: both match name 'web1'");
	bad("rules:\n  - uuid: 6e1d7c4a-0000-4000-8000-00000000ab01\n    set: {weight: 2}\n"
	    "  - uuid: 6E1D7C4A-0000-4000-8000-00000000AB01\n    set: {weight: 3}\n",
	    "t.conf:4:11: rule 2: conflicts with rule 1 at t.conf:2: both match uuid '6E1D7C4A-0000-4000-8000-00000000AB01'");
}

/* A directory: kvmsched.conf, then conf.d in name order; a bad drop-in fails all. */
static void test_dir(void)
{
	char dir[] = "/tmp/kvms-policy-XXXXXX", path[256];
	struct policy p;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
#define PUT(name, text) do {						\
		snprintf(path, sizeof(path), "%s/%s", dir, name);	\
		f = fopen(path, "w");					\
		CHECK(f != NULL, "create %s", path);			\
		if (f) { fputs(text, f); fclose(f); }			\
	} while (0)
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	mkdir(path, 0755);
	PUT("kvmsched.conf", "config: {period_ms: 20}\nrules:\n  - name: a\n    set: {weight: 1}\n");
	PUT("conf.d/20-b.conf", "rules:\n  - name: b\n    set: {weight: 3}\n");
	PUT("conf.d/10-a.conf", "rules:\n  - name: \"*\"\n    set: {weight: 2}\n");
	PUT("conf.d/30-x.conf.disabled", "garbage: [\n");
	CHECK_INT(policy_load(dir, &p, err, sizeof(err)), 0);
	CHECK_INT(p.nfiles, 3);
	CHECK_INT(p.nrules, 3);
	if (p.nrules == 3) {
		CHECK_STR(p.rules[0].pattern, "a");
		CHECK_STR(p.rules[1].pattern, "*");
		CHECK_STR(p.rules[2].pattern, "b");
		CHECK_INT(p.rules[2].index, 3);
	}
	policy_free(&p);
	/* A global key set again in a drop-in is a conflict. */
	PUT("conf.d/40-c.conf", "config:\n  period_ms: 30\n");
	CHECK_INT(policy_load(dir, &p, err, sizeof(err)), -EINVAL);
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "%s/conf.d/40-c.conf:2: config: period_ms set again (already set at %s/kvmsched.conf:1)",
			 dir, dir);
		CHECK_STR(err, want);
	}
	CHECK_INT(p.nrules, 0);
	unlink(path);
	/* The same rule in two files. */
	PUT("conf.d/50-d.conf", "rules:\n  - name: b\n    set: {weight: 9}\n");
	CHECK_INT(policy_load(dir, &p, err, sizeof(err)), -EINVAL);
	CHECK_HAS(err, "/conf.d/50-d.conf:2:11: rule 4: conflicts with rule 3 at ");
	CHECK_HAS(err, "/conf.d/20-b.conf:2: both match name 'b'");
	unlink(path);
	/* One file alone. */
	snprintf(path, sizeof(path), "%s/conf.d/20-b.conf", dir);
	CHECK_INT(policy_load(path, &p, err, sizeof(err)), 0);
	CHECK_INT(p.nrules, 1);
	policy_free(&p);
	/* Missing: an error, unless it is the default directory. */
	CHECK_INT(policy_load("/nonexistent/kvmsched.conf", &p, err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "/nonexistent/kvmsched.conf: No such file or directory");
#undef PUT
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
}

/* "a\0b\0" from a space-separated list (no arg has a space here). */
static size_t argv_buf(char *buf, size_t cap, const char *args)
{
	size_t n = strlen(args) + 1, i;

	if (n > cap)
		return 0;
	memcpy(buf, args, n);
	for (i = 0; i < n; i++)
		if (buf[i] == ' ')
			buf[i] = '\0';
	return n;
}

static void ident(const char *args, const char *name, const char *uuid)
{
	struct vm_ident id;
	char buf[1024];
	size_t n = argv_buf(buf, sizeof(buf), args);

	vm_ident_parse(buf, n, &id);
	CHECK(!strcmp(id.name, name), "%s: name \"%s\", want \"%s\"", args,
	      id.name, name);
	CHECK(!strcmp(id.uuid, uuid), "%s: uuid \"%s\", want \"%s\"", args,
	      id.uuid, uuid);
	CHECK(!strcmp(id.cmdline, args), "cmdline \"%s\", want \"%s\"",
	      id.cmdline, args);
}

static void test_ident(void)
{
	static const char u[] = "6e1d7c4a-0000-4000-8000-00000000ab01";
	char longname[80], args[160];

	ident("qemu-system-x86_64 -name web1 -m 512", "web1", "");
	ident("qemu-system-x86_64 -name guest=web1,debug-threads=on -uuid 6e1d7c4a-0000-4000-8000-00000000ab01",
	      "web1", u);
	ident("qemu-system-x86_64 -name web2,process=qemu-web2", "web2", "");
	ident("qemu-system-x86_64 -name debug-threads=on,guest=db1", "db1", "");
	ident("qemu-system-x86_64 --name a,,b -uuid 6e1d7c4a-0000-4000-8000-00000000ab01", "a,b", u);
	ident("qemu-system-x86_64 -m 512 -smp 2", "", "");
	ident("qemu-system-x86_64 -uuid short -name", "", "");
	ident("kvmtest -name", "", "");
	memset(longname, 'x', 64);
	longname[64] = '\0';
	snprintf(args, sizeof(args), "qemu -name %s", longname);
	ident(args, "", "");			/* 64 > 63 characters: left out */
	longname[63] = '\0';
	snprintf(args, sizeof(args), "qemu -name guest=%s", longname);
	ident(args, longname, "");

	/* The last argument without its NUL (truncated read): not a value. */
	{
		struct vm_ident id;

		vm_ident_parse("qemu\0-name\0web1", 15, &id);
		CHECK_STR(id.name, "");
		CHECK_STR(id.cmdline, "qemu -name web1");
	}
}

static void test_match(void)
{
	struct policy p;
	struct vm_ident id;
	const struct pol_rule *r;
	char buf[1024];
	size_t n;

	if (parse(good, &p)) {
		CHECK(0, "good policy: %s", err);
		return;
	}
	/* First match wins: web1 is rule 1, although "web*" matches too. */
	n = argv_buf(buf, sizeof(buf), "qemu-system-x86_64 -name guest=web1,debug-threads=on");
	vm_ident_parse(buf, n, &id);
	r = policy_match(&p, "", &id);
	CHECK_INT(r ? r->index : 0, 1);
	/* The kvmsched name takes over the command line's. */
	r = policy_match(&p, "web7", &id);
	CHECK_INT(r ? r->index : 0, 2);
	r = policy_match(&p, "other", &id);
	CHECK(r == NULL, "other matched rule %u", r ? r->index : 0);
	/* UUID, case-insensitive. */
	n = argv_buf(buf, sizeof(buf), "qemu-system-x86_64 -uuid 6e1d7c4a-0000-4000-8000-00000000ab01");
	vm_ident_parse(buf, n, &id);
	r = policy_match(&p, "", &id);
	CHECK_INT(r ? r->index : 0, 3);
	/* A name rule ahead of the uuid rule wins. */
	r = policy_match(&p, "web3", &id);
	CHECK_INT(r ? r->index : 0, 2);
	/* cmdline glob. */
	n = argv_buf(buf, sizeof(buf), "/usr/bin/qemu-system-x86_64 -machine q35 -name guest=db3,debug-threads=on");
	vm_ident_parse(buf, n, &id);
	r = policy_match(&p, "", &id);
	CHECK_INT(r ? r->index : 0, 4);
	n = argv_buf(buf, sizeof(buf), "/usr/bin/qemu-system-i386 -name guest=db3");
	vm_ident_parse(buf, n, &id);
	r = policy_match(&p, "", &id);
	CHECK(r == NULL, "i386 matched rule %u", r ? r->index : 0);
	/* No name, no uuid, nothing matches. */
	memset(&id, 0, sizeof(id));
	CHECK(policy_match(&p, "", &id) == NULL, "empty ident matched");
	policy_free(&p);
}

/* The realtime class and its keys in a rule's set:, the CLI's ranges. */
static void test_realtime(void)
{
	struct policy p;
	char buf[256];

	CHECK_INT(parse("rules:\n"
			"  - name: rt1\n"
			"    set:\n"
			"      class: realtime\n"
			"      rt_priority: 30\n"
			"      rr_quantum_ms: 20\n"
			"  - name: rt2\n"
			"    set: { class: realtime, rt_priority: 99, rr_quantum_ms: 0, limit_mcpu: 0 }\n"
			"  - name: web\n"
			"    set: { rt_priority: 1, rr_quantum_ms: 1000, weight: 5 }\n",
			&p), 0);
	CHECK_STR(err, "");
	CHECK_INT(p.nrules, 3);
	CHECK_INT(p.rules[0].nset, 3);
	CHECK_INT(p.rules[0].set[0].key->attr, KVMSCHED_A_VM_CLASS);
	CHECK_INT(p.rules[0].set[0].u32, KVMSCHED_CLASS_REALTIME);
	CHECK_INT(p.rules[0].set[1].key->attr, KVMSCHED_A_VM_RT_PRIORITY);
	CHECK_INT(p.rules[0].set[1].u32, 30);
	CHECK_INT(p.rules[0].set[2].key->attr, KVMSCHED_A_VM_RR_QUANTUM_MS);
	CHECK_INT(p.rules[0].set[2].u32, 20);
	pol_rule_sets(&p.rules[0], buf, sizeof(buf));
	CHECK_STR(buf, "class=realtime rt_priority=30 rr_quantum_ms=20");
	CHECK_INT(p.rules[1].set[1].u32, 99);
	CHECK_INT(p.rules[1].set[2].u32, 0);
	pol_rule_sets(&p.rules[2], buf, sizeof(buf));
	CHECK_STR(buf, "rt_priority=1 rr_quantum_ms=1000 weight=5");
	policy_free(&p);

	bad("rules:\n  - name: a\n    set: {rt_priority: 0}\n",
	    "t.conf:3:24: rule 1: rt_priority: 0 is out of range (accepted: 1-99)");
	bad("rules:\n  - name: a\n    set:\n      rt_priority: 100\n",
	    "t.conf:4:20: rule 1: rt_priority: 100 is out of range (accepted: 1-99)");
	bad("rules:\n  - name: a\n    set: {rr_quantum_ms: 1001}\n",
	    "t.conf:3:26: rule 1: rr_quantum_ms: 1001 is out of range (accepted: 0-1000 ms)");
	bad("rules:\n  - name: a\n    set: {rr_quantum_ms: 20ms}\n",
	    "t.conf:3:26: rule 1: rr_quantum_ms: '20ms' is not a number (accepted: 0-1000 ms)");
	bad("rules:\n  - name: a\n    set: {class: realtime, limit_mcpu: 500}\n",
	    "t.conf:3:10: rule 1: limit_mcpu: 500 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	bad("rules:\n  - name: a\n    set: {reservation_mcpu: 250, class: realtime}\n",
	    "t.conf:3:10: rule 1: reservation_mcpu: 250 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	bad("rules:\n  - name: a\n    set: {rt_throttled_periods: 0}\n",
	    "t.conf:3:11: rule 1: unknown key 'rt_throttled_periods' (accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us)");
	bad("config:\n  rt_throttled_periods: 0\n",
	    "t.conf:2:3: config: rt_throttled_periods is read-only (settable keys: period_ms, reserve_headroom_pct, mem_low_pct, mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, balloon_min_step_bp, idle_tax_pct, balloon_max_pct, balloon_period_ms, mem_psi_reclaim_bp, starve_ms, burst_boost, burst_threshold_us)");
}

/* The latency class and latency_us in a rule's set:, the CLI's range. */
static void test_latency(void)
{
	struct policy p;
	char buf[256];

	CHECK_INT(parse("rules:\n"
			"  - name: lat1\n"
			"    set:\n"
			"      class: latency\n"
			"      latency_us: 3000\n"
			"      reservation_mcpu: 500\n"
			"      limit_mcpu: 1000\n"
			"  - name: lat2\n"
			"    set: { latency_us: 10000, class: latency }\n"
			"  - name: web\n"
			"    set: { latency_us: 1000, weight: 5 }\n",
			&p), 0);
	CHECK_STR(err, "");
	CHECK_INT(p.nrules, 3);
	CHECK_INT(p.rules[0].nset, 4);
	CHECK_INT(p.rules[0].set[0].key->attr, KVMSCHED_A_VM_CLASS);
	CHECK_INT(p.rules[0].set[0].u32, KVMSCHED_CLASS_LATENCY);
	CHECK_INT(p.rules[0].set[1].key->attr, KVMSCHED_A_VM_LATENCY_US);
	CHECK_INT(p.rules[0].set[1].u32, 3000);
	/* A latency VM keeps its reservation and limit: no refusal. */
	pol_rule_sets(&p.rules[0], buf, sizeof(buf));
	CHECK_STR(buf, "class=latency latency_us=3000 reservation_mcpu=500 limit_mcpu=1000");
	CHECK_INT(p.rules[1].set[0].key->attr, KVMSCHED_A_VM_LATENCY_US);
	CHECK_INT(p.rules[1].set[0].u32, 10000);
	CHECK_INT(p.rules[1].set[1].u32, 3);
	pol_rule_sets(&p.rules[2], buf, sizeof(buf));
	CHECK_STR(buf, "latency_us=1000 weight=5");
	policy_free(&p);

	bad("rules:\n  - name: a\n    set: {latency_us: 999}\n",
	    "t.conf:3:23: rule 1: latency_us: 999 is out of range (accepted: 1000-10000 us)");
	bad("rules:\n  - name: a\n    set:\n      latency_us: 10001\n",
	    "t.conf:4:19: rule 1: latency_us: 10001 is out of range (accepted: 1000-10000 us)");
	bad("rules:\n  - name: a\n    set: {latency_us: 0.5ms}\n",
	    "t.conf:3:23: rule 1: latency_us: '0.5ms' is not a number (accepted: 1000-10000 us)");
	bad("rules:\n  - name: a\n    set: {class: Latency}\n",
	    "t.conf:3:18: rule 1: class: unknown value 'Latency' (accepted: shares|background|realtime|latency)");
	bad("config:\n  latency_us: 5000\n",
	    "t.conf:2:3: config: unknown key 'latency_us' (accepted keys: period_ms, reserve_headroom_pct, mem_low_pct, mem_critical_pct, mem_hysteresis_pct, balloon_step_pct, balloon_min_step_bp, idle_tax_pct, balloon_max_pct, balloon_period_ms, mem_psi_reclaim_bp, starve_ms, burst_boost, burst_threshold_us)");
}

/* The burst boost's config keys in a policy file (kvmschedd's config:). */
static void test_burst(void)
{
	struct policy p;

	CHECK_INT(parse("config:\n  burst_boost: 1\n  burst_threshold_us: 100000\n", &p), 0);
	CHECK_STR(err, "");
	CHECK_INT(p.nconfig, 2);
	CHECK_INT(p.config[0].key->attr, KVMSCHED_A_CONFIG_BURST_BOOST);
	CHECK_INT(p.config[0].u32, 1);
	CHECK_INT(p.config[1].key->attr, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US);
	CHECK_INT(p.config[1].u32, 100000);
	CHECK_STR(p.config_where[1], "t.conf:3");
	policy_free(&p);

	bad("config:\n  burst_boost: 2\n",
	    "t.conf:2:16: config: burst_boost: 2 is out of range (accepted: 0-1)");
	bad("config:\n  burst_boost: true\n",
	    "t.conf:2:16: config: burst_boost: 'true' is not a number (accepted: 0-1)");
	bad("config:\n  burst_threshold_us: 99\n",
	    "t.conf:2:23: config: burst_threshold_us: 99 is out of range (accepted: 100-100000 us)");
	bad("config:\n  burst_threshold_us: 100001\n",
	    "t.conf:2:23: config: burst_threshold_us: 100001 is out of range (accepted: 100-100000 us)");
	/* A global tunable, not a rule's setting. */
	bad("rules:\n  - name: a\n    set: {burst_boost: 1}\n",
	    "t.conf:3:11: rule 1: unknown key 'burst_boost' (accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us)");
}

int main(void)
{
	test_good();
	test_burst();
	test_bad();
	test_realtime();
	test_latency();
	test_dir();
	test_ident();
	test_match();
	return check_done("test_policy");
}
