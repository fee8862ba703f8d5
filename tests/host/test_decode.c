// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/decode.c: kvmsched replies and netlink
 * errors decoded from hand-built bytes, well-formed and not. No kernel.
 * Output as test_parse.c: "test_decode: N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"

#include "check.h"

/* -- building messages ----------------------------------------------------- */

struct buf {
	unsigned char b[1024] __attribute__((aligned(8)));
	size_t len;
};

/* Append an attribute, padded to 4 bytes; returns its offset. */
static size_t put(struct buf *m, uint16_t type, const void *data,
		  size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };
	size_t off = m->len;

	memcpy(m->b + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return off;
}

static size_t put_u32(struct buf *m, uint16_t type, uint32_t v)
{
	return put(m, type, &v, sizeof(v));
}

static size_t put_u64(struct buf *m, uint16_t type, uint64_t v)
{
	return put(m, type, &v, sizeof(v));
}

static size_t put_str(struct buf *m, uint16_t type, const char *s)
{
	return put(m, type, s, strlen(s) + 1);
}

/* Open a nested attribute; close it with nest_end(). */
static size_t nest_start(struct buf *m, uint16_t type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct buf *m, size_t off)
{
	struct nlattr *a = (struct nlattr *)(m->b + off);

	a->nla_len = (uint16_t)(m->len - off);
}

/* -- replies --------------------------------------------------------------- */

static void test_vm(void)
{
	struct kvms_vm vm;
	struct buf m = { .len = 0 };
	char long_name[100];
	int t;

	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VM_PID, 1234);
	put_str(&m, KVMSCHED_A_VM_COMM, "qemu-system-x86");
	put_str(&m, KVMSCHED_A_VM_NAME, "web1");
	put_u32(&m, KVMSCHED_A_VM_NR_VCPUS, 4);
	put(&m, KVMSCHED_A_VM_PAD, NULL, 0);
	put_u64(&m, KVMSCHED_A_VM_CPU_TIME_NS, 12345678901234ull);
	put_u64(&m, KVMSCHED_A_VM_WAIT_TIME_NS, 5);
	put_u64(&m, KVMSCHED_A_VM_VM_ENTRIES, UINT64_MAX);
	put_u32(&m, KVMSCHED_A_VM_CPU_LAST_MCPU, 4000);
	put_u32(&m, KVMSCHED_A_VM_STEAL_LAST_PERMILLE, 1000);
	put_u32(&m, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_BACKGROUND);
	put_u32(&m, KVMSCHED_A_VM_WEIGHT, 10000);
	put_u32(&m, KVMSCHED_A_VM_ENTITLED_MCPU, 1500);
	put_u32(&m, KVMSCHED_A_VM_DEMAND_MCPU, 3999);
	put_u32(&m, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, 3);
	put_u32(&m, 200, 7);	/* from a newer kernel: skipped */
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.id, 3);
	CHECK_INT(vm.pid, 1234);
	CHECK_STR(vm.comm, "qemu-system-x86");
	CHECK_STR(vm.name, "web1");
	CHECK_INT(vm.nr_vcpus, 4);
	CHECK(vm.cpu_time_ns == 12345678901234ull, "cpu_time_ns %llu",
	      (unsigned long long)vm.cpu_time_ns);
	CHECK_INT(vm.wait_time_ns, 5);
	CHECK(vm.vm_entries == UINT64_MAX, "vm_entries %llu",
	      (unsigned long long)vm.vm_entries);
	CHECK_INT(vm.cpu_last_mcpu, 4000);
	CHECK_INT(vm.steal_last_permille, 1000);
	CHECK_INT(vm.class, KVMSCHED_CLASS_BACKGROUND);
	CHECK_INT(vm.weight, 10000);
	CHECK_INT(vm.entitled_mcpu, 1500);
	CHECK_INT(vm.demand_mcpu, 3999);
	CHECK_INT(vm.nr_active_vcpus, 3);
	CHECK(vm.present == (KVMS_BIT(KVMSCHED_A_VM_ID) |
			     KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			     KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
			     KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
			     KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
			     KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS) |
			     KVMS_BIT(KVMSCHED_A_VM_PID) |
			     KVMS_BIT(KVMSCHED_A_VM_COMM) |
			     KVMS_BIT(KVMSCHED_A_VM_NAME) |
			     KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
			     KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
			     KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS) |
			     KVMS_BIT(KVMSCHED_A_VM_VM_ENTRIES) |
			     KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU) |
			     KVMS_BIT(KVMSCHED_A_VM_STEAL_LAST_PERMILLE)),
	      "present %#llx", (unsigned long long)vm.present);

	/* Each scheduling attribute must be a u32; class 0 is present. */
	for (t = KVMSCHED_A_VM_CLASS; t <= KVMSCHED_A_VM_NR_ACTIVE_VCPUS; t++) {
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 1);
		put_u64(&m, (uint16_t)t, 5);
		CHECK(decode_vm(m.b, (int)m.len, &vm) == -EPROTO,
		      "VM attribute %d as 8 bytes accepted", t);
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 1);
		put(&m, (uint16_t)t, "\0\0", 2);
		CHECK(decode_vm(m.b, (int)m.len, &vm) == -EPROTO,
		      "VM attribute %d as 2 bytes accepted", t);
	}
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	put_u32(&m, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_SHARES);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_CLASS) && vm.class == 0,
	      "class shares (0) present");
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_WEIGHT), "weight present");

	/* No name: absent, "" (and reported as absent). */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_NAME), "name present");
	CHECK_STR(vm.name, "");

	/* A counter sent as 4 bytes (a future "uint") is accepted. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	put_u32(&m, KVMSCHED_A_VM_CPU_TIME_NS, 77);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.cpu_time_ns, 77);

	/* Strings: no NUL, or too long, are cut to the buffer. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	put(&m, KVMSCHED_A_VM_COMM, "abc", 3);
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	put_str(&m, KVMSCHED_A_VM_NAME, long_name);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_STR(vm.comm, "abc");
	CHECK_INT(strlen(vm.name), KVMSCHED_VM_NAME_MAX_LEN);

	/* Malformed. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_PID, 1);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);	/* no id */
	CHECK_INT(decode_vm(m.b, 0, &vm), -EPROTO);
	m.len = 0;
	put(&m, KVMSCHED_A_VM_ID, "\1\0", 2);			/* u32 of 2 bytes */
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	put(&m, KVMSCHED_A_VM_WAIT_TIME_NS, "123456", 6);	/* u64 of 6 */
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	/* A last attribute longer than the buffer is not read. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 9);
	put_u32(&m, KVMSCHED_A_VM_PID, 5);
	CHECK_INT(decode_vm(m.b, (int)m.len - 2, &vm), 0);
	CHECK_INT(vm.id, 9);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_PID), "truncated pid decoded");
	/* An attribute claiming fewer bytes than its header stops the walk. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 9);
	((struct nlattr *)m.b)->nla_len = 2;
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	/* Flag bits in the type are masked off. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID | NLA_F_NET_BYTEORDER, 6);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.id, 6);
}

static void test_vcpu_config(void)
{
	struct kvms_vcpu v;
	struct kvms_config c;
	struct buf m = { .len = 0 };

	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VCPU_VCPU_ID, 0);
	put_u32(&m, KVMSCHED_A_VCPU_TID, 4321);
	put_u64(&m, KVMSCHED_A_VCPU_CPU_TIME_NS, 10);
	put_u64(&m, KVMSCHED_A_VCPU_WAIT_TIME_NS, 20);
	put_u64(&m, KVMSCHED_A_VCPU_VM_ENTRIES, 30);
	put_u32(&m, KVMSCHED_A_VCPU_CPU_LAST_MCPU, 999);
	put_u32(&m, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK_INT(v.vm_id, 3);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_VCPU_ID) && v.vcpu_id == 0,
	      "vcpu_id 0 present");
	CHECK_INT(v.tid, 4321);
	CHECK_INT(v.cpu_time_ns, 10);
	CHECK_INT(v.wait_time_ns, 20);
	CHECK_INT(v.vm_entries, 30);
	CHECK_INT(v.cpu_last_mcpu, 999);
	CHECK_INT(v.steal_last_permille, 1);
	CHECK(!KVMS_HAS(&v, KVMSCHED_A_VCPU_POLICY) &&
	      !KVMS_HAS(&v, KVMSCHED_A_VCPU_NICE) &&
	      !KVMS_HAS(&v, KVMSCHED_A_VCPU_OVERRIDES),
	      "absent scheduling attributes present: %#llx",
	      (unsigned long long)v.present);
	m.len = 0;
	put_u64(&m, KVMSCHED_A_VCPU_TID, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);

	/* policy, nice (signed), overrides. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VCPU_POLICY, 5);		/* SCHED_IDLE */
	put_u32(&m, KVMSCHED_A_VCPU_NICE, (uint32_t)-20);
	put_u32(&m, KVMSCHED_A_VCPU_OVERRIDES, 4294967295u);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK_INT(v.policy, 5);
	CHECK_INT(v.nice, -20);
	CHECK_INT(v.overrides, 4294967295u);
	CHECK(v.present == (KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
			    KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
			    KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
			    KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES)),
	      "present %#llx", (unsigned long long)v.present);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_NICE, 19);
	put_u32(&m, KVMSCHED_A_VCPU_POLICY, 0);		/* SCHED_NORMAL */
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK_INT(v.nice, 19);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_POLICY) && v.policy == 0,
	      "policy 0 present");
	m.len = 0;
	put_u64(&m, KVMSCHED_A_VCPU_NICE, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	m.len = 0;
	put(&m, KVMSCHED_A_VCPU_POLICY, "\5", 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	m.len = 0;
	put_u64(&m, KVMSCHED_A_VCPU_OVERRIDES, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);

	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_PERIOD_MS, 100);
	put_u32(&m, KVMSCHED_A_CONFIG_NR_VMS, 2);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK_INT(c.period_ms, 100);
	CHECK_INT(c.nr_vms, 2);
	CHECK_INT(c.present, KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
			     KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS));
	CHECK_INT(decode_config(m.b, 0, &c), 0);
	CHECK_INT(c.present, 0);
	m.len = 0;
	put(&m, KVMSCHED_A_CONFIG_PERIOD_MS, "\1", 1);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), -EPROTO);
}

