// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - a generic netlink fuzzer for the kvmsched family (raw
 * AF_NETLINK sockets, no libnl; static, for the e2e guest).
 *
 *   nlfuzz [--seed N] [--count N] [--timeout-ms MS] [--verbose]
 *   nlfuzz --perm
 *
 * Fuzz mode sends --count malformed and boundary-value requests to every
 * command number of the family (the ops of uapi/linux/kvmsched.h and
 * Documentation/netlink/specs/kvmsched.yaml, the notification-only ones and
 * a few that do not exist): random attribute types, lengths (0, short,
 * exact, long, odd), nesting, the boundary values of each attribute's range
 * in the spec (0, 1, min-1, min, max, max+1, 0xffffffff) and the ids of
 * live VMs, truncated netlink and genetlink headers, bad nlmsg_len, several
 * messages per datagram, random flags (NLM_F_DUMP on do-only ops and
 * without it on dump ops, NLM_F_ACK, reserved bits), and dump resumes on a
 * second socket: a dump read with a tiny buffer, other requests interleaved
 * with it, the socket closed mid-dump. It also listens on the "events"
 * multicast group. The requests are a function of --seed and of what the
 * kernel says that steers them: the ids of live VMs (re-read every 512
 * requests) used as values, and when a dump under a tiny buffer ends.
 *
 * After each request it waits for everything the kernel owes (the reply,
 * the ack, the end of the dump); when the request may legitimately get no
 * answer at all (no NLM_F_ACK, dropped by netlink) a valid config-get with
 * NLM_F_ACK follows it as a probe. It exits 1 ("VIOLATION" lines on stderr)
 * when:
 *   - a recvmsg times out while an answer is owed (the kernel stopped
 *     answering);
 *   - an ack carries an errno outside 0, EINVAL, ERANGE, ENOENT, EOPNOTSUPP,
 *     EPERM, EBUSY, EEXIST, EMSGSIZE, ENOMEM;
 *   - a well-formed do request (valid headers, flags REQUEST/ACK/ECHO, a
 *     command with a do handler) to a kvmsched command is refused with
 *     EINVAL, ERANGE, ENOENT, EBUSY or EEXIST without an extack message
 *     (EINVAL may instead name a missing attribute): the kernel's policy
 *     validation always sets one (unknown type, unsupported attribute, bad
 *     length, integer out of range, bad string, leftover bytes), and the
 *     module's handlers promise one for every error. Targeted requests
 *     with one attribute out of its range, of a bad length or of an unknown
 *     type must get exactly ERANGE or EINVAL with a message;
 *   - without CAP_NET_ADMIN (found with a config-set probe at start), a
 *     request to a change command is accepted, or a well-formed one is
 *     refused with anything but EPERM or the policy's EINVAL/ERANGE (the
 *     kernel's GENL_ADMIN_PERM check comes before the policy, a handler's
 *     own check after it; either way no handler may answer ENOENT, EBUSY
 *     or EEXIST); --perm checks that valid requests get EPERM;
 *   - config-get, which has no request attribute, accepts one;
 *   - a probe (config-get) fails.
 * The last line is a summary: messages sent, acks by errno, replies.
 *
 * --perm sends one valid request per op (vm-set, config-set, vm-mem-report,
 * host-mem-report; vm-get, vcpu-get do and dump, config-get) and prints
 * one line per op:
 *   perm OP ERRNO|ok extack="MESSAGE"
 * so that a test can check what is refused, and how, for the user running
 * it (also root in a user namespace). The change requests are harmless when
 * accepted: the current period, the default weight, a zero PSI report.
 *
 * Exit status: 0 clean, 1 violations, 2 usage or setup error (family not
 * found, no socket).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvmsched.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif
#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE	5
#endif

#define BUFSZ		65536
#define MSGSZ		8192
#define MAX_VMS		256
#define MAX_VCPUS	512
#define MAX_VIOL	30

/* ---- the family, from the spec ------------------------------------------ */

enum akind { A_U32, A_STR };

#define F_MIN	1	/* the policy checks a minimum */
#define F_MAX	2	/* ... a maximum */
#define F_VMID	4	/* a VM id: live ids are interesting values */
#define F_VCPU	8	/* a vcpu_id */

struct adesc {
	uint16_t type;
	uint8_t kind;
	uint8_t flags;
	uint32_t min, max;
};

struct opdesc {
	const char *name;
	uint8_t cmd;
	uint8_t doit, dumpit, admin;
	uint16_t maxattr;		/* of the op's policy; 0: none */
	const struct adesc *attrs;	/* the request attributes */
	int nattrs;
};

static const struct adesc vm_get_attrs[] = {
	{ KVMSCHED_A_VM_ID, A_U32, F_MIN | F_VMID, 1, 0 },
};

static const struct adesc vm_set_attrs[] = {
	{ KVMSCHED_A_VM_ID, A_U32, F_MIN | F_VMID, 1, 0 },
	{ KVMSCHED_A_VM_NAME, A_STR, F_MAX, 0, KVMSCHED_VM_NAME_MAX_LEN },
	{ KVMSCHED_A_VM_CLASS, A_U32, F_MAX, 0, 1 },
	{ KVMSCHED_A_VM_WEIGHT, A_U32, F_MIN | F_MAX, 1, 10000 },
	{ KVMSCHED_A_VM_RESERVATION_MCPU, A_U32, F_MAX, 0, 1024000 },
	{ KVMSCHED_A_VM_LIMIT_MCPU, A_U32, F_MAX, 0, 1024000 },
	{ KVMSCHED_A_VM_MEM_SHARES, A_U32, F_MIN | F_MAX, 1, 10000 },
	{ KVMSCHED_A_VM_MEM_MIN_MIB, A_U32, F_MAX, 0, 16777216 },
	{ KVMSCHED_A_VM_MEM_MAX_MIB, A_U32, F_MAX, 0, 16777216 },
};

static const struct adesc vcpu_get_attrs[] = {
	{ KVMSCHED_A_VCPU_VM_ID, A_U32, F_MIN | F_VMID, 1, 0 },
	{ KVMSCHED_A_VCPU_VCPU_ID, A_U32, F_VCPU, 0, 0 },
};

static const struct adesc config_set_attrs[] = {
	{ KVMSCHED_A_CONFIG_PERIOD_MS, A_U32, F_MIN | F_MAX, 10, 1000 },
	{ KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT, A_U32, F_MAX, 0, 50 },
	{ KVMSCHED_A_CONFIG_MEM_LOW_PCT, A_U32, F_MIN | F_MAX, 1, 90 },
	{ KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT, A_U32, F_MAX, 0, 89 },
	{ KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT, A_U32, F_MAX, 0, 50 },
	{ KVMSCHED_A_CONFIG_BALLOON_STEP_PCT, A_U32, F_MIN | F_MAX, 1, 100 },
	{ KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP, A_U32, F_MAX, 0, 10000 },
	{ KVMSCHED_A_CONFIG_IDLE_TAX_PCT, A_U32, F_MAX, 0, 99 },
	{ KVMSCHED_A_CONFIG_BALLOON_MAX_PCT, A_U32, F_MAX, 0, 90 },
	{ KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS, A_U32, F_MIN | F_MAX, 100, 600000 },
	{ KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP, A_U32, F_MAX, 0, 10000 },
};

