// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/libvirt.c: kvmsched settings in a
 * libvirt domain's <metadata> (libexpat, namespace by URI), every error
 * with its exact "FILE:LINE:COLUMN: " message, and the precedence merge
 * with a policy-file rule. No kernel, no netlink, no libvirt.
 *
 * Output: one "not ok" line per failed check and a last line
 * "test_libvirt: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvirt.h"
#include "policy.h"

#include "check.h"

static char err[ERRLEN];

static int parse(const char *text, struct lv_policy *lp)
{
	err[0] = '\0';
	return lv_parse("t.xml", text, strlen(text), lp, err, sizeof(err));
}

/* A status file as libvirt's QEMU driver writes it (trimmed). */
#define HEAD								\
	"<!--\n"							\
	"WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n" \
	"OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n" \
	"  virsh edit web1\n"						\
	"or other application using the libvirt API.\n"			\
	"-->\n"								\
	"\n"								\
	"<domstatus state='running' reason='booted' pid='4242'>\n"	\
	"  <taint flag='high-privileges'/>\n"				\
	"  <monitor path='/var/lib/libvirt/qemu/domain-1-web1/monitor.sock' type='unix'/>\n" \
	"  <vcpus>\n"							\
	"    <vcpu id='0' pid='4250'/>\n"				\
	"  </vcpus>\n"							\
	"  <qemuCaps>\n"						\
	"    <flag name='kvm'/>\n"					\
	"  </qemuCaps>\n"						\
	"  <domain type='kvm' id='1'>\n"				\
	"    <name>web1</name>\n"					\
	"    <uuid>6e1d7c4a-0000-4000-8000-00000000a001</uuid>\n"	\
	"    <metadata>\n"						\
	"      <nova:instance xmlns:nova=\"http://openstack.org/xmlns/libvirt/nova/1.1\">\n" \
	"        <nova:name>web1</nova:name>\n"			\
	"      </nova:instance>\n"
/* HEAD is lines 1-23; what a test puts in <metadata> starts at line 24. */
#define TAIL								\
	"    </metadata>\n"						\
	"    <memory unit='KiB'>1048576</memory>\n"			\
	"    <vcpu placement='static'>1</vcpu>\n"			\
	"    <os>\n"							\
	"      <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"	\
	"    </os>\n"							\
	"    <devices>\n"						\
	"      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"	\
	"    </devices>\n"						\
	"  </domain>\n"							\
	"</domstatus>\n"

#define NS "https://kvmsched.org/xmlns/policy/1"

static const char every_key[] = HEAD
	"      <kvmsched:policy xmlns:kvmsched=\"" NS "\">\n"
	"        <kvmsched:weight>400</kvmsched:weight>\n"
	"        <kvmsched:class>background</kvmsched:class>\n"
	"        <kvmsched:reservation_mcpu>250</kvmsched:reservation_mcpu>\n"
	"        <kvmsched:limit_mcpu>\n          1500\n        </kvmsched:limit_mcpu>\n"
	"        <kvmsched:mem_shares>2000</kvmsched:mem_shares>\n"
	"        <kvmsched:mem_min_mib>64</kvmsched:mem_min_mib>\n"
	"        <kvmsched:mem_max_mib>512</kvmsched:mem_max_mib>\n"
	"      </kvmsched:policy>\n"
	TAIL;