/* -- errors ---------------------------------------------------------------- */

/* A config-set request: nlmsghdr, genlmsghdr, period-ms. */
static size_t build_request(struct buf *req, size_t *attr_off)
{
	struct nlmsghdr h = { .nlmsg_type = 0x20, .nlmsg_flags = NLM_F_REQUEST |
							      NLM_F_ACK };

	req->len = NLMSG_HDRLEN;
	memset(req->b + req->len, 0, 4);	/* genlmsghdr */
	req->b[req->len] = KVMSCHED_CMD_CONFIG_SET;
	req->b[req->len + 1] = 1;
	req->len += 4;
	*attr_off = put_u32(req, KVMSCHED_A_CONFIG_PERIOD_MS, 5);
	h.nlmsg_len = (uint32_t)req->len;
	memcpy(req->b, &h, sizeof(h));
	return req->len;
}

/*
 * An NLMSG_ERROR for req: capped (no echo) or with the request echoed; the
 * extack TLVs are added by the caller, then err_end() sets the length.
 */
static void err_start(struct buf *m, const struct buf *req, int error,
		      bool capped, bool tlvs)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR };
	struct nlmsgerr e;

	h.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
	memset(&e, 0, sizeof(e));
	e.error = error;
	memcpy(&e.msg, req->b, sizeof(e.msg));
	m->len = 0;
	memcpy(m->b, &h, sizeof(h));
	m->len = NLMSG_HDRLEN;
	memcpy(m->b + m->len, &e, sizeof(e));
	m->len += sizeof(e);
	if (!capped) {
		memcpy(m->b + m->len, req->b + NLMSG_HDRLEN,
		       req->len - NLMSG_HDRLEN);
		m->len += NLMSG_ALIGN(req->len - NLMSG_HDRLEN);
	}
}

static void msg_end(struct buf *m)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->b;

	h->nlmsg_len = (uint32_t)m->len;
}

static void test_error(void)
{
	struct buf req, m;
	struct ipc_error e;
	size_t aoff, nest;
	int capped;

	build_request(&req, &aoff);
	for (capped = 0; capped <= 1; capped++) {
		err_start(&m, &req, -ERANGE, capped, true);
		put_str(&m, NLMSGERR_ATTR_MSG, "integer out of range\n");
		put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)aoff);
		nest = nest_start(&m, NLMSGERR_ATTR_POLICY);
		put_u32(&m, NL_POLICY_TYPE_ATTR_TYPE, 3);
		put_u64(&m, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 10);
		put_u64(&m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 1000);
		nest_end(&m, nest);
		msg_end(&m);
		memset(&e, 0, sizeof(e));
		CHECK_INT(decode_error((struct nlmsghdr *)m.b,
				       (struct nlmsghdr *)req.b,
				       &config_attr_names, &e), -ERANGE);
		CHECK_STR(e.msg, "integer out of range");	/* \n dropped */
		CHECK_STR(e.attr, "period-ms");
		CHECK(e.has_range && !e.is_len && e.min == 10 && e.max == 1000,
		      "capped %d: range %d %d %llu-%llu", capped, e.has_range,
		      e.is_len, (unsigned long long)e.min,
		      (unsigned long long)e.max);
		CHECK(!e.missing, "capped %d: missing set", capped);
		CHECK(e.has_min && e.has_max, "capped %d: has_min %d has_max %d",
		      capped, e.has_min, e.has_max);
	}

	/* A missing attribute, a length range, an unknown attribute type. */
	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_MISS_TYPE, KVMSCHED_A_VM_ID);
	nest = nest_start(&m, NLMSGERR_ATTR_POLICY);
	put_u32(&m, NL_POLICY_TYPE_ATTR_MIN_LENGTH, 0);
	put_u32(&m, NL_POLICY_TYPE_ATTR_MAX_LENGTH, 63);
	nest_end(&m, nest);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, &vm_attr_names, &e),
		  -EINVAL);
	CHECK_STR(e.attr, "id");
	CHECK(e.missing, "missing not set");
	CHECK(e.has_range && e.is_len && e.min == 0 && e.max == 63,
	      "length range %d %d %llu-%llu", e.has_range, e.is_len,
	      (unsigned long long)e.min, (unsigned long long)e.max);
	CHECK_STR(e.msg, "");

	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_MISS_TYPE, 77);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, NULL, &vm_attr_names, &e);
	CHECK_STR(e.attr, "#77");

	/* OFFS outside the request, or into its headers: not used. */
	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)req.len);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
		     &config_attr_names, &e);
	CHECK_STR(e.attr, "");
	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_OFFS, 4);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
		     &config_attr_names, &e);
	CHECK_STR(e.attr, "");
	/* A misaligned offset is read safely (UBSan would abort here). */
	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)aoff + 1);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
			       &config_attr_names, &e), -EINVAL);
	CHECK(e.attr[0] != '\0', "misaligned offset: no attribute named");
	/* ... and without the request at hand. */
	err_start(&m, &req, -EINVAL, true, true);
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)aoff);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, NULL, &config_attr_names, &e);
	CHECK_STR(e.attr, "");

	/* TLVs present but NLM_F_ACK_TLVS not set: ignored. */
	err_start(&m, &req, -EPERM, true, false);
	put_str(&m, NLMSGERR_ATTR_MSG, "should not be read");
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), -EPERM);
	CHECK_STR(e.msg, "");

	/* An ACK, nonsense errnos, a truncated message. */
	err_start(&m, &req, 0, true, false);
	msg_end(&m);
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), 0);
	err_start(&m, &req, 5, true, false);
	msg_end(&m);
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), -EPROTO);
	err_start(&m, &req, INT_MIN, true, false);
	msg_end(&m);
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), -EPROTO);
	err_start(&m, &req, -EINVAL, true, false);
	m.len = NLMSG_HDRLEN + 2;
	msg_end(&m);
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), -EPROTO);
	/* An echoed request whose length runs past the message. */
	err_start(&m, &req, -EINVAL, false, true);
	((struct nlmsgerr *)(m.b + NLMSG_HDRLEN))->msg.nlmsg_len = 60000;
	put_str(&m, NLMSGERR_ATTR_MSG, "x");
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, NULL, NULL, &e), -EINVAL);
	CHECK_STR(e.msg, "");
}