static const struct adesc vm_mem_report_attrs[] = {
	{ KVMSCHED_A_VM_ID, A_U32, F_MIN | F_VMID, 1, 0 },
	{ KVMSCHED_A_VM_GUEST_FREE_MIB, A_U32, F_MAX, 0, 16777216 },
	{ KVMSCHED_A_VM_GUEST_AVAIL_MIB, A_U32, F_MAX, 0, 16777216 },
	{ KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, A_U32, F_MAX, 0, 16777216 },
};

static const struct adesc host_mem_report_attrs[] = {
	{ KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP, A_U32, F_MAX, 0, 10000 },
};

#define OPATTRS(a)	a, (int)(sizeof(a) / sizeof(a[0]))

static const struct opdesc ops[] = {
	{ "vm-get", KVMSCHED_CMD_VM_GET, 1, 1, 0, KVMSCHED_A_VM_ID, OPATTRS(vm_get_attrs) },
	{ "vm-set", KVMSCHED_CMD_VM_SET, 1, 0, 1, KVMSCHED_A_VM_MEM_MAX_MIB,
	  OPATTRS(vm_set_attrs) },
	{ "vcpu-get", KVMSCHED_CMD_VCPU_GET, 1, 1, 0, KVMSCHED_A_VCPU_VCPU_ID,
	  OPATTRS(vcpu_get_attrs) },
	{ "config-get", KVMSCHED_CMD_CONFIG_GET, 1, 0, 0, 0, NULL, 0 },
	{ "config-set", KVMSCHED_CMD_CONFIG_SET, 1, 0, 1, KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP,
	  OPATTRS(config_set_attrs) },
	{ "vm-mem-report", KVMSCHED_CMD_VM_MEM_REPORT, 1, 0, 1,
	  KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, OPATTRS(vm_mem_report_attrs) },
	{ "host-mem-report", KVMSCHED_CMD_HOST_MEM_REPORT, 1, 0, 1,
	  KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP, OPATTRS(host_mem_report_attrs) },
	/* notification-only commands and numbers that are no command */
	{ "vm-add-ntf", KVMSCHED_CMD_VM_ADD_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "vm-del-ntf", KVMSCHED_CMD_VM_DEL_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "vm-change-ntf", KVMSCHED_CMD_VM_CHANGE_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "config-change-ntf", KVMSCHED_CMD_CONFIG_CHANGE_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "balloon-target-ntf", KVMSCHED_CMD_BALLOON_TARGET_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "overcommit-ntf", KVMSCHED_CMD_OVERCOMMIT_NTF, 0, 0, 0, 0, NULL, 0 },
	{ "cmd-0", 0, 0, 0, 0, 0, NULL, 0 },
	{ "cmd-max+1", KVMSCHED_CMD_MAX + 1, 0, 0, 0, 0, NULL, 0 },
	{ "cmd-255", 255, 0, 0, 0, 0, NULL, 0 },
};

#define NOPS		((int)(sizeof(ops) / sizeof(ops[0])))
#define NREAL		7	/* ops[0..6] have handlers */

/* The largest attribute type of each attribute set, for random types. */
static int set_max(const struct opdesc *op)
{
	switch (op->cmd) {
	case KVMSCHED_CMD_VCPU_GET:
		return KVMSCHED_A_VCPU_MAX;
	case KVMSCHED_CMD_CONFIG_GET:
	case KVMSCHED_CMD_CONFIG_SET:
	case KVMSCHED_CMD_HOST_MEM_REPORT:
	case KVMSCHED_CMD_CONFIG_CHANGE_NTF:
	case KVMSCHED_CMD_OVERCOMMIT_NTF:
		return KVMSCHED_A_CONFIG_MAX;
	}
	return KVMSCHED_A_VM_MAX;
}

/* ---- state ----------------------------------------------------------------- */

static uint64_t rng;
static int verbose;
static int timeout_ms = 20000;
static uint16_t fam;		/* family id */
static uint32_t grp;		/* "events" multicast group id */
static int privileged;
static uint32_t seq = 1;

static uint32_t vm_ids[MAX_VMS];
static int nvms;
static struct { uint32_t vm, vcpu; } vcpus[MAX_VCPUS];
static int nvcpus;
static uint32_t period_ms = 100;

static struct {
	unsigned long sent, fuzz, probes, datagrams, replies, dump_msgs, dumps_done;
	unsigned long resumes, resume_closed, resume_busy, tiny_reads, targeted;
	unsigned long events, noanswer, stray, extack_checked, cfgget_attrs;
	unsigned long err[4096];	/* acks by -errno; [0] = success */
	unsigned long err_other;
	int violations;
} st;

static unsigned char msg[MSGSZ * 4];

/* ---- helpers ---------------------------------------------------------------- */

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* Always one draw, whatever @n, so the stream does not depend on it. */
static uint32_t rn(uint32_t n)
{
	uint64_t x = rnd();

	return n ? (uint32_t)(x % n) : 0;
}

static int chance(int pct)
{
	return (int)rn(100) < pct;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nlfuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case ENOENT: return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOMEM: return "ENOMEM";
	case ENOBUFS: return "ENOBUFS";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int plausible(int e)
{
	switch (e) {
	case 0: case EINVAL: case ERANGE: case ENOENT: case EOPNOTSUPP:
	case EPERM: case EBUSY: case EEXIST: case EMSGSIZE: case ENOMEM:
		return 1;
	}
	return 0;
}

static void hexdump(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 256; i++)
		fprintf(stderr, "%02x%s", p[i], (i % 32 == 31) ? "\n  " : " ");
	fprintf(stderr, "%s\n", n > 256 ? "..." : "");
}

static void violation(const unsigned char *m, size_t n, const char *fmt, ...)
{
	va_list ap;

	st.violations++;
	if (st.violations > MAX_VIOL)
		return;
	fprintf(stderr, "VIOLATION: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  request (%zu bytes): ", n);
	if (m)
		hexdump(m, n);
	else
		fputc('\n', stderr);
}

static int nl_open(int rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("socket(NETLINK_GENERIC): %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

static int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t r;

	r = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	st.datagrams++;
	if (r < 0)
		return -errno;
	return 0;
}

/* ---- building messages -------------------------------------------------------- */

struct mb {
	unsigned char *b;
	size_t len, cap;
};

static struct nlmsghdr *mb_hdr(struct mb *m, uint16_t type, uint16_t flags,
			       uint32_t s, uint8_t cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->len);
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = s;
	g->cmd = cmd;
	g->version = KVMSCHED_FAMILY_VERSION;
	m->len += NLMSG_HDRLEN + GENL_HDRLEN;
	return h;
}

/* Append an attribute of payload length @plen; @pad: align the next one. */
static unsigned char *mb_attr(struct mb *m, uint16_t type, const void *data,
			      size_t plen, int pad)
{
	struct nlattr *a = (struct nlattr *)(m->b + m->len);
	size_t tot = NLA_HDRLEN + plen;

	if (m->len + NLA_ALIGN(tot) > m->cap)
		return NULL;
	a->nla_type = type;
	a->nla_len = tot;
	if (data)
		memcpy(a + 1, data, plen);
	else
		memset(a + 1, 0, plen);
	m->len += tot;
	if (pad) {
		memset(m->b + m->len, 0, NLA_ALIGN(tot) - tot);
		m->len += NLA_ALIGN(tot) - tot;
	}
	return (unsigned char *)(a + 1);
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_attr(m, type, &v, 4, 1);
}