static void test_every_key(void)
{
	struct lv_policy lp;
	char buf[256];

	CHECK_INT(parse(every_key, &lp), 0);
	CHECK_STR(err, "");
	CHECK(lp.found, "the policy is found");
	CHECK_INT(lp.pid, 4242);
	CHECK_STR(lp.name, "web1");
	CHECK_STR(lp.uuid, "6e1d7c4a-0000-4000-8000-00000000a001");
	CHECK_STR(lp.path, "t.xml");
	CHECK_INT(lp.nset, 7);
	if (lp.nset == 7) {
		CHECK_STR(lp.set[0].key->key, "weight");
		CHECK_INT(lp.set[0].u32, 400);
		CHECK_STR(lp.where[0], "t.xml:25");
		CHECK_STR(lp.set[1].key->key, "class");
		CHECK_INT(lp.set[1].u32, KVMSCHED_CLASS_BACKGROUND);
		CHECK_INT(lp.set[2].u32, 250);
		CHECK_STR(lp.set[3].key->key, "limit_mcpu");
		CHECK_INT(lp.set[3].u32, 1500);	/* white space trimmed */
		CHECK_STR(lp.where[3], "t.xml:28");
		CHECK_INT(lp.set[4].u32, 2000);
		CHECK_INT(lp.set[5].u32, 64);
		CHECK_STR(lp.set[6].key->key, "mem_max_mib");
		CHECK_INT(lp.set[6].u32, 512);
		CHECK_STR(lp.where[6], "t.xml:33");
	}
	lv_sets(&lp, buf, sizeof(buf));
	CHECK_STR(buf, "weight=400 class=background reservation_mcpu=250 limit_mcpu=1500 mem_shares=2000 mem_min_mib=64 mem_max_mib=512");
	lv_free(&lp);
	CHECK_INT(lp.nset, 0);
}

/* Found or not, and what: matched by namespace URI, never by prefix. */
static void test_namespaces(void)
{
	struct lv_policy lp;

	/* No metadata at all; metadata of others only. */
	CHECK_INT(parse("<domstatus state='running' pid='7'><domain><name>x</name></domain></domstatus>", &lp), 0);
	CHECK(!lp.found && !lp.nset, "no metadata: nothing");
	CHECK_INT(lp.pid, 7);
	lv_free(&lp);
	CHECK_INT(parse(HEAD TAIL, &lp), 0);
	CHECK(!lp.found && !lp.nset, "nova's metadata only: nothing");
	lv_free(&lp);
	/* Another namespace with the same element names: not ours. */
	CHECK_INT(parse(HEAD
		"      <kvmsched:policy xmlns:kvmsched=\"https://example.org/not-kvmsched\">\n"
		"        <kvmsched:weight>0</kvmsched:weight>\n"
		"      </kvmsched:policy>\n"
		"      <policy><weight>7</weight></policy>\n"
		TAIL, &lp), 0);
	CHECK_STR(err, "");
	CHECK(!lp.found && !lp.nset, "same names, other namespace or none: ignored");
	lv_free(&lp);
	/* Ours under another prefix, and as the default namespace. */
	CHECK_INT(parse(HEAD
		"      <ks:policy xmlns:ks=\"" NS "\"><ks:weight>77</ks:weight></ks:policy>\n"
		TAIL, &lp), 0);
	CHECK(lp.found && lp.nset == 1 && lp.set[0].u32 == 77, "prefix ks: weight 77");
	lv_free(&lp);
	CHECK_INT(parse(HEAD
		"      <policy xmlns=\"" NS "\"><mem_shares>3000</mem_shares></policy>\n"
		TAIL, &lp), 0);
	CHECK(lp.found && lp.nset == 1 && lp.set[0].u32 == 3000, "default namespace: mem_shares 3000");
	lv_free(&lp);
	/* Declared on <metadata> (how some tools write it). */
	CHECK_INT(parse("<domain><metadata xmlns:k=\"" NS "\"><k:policy><k:weight>5</k:weight></k:policy></metadata></domain>", &lp), 0);
	CHECK(lp.found && lp.nset == 1 && lp.set[0].u32 == 5, "bare <domain>, xmlns on <metadata>: weight 5");
	CHECK_INT(lp.pid, 0);
	lv_free(&lp);
	/* Another namespace's element inside ours is an extension: skipped. */
	CHECK_INT(parse(HEAD
		"      <k:policy xmlns:k=\"" NS "\" xmlns:o=\"urn:other\"><o:weight>x</o:weight><k:weight>9</k:weight></k:policy>\n"
		TAIL, &lp), 0);
	CHECK(lp.nset == 1 && lp.set[0].u32 == 9, "foreign child skipped: weight 9");
	lv_free(&lp);
	/* An empty policy: found, sets nothing. */
	CHECK_INT(parse(HEAD "      <k:policy xmlns:k=\"" NS "\"/>\n" TAIL, &lp), 0);
	CHECK(lp.found && !lp.nset, "empty policy: found, nothing set");
	lv_free(&lp);
}