/* A vm-set request (id, weight); *woff is the offset of weight. */
static void build_vm_set(struct buf *req, size_t *woff)
{
	struct nlmsghdr h = { .nlmsg_type = 0x20, .nlmsg_flags = NLM_F_REQUEST |
							      NLM_F_ACK };

	req->len = NLMSG_HDRLEN;
	memset(req->b + req->len, 0, 4);
	req->b[req->len] = KVMSCHED_CMD_VM_SET;
	req->b[req->len + 1] = 1;
	req->len += 4;
	put_u32(req, KVMSCHED_A_VM_ID, 3);
	*woff = put_u32(req, KVMSCHED_A_VM_WEIGHT, 0);
	h.nlmsg_len = (uint32_t)req->len;
	memcpy(req->b, &h, sizeof(h));
}

/* The kernel's answers to bad requests, as the user reads them. */
static void test_describe(void)
{
	struct ipc_error e;
	struct buf req, m;
	size_t woff, nest;
	char buf[512];

	/* The policy's range: weight 0 in a vm-set. */
	build_vm_set(&req, &woff);
	err_start(&m, &req, -ERANGE, true, true);
	put_str(&m, NLMSGERR_ATTR_MSG, "integer out of range");
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)woff);
	nest = nest_start(&m, NLMSGERR_ATTR_POLICY);
	put_u32(&m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32);
	put_u64(&m, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1);
	put_u64(&m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 10000);
	nest_end(&m, nest);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
			       &vm_attr_names, &e), -ERANGE);
	describe_error(buf, sizeof(buf), -ERANGE, &e);
	CHECK_STR(buf, "Numerical result out of range: kernel says: integer out of range (attribute weight, accepted 1-10000)");

	/* A string's maximum length only. */
	memset(&e, 0, sizeof(e));
	strcpy(e.msg, "Attribute failed policy validation");
	strcpy(e.attr, "name");
	e.has_range = e.has_max = e.is_len = true;
	e.max = 63;
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument: kernel says: Attribute failed policy validation (attribute name, length at most 63)");
	e.has_max = false;
	e.has_min = true;
	e.min = 1;
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_HAS(buf, "(attribute name, length at least 1)");

	/* The names of the new attributes, in each set. */
	CHECK_STR(vm_attr_names.names[KVMSCHED_A_VM_CLASS], "class");
	CHECK_STR(vm_attr_names.names[KVMSCHED_A_VM_WEIGHT], "weight");
	CHECK_STR(vm_attr_names.names[KVMSCHED_A_VM_ENTITLED_MCPU], "entitled-mcpu");
	CHECK_STR(vm_attr_names.names[KVMSCHED_A_VM_DEMAND_MCPU], "demand-mcpu");
	CHECK_STR(vm_attr_names.names[KVMSCHED_A_VM_NR_ACTIVE_VCPUS],
		  "nr-active-vcpus");
	CHECK_INT(vm_attr_names.n, KVMSCHED_A_VM_MAX + 1);
	CHECK_STR(vcpu_attr_names.names[KVMSCHED_A_VCPU_POLICY], "policy");
	CHECK_STR(vcpu_attr_names.names[KVMSCHED_A_VCPU_NICE], "nice");
	CHECK_STR(vcpu_attr_names.names[KVMSCHED_A_VCPU_OVERRIDES], "overrides");
	CHECK_INT(vcpu_attr_names.n, KVMSCHED_A_VCPU_MAX + 1);
	CHECK_INT(config_attr_names.n, KVMSCHED_A_CONFIG_MAX + 1);

	/* No message: the errno; EPERM says what is needed. */
	memset(&e, 0, sizeof(e));
	describe_error(buf, sizeof(buf), -EPERM, &e);
	CHECK_STR(buf, "Operation not permitted (needs CAP_NET_ADMIN)");
	describe_error(buf, sizeof(buf), -ENOENT, &e);
	CHECK_STR(buf, "No such file or directory");
	/* A missing attribute, an unknown one, a hostile message. */
	strcpy(e.attr, "id");
	e.missing = true;
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument (missing attribute id)");
	memset(&e, 0, sizeof(e));
	strcpy(e.msg, "Unknown attribute type");
	strcpy(e.attr, "#99");
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument: kernel says: Unknown attribute type (attribute #99)");
	strcpy(e.msg, "bad\x1b[2J name");
	e.attr[0] = '\0';
	describe_error(buf, sizeof(buf), -EEXIST, &e);
	CHECK_STR(buf, "File exists: kernel says: bad\\x1b[2J name");
	/* Bounded. */
	describe_error(buf, 8, -EEXIST, &e);
	CHECK_INT(strlen(buf), 7);
	describe_error(buf, 0, -EEXIST, &e);
}

static void test_done(void)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI };
	struct ipc_error e;
	struct buf m;
	int err;

	/* An old kernel's empty DONE, and a DONE carrying 0. */
	h.nlmsg_len = NLMSG_HDRLEN;
	memcpy(m.b, &h, sizeof(h));
	CHECK_INT(decode_done((struct nlmsghdr *)m.b, NULL, NULL, &e), 0);
	m.len = NLMSG_HDRLEN;
	err = 0;
	memcpy(m.b + m.len, &err, sizeof(err));
	m.len += 4;
	msg_end(&m);
	CHECK_INT(decode_done((struct nlmsghdr *)m.b, NULL, NULL, &e), 0);

	/* A dump that failed, with its message. */
	h.nlmsg_flags |= NLM_F_ACK_TLVS;
	memcpy(m.b, &h, sizeof(h));
	m.len = NLMSG_HDRLEN;
	err = -ENOENT;
	memcpy(m.b + m.len, &err, sizeof(err));
	m.len += 4;
	put_str(&m, NLMSGERR_ATTR_MSG, "unknown VM id");
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_done((struct nlmsghdr *)m.b, NULL, &vcpu_attr_names,
			      &e), -ENOENT);
	CHECK_STR(e.msg, "unknown VM id");
}

/* -- CPU bounds, memory, balloons ------------------------------------------- */