static void mb_end(struct mb *m, struct nlmsghdr *h)
{
	h->nlmsg_len = m->b + m->len - (unsigned char *)h;
}

static uint32_t live_vm(void)
{
	uint32_t i = rn(nvms);

	return nvms ? vm_ids[i] : 1;
}

/* A boundary or otherwise interesting value for a u32 attribute. */
static uint32_t pick_u32(const struct adesc *d)
{
	uint32_t lo = d ? d->min : 0, hi = d && (d->flags & F_MAX) ? d->max : 0xffffffffu;
	uint32_t maxid = 0;
	int i;

	for (i = 0; i < nvms; i++)
		if (vm_ids[i] > maxid)
			maxid = vm_ids[i];
	if (d && (d->flags & F_VMID) && chance(50))
		return chance(85) ? live_vm() : maxid + 1 + rn(3);
	if (d && (d->flags & F_VCPU) && chance(50))
		return chance(80) ? (nvcpus ? vcpus[rn(nvcpus)].vcpu : rn(1)) : 64 + rn(1000);
	switch (rn(12)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return lo ? lo - 1 : 0xffffffffu;
	case 3: return lo;
	case 4: return hi;
	case 5: return hi == 0xffffffffu ? 0 : hi + 1;
	case 6: return 0xffffffffu;
	case 7: return 0x80000000u;
	case 8: return (uint32_t)rnd();
	default: return lo + rn(hi - lo == 0xffffffffu ? 0xffffffffu : hi - lo + 1);
	}
}

/* A VM name: valid, too long, empty, unterminated, with bad characters. */
static size_t pick_name(char *buf, size_t cap)
{
	size_t n, i;

	switch (rn(9)) {
	case 0:		/* empty string */
		buf[0] = 0;
		return 1;
	case 1:		/* 63 characters, the longest valid */
	case 2:		/* 64: one too long */
		n = 62 + rn(2) + 1;
		for (i = 0; i < n; i++)
			buf[i] = 'a' + rn(26);
		buf[n] = 0;
		return n + 1;
	case 3:		/* no terminating NUL */
		n = 1 + rn(70);
		for (i = 0; i < n; i++)
			buf[i] = 'A' + rn(26);
		return n;
	case 4:		/* spaces and control characters */
		n = snprintf(buf, cap, "vm %c%c", 1 + (int)rn(31), 0x7f);
		return n + 1;
	case 5:		/* embedded NUL */
		memcpy(buf, "ab\0cd", 6);
		return 6;
	case 6:		/* random bytes */
		n = rn(cap);
		for (i = 0; i < n; i++)
			buf[i] = rnd();
		return n;
	default:	/* valid, from a small set so that names collide */
		n = snprintf(buf, cap, "fz-%u", rn(8));
		return n + 1;
	}
}

static void fuzz_attrs(struct mb *m, const struct opdesc *op, int depth);

/* One attribute of a fuzzed request. */
static void fuzz_attr(struct mb *m, const struct opdesc *op, int depth)
{
	unsigned char pay[2048];
	const struct adesc *d = NULL;
	uint16_t type;
	size_t plen;
	uint32_t v;
	int r = rn(100);

	if (op->nattrs && r < 70) {
		d = &op->attrs[rn(op->nattrs)];
		type = d->type;
	} else if (r < 90) {
		type = rn(set_max(op) + 3);
	} else {
		type = rnd();
	}
	if (chance(3))
		type |= NLA_F_NET_BYTEORDER;
	if (depth < 3 && chance(6)) {
		/* a nest of random attributes where none is expected */
		struct nlattr *a = (struct nlattr *)(m->b + m->len);
		size_t start = m->len;

		if (!mb_attr(m, (type & NLA_TYPE_MASK) | NLA_F_NESTED, NULL, 0, 1))
			return;
		fuzz_attrs(m, op, depth + 1);
		a->nla_len = m->len - start;
		return;
	}
	if (d && d->kind == A_STR && chance(80)) {
		plen = pick_name((char *)pay, sizeof(pay));
		mb_attr(m, type, pay, plen, !chance(5));
		return;
	}
	r = rn(100);
	if (r < 65) {
		v = pick_u32(d);
		memcpy(pay, &v, 4);
		plen = 4;
	} else {
		if (r < 73)
			plen = 0;
		else if (r < 81)
			plen = 1 + rn(3);		/* short */
		else if (r < 89)
			plen = 5 + rn(8);		/* long, 8 among them */
		else if (r < 97)
			plen = 1 + 2 * rn(150);		/* odd */
		else
			plen = 300 + rn(1500);		/* very long */
		for (v = 0; v < plen; v++)
			pay[v] = chance(50) ? 0 : rnd();
	}
	mb_attr(m, type, pay, plen, !chance(5));
}

static void fuzz_attrs(struct mb *m, const struct opdesc *op, int depth)
{
	int n = rn(100) < 10 ? 0 : 1 + rn(depth ? 3 : 6), i;

	for (i = 0; i < n; i++)
		fuzz_attr(m, op, depth);
}

/* ---- receiving ------------------------------------------------------------------- */

struct ack {
	int err;		/* -errno from the ack, 0 for success */
	int has_msg, has_miss;
	char text[160];
};

static void parse_tlvs(const unsigned char *p, size_t n, struct ack *a)
{
	while (n >= NLA_HDRLEN) {
		const struct nlattr *t = (const struct nlattr *)p;
		size_t l = t->nla_len;

		if (l < NLA_HDRLEN || l > n)
			break;
		if ((t->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			size_t tl = l - NLA_HDRLEN;

			a->has_msg = 1;
			if (tl >= sizeof(a->text))
				tl = sizeof(a->text) - 1;
			memcpy(a->text, p + NLA_HDRLEN, tl);
			a->text[tl] = 0;
		}
		if ((t->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MISS_TYPE)
			a->has_miss = 1;
		if (NLA_ALIGN(l) >= n)
			break;
		p += NLA_ALIGN(l);
		n -= NLA_ALIGN(l);
	}
}

/* Decode an NLMSG_ERROR or NLMSG_DONE message into @a. */
static void parse_ack(const struct nlmsghdr *h, struct ack *a)
{
	const unsigned char *p = NLMSG_DATA(h);
	size_t n = h->nlmsg_len - NLMSG_HDRLEN, off;

	memset(a, 0, sizeof(*a));
	if (n < sizeof(int))
		return;
	memcpy(&a->err, p, sizeof(int));
	if (h->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = (const struct nlmsgerr *)p;

		if (n < sizeof(*e))
			return;
		off = sizeof(*e);
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len > NLMSG_HDRLEN ?
			       NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN) : 0;
	}
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < n)
		parse_tlvs(p + off, n - off, a);
}

static void count_err(int err)
{
	int e = -err;

	if (e >= 0 && e < 4096)
		st.err[e]++;
	else
		st.err_other++;
}