/* Each bad file: -EINVAL, exactly this message, nothing kept. */
static void bad(const char *text, const char *want)
{
	struct lv_policy lp;
	int rc = parse(text, &lp);

	CHECK(rc == -EINVAL, "rc %d for: %s", rc, want);
	CHECK_STR(err, want);
	CHECK(!lp.found && !lp.nset && !lp.args[0], "nothing kept after: %s", want);
	lv_free(&lp);
}

#define POL(body) HEAD "      <k:policy xmlns:k=\"" NS "\">\n" body "      </k:policy>\n" TAIL

static void test_bad(void)
{
	/* XML syntax: expat's reason at its line:column. */
	bad(POL("        <k:weight>400</k:wieght>\n"),
	    "t.xml:25:24: XML syntax: mismatched tag");
	bad("<domstatus><domain>\n<metadata>\n", "t.xml:3:1: XML syntax: no element found");
	bad("", "t.xml:1:1: XML syntax: no element found");
	bad(POL("        <k:weight>4 & 5</k:weight>\n"),
	    "t.xml:25:22: XML syntax: not well-formed (invalid token)");
	bad("<domain><metadata><u:policy><u:weight>1</u:weight></u:policy></metadata></domain>",
	    "t.xml:1:19: XML syntax: unbound prefix");
	bad("<!DOCTYPE domain [<!ENTITY a \"aaaa\">]><domain/>",
	    "t.xml:1:18: a DOCTYPE declaration (libvirt writes none): refused");
	bad("<network><name>x</name></network>",
	    "t.xml:1:1: not a libvirt domain XML: the root element is <network>, expected <domstatus> or <domain>");
	/* Values: the key and its accepted range, at the element. */
	bad(POL("        <k:weight>0</k:weight>\n"),
	    "t.xml:25:9: weight: 0 is out of range (accepted: 1-10000)");
	bad(POL("        <k:class>shares</k:class>\n        <k:limit_mcpu>2000000</k:limit_mcpu>\n"),
	    "t.xml:26:9: limit_mcpu: 2000000 is out of range (accepted: 0-1024000 mcpu)");
	bad(POL("        <k:class>gold</k:class>\n"),
	    "t.xml:25:9: class: unknown value 'gold' (accepted: shares|background|realtime|latency)");
	bad(POL("        <k:weight>heavy</k:weight>\n"),
	    "t.xml:25:9: weight: 'heavy' is not a number (accepted: 1-10000)");
	bad(POL("        <k:weight></k:weight>\n"),
	    "t.xml:25:9: weight: '' is not a number (accepted: 1-10000)");
	bad(POL("        <k:wieght>3</k:wieght>\n"),
	    "t.xml:25:9: unknown key 'wieght' (accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us)");
	bad(POL("        <k:name>other</k:name>\n"),
	    "t.xml:25:9: name: not set from the metadata (the VM's name is the domain's <name>)");
	bad(POL("        <k:weight>3</k:weight>\n        <k:weight>4</k:weight>\n"),
	    "t.xml:26:9: weight given twice (first at t.xml:25)");
	bad(POL("        <k:weight><k:value>3</k:value></k:weight>\n"),
	    "t.xml:25:19: weight: expected a value, not an element <value>");
	/* Together: the policy element's position. */
	bad(POL("        <k:reservation_mcpu>900</k:reservation_mcpu>\n        <k:limit_mcpu>500</k:limit_mcpu>\n"),
	    "t.xml:24:7: reservation_mcpu: 900 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	bad(HEAD "      <k:policy xmlns:k=\"" NS "\"/>\n      <k:policy xmlns:k=\"" NS "\"/>\n" TAIL,
	    "t.xml:25:7: a second kvmsched <policy> (the first is at line 24): give one");
	bad(HEAD "      <k:polcy xmlns:k=\"" NS "\"/>\n" TAIL,
	    "t.xml:24:7: unknown element <polcy> in the kvmsched namespace (expected <policy>)");
	/* A good key before a bad one is not kept either. */
	bad(POL("        <k:weight>300</k:weight>\n        <k:mem_shares>0</k:mem_shares>\n"),
	    "t.xml:26:9: mem_shares: 0 is out of range (accepted: 1-10000)");
}