static void test_vm_bounds_mem(void)
{
	struct kvms_vm vm;
	struct buf m = { .len = 0 };
	uint64_t want = 0;
	int t;

	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VM_RESERVATION_MCPU, 500);
	put_u32(&m, KVMSCHED_A_VM_LIMIT_MCPU, 1024000);
	put_u32(&m, KVMSCHED_A_VM_BOUND, KVMSCHED_BOUND_LIMIT);
	put(&m, KVMSCHED_A_VM_PAD, NULL, 0);
	put_u64(&m, KVMSCHED_A_VM_THROTTLED_NS, 98765432109876ull);
	put_u32(&m, KVMSCHED_A_VM_RESERVATION_MISSES, 7);
	put_u32(&m, KVMSCHED_A_VM_MEM_SHARES, 10000);
	put_u32(&m, KVMSCHED_A_VM_MEM_MIN_MIB, 512);
	put_u32(&m, KVMSCHED_A_VM_MEM_MAX_MIB, 16777216);
	put_u32(&m, KVMSCHED_A_VM_GUEST_MEM_MIB, 2048);
	put_u32(&m, KVMSCHED_A_VM_RSS_MIB, 1900);
	put_u32(&m, KVMSCHED_A_VM_GUEST_FREE_MIB, 0);
	put_u32(&m, KVMSCHED_A_VM_GUEST_AVAIL_MIB, 1100);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, 1536);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_TARGET_MIB, 768);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_REASON, KVMSCHED_BALLOON_REASON_HOLD);
	put_u32(&m, KVMSCHED_A_VM_MAX + 1, 9);	/* newer: skipped */
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.id, 3);
	CHECK_INT(vm.reservation_mcpu, 500);
	CHECK_INT(vm.limit_mcpu, 1024000);
	CHECK_INT(vm.bound, KVMSCHED_BOUND_LIMIT);
	CHECK(vm.throttled_ns == 98765432109876ull, "throttled_ns %llu",
	      (unsigned long long)vm.throttled_ns);
	CHECK_INT(vm.reservation_misses, 7);
	CHECK_INT(vm.mem_shares, 10000);
	CHECK_INT(vm.mem_min_mib, 512);
	CHECK_INT(vm.mem_max_mib, 16777216);
	CHECK_INT(vm.guest_mem_mib, 2048);
	CHECK_INT(vm.rss_mib, 1900);
	CHECK_INT(vm.guest_free_mib, 0);
	CHECK_INT(vm.guest_avail_mib, 1100);
	CHECK_INT(vm.balloon_actual_mib, 1536);
	CHECK_INT(vm.balloon_target_mib, 768);
	CHECK_INT(vm.balloon_reason, KVMSCHED_BALLOON_REASON_HOLD);
	/* The wake-latency-* attributes after these: test_latency.c. */
	for (t = KVMSCHED_A_VM_RESERVATION_MCPU;
	     t <= KVMSCHED_A_VM_BALLOON_REASON; t++)
		want |= KVMS_BIT(t);
	want |= KVMS_BIT(KVMSCHED_A_VM_ID);
	CHECK(vm.present == want, "present %#llx, want %#llx",
	      (unsigned long long)vm.present, (unsigned long long)want);
	/* A guest free of 0 MiB is known (present), not unknown. */
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_GUEST_FREE_MIB), "free 0 absent");

	/* The guest's figures and the target may be absent: unknown. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VM_GUEST_MEM_MIB, 0);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_REASON, KVMSCHED_BALLOON_REASON_NONE);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_GUEST_FREE_MIB) &&
	      !KVMS_HAS(&vm, KVMSCHED_A_VM_GUEST_AVAIL_MIB) &&
	      !KVMS_HAS(&vm, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) &&
	      !KVMS_HAS(&vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB),
	      "unknown figures present: %#llx", (unsigned long long)vm.present);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_BALLOON_REASON) &&
	      vm.balloon_reason == 0, "reason none (0) present");

	/* Each u32 must be 4 bytes; throttled-ns 8 (or 4, a future uint). */
	for (t = KVMSCHED_A_VM_RESERVATION_MCPU;
	     t <= KVMSCHED_A_VM_BALLOON_REASON; t++) {
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 1);
		put(&m, (uint16_t)t, "\0\0\0\0\0\0", 6);
		CHECK(decode_vm(m.b, (int)m.len, &vm) == -EPROTO,
		      "VM attribute %d as 6 bytes accepted", t);
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 1);
		put_u64(&m, (uint16_t)t, 5);
		CHECK_INT(decode_vm(m.b, (int)m.len, &vm),
			  t == KVMSCHED_A_VM_THROTTLED_NS ? 0 : -EPROTO);
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 1);
		put_u32(&m, (uint16_t)t, 5);
		CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
		CHECK(KVMS_HAS(&vm, t), "VM attribute %d not present", t);
	}
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 1);
	put_u32(&m, KVMSCHED_A_VM_THROTTLED_NS, 77);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.throttled_ns, 77);
}

static void test_config_all(void)
{
	struct kvms_config c;
	struct buf m = { .len = 0 };
	const uint32_t *f;
	int t;

	/*
	 * Attribute t carries 1000 + t, the u64 ones (deadline-*) 2^32 + t:
	 * each lands in its own field; pad is no field.
	 */
	for (t = 1; t <= KVMSCHED_A_CONFIG_MAX; t++) {
		if (t == KVMSCHED_A_CONFIG_PAD)
			put(&m, (uint16_t)t, NULL, 0);
		else if (config_field64(&c, t))
			put_u64(&m, (uint16_t)t, (UINT64_C(1) << 32) + (uint64_t)t);
		else
			put_u32(&m, (uint16_t)t, 1000u + (uint32_t)t);
	}
	put_u32(&m, KVMSCHED_A_CONFIG_MAX + 1, 5);	/* newer: skipped */
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	for (t = 1; t <= KVMSCHED_A_CONFIG_MAX; t++) {
		uint64_t v = 0;

		if (t == KVMSCHED_A_CONFIG_PAD) {
			CHECK(!KVMS_HAS(&c, t) && !config_field(&c, t) &&
			      !config_field64(&c, t) && !config_value(&c, t, &v),
			      "config pad decoded as a value");
			continue;
		}
		CHECK(KVMS_HAS(&c, t), "config attribute %d not present", t);
		CHECK(config_value(&c, t, &v), "config attribute %d: no value", t);
		if (config_field64(&c, t)) {
			CHECK(!config_field(&c, t), "u64 attribute %d has a u32 field", t);
			CHECK(v == (UINT64_C(1) << 32) + (uint64_t)t,
			      "config attribute %d: %llu", t, (unsigned long long)v);
			continue;
		}
		f = config_field_c(&c, t);
		CHECK(f && *f == 1000u + (uint32_t)t, "config attribute %d: %u",
		      t, f ? *f : 0);
		CHECK(v == 1000u + (uint64_t)t, "config_value %d: %llu", t,
		      (unsigned long long)v);
	}
	CHECK(c.deadline_refused == (UINT64_C(1) << 32) + KVMSCHED_A_CONFIG_DEADLINE_REFUSED,
	      "deadline_refused %llu", (unsigned long long)c.deadline_refused);
	CHECK(c.deadline_reclaimed == (UINT64_C(1) << 32) + KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED,
	      "deadline_reclaimed %llu", (unsigned long long)c.deadline_reclaimed);
	CHECK(config_field(&c, 0) == NULL, "config attribute 0 has a field");
	CHECK(config_field(&c, KVMSCHED_A_CONFIG_MAX + 1) == NULL,
	      "config attribute MAX+1 has a field");
	CHECK_INT(c.reserve_headroom_pct, 1000 + KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT);
	CHECK_INT(c.capacity_mcpu, 1000 + KVMSCHED_A_CONFIG_CAPACITY_MCPU);
	CHECK_INT(c.reservable_mcpu, 1000 + KVMSCHED_A_CONFIG_RESERVABLE_MCPU);
	CHECK_INT(c.reserved_mcpu, 1000 + KVMSCHED_A_CONFIG_RESERVED_MCPU);
	CHECK_INT(c.overcommit_mcpu, 1000 + KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU);
	CHECK_INT(c.mem_low_pct, 1000 + KVMSCHED_A_CONFIG_MEM_LOW_PCT);
	CHECK_INT(c.mem_critical_pct, 1000 + KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT);
	CHECK_INT(c.mem_hysteresis_pct, 1000 + KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT);
	CHECK_INT(c.balloon_step_pct, 1000 + KVMSCHED_A_CONFIG_BALLOON_STEP_PCT);
	CHECK_INT(c.balloon_min_step_bp, 1000 + KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP);
	CHECK_INT(c.idle_tax_pct, 1000 + KVMSCHED_A_CONFIG_IDLE_TAX_PCT);
	CHECK_INT(c.balloon_max_pct, 1000 + KVMSCHED_A_CONFIG_BALLOON_MAX_PCT);
	CHECK_INT(c.balloon_period_ms, 1000 + KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS);
	CHECK_INT(c.mem_state, 1000 + KVMSCHED_A_CONFIG_MEM_STATE);
	CHECK_INT(c.host_mem_mib, 1000 + KVMSCHED_A_CONFIG_HOST_MEM_MIB);
	CHECK_INT(c.host_avail_mib, 1000 + KVMSCHED_A_CONFIG_HOST_AVAIL_MIB);
	CHECK_INT(c.psi_some_avg10_bp, 1000 + KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP);
	CHECK_INT(c.mem_psi_reclaim_bp, 1000 + KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP);
	/* PSI never reported: absent. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_MEM_STATE, KVMSCHED_MEM_STATE_NORMAL);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(!KVMS_HAS(&c, KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP), "psi present");
	CHECK(KVMS_HAS(&c, KVMSCHED_A_CONFIG_MEM_STATE) && c.mem_state == 0,
	      "mem-state normal (0) present");
	/*
	 * Every config attribute is a u32 (8 bytes refused) but the deadline
	 * counters, u64 (a 4-byte "uint" too; 2 bytes refused); pad is skipped.
	 */
	for (t = 1; t <= KVMSCHED_A_CONFIG_MAX; t++) {
		if (t == KVMSCHED_A_CONFIG_PAD)
			continue;
		m.len = 0;
		put_u64(&m, (uint16_t)t, 1);
		if (config_field64(&c, t))
			CHECK(decode_config(m.b, (int)m.len, &c) == 0,
			      "u64 config attribute %d as 8 bytes refused", t);
		else
			CHECK(decode_config(m.b, (int)m.len, &c) == -EPROTO,
			      "config attribute %d as 8 bytes accepted", t);
	}
}