/*
 * What one request is owed and got. A request is finished when its ack
 * (NLMSG_ERROR), its dump's NLMSG_DONE, or (no NLM_F_ACK) its do reply came.
 * An optional request (one that may get no answer at all) need not finish,
 * but a dump it started must run to its NLMSG_DONE.
 */
struct req {
	uint32_t seq;
	int ack_flag, dump, optional;
	int done, got_ack, got_reply, dump_running;
	struct ack a;
};

static int owed(const struct req *r)
{
	return !r->done && (!r->optional || r->dump_running);
}

/* Account one message for request @q. */
static void take(struct req *q, const struct nlmsghdr *h, const unsigned char *m,
		 size_t mlen)
{
	if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
		struct ack a;

		parse_ack(h, &a);
		count_err(a.err);
		if (!plausible(-a.err))
			violation(m, mlen, "implausible errno %d (%s) in %s for seq %u",
				  a.err, errname(-a.err),
				  h->nlmsg_type == NLMSG_DONE ? "NLMSG_DONE" : "an ack", q->seq);
		/* several messages may share a seq: keep the first error */
		if (!q->got_ack || (!q->a.err && a.err))
			q->a = a;
		q->got_ack = 1;
		if (h->nlmsg_type == NLMSG_DONE) {
			st.dumps_done++;
			q->dump_running = 0;
			q->done = 1;
		} else if (!q->optional) {
			q->done = 1;
		}
	} else if (h->nlmsg_type == fam) {
		if (h->nlmsg_flags & NLM_F_MULTI) {
			st.dump_msgs++;
			q->dump_running = 1;
		} else {
			st.replies++;
			q->got_reply = 1;
			if (!q->ack_flag && !q->dump && !q->optional)
				q->done = 1;
		}
	} else {
		st.stray++;
	}
}

/*
 * Read from @fd until no request in @r[0..n-1] is owed anything. Returns 0,
 * or -1 when recv timed out (or failed) while an answer was owed.
 */
static int drain(int fd, struct req *r, int n, const unsigned char *m, size_t mlen)
{
	static unsigned char buf[BUFSZ];
	int i, left;

	for (;;) {
		struct nlmsghdr *h;
		ssize_t len;

		for (left = 0, i = 0; i < n; i++)
			left += owed(&r[i]);
		if (!left)
			return 0;
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0 && (errno == EINTR || errno == ENOBUFS))
			continue;
		if (len < 0) {
			violation(m, mlen, "no answer: recv: %s (seq %u, %d of %d requests owed)",
				  strerror(errno), r[0].seq, left, n);
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			struct req *q = NULL;

			for (i = 0; i < n; i++)
				if (r[i].seq == h->nlmsg_seq)
					q = &r[i];
			if (q)
				take(q, h, m, mlen);
			else
				st.stray++;
		}
	}
}

/* ---- requests with known answers --------------------------------------------------- */

static int do_simple(int fd, uint8_t cmd, uint16_t flags, const uint32_t *av,
		     int nav, struct req *q)
{
	unsigned char b[512];
	struct mb m = { b, 0, sizeof(b) };
	struct nlmsghdr *h;
	int i;

	h = mb_hdr(&m, fam, NLM_F_REQUEST | flags, seq, cmd);
	for (i = 0; i + 1 < nav; i += 2)
		mb_u32(&m, av[i], av[i + 1]);
	mb_end(&m, h);
	memset(q, 0, sizeof(*q));
	q->seq = seq++;
	q->ack_flag = !!(flags & NLM_F_ACK);
	q->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	st.sent++;
	if (nl_send(fd, b, m.len))
		return -1;
	return drain(fd, q, 1, b, m.len);
}

/* A valid config-get with NLM_F_ACK: the kernel must answer it. */
static int probe(int fd)
{
	struct req q;

	st.probes++;
	if (do_simple(fd, KVMSCHED_CMD_CONFIG_GET, NLM_F_ACK, NULL, 0, &q))
		return -1;
	if (q.a.err || !q.got_reply) {
		violation(NULL, 0, "probe config-get failed: %s%s %s",
			  errname(-q.a.err), q.got_reply ? "" : " (no reply)", q.a.text);
		return -1;
	}
	return 0;
}

/* Parse one genetlink message's attributes into @tb (u32 values). */
static void parse_u32s(const struct nlmsghdr *h, uint32_t *tb, int max, unsigned int *seen)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
	ssize_t n = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	*seen = 0;
	while (n >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int t = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > n)
			break;
		if (t <= max && t < 32 && a->nla_len == NLA_HDRLEN + 4) {
			memcpy(&tb[t], p + NLA_HDRLEN, 4);
			*seen |= 1u << t;
		}
		n -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

/* Dump @cmd on @fd and collect ids (vm-get: VM ids; vcpu-get: pairs). */
static int list_dump(int fd, uint8_t cmd)
{
	static unsigned char buf[BUFSZ];
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = fam,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = seq++ },
		.g = { .cmd = cmd, .version = 1 },
	};

	if (cmd == KVMSCHED_CMD_VM_GET)
		nvms = 0;
	else
		nvcpus = 0;
	st.sent++;
	if (nl_send(fd, &req, sizeof(req)))
		return -1;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0) {
			violation(NULL, 0, "no answer to a %s dump: %s",
				  cmd == KVMSCHED_CMD_VM_GET ? "vm-get" : "vcpu-get",
				  strerror(errno));
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			uint32_t tb[32] = { 0 };
			unsigned int seen;

			if (h->nlmsg_seq != req.h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				struct ack a;

				parse_ack(h, &a);
				if (a.err)
					violation(NULL, 0, "plain dump failed: %s %s",
						  errname(-a.err), a.text);
				return a.err ? -1 : 0;
			}
			if (h->nlmsg_type != fam)
				continue;
			st.dump_msgs++;
			parse_u32s(h, tb, 31, &seen);
			if (cmd == KVMSCHED_CMD_VM_GET && nvms < MAX_VMS &&
			    (seen & (1u << KVMSCHED_A_VM_ID)))
				vm_ids[nvms++] = tb[KVMSCHED_A_VM_ID];
			if (cmd == KVMSCHED_CMD_VCPU_GET && nvcpus < MAX_VCPUS &&
			    (seen & (1u << KVMSCHED_A_VCPU_VM_ID))) {
				vcpus[nvcpus].vm = tb[KVMSCHED_A_VCPU_VM_ID];
				vcpus[nvcpus].vcpu = tb[KVMSCHED_A_VCPU_VCPU_ID];
				nvcpus++;
			}
		}
	}
}

/* The current period-ms, from a config-get. */
static int read_period(int fd)
{
	static unsigned char buf[BUFSZ];
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = fam,
		       .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = seq++ },
		.g = { .cmd = KVMSCHED_CMD_CONFIG_GET, .version = 1 },
	};
	struct nlmsghdr *h;
	ssize_t len;

	st.sent++;
	if (nl_send(fd, &req, sizeof(req)))
		return -1;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0) {
		violation(NULL, 0, "no answer to config-get: %s", strerror(errno));
		return -1;
	}
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
		uint32_t tb[32] = { 0 };
		unsigned int seen;

		if (h->nlmsg_type != fam || h->nlmsg_seq != req.h.nlmsg_seq)
			continue;
		st.replies++;
		parse_u32s(h, tb, KVMSCHED_A_CONFIG_MAX, &seen);
		if (seen & (1u << KVMSCHED_A_CONFIG_PERIOD_MS))
			period_ms = tb[KVMSCHED_A_CONFIG_PERIOD_MS];
		return 0;
	}
	violation(NULL, 0, "config-get: no reply");
	return -1;
}