static const char *mkrule(struct pol_rule *r, const char *where)
{
	static char a0[] = "weight=400", a1[] = "limit_mcpu=500";
	char msg[ERRLEN];

	memset(r, 0, sizeof(*r));
	r->index = 1;
	snprintf(r->where, sizeof(r->where), "%s", where);
	r->args[0] = a0;
	r->args[1] = a1;
	r->nset = 2;
	if (kv_parse(kv_vm_keys, a0, &r->set[0], msg, sizeof(msg)) ||
	    kv_parse(kv_vm_keys, a1, &r->set[1], msg, sizeof(msg)))
		return "kv_parse";
	return NULL;
}

static void test_merge(void)
{
	struct lv_policy lp;
	struct lv_merged m;
	struct pol_rule r;
	char buf[256], msg[ERRLEN];

	CHECK(!mkrule(&r, "k.conf:5"), "the rule");
	/* Rule only; metadata only; nothing. */
	CHECK_INT(lv_merge(&r, NULL, &m, msg, sizeof(msg)), 0);
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "weight=400 limit_mcpu=500");
	CHECK(m.n == 2 && !m.from_xml[0] && !strcmp(m.src[1], "k.conf:5"), "rule only: its sources");
	CHECK_INT(lv_merge(NULL, NULL, &m, msg, sizeof(msg)), 0);
	CHECK_INT(m.n, 0);

	/* Metadata overrides the same key, adds its own, keeps the rest. */
	CHECK_INT(parse(POL("        <k:class>background</k:class>\n        <k:weight>900</k:weight>\n"), &lp), 0);
	CHECK_INT(lv_merge(&r, &lp, &m, msg, sizeof(msg)), 0);
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "weight=900 limit_mcpu=500 class=background");
	CHECK(m.n == 3, "merged: 3 keys, got %zu", m.n);
	if (m.n == 3) {
		CHECK(m.from_xml[0] && m.set[0].u32 == 900, "weight from the XML");
		CHECK_STR(m.src[0], "t.xml:26");
		CHECK(!m.from_xml[1] && m.set[1].u32 == 500, "limit_mcpu from the rule");
		CHECK_STR(m.src[1], "k.conf:5");
		CHECK(m.from_xml[2], "class from the XML");
		CHECK_STR(m.src[2], "t.xml:25");
	}
	CHECK_INT(lv_merge(NULL, &lp, &m, msg, sizeof(msg)), 0);
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "class=background weight=900");
	lv_free(&lp);

	/* Consistent alone, not together: the rule alone, and why. */
	CHECK_INT(parse(POL("        <k:reservation_mcpu>800</k:reservation_mcpu>\n"), &lp), 0);
	CHECK_INT(lv_merge(&r, &lp, &m, msg, sizeof(msg)), -EINVAL);
	CHECK_STR(msg, "reservation_mcpu: 800 exceeds limit_mcpu 500 (accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited)");
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "weight=400 limit_mcpu=500");
	CHECK(m.n == 2 && !m.from_xml[0] && !m.from_xml[1], "refused merge: the rule alone");
	lv_free(&lp);
}