/* The SCHED_DEADLINE attributes of a vCPU and of the configuration. */
static void test_deadline_attrs(void)
{
	struct kvms_vcpu v;
	struct kvms_config c;
	struct buf m = { .len = 0 };
	uint64_t val;

	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VCPU_DL_MCPU, 350);
	put_u32(&m, KVMSCHED_A_VCPU_DL_BLOCK, KVMSCHED_DL_BLOCK_LEAVING);
	put_u32(&m, KVMSCHED_A_VCPU_DL_BLOCKED, 4000000000u);
	put_u32(&m, KVMSCHED_A_VCPU_THREAD_SHARED, (uint32_t)-1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK_INT(v.dl_mcpu, 350);
	CHECK_INT(v.dl_block, KVMSCHED_DL_BLOCK_LEAVING);
	CHECK_INT(v.dl_blocked, 4000000000u);
	CHECK_INT(v.thread_shared, -1);
	CHECK(v.present == (KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
			    KVMS_BIT(KVMSCHED_A_VCPU_DL_MCPU) |
			    KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCK) |
			    KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCKED) |
			    KVMS_BIT(KVMSCHED_A_VCPU_THREAD_SHARED)),
	      "present %#llx", (unsigned long long)v.present);
	/* 0 is a value, not absence; thread-shared is a vcpu-id. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_DL_MCPU, 0);
	put_u32(&m, KVMSCHED_A_VCPU_THREAD_SHARED, 2);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_DL_MCPU) && v.dl_mcpu == 0,
	      "dl-mcpu 0 present");
	CHECK_INT(v.thread_shared, 2);
	/* An older module sends none of them: unknown, not an error. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VCPU_OVERRIDES, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(!KVMS_HAS(&v, KVMSCHED_A_VCPU_DL_MCPU) &&
	      !KVMS_HAS(&v, KVMSCHED_A_VCPU_DL_BLOCK) &&
	      !KVMS_HAS(&v, KVMSCHED_A_VCPU_DL_BLOCKED) &&
	      !KVMS_HAS(&v, KVMSCHED_A_VCPU_THREAD_SHARED),
	      "absent deadline attributes present: %#llx",
	      (unsigned long long)v.present);
	/* Each is 4 bytes exactly. */
	m.len = 0;
	put_u64(&m, KVMSCHED_A_VCPU_DL_MCPU, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	m.len = 0;
	put(&m, KVMSCHED_A_VCPU_DL_BLOCK, "\1", 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	m.len = 0;
	put_u64(&m, KVMSCHED_A_VCPU_DL_BLOCKED, 1);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	m.len = 0;
	put(&m, KVMSCHED_A_VCPU_THREAD_SHARED, "\xff\xff", 2);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);

	/* The config counters: u64 (pad before them), or a 4-byte uint. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_NR_VMS, 2);
	put(&m, KVMSCHED_A_CONFIG_PAD, NULL, 0);
	put_u64(&m, KVMSCHED_A_CONFIG_DEADLINE_REFUSED, 5000000000ull);
	put_u32(&m, KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED, 7);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(c.deadline_refused == 5000000000ull, "deadline_refused %llu",
	      (unsigned long long)c.deadline_refused);
	CHECK(c.deadline_reclaimed == 7, "deadline_reclaimed %llu",
	      (unsigned long long)c.deadline_reclaimed);
	CHECK(c.present == (KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_DEADLINE_REFUSED) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED)),
	      "present %#llx", (unsigned long long)c.present);
	CHECK(config_value(&c, KVMSCHED_A_CONFIG_DEADLINE_REFUSED, &val) &&
	      val == 5000000000ull, "config_value deadline-refused");
	CHECK(config_value(&c, KVMSCHED_A_CONFIG_NR_VMS, &val) && val == 2,
	      "config_value nr-vms");
	CHECK(!config_value(&c, KVMSCHED_A_CONFIG_PERIOD_MS, &val),
	      "config_value of an absent attribute");
	CHECK(!config_value(&c, 0, &val) &&
	      !config_value(&c, KVMSCHED_A_CONFIG_MAX + 1, &val),
	      "config_value out of the set");
	m.len = 0;
	put(&m, KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED, "\1\2", 2);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), -EPROTO);
	/* An older module: unknown. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_NR_VMS, 2);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(!config_value(&c, KVMSCHED_A_CONFIG_DEADLINE_REFUSED, &val) &&
	      !config_value(&c, KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED, &val),
	      "deadline counters of an older module known");
}

/*
 * The latency class's attribute: latency-us, u32, per VM; absent from an
 * older module (unknown), a wrong size refused naming it.
 */
static void test_latency_us_attr(void)
{
	struct kvms_vm vm;
	struct buf m = { .len = 0 };
	char why[128];

	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u32(&m, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_LATENCY);
	put_u32(&m, KVMSCHED_A_VM_BOUND, KVMSCHED_BOUND_LATENCY);
	put_u32(&m, KVMSCHED_A_VM_LATENCY_US, 10000);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.class, 3);
	CHECK_INT(vm.bound, 3);
	CHECK_INT(vm.latency_us, 10000);
	CHECK(vm.present == (KVMS_BIT(KVMSCHED_A_VM_ID) |
			     KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			     KVMS_BIT(KVMSCHED_A_VM_BOUND) |
			     KVMS_BIT(KVMSCHED_A_VM_LATENCY_US)),
	      "present %#llx", (unsigned long long)vm.present);
	/* Kept in another class: decoded whatever the class. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u32(&m, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_SHARES);
	put_u32(&m, KVMSCHED_A_VM_LATENCY_US, 5000);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_LATENCY_US) && vm.latency_us == 5000,
	      "latency-us of a shares VM: %u", vm.latency_us);
	/* An older module does not send it: unknown, not an error. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u32(&m, KVMSCHED_A_VM_RT_PRIORITY, 1);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_LATENCY_US),
	      "absent latency-us present: %#llx",
	      (unsigned long long)vm.present);
	/* Wrong sizes are refused, naming the attribute. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u64(&m, KVMSCHED_A_VM_LATENCY_US, 5000);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute latency-us has 8 bytes, want 4");
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put(&m, KVMSCHED_A_VM_LATENCY_US, "\1\2", 2);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute latency-us has 2 bytes, want 4");
}

/*
 * The realtime class's attributes: rt-priority and rr-quantum-ms u32,
 * rt-throttled-periods u64 (or a 4-byte uint), per VM and in the config.
 */
static void test_realtime_attrs(void)
{
	struct kvms_config c;
	struct kvms_vm vm;
	struct buf m = { .len = 0 };
	char why[128];
	uint64_t val;

	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_REALTIME);
	put_u32(&m, KVMSCHED_A_VM_RT_PRIORITY, 30);
	put_u32(&m, KVMSCHED_A_VM_RR_QUANTUM_MS, 20);
	put(&m, KVMSCHED_A_VM_PAD, NULL, 0);
	put_u64(&m, KVMSCHED_A_VM_RT_THROTTLED_PERIODS, 6000000000ull);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK_INT(vm.class, 2);
	CHECK_INT(vm.rt_priority, 30);
	CHECK_INT(vm.rr_quantum_ms, 20);
	CHECK(vm.rt_throttled_periods == 6000000000ull,
	      "rt_throttled_periods %llu",
	      (unsigned long long)vm.rt_throttled_periods);
	CHECK(vm.present == (KVMS_BIT(KVMSCHED_A_VM_ID) |
			     KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			     KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			     KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
			     KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS)),
	      "present %#llx", (unsigned long long)vm.present);
	/* 0 is a value (FCFS; never throttled); a 4-byte uint counter. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VM_RR_QUANTUM_MS, 0);
	put_u32(&m, KVMSCHED_A_VM_RT_THROTTLED_PERIODS, 9);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_RR_QUANTUM_MS) && vm.rr_quantum_ms == 0,
	      "rr-quantum-ms 0 present");
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_RT_THROTTLED_PERIODS) &&
	      vm.rt_throttled_periods == 9, "rt-throttled-periods as a uint: %llu",
	      (unsigned long long)vm.rt_throttled_periods);
	/* An older module sends none: unknown, not an error. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VM_WEIGHT, 100);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_RT_PRIORITY) &&
	      !KVMS_HAS(&vm, KVMSCHED_A_VM_RR_QUANTUM_MS) &&
	      !KVMS_HAS(&vm, KVMSCHED_A_VM_RT_THROTTLED_PERIODS),
	      "absent realtime attributes present: %#llx",
	      (unsigned long long)vm.present);
	/* Wrong sizes are refused, naming the attribute. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u64(&m, KVMSCHED_A_VM_RT_PRIORITY, 30);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute rt-priority has 8 bytes, want 4");
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put(&m, KVMSCHED_A_VM_RR_QUANTUM_MS, "\1\2", 2);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute rr-quantum-ms has 2 bytes, want 4");
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put(&m, KVMSCHED_A_VM_RT_THROTTLED_PERIODS, "\1\2\3\4\5\6", 6);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute rt-throttled-periods has 6 bytes, want 8 or 4");

	/* The global counter: u64, read by config_value(). */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_NR_VMS, 1);
	put_u64(&m, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS, 5000000001ull);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(c.rt_throttled_periods == 5000000001ull,
	      "config rt_throttled_periods %llu",
	      (unsigned long long)c.rt_throttled_periods);
	CHECK(config_value(&c, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS, &val) &&
	      val == 5000000001ull, "config_value rt-throttled-periods");
	CHECK(config_field64(&c, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS) ==
	      &c.rt_throttled_periods, "rt-throttled-periods field");
	m.len = 0;
	put(&m, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS, "\1\2", 2);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute rt-throttled-periods has 2 bytes, want 8 or 4");
	/* An older module: unknown. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_NR_VMS, 1);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(!config_value(&c, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS, &val),
	      "rt-throttled-periods of an older module known");
}

static void test_events(void)
{
	struct kvms_event ev;
	struct buf m = { .len = 0 };

	/* balloon-target carries the VM. */
	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_TARGET_MIB, 768);
	put_u32(&m, KVMSCHED_A_VM_BALLOON_REASON, KVMSCHED_BALLOON_REASON_INFLATE);
	CHECK_INT(decode_event(KVMSCHED_CMD_BALLOON_TARGET_NTF, m.b, (int)m.len,
			       &ev), 0);
	CHECK_INT(ev.cmd, KVMSCHED_CMD_BALLOON_TARGET_NTF);
	CHECK_INT(ev.vm.id, 3);
	CHECK_INT(ev.vm.balloon_target_mib, 768);
	CHECK_INT(ev.vm.balloon_reason, KVMSCHED_BALLOON_REASON_INFLATE);
	CHECK_INT(ev.config.present, 0);
	/* ... and must have an id, like every VM. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_BALLOON_TARGET_MIB, 768);
	CHECK_INT(decode_event(KVMSCHED_CMD_BALLOON_TARGET_NTF, m.b, (int)m.len,
			       &ev), -EPROTO);

	/* overcommit carries the configuration. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_RESERVED_MCPU, 2000);
	put_u32(&m, KVMSCHED_A_CONFIG_RESERVABLE_MCPU, 1800);
	put_u32(&m, KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU, 200);
	CHECK_INT(decode_event(KVMSCHED_CMD_OVERCOMMIT_NTF, m.b, (int)m.len,
			       &ev), 0);
	CHECK_INT(ev.cmd, KVMSCHED_CMD_OVERCOMMIT_NTF);
	CHECK_INT(ev.config.reserved_mcpu, 2000);
	CHECK_INT(ev.config.reservable_mcpu, 1800);
	CHECK_INT(ev.config.overcommit_mcpu, 200);
	CHECK_INT(ev.vm.present, 0);
	m.len = 0;
	put(&m, KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU, "\1\2", 2);
	CHECK_INT(decode_event(KVMSCHED_CMD_OVERCOMMIT_NTF, m.b, (int)m.len,
			       &ev), -EPROTO);

	/* The older events, unchanged. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u32(&m, KVMSCHED_A_VM_LIMIT_MCPU, 1500);
	CHECK_INT(decode_event(KVMSCHED_CMD_VM_CHANGE_NTF, m.b, (int)m.len,
			       &ev), 0);
	CHECK_INT(ev.vm.id, 5);
	CHECK_INT(ev.vm.limit_mcpu, 1500);
	CHECK_INT(decode_event(KVMSCHED_CMD_VM_ADD_NTF, m.b, (int)m.len, &ev), 0);
	CHECK_INT(decode_event(KVMSCHED_CMD_VM_DEL_NTF, m.b, (int)m.len, &ev), 0);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_PERIOD_MS, 200);
	put_u32(&m, KVMSCHED_A_CONFIG_MEM_LOW_PCT, 30);
	CHECK_INT(decode_event(KVMSCHED_CMD_CONFIG_CHANGE_NTF, m.b, (int)m.len,
			       &ev), 0);
	CHECK_INT(ev.config.period_ms, 200);
	CHECK_INT(ev.config.mem_low_pct, 30);
	/* A newer event: just its number, whatever it carries. */
	CHECK_INT(decode_event(99, "\xff", 1, &ev), 0);
	CHECK_INT(ev.cmd, 99);
	CHECK(ev.vm.present == 0 && ev.config.present == 0,
	      "unknown event decoded");
}