static int refresh(int fd)
{
	if (list_dump(fd, KVMSCHED_CMD_VM_GET) || list_dump(fd, KVMSCHED_CMD_VCPU_GET))
		return -1;
	return read_period(fd);
}

/* ---- resolving the family ------------------------------------------------------------ */

static void resolve(int fd)
{
	static unsigned char buf[BUFSZ];
	unsigned char b[256];
	struct mb m = { b, 0, sizeof(b) };
	struct nlmsghdr *h;
	ssize_t len;

	h = mb_hdr(&m, GENL_ID_CTRL, NLM_F_REQUEST, seq++, CTRL_CMD_GETFAMILY);
	mb_attr(&m, CTRL_ATTR_FAMILY_NAME, KVMSCHED_FAMILY_NAME,
		sizeof(KVMSCHED_FAMILY_NAME), 1);
	mb_end(&m, h);
	if (nl_send(fd, b, m.len))
		die("send CTRL_CMD_GETFAMILY: %s", strerror(errno));
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0)
		die("recv CTRL_CMD_GETFAMILY: %s", strerror(errno));
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
		const unsigned char *p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
		ssize_t n = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		if (h->nlmsg_type == NLMSG_ERROR) {
			struct ack a;

			parse_ack(h, &a);
			die("family %s not found: %s", KVMSCHED_FAMILY_NAME, strerror(-a.err));
		}
		while (n >= NLA_HDRLEN) {
			const struct nlattr *a = (const struct nlattr *)p;

			if (a->nla_len < NLA_HDRLEN || a->nla_len > n)
				break;
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				memcpy(&fam, p + NLA_HDRLEN, 2);
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
				/* nest of nests: { id, name } */
				const unsigned char *g = p + NLA_HDRLEN;
				ssize_t gn = a->nla_len - NLA_HDRLEN;

				while (gn >= NLA_HDRLEN) {
					const struct nlattr *e = (const struct nlattr *)g;
					const unsigned char *q = g + NLA_HDRLEN;
					ssize_t qn = e->nla_len - NLA_HDRLEN;
					uint32_t id = 0;
					int named = 0;

					if (e->nla_len < NLA_HDRLEN || e->nla_len > gn)
						break;
					while (qn >= NLA_HDRLEN) {
						const struct nlattr *f = (const struct nlattr *)q;

						if (f->nla_len < NLA_HDRLEN || f->nla_len > qn)
							break;
						if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
							memcpy(&id, q + NLA_HDRLEN, 4);
						if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
						    !strcmp((const char *)q + NLA_HDRLEN,
							    KVMSCHED_MCGRP_EVENTS))
							named = 1;
						qn -= NLA_ALIGN(f->nla_len);
						q += NLA_ALIGN(f->nla_len);
					}
					if (named)
						grp = id;
					gn -= NLA_ALIGN(e->nla_len);
					g += NLA_ALIGN(e->nla_len);
				}
			}
			n -= NLA_ALIGN(a->nla_len);
			p += NLA_ALIGN(a->nla_len);
		}
	}
	if (!fam)
		die("no family id for %s", KVMSCHED_FAMILY_NAME);
}

/* ---- the fuzz cases ---------------------------------------------------------------------- */

/* What we know of a built request, to judge its answer. */
struct shape {
	const struct opdesc *op;
	int well_formed;	/* headers valid, one message, a do request */
	int single;		/* one message whose length matches */
	int expect_errno;	/* targeted: this errno, 0 = none expected */
	int alt_errno;		/* targeted: or this one (EPERM, unprivileged) */
	int need_msg;		/* targeted: must carry a message (not EPERM) */
	const char *what;
};

static uint16_t pick_flags(const struct opdesc *op, int *dump)
{
	uint16_t f = NLM_F_REQUEST;
	int r = rn(100);

	if (chance(75))
		f |= NLM_F_ACK;
	if (op->dumpit ? r < 60 : r < 8)
		f |= NLM_F_DUMP;
	if (chance(3))
		f |= NLM_F_ECHO;
	if (chance(3))
		f |= 1 << (5 + rn(11));		/* reserved, ROOT or MATCH alone */
	if (chance(2))
		f &= ~NLM_F_REQUEST;
	*dump = (f & NLM_F_DUMP) == NLM_F_DUMP;
	return f;
}

