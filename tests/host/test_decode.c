// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/decode.c: kvmsched replies and netlink
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

int main(void)
{
	test_vm();
	test_vcpu_config();
	test_error();
	test_describe();
	test_done();
	return check_done("test_decode");
}