/* A vm-set request with reservation-mcpu (and limit-mcpu); offsets. */
static void build_vm_set_bounds(struct buf *req, size_t *roff, size_t *loff)
{
	struct nlmsghdr h = { .nlmsg_type = 0x20, .nlmsg_flags = NLM_F_REQUEST |
							      NLM_F_ACK };

	req->len = NLMSG_HDRLEN;
	memset(req->b + req->len, 0, 4);
	req->b[req->len] = KVMSCHED_CMD_VM_SET;
	req->b[req->len + 1] = 1;
	req->len += 4;
	put_u32(req, KVMSCHED_A_VM_ID, 3);
	*roff = put_u32(req, KVMSCHED_A_VM_RESERVATION_MCPU, 900);
	*loff = put_u32(req, KVMSCHED_A_VM_LIMIT_MCPU, 500);
	h.nlmsg_len = (uint32_t)req->len;
	memcpy(req->b, &h, sizeof(h));
}

/* The kernel's refusals of CPU bounds and memory settings, as the user reads them. */
static void test_describe_bounds(void)
{
	struct ipc_error e;
	struct buf req, m;
	size_t roff, loff, nest;
	char buf[512];
	int capped;

	build_vm_set_bounds(&req, &roff, &loff);
	for (capped = 0; capped <= 1; capped++) {
		/* Admission control: EBUSY with the room left. */
		err_start(&m, &req, -EBUSY, capped, true);
		put_str(&m, NLMSGERR_ATTR_MSG,
			"reservation_mcpu 900 does not fit: 400 of 1800 mcpu left");
		put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)roff);
		msg_end(&m);
		memset(&e, 0, sizeof(e));
		CHECK_INT(decode_error((struct nlmsghdr *)m.b,
				       (struct nlmsghdr *)req.b, &vm_attr_names,
				       &e), -EBUSY);
		describe_error(buf, sizeof(buf), -EBUSY, &e);
		CHECK_STR(buf, "Device or resource busy: kernel says: reservation_mcpu 900 does not fit: 400 of 1800 mcpu left (attribute reservation-mcpu)");
	}

	/* The kernel's own cross-check, pointing at reservation-mcpu. */
	err_start(&m, &req, -EINVAL, true, true);
	put_str(&m, NLMSGERR_ATTR_MSG, "reservation_mcpu 900 exceeds limit_mcpu 500");
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)roff);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	CHECK_INT(decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
			       &vm_attr_names, &e), -EINVAL);
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument: kernel says: reservation_mcpu 900 exceeds limit_mcpu 500 (attribute reservation-mcpu)");

	/* ... or at limit-mcpu when only the limit was given. */
	err_start(&m, &req, -EINVAL, true, true);
	put_str(&m, NLMSGERR_ATTR_MSG, "reservation_mcpu 900 exceeds limit_mcpu 500");
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)loff);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
		     &vm_attr_names, &e);
	CHECK_STR(e.attr, "limit-mcpu");

	/* The policy's range (KVMSCHEDCTL_NO_LOCAL_CHECKS=1 set ... =2000000). */
	err_start(&m, &req, -ERANGE, true, true);
	put_str(&m, NLMSGERR_ATTR_MSG, "integer out of range");
	put_u32(&m, NLMSGERR_ATTR_OFFS, (uint32_t)roff);
	nest = nest_start(&m, NLMSGERR_ATTR_POLICY);
	put_u32(&m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32);
	put_u64(&m, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0);
	put_u64(&m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 1024000);
	nest_end(&m, nest);
	msg_end(&m);
	memset(&e, 0, sizeof(e));
	decode_error((struct nlmsghdr *)m.b, (struct nlmsghdr *)req.b,
		     &vm_attr_names, &e);
	describe_error(buf, sizeof(buf), -ERANGE, &e);
	CHECK_STR(buf, "Numerical result out of range: kernel says: integer out of range (attribute reservation-mcpu, accepted 0-1024000)");

	/* config-set: the headroom would leave less than is reserved. */
	memset(&e, 0, sizeof(e));
	strcpy(e.msg, "reserve_headroom_pct 50 leaves 1000 mcpu, under the 1400 reserved");
	strcpy(e.attr, config_attr_names.names[KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT]);
	describe_error(buf, sizeof(buf), -EBUSY, &e);
	CHECK_STR(buf, "Device or resource busy: kernel says: reserve_headroom_pct 50 leaves 1000 mcpu, under the 1400 reserved (attribute reserve-headroom-pct)");
	memset(&e, 0, sizeof(e));
	strcpy(e.msg, "mem_critical_pct must be below mem_low_pct");
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument: kernel says: mem_critical_pct must be below mem_low_pct");
	memset(&e, 0, sizeof(e));
	strcpy(e.msg, "mem_min_mib 4096 exceeds mem_max_mib 2048");
	strcpy(e.attr, vm_attr_names.names[KVMSCHED_A_VM_MEM_MIN_MIB]);
	describe_error(buf, sizeof(buf), -EINVAL, &e);
	CHECK_STR(buf, "Invalid argument: kernel says: mem_min_mib 4096 exceeds mem_max_mib 2048 (attribute mem-min-mib)");
}