/* A request with random attributes, maybe damaged at the message level. */
static void build_random(struct mb *m, struct shape *sh, int *nmsgs)
{
	const struct opdesc *op = &ops[chance(85) ? rn(NREAL) : rn(NOPS)];
	struct nlmsghdr *h;
	struct genlmsghdr *g;
	uint16_t type = fam, flags;
	int dump, k, r;

	sh->op = op;
	flags = pick_flags(op, &dump);
	if (chance(2)) {
		static const uint16_t types[] = { NLMSG_NOOP, NLMSG_DONE, 0x7fff, 0xfff0 };

		type = types[rn(4)];
	}
	h = mb_hdr(m, type, flags, seq, op->cmd);
	g = (struct genlmsghdr *)NLMSG_DATA(h);
	if (chance(4))
		g->version = rn(256);
	if (chance(3))
		g->reserved = 1 + rn(0xfffe);
	fuzz_attrs(m, op, 0);
	mb_end(m, h);
	sh->single = 1;
	sh->well_formed = type == fam && op->doit && !dump && !g->reserved &&
			  !(flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) &&
			  (flags & NLM_F_REQUEST);
	sh->what = "random";
	*nmsgs = 1;

	/* message-level damage */
	r = rn(100);
	if (r < 3) {			/* shorter than a netlink header */
		m->len = 1 + rn(NLMSG_HDRLEN - 1);
		sh->single = sh->well_formed = 0;
		sh->what = "truncated nlmsghdr";
	} else if (r < 7) {		/* genetlink header cut */
		h->nlmsg_len = NLMSG_HDRLEN + rn(GENL_HDRLEN);
		m->len = h->nlmsg_len;
		sh->well_formed = 0;
		sh->what = "truncated genlmsghdr";
	} else if (r < 10) {		/* longer than what is sent */
		h->nlmsg_len += 1 + rn(64);
		sh->single = sh->well_formed = 0;
		sh->what = "nlmsg_len too big";
	} else if (r < 13 && h->nlmsg_len > NLMSG_HDRLEN + GENL_HDRLEN) {
		/* shorter: the rest is read as the next message */
		h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN +
			       rn(h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
		sh->single = sh->well_formed = 0;
		sh->what = "nlmsg_len too small";
	} else if (r < 16) {		/* odd nlmsg_len, garbage after */
		h->nlmsg_len |= 1;
		if (h->nlmsg_len > m->len) {
			m->b[m->len] = rnd();
			m->len++;
		}
		sh->single = sh->well_formed = 0;
		sh->what = "odd nlmsg_len";
	} else if (r < 22) {		/* several messages in one datagram */
		k = 1 + rn(3);
		while (k-- && m->len + 1024 < m->cap) {
			const struct opdesc *o2 = &ops[rn(NREAL)];
			struct nlmsghdr *h2;

			flags = pick_flags(o2, &dump);
			h2 = mb_hdr(m, fam, flags, seq, o2->cmd);
			fuzz_attrs(m, o2, 0);
			mb_end(m, h2);
			(*nmsgs)++;
		}
		sh->single = sh->well_formed = 0;
		sh->what = "several messages";
	}
}

/*
 * A well-formed do request with exactly one bad attribute whose refusal is
 * certain: out of its range (ERANGE), of a bad length (EINVAL), of an
 * unknown or unsupported type (EINVAL); or no attribute at all for an op
 * that requires one (EINVAL, a missing-attribute report).
 */
static void build_targeted(struct mb *m, struct shape *sh)
{
	const struct opdesc *op;
	const struct adesc *d;
	struct nlmsghdr *h;
	unsigned char pay[16] = { 0 };
	uint32_t v;
	int tries = 0;

	do {
		op = &ops[rn(NREAL)];
	} while (!op->nattrs && ++tries < 100);
	if (!op->nattrs)
		op = &ops[1];
	d = &op->attrs[rn(op->nattrs)];
	h = mb_hdr(m, fam, NLM_F_REQUEST | (chance(70) ? NLM_F_ACK : 0), seq, op->cmd);
	sh->op = op;
	sh->single = sh->well_formed = 1;
	sh->need_msg = 1;
	switch (rn(5)) {
	case 0:		/* integer out of range */
		if (d->kind != A_U32 || !(d->flags & (F_MIN | F_MAX)) ||
		    (!(d->flags & F_MAX) && d->min == 0)) {
			d = NULL;
			goto unknown;
		}
		if ((d->flags & F_MIN) && d->min > 0 && (!(d->flags & F_MAX) || chance(50)))
			v = chance(50) ? d->min - 1 : 0;
		else
			v = chance(50) ? d->max + 1 : 0xffffffffu;
		mb_u32(m, d->type, v);
		sh->expect_errno = ERANGE;
		sh->what = "targeted: integer out of range";
		break;
	case 1:		/* a u32 of a bad length */
		if (d->kind != A_U32) {
			d = NULL;
			goto unknown;
		}
		{
			static const size_t lens[] = { 0, 1, 2, 3, 5, 6, 7, 8 };

			mb_attr(m, d->type, pay, lens[rn(8)], 1);
		}
		sh->expect_errno = EINVAL;
		sh->what = "targeted: u32 of a bad length";
		break;
	case 2:		/* a type the op's policy does not have */
unknown:
		{
			const uint16_t t[] = { 0, op->maxattr + 1, op->maxattr + 7, 0x3fff };

			mb_u32(m, t[rn(4)], 1);
		}
		sh->expect_errno = EINVAL;
		sh->what = "targeted: unknown attribute type";
		break;
	case 3:		/* in range of the set, not in this op's policy */
		{
			uint16_t t;
			int i, in;

			for (tries = 0; tries < 50; tries++) {
				t = 1 + rn(op->maxattr);
				for (in = 0, i = 0; i < op->nattrs; i++)
					in |= op->attrs[i].type == t;
				if (!in)
					break;
			}
			if (tries == 50)
				goto unknown;
			mb_u32(m, t, 1);
		}
		sh->expect_errno = EINVAL;
		sh->what = "targeted: unsupported attribute";
		break;
	default:	/* required attribute missing */
		if (op->cmd == KVMSCHED_CMD_CONFIG_SET) {
			/* "nothing to set": the handler's own message */
			sh->what = "targeted: config-set without attributes";
		} else {
			sh->what = "targeted: required attribute missing";
		}
		sh->expect_errno = EINVAL;
		break;
	}
	mb_end(m, h);
	/*
	 * Unprivileged, a change op is refused with EPERM; the policy may
	 * refuse a bad attribute first (the kernel checks GENL_ADMIN_PERM
	 * before the policy, a handler's own check comes after it).
	 */
	if (op->admin && !privileged)
		sh->alt_errno = EPERM;
	(void)v;
}

/* Judge the answer to one fuzzed request. */
static void judge(const struct shape *sh, const struct req *q, const unsigned char *m,
		  size_t mlen)
{
	const struct opdesc *op = sh->op;
	int e = -q->a.err;

	/* an op without a request policy gets the kernel's reject-all one */
	if (sh->single && op->cmd == KVMSCHED_CMD_CONFIG_GET && q->got_reply &&
	    mlen > NLMSG_HDRLEN + GENL_HDRLEN &&
	    ((const struct nlmsghdr *)m)->nlmsg_type == fam) {
		st.cfgget_attrs++;
		violation(m, mlen, "config-get accepted a request with attributes");
	}
	if (sh->expect_errno) {
		st.targeted++;
		if (!q->got_ack || (e != sh->expect_errno && e != sh->alt_errno))
			violation(m, mlen, "%s: %s: got %s%s, want %s%s%s", op->name, sh->what,
				  q->got_ack ? errname(e) : "no ack",
				  q->got_reply ? " and a reply" : "", errname(sh->expect_errno),
				  sh->alt_errno ? " or " : "",
				  sh->alt_errno ? errname(sh->alt_errno) : "");
		else if (sh->need_msg && e != EPERM && !q->a.has_msg &&
			 !(e == EINVAL && q->a.has_miss &&
			   !strcmp(sh->what, "targeted: required attribute missing")))
			violation(m, mlen, "%s: %s: %s without an extack message",
				  op->name, sh->what, errname(e));
		if (sh->need_msg)
			st.extack_checked++;
		return;
	}
	if (sh->well_formed && q->got_ack && op->doit && op->cmd <= KVMSCHED_CMD_MAX &&
	    (e == EINVAL || e == ERANGE || e == ENOENT || e == EBUSY || e == EEXIST) &&
	    (privileged || !op->admin)) {
		st.extack_checked++;
		if (!q->a.has_msg && !(e == EINVAL && q->a.has_miss))
			violation(m, mlen, "%s: %s refused with %s without an extack message",
				  op->name, sh->what, errname(e));
	}
	if (!privileged && op->admin && sh->single) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)m;
		/* a type under NLMSG_MIN_TYPE or without NLM_F_REQUEST is acked unread */
		int req = (h->nlmsg_flags & NLM_F_REQUEST) && h->nlmsg_type == fam &&
			  mlen >= NLMSG_HDRLEN + GENL_HDRLEN;

		if (req && (q->got_reply || (q->got_ack && e == 0)))
			violation(m, mlen, "%s accepted without CAP_NET_ADMIN (%s)", op->name,
				  sh->what);
		/*
		 * Well-formed: EPERM, or the policy's EINVAL/ERANGE (stateless,
		 * before a handler's own check); never what only a handler
		 * that ran can say (ENOENT, EBUSY, EEXIST).
		 */
		if (sh->well_formed && q->got_ack && e != EPERM && e != EINVAL && e != ERANGE)
			violation(m, mlen, "%s without CAP_NET_ADMIN: %s, want EPERM", op->name,
				  errname(e));
	}
}