/* The latency class and latency_us in <metadata>, the CLI's range. */
static void test_latency(void)
{
	struct lv_policy lp;
	struct lv_merged m;
	struct pol_rule r;
	char buf[256], msg[ERRLEN];

	CHECK_INT(parse(POL("        <k:class>latency</k:class>\n"
			    "        <k:latency_us> 2500 </k:latency_us>\n"), &lp), 0);
	CHECK_STR(err, "");
	CHECK(lp.found, "the policy is found");
	CHECK_INT(lp.nset, 2);
	if (lp.nset == 2) {
		CHECK_INT(lp.set[0].key->attr, KVMSCHED_A_VM_CLASS);
		CHECK_INT(lp.set[0].u32, KVMSCHED_CLASS_LATENCY);
		CHECK_INT(lp.set[1].key->attr, KVMSCHED_A_VM_LATENCY_US);
		CHECK_INT(lp.set[1].u32, 2500);
		CHECK_STR(lp.where[1], "t.xml:26");
	}
	lv_sets(&lp, buf, sizeof(buf));
	CHECK_STR(buf, "class=latency latency_us=2500");

	/* The rule's limit and the metadata's class go together. */
	CHECK(!mkrule(&r, "k.conf:5"), "the rule");
	CHECK_INT(lv_merge(&r, &lp, &m, msg, sizeof(msg)), 0);
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "weight=400 limit_mcpu=500 class=latency latency_us=2500");
	CHECK(m.n == 4 && m.from_xml[2] && m.from_xml[3],
	      "merge: the metadata's two keys: %zu", m.n);
	lv_free(&lp);

	/* The ends are accepted; 999 and 10001 are refused. */
	CHECK_INT(parse(POL("        <k:latency_us>1000</k:latency_us>\n"), &lp), 0);
	CHECK(lp.nset == 1 && lp.set[0].u32 == 1000, "latency_us=1000: %zu settings",
	      lp.nset);
	lv_free(&lp);
	CHECK_INT(parse(POL("        <k:latency_us>10000</k:latency_us>\n"
			    "        <k:reservation_mcpu>300</k:reservation_mcpu>\n"
			    "        <k:class>latency</k:class>\n"), &lp), 0);
	CHECK(lp.nset == 3 && lp.set[0].u32 == 10000,
	      "latency_us=10000 with a reservation: %zu settings", lp.nset);
	lv_free(&lp);
	bad(POL("        <k:latency_us>999</k:latency_us>\n"),
	    "t.xml:25:9: latency_us: 999 is out of range (accepted: 1000-10000 us)");
	bad(POL("        <k:latency_us>10001</k:latency_us>\n"),
	    "t.xml:25:9: latency_us: 10001 is out of range (accepted: 1000-10000 us)");
	bad(POL("        <k:class>LATENCY</k:class>\n"),
	    "t.xml:25:9: class: unknown value 'LATENCY' (accepted: shares|background|realtime|latency)");
}