/* Every attribute's name is the spec's. */
static void test_names(void)
{
	static const char *const vm[] = {
		[KVMSCHED_A_VM_RESERVATION_MCPU] = "reservation-mcpu",
		[KVMSCHED_A_VM_LIMIT_MCPU] = "limit-mcpu",
		[KVMSCHED_A_VM_BOUND] = "bound",
		[KVMSCHED_A_VM_THROTTLED_NS] = "throttled-ns",
		[KVMSCHED_A_VM_RESERVATION_MISSES] = "reservation-misses",
		[KVMSCHED_A_VM_MEM_SHARES] = "mem-shares",
		[KVMSCHED_A_VM_MEM_MIN_MIB] = "mem-min-mib",
		[KVMSCHED_A_VM_MEM_MAX_MIB] = "mem-max-mib",
		[KVMSCHED_A_VM_GUEST_MEM_MIB] = "guest-mem-mib",
		[KVMSCHED_A_VM_RSS_MIB] = "rss-mib",
		[KVMSCHED_A_VM_GUEST_FREE_MIB] = "guest-free-mib",
		[KVMSCHED_A_VM_GUEST_AVAIL_MIB] = "guest-avail-mib",
		[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB] = "balloon-actual-mib",
		[KVMSCHED_A_VM_BALLOON_TARGET_MIB] = "balloon-target-mib",
		[KVMSCHED_A_VM_BALLOON_REASON] = "balloon-reason",
		[KVMSCHED_A_VM_WAKE_LATENCY_COUNT] = "wake-latency-count",
		[KVMSCHED_A_VM_WAKE_LATENCY_P50_NS] = "wake-latency-p50-ns",
		[KVMSCHED_A_VM_WAKE_LATENCY_P99_NS] = "wake-latency-p99-ns",
		[KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS] = "wake-latency-max-ns",
		[KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED] = "wake-latency-skipped",
		[KVMSCHED_A_VM_WAKE_LATENCY_HIST] = "wake-latency-hist",
		[KVMSCHED_A_VM_RT_PRIORITY] = "rt-priority",
		[KVMSCHED_A_VM_RR_QUANTUM_MS] = "rr-quantum-ms",
		[KVMSCHED_A_VM_RT_THROTTLED_PERIODS] = "rt-throttled-periods",
	};
	static const char *const cfg[] = {
		[KVMSCHED_A_CONFIG_PERIOD_MS] = "period-ms",
		[KVMSCHED_A_CONFIG_NR_VMS] = "nr-vms",
		[KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT] = "reserve-headroom-pct",
		[KVMSCHED_A_CONFIG_CAPACITY_MCPU] = "capacity-mcpu",
		[KVMSCHED_A_CONFIG_RESERVABLE_MCPU] = "reservable-mcpu",
		[KVMSCHED_A_CONFIG_RESERVED_MCPU] = "reserved-mcpu",
		[KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU] = "overcommit-mcpu",
		[KVMSCHED_A_CONFIG_MEM_LOW_PCT] = "mem-low-pct",
		[KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT] = "mem-critical-pct",
		[KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT] = "mem-hysteresis-pct",
		[KVMSCHED_A_CONFIG_BALLOON_STEP_PCT] = "balloon-step-pct",
		[KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP] = "balloon-min-step-bp",
		[KVMSCHED_A_CONFIG_IDLE_TAX_PCT] = "idle-tax-pct",
		[KVMSCHED_A_CONFIG_BALLOON_MAX_PCT] = "balloon-max-pct",
		[KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS] = "balloon-period-ms",
		[KVMSCHED_A_CONFIG_MEM_STATE] = "mem-state",
		[KVMSCHED_A_CONFIG_HOST_MEM_MIB] = "host-mem-mib",
		[KVMSCHED_A_CONFIG_HOST_AVAIL_MIB] = "host-avail-mib",
		[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP] = "psi-some-avg10-bp",
		[KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP] = "mem-psi-reclaim-bp",
		[KVMSCHED_A_CONFIG_PAD] = "pad",
		[KVMSCHED_A_CONFIG_DEADLINE_REFUSED] = "deadline-refused",
		[KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED] = "deadline-reclaimed",
		[KVMSCHED_A_CONFIG_APPLY_LAST_NS] = "apply-last-ns",
		[KVMSCHED_A_CONFIG_APPLY_MAX_NS] = "apply-max-ns",
		[KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS] = "rt-throttled-periods",
		[KVMSCHED_A_CONFIG_STARVE_MS] = "starve-ms",
		[KVMSCHED_A_CONFIG_BURST_BOOST] = "burst-boost",
		[KVMSCHED_A_CONFIG_BURST_THRESHOLD_US] = "burst-threshold-us",
	};
	static const char *const vcpu[] = {
		[KVMSCHED_A_VCPU_OVERRIDES] = "overrides",
		[KVMSCHED_A_VCPU_DL_MCPU] = "dl-mcpu",
		[KVMSCHED_A_VCPU_DL_BLOCK] = "dl-block",
		[KVMSCHED_A_VCPU_DL_BLOCKED] = "dl-blocked",
		[KVMSCHED_A_VCPU_THREAD_SHARED] = "thread-shared",
		[KVMSCHED_A_VCPU_STARVED_MS] = "starved-ms",
		[KVMSCHED_A_VCPU_BURST_US] = "burst-us",
	};
	size_t i;

	for (i = KVMSCHED_A_VM_RESERVATION_MCPU; i < sizeof(vm) / sizeof(vm[0]); i++)
		CHECK_STR(vm_attr_names.names[i], vm[i]);
	for (i = 1; i < sizeof(cfg) / sizeof(cfg[0]); i++)
		CHECK_STR(config_attr_names.names[i], cfg[i]);
	for (i = KVMSCHED_A_VCPU_OVERRIDES; i < sizeof(vcpu) / sizeof(vcpu[0]); i++)
		CHECK_STR(vcpu_attr_names.names[i], vcpu[i]);
	for (i = 1; i < vm_attr_names.n; i++)
		CHECK(vm_attr_names.names[i] != NULL, "VM attribute %zu unnamed", i);
	for (i = 1; i < vcpu_attr_names.n; i++)
		CHECK(vcpu_attr_names.names[i] != NULL, "vCPU attribute %zu unnamed", i);
}