/* One fuzzed request on the main socket, answered in full. */
static int fuzz_one(int fd)
{
	struct mb m = { msg, 0, MSGSZ * 2 };
	const struct nlmsghdr *h = (const struct nlmsghdr *)msg;
	struct shape sh = { 0 };
	struct req q[2];
	int nmsgs = 1, nq = 1, certain, r;

	if (chance(12))
		build_targeted(&m, &sh);
	else
		build_random(&m, &sh, &nmsgs);
	st.fuzz++;
	st.sent += nmsgs;
	memset(q, 0, sizeof(q));
	q[0].seq = seq++;
	q[0].ack_flag = m.len >= NLMSG_HDRLEN && (h->nlmsg_flags & NLM_F_ACK);
	q[0].dump = m.len >= NLMSG_HDRLEN && (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	/* An answer is certain for one whole request with NLM_F_ACK. */
	certain = sh.single && m.len >= NLMSG_HDRLEN && h->nlmsg_len == m.len &&
		  (h->nlmsg_flags & NLM_F_REQUEST) && q[0].ack_flag &&
		  h->nlmsg_type >= NLMSG_MIN_TYPE;
	r = nl_send(fd, msg, m.len);
	if (r && r != -EINVAL && r != -ENOBUFS && r != -EMSGSIZE)
		violation(msg, m.len, "sendto failed: %s", strerror(-r));
	if (r || !certain) {
		/* maybe no answer: a probe (config-get, NLM_F_ACK) marks the end */
		struct {
			struct nlmsghdr h;
			struct genlmsghdr g;
		} p = {
			.h = { .nlmsg_len = sizeof(p), .nlmsg_type = fam,
			       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = seq },
			.g = { .cmd = KVMSCHED_CMD_CONFIG_GET, .version = 1 },
		};

		q[0].optional = 1;
		q[1].seq = seq++;
		q[1].ack_flag = 1;
		nq = 2;
		st.probes++;
		st.sent++;
		if (nl_send(fd, &p, sizeof(p))) {
			violation(NULL, 0, "sendto of a probe failed: %s", strerror(errno));
			return -1;
		}
	}
	if (drain(fd, q, nq, msg, m.len))
		return -1;
	if (nq == 2 && (q[1].a.err || !q[1].got_reply)) {
		violation(msg, m.len, "probe after the request failed: %s%s %s",
			  errname(-q[1].a.err), q[1].got_reply ? "" : " (no reply)",
			  q[1].a.text);
		return -1;
	}
	if (sh.single && !r)
		judge(&sh, &q[0], msg, m.len);
	if (verbose)
		fprintf(stderr, "seq %u %s (%s): %s %s\n", q[0].seq, sh.op->name, sh.what,
			q[0].got_ack ? errname(-q[0].a.err) : "-", q[0].a.text);
	return 0;
}

/*
 * A dump on its own socket, read with a tiny buffer (every message past
 * the buffer is lost, the dump goes on in the next skb), other requests
 * interleaved on the same socket, and the socket closed before the end
 * half of the time. Each skb of a dump, reply or ack starts with its own
 * header, so 20 bytes show what every skb is.
 */
static int dump_resume(void)
{
	unsigned char b[512], buf[160];
	struct mb m;
	struct nlmsghdr *h;
	uint32_t dseq, iseq[8];
	int fd, ni = 0, ndone = 0, dump_done = 0, close_at, steps = 0, i;
	uint8_t cmd = chance(50) ? KVMSCHED_CMD_VM_GET : KVMSCHED_CMD_VCPU_GET;

	st.resumes++;
	fd = nl_open(0);
	m = (struct mb){ b, 0, sizeof(b) };
	h = mb_hdr(&m, fam, NLM_F_REQUEST | NLM_F_DUMP | (chance(30) ? NLM_F_ACK : 0),
		   seq, cmd);
	if (chance(25)) {
		if (cmd == KVMSCHED_CMD_VM_GET)
			mb_u32(&m, KVMSCHED_A_VM_ID, live_vm());
		else if (chance(50))
			mb_u32(&m, KVMSCHED_A_VCPU_VM_ID, live_vm());
		else
			mb_u32(&m, KVMSCHED_A_VCPU_VCPU_ID, rn(3));
	}
	mb_end(&m, h);
	dseq = seq++;
	st.sent++;
	if (nl_send(fd, b, m.len)) {
		close(fd);
		return 0;
	}
	close_at = chance(50) ? (int)rn(6) : -1;
	while (!dump_done || ndone < ni) {
		ssize_t len;

		if (steps++ == close_at) {
			st.resume_closed++;
			break;
		}
		if (ni < 8 && chance(35)) {
			/* interleave: config-get, vm-get, vcpu-get do, or a second dump */
			int r = rn(4), v = rn(nvcpus);
			uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

			m = (struct mb){ b, 0, sizeof(b) };
			if (r == 2 && !nvcpus)
				r = 0;
			if (r == 0) {
				h = mb_hdr(&m, fam, f, seq, KVMSCHED_CMD_CONFIG_GET);
			} else if (r == 1) {
				h = mb_hdr(&m, fam, f, seq, KVMSCHED_CMD_VM_GET);
				mb_u32(&m, KVMSCHED_A_VM_ID, live_vm());
			} else if (r == 2) {
				h = mb_hdr(&m, fam, f, seq, KVMSCHED_CMD_VCPU_GET);
				mb_u32(&m, KVMSCHED_A_VCPU_VM_ID, vcpus[v].vm);
				mb_u32(&m, KVMSCHED_A_VCPU_VCPU_ID, vcpus[v].vcpu);
			} else {
				h = mb_hdr(&m, fam, f | NLM_F_DUMP, seq, KVMSCHED_CMD_VM_GET);
			}
			mb_end(&m, h);
			iseq[ni++] = seq++;
			st.sent++;
			if (nl_send(fd, b, m.len)) {
				violation(b, m.len, "interleaved send: %s", strerror(errno));
				break;
			}
			continue;
		}
		len = recv(fd, buf, 20 + rn(sizeof(buf) - 20), 0);
		st.tiny_reads++;
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0) {
			violation(NULL, 0, "dump resume: no answer: %s (dump %s, %d of %d interleaved answered)",
				  strerror(errno), dump_done ? "done" : "running", ndone, ni);
			close(fd);
			return -1;
		}
		if (len < (ssize_t)NLMSG_HDRLEN)
			continue;
		h = (struct nlmsghdr *)buf;
		if (h->nlmsg_seq == dseq) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				dump_done = 1;
				if (len >= (ssize_t)(NLMSG_HDRLEN + 4)) {
					int e;

					memcpy(&e, NLMSG_DATA(h), 4);
					count_err(e);
					if (!plausible(-e))
						violation(NULL, 0, "dump resume: implausible errno %d", e);
				}
			} else {
				st.dump_msgs++;
			}
			continue;
		}
		for (i = 0; i < ni; i++) {
			if (h->nlmsg_seq != iseq[i])
				continue;
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
				ndone++;
				if (len >= (ssize_t)(NLMSG_HDRLEN + 4)) {
					int e;

					memcpy(&e, NLMSG_DATA(h), 4);
					count_err(e);
					if (e == -EBUSY)
						st.resume_busy++;
					if (!plausible(-e))
						violation(NULL, 0, "dump resume: implausible errno %d", e);
				}
			} else {
				st.replies++;
			}
		}
	}
	close(fd);
	return 0;
}