/* The realtime class and its keys in <metadata>, the CLI's ranges. */
static void test_realtime(void)
{
	struct lv_policy lp;
	struct lv_merged m;
	struct pol_rule r;
	char buf[256], msg[ERRLEN];

	CHECK_INT(parse(POL("        <k:class>realtime</k:class>\n"
			    "        <k:rt_priority>30</k:rt_priority>\n"
			    "        <k:rr_quantum_ms> 20 </k:rr_quantum_ms>\n"), &lp), 0);
	CHECK_STR(err, "");
	CHECK(lp.found, "the policy is found");
	CHECK_INT(lp.nset, 3);
	if (lp.nset == 3) {
		CHECK_INT(lp.set[0].u32, KVMSCHED_CLASS_REALTIME);
		CHECK_INT(lp.set[1].key->attr, KVMSCHED_A_VM_RT_PRIORITY);
		CHECK_INT(lp.set[1].u32, 30);
		CHECK_STR(lp.where[1], "t.xml:26");
		CHECK_INT(lp.set[2].key->attr, KVMSCHED_A_VM_RR_QUANTUM_MS);
		CHECK_INT(lp.set[2].u32, 20);
	}
	lv_sets(&lp, buf, sizeof(buf));
	CHECK_STR(buf, "class=realtime rt_priority=30 rr_quantum_ms=20");

	/* The rule's limit and the metadata's class do not go together. */
	CHECK(!mkrule(&r, "k.conf:5"), "the rule");
	CHECK_INT(lv_merge(&r, &lp, &m, msg, sizeof(msg)), -EINVAL);
	CHECK_STR(msg, "limit_mcpu: 500 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	lv_merged_sets(&m, buf, sizeof(buf));
	CHECK_STR(buf, "weight=400 limit_mcpu=500");
	lv_free(&lp);

	/* The ends are accepted; 0 and 100, and 1001 ms, are refused. */
	CHECK_INT(parse(POL("        <k:rt_priority>99</k:rt_priority>\n"
			    "        <k:rr_quantum_ms>1000</k:rr_quantum_ms>\n"), &lp), 0);
	CHECK(lp.nset == 2 && lp.set[0].u32 == 99 && lp.set[1].u32 == 1000,
	      "rt_priority=99 rr_quantum_ms=1000: %zu settings", lp.nset);
	lv_free(&lp);
	CHECK_INT(parse(POL("        <k:rt_priority>1</k:rt_priority>\n"
			    "        <k:rr_quantum_ms>0</k:rr_quantum_ms>\n"), &lp), 0);
	CHECK(lp.nset == 2 && lp.set[0].u32 == 1 && lp.set[1].u32 == 0,
	      "rt_priority=1 rr_quantum_ms=0: %zu settings", lp.nset);
	lv_free(&lp);
	bad(POL("        <k:rt_priority>0</k:rt_priority>\n"),
	    "t.xml:25:9: rt_priority: 0 is out of range (accepted: 1-99)");
	bad(POL("        <k:rt_priority>100</k:rt_priority>\n"),
	    "t.xml:25:9: rt_priority: 100 is out of range (accepted: 1-99)");
	bad(POL("        <k:rr_quantum_ms>1001</k:rr_quantum_ms>\n"),
	    "t.xml:25:9: rr_quantum_ms: 1001 is out of range (accepted: 0-1000 ms)");
	bad(POL("        <k:class>realtime</k:class>\n        <k:reservation_mcpu>100</k:reservation_mcpu>\n"),
	    "t.xml:24:7: reservation_mcpu: 100 with class=realtime (accepted: 0 with class=realtime; a realtime VM takes no reservation or limit)");
	bad(POL("        <k:rt_throttled_periods>0</k:rt_throttled_periods>\n"),
	    "t.xml:25:9: unknown key 'rt_throttled_periods' (accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us)");
}

/* DIR/NAME.xml from disk. */
static void test_load(void)
{
	char dir[] = "/tmp/kvms-libvirt-XXXXXX", path[256], want[512];
	struct lv_policy lp;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/web1.xml", dir);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f) {
		fputs(every_key, f);
		fclose(f);
	}
	CHECK_INT(lv_load(dir, "web1", &lp, err, sizeof(err)), 0);
	CHECK_INT(lp.nset, 7);
	CHECK_STR(lp.path, path);
	snprintf(want, sizeof(want), "%s:25", path);
	CHECK_STR(lp.where[0], want);
	lv_free(&lp);
	/* For one VM: by the command line's name, its pid and uuid checked. */
	{
		struct vm_ident id;

		memset(&id, 0, sizeof(id));
		strcpy(id.name, "web1");
		CHECK_INT(lv_for_vm(dir, "other", &id, 4242, &lp, err, sizeof(err)), 1);
		CHECK_INT(lp.nset, 7);
		lv_free(&lp);
		id.name[0] = '\0';	/* no -name: kvmsched's name */
		CHECK_INT(lv_for_vm(dir, "web1", &id, 0, &lp, err, sizeof(err)), 1);
		lv_free(&lp);
		CHECK_INT(lv_for_vm(dir, "", &id, 0, &lp, err, sizeof(err)), 0);
		CHECK_STR(err, "the VM has no name");
		CHECK_INT(lv_for_vm(dir, "web9", &id, 0, &lp, err, sizeof(err)), 0);
		CHECK_INT(lv_for_vm(dir, "web1", &id, 4243, &lp, err, sizeof(err)), -ESRCH);
		snprintf(want, sizeof(want), "%s: the domain's pid is 4242, not this VM's 4243 (a stale file, or another VM of that name)", path);
		CHECK_STR(err, want);
		CHECK(!lp.found && !lp.nset, "another pid's domain: nothing kept");
		strcpy(id.uuid, "6E1D7C4A-0000-4000-8000-00000000A001");
		CHECK_INT(lv_for_vm(dir, "web1", &id, 4242, &lp, err, sizeof(err)), 1);
		lv_free(&lp);
		strcpy(id.uuid, "6e1d7c4a-0000-4000-8000-00000000a002");
		CHECK_INT(lv_for_vm(dir, "web1", &id, 0, &lp, err, sizeof(err)), -ESRCH);
		CHECK_HAS(err, "the domain's uuid is 6e1d7c4a-0000-4000-8000-00000000a001, not this VM's 6e1d7c4a-0000-4000-8000-00000000a002");
	}
	CHECK_INT(lv_load(dir, "web2", &lp, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s/web2.xml: No such file or directory", dir);
	CHECK_STR(err, want);
	/*
	 * Names that are no file name of the directory are refused before any
	 * open, although these files exist: <dir>/../<dir name>.xml
	 * and <dir>/.hidden.xml (hard links to it).
	 */
	{
		char up[300], hidden[300], rel[64];

		snprintf(up, sizeof(up), "%s/../%s.xml", dir, strrchr(dir, '/') + 1);
		snprintf(rel, sizeof(rel), "../%s", strrchr(dir, '/') + 1);
		snprintf(hidden, sizeof(hidden), "%s/.hidden.xml", dir);
		CHECK(!link(path, hidden), "link %s: %s", hidden, strerror(errno));
		CHECK(!link(path, up), "link %s: %s", up, strerror(errno));
		CHECK_INT(lv_load(dir, rel, &lp, err, sizeof(err)), -ENOENT);
		CHECK_HAS(err, "not a libvirt domain name");
		CHECK_INT(lv_load(dir, ".hidden", &lp, err, sizeof(err)), -ENOENT);
		CHECK_HAS(err, "not a libvirt domain name");
		unlink(hidden);
		unlink(up);
	}
	CHECK_INT(lv_load(dir, "", &lp, err, sizeof(err)), -ENOENT);
	/* A symbolic link is not followed (libvirt writes plain files). */
	{
		char sl[300];

		snprintf(sl, sizeof(sl), "%s/web5.xml", dir);
		CHECK(!symlink(path, sl), "symlink %s: %s", sl, strerror(errno));
		CHECK_INT(lv_load(dir, "web5", &lp, err, sizeof(err)), -ELOOP);
		snprintf(want, sizeof(want), "%s: a symbolic link, not read", sl);
		CHECK_STR(err, want);
		CHECK(!lp.found && !lp.nset, "symlink: nothing kept");
		unlink(sl);
	}
	/* A file larger than any domain's XML is not parsed. */
	{
		char big[300];
		int fd;

		snprintf(big, sizeof(big), "%s/web6.xml", dir);
		fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0 && !ftruncate(fd, (16 << 20) + 1), "sparse %s", big);
		if (fd >= 0)
			close(fd);
		CHECK_INT(lv_load(dir, "web6", &lp, err, sizeof(err)), -EFBIG);
		CHECK_HAS(err, "more than a domain's XML (at most 16777216)");
		unlink(big);
	}
	/* A bad file on disk: its path in the message. */
	f = fopen(path, "w");
	if (f) {
		fputs("<domstatus pid='1'>\n  <domain>\n</domstatus>\n", f);
		fclose(f);
	}
	CHECK_INT(lv_load(dir, "web1", &lp, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:3:3: XML syntax: mismatched tag", path);
	CHECK_STR(err, want);
	CHECK(!lp.found && !lp.nset, "bad file: nothing kept");
	{
		struct vm_ident id;

		memset(&id, 0, sizeof(id));
		CHECK_INT(lv_for_vm(dir, "web1", &id, 1, &lp, err, sizeof(err)), -EINVAL);
		CHECK_STR(err, want);
	}
	f = fopen(path, "w");
	if (f) {
		fputs("<domstatus pid='1'><domain><metadata/></domain></domstatus>\n", f);
		fclose(f);
	}
	{
		struct vm_ident id;

		memset(&id, 0, sizeof(id));
		CHECK_INT(lv_for_vm(dir, "web1", &id, 1, &lp, err, sizeof(err)), 0);
		CHECK_HAS(err, "web1.xml: no kvmsched policy in it");
	}
	/* A directory named like a domain file is not read. */
	unlink(path);
	mkdir(path, 0700);
	CHECK_INT(lv_load(dir, "web1", &lp, err, sizeof(err)), -EINVAL);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	test_every_key();
	test_namespaces();
	test_bad();
	test_merge();
	test_realtime();
	test_latency();
	test_load();
	return check_done("test_libvirt");
}