/* Starvation: starved-count u64 per VM, starved-ms u32 per vCPU, starve-ms. */
static void test_starve_attrs(void)
{
	struct kvms_config c;
	struct kvms_vcpu v;
	struct kvms_vm vm;
	struct buf m = { .len = 0 };

	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	put_u64(&m, KVMSCHED_A_VM_STARVED_COUNT, 5000000000ull);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_STARVED_COUNT) &&
	      vm.starved_count == 5000000000ull, "starved_count %llu",
	      (unsigned long long)vm.starved_count);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 4);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!KVMS_HAS(&vm, KVMSCHED_A_VM_STARVED_COUNT),
	      "starved_count present from an older module");
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VCPU_VCPU_ID, 1);
	put_u32(&m, KVMSCHED_A_VCPU_STARVED_MS, 1500);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_STARVED_MS) && v.starved_ms == 1500,
	      "starved_ms %u", v.starved_ms);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_STARVE_MS, 0);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(KVMS_HAS(&c, KVMSCHED_A_CONFIG_STARVE_MS) && c.starve_ms == 0,
	      "starve_ms 0 (off) %u", c.starve_ms);
}

/*
 * Shortest-burst boost: burst-us u32 per vCPU, burst-boost and
 * burst-threshold-us u32 in the config, bound boost (4); absent from an
 * older module is unknown, a wrong size is refused naming the attribute.
 */
static void test_burst_attrs(void)
{
	struct kvms_config c;
	struct kvms_vcpu v;
	struct kvms_vm vm;
	struct buf m = { .len = 0 };
	char why[128];

	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VCPU_VCPU_ID, 1);
	put_u32(&m, KVMSCHED_A_VCPU_STARVED_MS, 0);
	put_u32(&m, KVMSCHED_A_VCPU_BURST_US, 731);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_BURST_US) && v.burst_us == 731,
	      "burst_us %u", v.burst_us);
	CHECK_INT(v.starved_ms, 0);
	/* 0: the vCPU did not run; a value, present. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VCPU_BURST_US, 0);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(KVMS_HAS(&v, KVMSCHED_A_VCPU_BURST_US) && v.burst_us == 0,
	      "burst_us 0 not present: %#llx", (unsigned long long)v.present);
	/* An older module: unknown, not an error. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 4);
	put_u32(&m, KVMSCHED_A_VCPU_STARVED_MS, 1500);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), 0);
	CHECK(!KVMS_HAS(&v, KVMSCHED_A_VCPU_BURST_US),
	      "burst_us present from an older module");
	CHECK_INT(v.starved_ms, 1500);
	/* Wrong sizes. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VCPU_VM_ID, 4);
	put_u64(&m, KVMSCHED_A_VCPU_BURST_US, 731);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute burst-us has 8 bytes, want 4");
	m.len = 0;
	put(&m, KVMSCHED_A_VCPU_BURST_US, "\1\2", 2);
	CHECK_INT(decode_vcpu(m.b, (int)m.len, &v), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute burst-us has 2 bytes, want 4");

	/* Config: both, each in its field. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_STARVE_MS, 1000);
	put_u32(&m, KVMSCHED_A_CONFIG_BURST_BOOST, 1);
	put_u32(&m, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US, 100000);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK_INT(c.burst_boost, 1);
	CHECK_INT(c.burst_threshold_us, 100000);
	CHECK_INT(c.starve_ms, 1000);
	CHECK(c.present == (KVMS_BIT(KVMSCHED_A_CONFIG_STARVE_MS) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_BURST_BOOST) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_BURST_THRESHOLD_US)),
	      "present %#llx", (unsigned long long)c.present);
	/* burst-boost 0 (off) is present, an older module sends neither. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_BURST_BOOST, 0);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(KVMS_HAS(&c, KVMSCHED_A_CONFIG_BURST_BOOST) && c.burst_boost == 0 &&
	      !KVMS_HAS(&c, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US),
	      "burst-boost 0 alone: %#llx", (unsigned long long)c.present);
	m.len = 0;
	put_u32(&m, KVMSCHED_A_CONFIG_PERIOD_MS, 100);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), 0);
	CHECK(!KVMS_HAS(&c, KVMSCHED_A_CONFIG_BURST_BOOST) &&
	      !KVMS_HAS(&c, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US),
	      "burst config from an older module: %#llx",
	      (unsigned long long)c.present);
	m.len = 0;
	put_u64(&m, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US, 1000);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute burst-threshold-us has 8 bytes, want 4");
	m.len = 0;
	put(&m, KVMSCHED_A_CONFIG_BURST_BOOST, "\1", 1);
	CHECK_INT(decode_config(m.b, (int)m.len, &c), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute burst-boost has 1 bytes, want 4");

	/* Bound boost (4); its name: test_names. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 5);
	put_u32(&m, KVMSCHED_A_VM_BOUND, KVMSCHED_BOUND_BOOST);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(KVMS_HAS(&vm, KVMSCHED_A_VM_BOUND) && vm.bound == 4,
	      "bound %u", vm.bound);
}

int main(void)
{
	test_vm();
	test_vcpu_config();
	test_error();
	test_describe();
	test_done();
	test_vm_bounds_mem();
	test_config_all();
	test_deadline_attrs();
	test_realtime_attrs();
	test_latency_us_attr();
	test_starve_attrs();
	test_burst_attrs();
	test_events();
	test_describe_bounds();
	test_names();
	return check_done("test_decode");
}