/* Read whatever events arrived; they are only counted. */
static void drain_events(int fd)
{
	static unsigned char buf[BUFSZ];

	if (fd < 0)
		return;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;

		if (len < 0 && errno == ENOBUFS)
			continue;
		if (len <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len))
			st.events++;
	}
}

/* ---- --perm ------------------------------------------------------------------------- */

static int perm_one(int fd, const char *name, uint8_t cmd, uint16_t flags,
		    const uint32_t *av, int nav)
{
	struct req q;

	if (do_simple(fd, cmd, flags, av, nav, &q))
		return -1;
	if (q.got_ack && q.a.err)
		printf("perm %s %s extack=\"%s\"\n", name, errname(-q.a.err), q.a.text);
	else
		printf("perm %s ok%s\n", name, q.got_reply || q.dump ? "" : " (no reply)");
	fflush(stdout);
	return 0;
}

static int perm(int fd)
{
	uint32_t vm = nvms ? vm_ids[0] : 1, vcpu = 0;
	uint32_t set[] = { KVMSCHED_A_VM_ID, vm, KVMSCHED_A_VM_WEIGHT, 100 };
	uint32_t cfg[] = { KVMSCHED_A_CONFIG_PERIOD_MS, period_ms };
	uint32_t memr[] = { KVMSCHED_A_VM_ID, vm, KVMSCHED_A_VM_GUEST_FREE_MIB, 0 };
	uint32_t hostr[] = { KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP, 0 };
	uint32_t get[] = { KVMSCHED_A_VM_ID, vm };
	uint32_t vget[4];
	int i, rc = 0;

	for (i = 0; i < nvcpus; i++)
		if (vcpus[i].vm == vm) {
			vcpu = vcpus[i].vcpu;
			break;
		}
	vget[0] = KVMSCHED_A_VCPU_VM_ID;
	vget[1] = vm;
	vget[2] = KVMSCHED_A_VCPU_VCPU_ID;
	vget[3] = vcpu;
	if (!nvms)
		fprintf(stderr, "nlfuzz: --perm: no VM; the per-VM requests name VM 1\n");
	rc |= perm_one(fd, "vm-set", KVMSCHED_CMD_VM_SET, NLM_F_ACK, set, 4);
	rc |= perm_one(fd, "config-set", KVMSCHED_CMD_CONFIG_SET, NLM_F_ACK, cfg, 2);
	rc |= perm_one(fd, "vm-mem-report", KVMSCHED_CMD_VM_MEM_REPORT, NLM_F_ACK, memr, 4);
	rc |= perm_one(fd, "host-mem-report", KVMSCHED_CMD_HOST_MEM_REPORT, NLM_F_ACK, hostr, 2);
	rc |= perm_one(fd, "vm-get", KVMSCHED_CMD_VM_GET, NLM_F_ACK, get, 2);
	rc |= perm_one(fd, "vm-get-dump", KVMSCHED_CMD_VM_GET, NLM_F_DUMP, NULL, 0);
	rc |= perm_one(fd, "vcpu-get", KVMSCHED_CMD_VCPU_GET, NLM_F_ACK, vget, 4);
	rc |= perm_one(fd, "vcpu-get-dump", KVMSCHED_CMD_VCPU_GET, NLM_F_DUMP, NULL, 0);
	rc |= perm_one(fd, "config-get", KVMSCHED_CMD_CONFIG_GET, NLM_F_ACK, NULL, 0);
	return rc ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------------ */

static void summary(unsigned long long seed, unsigned long count)
{
	int e;

	printf("nlfuzz: seed %llu, %lu fuzzed requests (%lu targeted, %lu extack-checked), "
	       "%lu messages sent in %lu datagrams (%lu probes), %lu dump resumes "
	       "(%lu closed mid-dump, %lu EBUSY, %lu tiny reads); replies %lu, dump messages %lu, "
	       "dumps done %lu, events %lu, stray %lu, config-get with attributes accepted %lu; acks:",
	       seed, count, st.targeted, st.extack_checked, st.sent, st.datagrams, st.probes,
	       st.resumes, st.resume_closed, st.resume_busy, st.tiny_reads, st.replies,
	       st.dump_msgs, st.dumps_done, st.events, st.stray, st.cfgget_attrs);
	for (e = 0; e < 4096; e++)
		if (st.err[e])
			printf(" %s %lu", errname(e), st.err[e]);
	if (st.err_other)
		printf(" other %lu", st.err_other);
	printf("; %s, violations %d\n", privileged ? "privileged" : "unprivileged",
	       st.violations);
}

static void usage(FILE *f, int rc)
{
	fprintf(f, "usage: nlfuzz [--seed N] [--count N] [--timeout-ms MS] [--verbose]\n"
		   "       nlfuzz --perm [--timeout-ms MS]\n");
	exit(rc);
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	unsigned long count = 1000, i;
	int fd, efd = -1, do_perm = 0, a;
	struct req q;
	char *end;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
			seed = strtoull(argv[++a], &end, 0);
			if (*end)
				usage(stderr, 2);
		} else if (!strcmp(argv[a], "--count") && a + 1 < argc) {
			count = strtoul(argv[++a], &end, 0);
			if (*end)
				usage(stderr, 2);
		} else if (!strcmp(argv[a], "--timeout-ms") && a + 1 < argc) {
			timeout_ms = strtol(argv[++a], &end, 0);
			if (*end || timeout_ms < 1)
				usage(stderr, 2);
		} else if (!strcmp(argv[a], "--verbose")) {
			verbose = 1;
		} else if (!strcmp(argv[a], "--perm")) {
			do_perm = 1;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout, 0);
		} else {
			usage(stderr, 2);
		}
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	fd = nl_open(1 << 20);
	resolve(fd);
	if (refresh(fd))
		return 1;
	if (do_perm)
		return perm(fd);

	/* Privileged? A config-set without attributes: EPERM or "nothing to set". */
	if (do_simple(fd, KVMSCHED_CMD_CONFIG_SET, NLM_F_ACK, NULL, 0, &q))
		return 1;
	privileged = q.a.err != -EPERM;

	if (grp) {
		efd = nl_open(1 << 16);
		if (setsockopt(efd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
			close(efd);
			efd = -1;
		}
	}
	for (i = 0; i < count; i++) {
		if (i % 512 == 511 && refresh(fd))
			break;
		if (chance(3)) {
			if (dump_resume())
				break;
		} else if (fuzz_one(fd)) {
			break;
		}
		if (i % 64 == 0)
			drain_events(efd);
	}
	drain_events(efd);
	/* still answering, and still listing? */
	if (i == count && (probe(fd) || refresh(fd)))
		violation(NULL, 0, "the family stopped working after the run");
	summary(seed, i);
	if (i < count)
		fprintf(stderr, "nlfuzz: stopped after %lu of %lu requests\n", i, count);
	return st.violations ? 1 : 0;
}
