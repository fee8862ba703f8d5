// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: the netlink layer (libnl-genl-3), see ipc.h.
 *
 * Requests are sent with NLM_F_ACK and read with a private set of callbacks
 * until the exchange ends: the ACK of a do, the NLMSG_DONE of a dump, or an
 * NLMSG_ERROR. Errors keep the kernel's errno and extended ACK (libnl would
 * translate the errno into its own codes and drop the extack).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ipc.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A request that gets no answer for this long fails with ETIMEDOUT. */
#define IPC_TIMEOUT_S	10

struct ipc {
	struct nl_sock *sk;
	int family;
	bool events;			/* joined the group: events only */
	struct ipc_error error;
	/* The request in flight, to name the attribute an extack points at. */
	struct nl_msg *req;
	const struct attr_names *names;
	/* Set by ipc_recv(). */
	int sys_errno;
	bool timed_out;
};

/* libnl error code -> errno, for the few places libnl only gives its own. */
static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:			return 0;
	case NLE_INTR:		return EINTR;
	case NLE_BAD_SOCK:	return EBADF;
	case NLE_AGAIN:		return EAGAIN;
	case NLE_NOMEM:		return ENOMEM;
	case NLE_EXIST:		return EEXIST;
	case NLE_INVAL:		return EINVAL;
	case NLE_RANGE:		return ERANGE;
	case NLE_MSGSIZE:	return EMSGSIZE;
	case NLE_OPNOTSUPP:	return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:	return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:	return ENOENT;
	case NLE_NOATTR:	return ENOENT;
	case NLE_AF_MISMATCH:	return EAFNOSUPPORT;
	case NLE_SEQ_MISMATCH:	return EPROTO;
	case NLE_MSG_OVERFLOW:	return ENOBUFS;
	case NLE_MSG_TRUNC:	return EMSGSIZE;
	case NLE_NOADDR:	return EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT: return EOPNOTSUPP;
	case NLE_MSG_TOOSHORT:	return EPROTO;
	case NLE_MSGTYPE_NOSUPPORT: return EOPNOTSUPP;
	case NLE_OBJ_MISMATCH:	return EPROTO;
	case NLE_NOCACHE:	return ENOENT;
	case NLE_BUSY:		return EBUSY;
	case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
	case NLE_NOACCESS:	return EACCES;
	case NLE_PERM:		return EPERM;
	case NLE_PKTLOC_FILE:	return ENOENT;
	case NLE_PARSE_ERR:	return EINVAL;
	case NLE_NODEV:		return ENODEV;
	case NLE_IMMUTABLE:	return EPERM;
	case NLE_DUMP_INTR:	return EINTR;
	case NLE_ATTRSIZE:	return EPROTO;
	default:		return EIO;
	}
}

/* Record a local failure (positive errno) and return it negated. */
static int ipc_fail(struct ipc *ipc, int err)
{
	ipc->error.err = err;
	return -err;
}

/* -- receiving ------------------------------------------------------------- */

/*
 * nl_cb_overwrite_recv() passes no argument: the ipc whose socket is being
 * read (kvmschedctl is single-threaded).
 */
static struct ipc *recv_ipc;

/* nl_recv(), keeping the errno that libnl would turn into an NLE_ code. */
static int ipc_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		    unsigned char **buf, struct ucred **creds)
{
	int n;

	errno = 0;
	n = nl_recv(sk, nla, buf, creds);
	if (recv_ipc && n <= 0) {
		if (n == 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			recv_ipc->timed_out = true;
		else if (n < 0)
			recv_ipc->sys_errno = errno ? errno : nlerr_to_errno(n);
	}
	return n;
}

struct reply {
	struct ipc *ipc;
	int (*decode)(struct reply *r, int cmd, struct nlattr *head, int len);
	void *out;			/* decode's destination */
	size_t n, cap, size;		/* dumps: elements in out */
	int err;			/* negative errno */
	bool done, interrupted, got;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh;
	int rc;

	if (nlh->nlmsg_type != r->ipc->family)
		return NL_SKIP;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		if (!r->err)
			r->err = -EPROTO;
		return NL_SKIP;
	}
	gnlh = nlmsg_data(nlh);
	rc = r->decode(r, gnlh->cmd, genlmsg_attrdata(gnlh, 0),
		       genlmsg_attrlen(gnlh, 0));
	if (rc && !r->err)
		r->err = rc;
	return NL_OK;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	(void)msg;
	r->interrupted = true;
	return NL_OK;
}

static const struct nlmsghdr *req_hdr(struct ipc *ipc)
{
	return ipc->req ? nlmsg_hdr(ipc->req) : NULL;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;
	struct ipc *ipc = r->ipc;
	int err;

	/* A dump that failed part-way ends with the errno in its DONE. */
	err = decode_done(nlmsg_hdr(msg), req_hdr(ipc), ipc->names,
			  &ipc->error);
	if (err)
		r->err = err;
	r->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr,
		    void *arg)
{
	struct reply *r = arg;
	struct ipc *ipc = r->ipc;
	/* libnl passes the payload of the NLMSG_ERROR message. */
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)
				     ((const char *)nlerr - NLMSG_HDRLEN);

	(void)nla;
	r->err = decode_error(nlh, req_hdr(ipc), ipc->names, &ipc->error);
	if (!r->err)
		r->err = -EPROTO;	/* libnl calls us for errors only */
	r->done = true;
	return NL_STOP;
}

static int seq_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static struct nl_cb *reply_cb(struct reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_CUSTOM);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_overwrite_recv(cb, ipc_recv);
	return cb;
}

/* -- decoding -------------------------------------------------------------- */

/* Room for one more element in a dump's array. */
static void *dump_slot(struct reply *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		void *p = realloc(r->out, cap * r->size);

		if (!p)
			return NULL;
		r->out = p;
		r->cap = cap;
	}
	return (char *)r->out + r->n * r->size;
}

static int dec_vm_dump(struct reply *r, int cmd, struct nlattr *h, int len)
{
	struct kvms_vm *vm;
	int rc;

	if (cmd != KVMSCHED_CMD_VM_GET)
		return 0;
	vm = dump_slot(r);
	if (!vm)
		return -ENOMEM;
	rc = decode_vm(h, len, vm);
	if (!rc)
		r->n++;
	return rc;
}

static int dec_vcpu_dump(struct reply *r, int cmd, struct nlattr *h, int len)
{
	struct kvms_vcpu *v;
	int rc;

	if (cmd != KVMSCHED_CMD_VCPU_GET)
		return 0;
	v = dump_slot(r);
	if (!v)
		return -ENOMEM;
	rc = decode_vcpu(h, len, v);
	if (!rc)
		r->n++;
	return rc;
}

static int dec_vm(struct reply *r, int cmd, struct nlattr *h, int len)
{
	if (cmd != KVMSCHED_CMD_VM_GET && cmd != KVMSCHED_CMD_VM_SET)
		return 0;
	r->got = true;
	return decode_vm(h, len, r->out);
}

static int dec_config(struct reply *r, int cmd, struct nlattr *h, int len)
{
	if (cmd != KVMSCHED_CMD_CONFIG_GET && cmd != KVMSCHED_CMD_CONFIG_SET)
		return 0;
	r->got = true;
	return decode_config(h, len, r->out);
}

/* -- requests -------------------------------------------------------------- */

static uint16_t extra_type;
static uint32_t extra_value;

void ipc_set_extra_attr(uint16_t type, uint32_t value)
{
	extra_type = type;
	extra_value = value;
}

static struct nl_msg *new_req(struct ipc *ipc, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ipc->family, 0,
				flags, cmd, KVMSCHED_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	/* The testing aid goes first: the kernel stops at the first bad one. */
	if (msg && extra_type && nla_put_u32(msg, extra_type, extra_value)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Put settings from a kv table; a KV_* type maps to one attribute type. */
static int put_settings(struct nl_msg *msg, const struct kv_setting *s,
			size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		switch (s[i].key->type) {
		case KV_U32:
		case KV_ENUM:
			rc = nla_put_u32(msg, s[i].key->attr, s[i].u32);
			break;
		case KV_STRING:
			rc = nla_put_string(msg, s[i].key->attr, s[i].str);
			break;
		case KV_U64:
			rc = nla_put_u64(msg, s[i].key->attr, s[i].u32);
			break;
		}
	}
	return rc < 0 ? -EMSGSIZE : 0;
}

/*
 * Send msg (consumed) and read until the exchange ends. names: the
 * attribute set of the request, for extack messages.
 */
static int transact(struct ipc *ipc, struct nl_msg *msg,
		    const struct attr_names *names, struct reply *r)
{
	struct nl_cb *cb;
	int rc;

	memset(&ipc->error, 0, sizeof(ipc->error));
	if (!msg)
		return ipc_fail(ipc, ENOMEM);
	if (ipc->events) {
		nlmsg_free(msg);
		return ipc_fail(ipc, EBUSY);
	}
	r->ipc = ipc;
	cb = reply_cb(r);
	if (!cb) {
		nlmsg_free(msg);
		return ipc_fail(ipc, ENOMEM);
	}
	ipc->req = msg;
	ipc->names = names;
	ipc->sys_errno = 0;
	ipc->timed_out = false;
	recv_ipc = ipc;

	rc = nl_send_auto(ipc->sk, msg);
	if (rc < 0) {
		r->err = -nlerr_to_errno(rc);
		goto out;
	}
	while (!r->done) {
		rc = nl_recvmsgs(ipc->sk, cb);
		if (r->done)
			break;
		if (ipc->timed_out) {
			r->err = -ETIMEDOUT;
			break;
		}
		if (rc < 0) {
			r->err = ipc->sys_errno ? -ipc->sys_errno :
						  -nlerr_to_errno(rc);
			break;
		}
	}
out:
	recv_ipc = NULL;
	ipc->req = NULL;
	nlmsg_free(msg);
	nl_cb_put(cb);
	ipc->error.err = -r->err;
	return r->err;
}

int ipc_vm_dump(struct ipc *ipc, struct kvms_vm **out, size_t *n,
		bool *interrupted)
{
	struct reply r = { .decode = dec_vm_dump, .size = sizeof(**out) };
	int rc;

	rc = transact(ipc, new_req(ipc, KVMSCHED_CMD_VM_GET, NLM_F_DUMP),
		      &vm_attr_names, &r);
	if (rc) {
		free(r.out);
		return rc;
	}
	*out = r.out;
	*n = r.n;
	if (interrupted)
		*interrupted = r.interrupted;
	return 0;
}

int ipc_vcpu_dump(struct ipc *ipc, const uint32_t *vm_id,
		  struct kvms_vcpu **out, size_t *n, bool *interrupted)
{
	struct reply r = { .decode = dec_vcpu_dump, .size = sizeof(**out) };
	struct nl_msg *msg = new_req(ipc, KVMSCHED_CMD_VCPU_GET, NLM_F_DUMP);
	int rc;

	if (msg && vm_id && nla_put_u32(msg, KVMSCHED_A_VCPU_VM_ID, *vm_id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	rc = transact(ipc, msg, &vcpu_attr_names, &r);
	if (rc) {
		free(r.out);
		return rc;
	}
	*out = r.out;
	*n = r.n;
	if (interrupted)
		*interrupted = r.interrupted;
	return 0;
}

static int do_vm(struct ipc *ipc, uint8_t cmd, uint32_t id,
		 const struct kv_setting *s, size_t n, struct kvms_vm *vm)
{
	struct reply r = { .decode = dec_vm, .out = vm };
	struct nl_msg *msg = new_req(ipc, cmd, 0);
	int rc;

	if (msg && (nla_put_u32(msg, KVMSCHED_A_VM_ID, id) ||
		    put_settings(msg, s, n))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	rc = transact(ipc, msg, &vm_attr_names, &r);
	if (!rc && !r.got)
		rc = ipc_fail(ipc, EPROTO);	/* ACK without a reply */
	return rc;
}

int ipc_vm_get(struct ipc *ipc, uint32_t id, struct kvms_vm *vm)
{
	return do_vm(ipc, KVMSCHED_CMD_VM_GET, id, NULL, 0, vm);
}

int ipc_vm_set(struct ipc *ipc, uint32_t id, const struct kv_setting *s,
	       size_t n, struct kvms_vm *vm)
{
	return do_vm(ipc, KVMSCHED_CMD_VM_SET, id, s, n, vm);
}

static int do_config(struct ipc *ipc, uint8_t cmd, const struct kv_setting *s,
		     size_t n, struct kvms_config *c)
{
	struct reply r = { .decode = dec_config, .out = c };
	struct nl_msg *msg = new_req(ipc, cmd, 0);
	int rc;

	if (msg && put_settings(msg, s, n)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	rc = transact(ipc, msg, &config_attr_names, &r);
	if (!rc && !r.got)
		rc = ipc_fail(ipc, EPROTO);
	return rc;
}

int ipc_config_get(struct ipc *ipc, struct kvms_config *c)
{
	return do_config(ipc, KVMSCHED_CMD_CONFIG_GET, NULL, 0, c);
}

int ipc_config_set(struct ipc *ipc, const struct kv_setting *s, size_t n,
		   struct kvms_config *c)
{
	return do_config(ipc, KVMSCHED_CMD_CONFIG_SET, s, n, c);
}

/* -- events ---------------------------------------------------------------- */

struct event_ctx {
	struct ipc *ipc;
	void (*fn)(const struct kvms_event *ev, void *arg);
	void *arg;
	int err;
};

/* nlctrl's "notify" group: tells us when the family goes away. */
static int on_ctrl_event(struct event_ctx *ctx, struct genlmsghdr *gnlh)
{
	struct kvms_event ev = { .cmd = KVMS_EVENT_FAMILY_GONE };
	struct nlattr *a;
	int rem;

	if (gnlh->cmd != CTRL_CMD_DELFAMILY)
		return NL_SKIP;
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(a) == CTRL_ATTR_FAMILY_ID && nla_len(a) == 2 &&
		    nla_get_u16(a) == ctx->ipc->family) {
			ctx->fn(&ev, ctx->arg);
			break;
		}
	}
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_ctx *ctx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh;
	struct kvms_event ev;
	struct nlattr *head;
	int len, rc;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	gnlh = nlmsg_data(nlh);
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return on_ctrl_event(ctx, gnlh);
	if (nlh->nlmsg_type != ctx->ipc->family)
		return NL_SKIP;
	head = genlmsg_attrdata(gnlh, 0);
	len = genlmsg_attrlen(gnlh, 0);
	/* A newer event is reported by its number (see decode_event()). */
	rc = decode_event(gnlh->cmd, head, len, &ev);
	if (rc) {
		ctx->err = rc;
		return NL_SKIP;
	}
	ctx->fn(&ev, ctx->arg);
	return NL_OK;
}

int ipc_events_join(struct ipc *ipc)
{
	int grp, rc;

	memset(&ipc->error, 0, sizeof(ipc->error));
	grp = genl_ctrl_resolve_grp(ipc->sk, KVMSCHED_FAMILY_NAME,
				    KVMSCHED_MCGRP_EVENTS);
	if (grp < 0)
		return ipc_fail(ipc, nlerr_to_errno(grp));
	/* Events come in bursts (many VMs at boot): a generous buffer. */
	nl_socket_set_buffer_size(ipc->sk, 4 << 20, 0);
	rc = nl_socket_add_membership(ipc->sk, grp);
	if (rc < 0)
		return ipc_fail(ipc, nlerr_to_errno(rc));
	/* Best effort: to notice rmmod rather than wait forever. */
	grp = genl_ctrl_resolve_grp(ipc->sk, "nlctrl", "notify");
	if (grp >= 0)
		nl_socket_add_membership(ipc->sk, grp);
	rc = nl_socket_set_nonblocking(ipc->sk);
	if (rc < 0)
		return ipc_fail(ipc, nlerr_to_errno(rc));
	ipc->events = true;
	return 0;
}

int ipc_fd(struct ipc *ipc)
{
	return nl_socket_get_fd(ipc->sk);
}

/*
 * Read the notifications waiting on the socket, handing each valid message
 * to @handler with @ctx; @ctx_err is the handler's error, returned when
 * the read itself succeeded.
 */
static int ipc_recv_events(struct ipc *ipc, nl_recvmsg_msg_cb_t handler,
			   void *ctx, const int *ctx_err)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_CUSTOM);
	int rc;

	memset(&ipc->error, 0, sizeof(ipc->error));
	if (!cb)
		return ipc_fail(ipc, ENOMEM);
	/* Notifications carry sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_ok, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, handler, ctx);
	nl_cb_overwrite_recv(cb, ipc_recv);
	ipc->sys_errno = 0;
	recv_ipc = ipc;
	rc = nl_recvmsgs(ipc->sk, cb);
	recv_ipc = NULL;
	nl_cb_put(cb);
	if (rc < 0)
		rc = ipc->sys_errno ? -ipc->sys_errno : -nlerr_to_errno(rc);
	else
		rc = *ctx_err;
	ipc->error.err = -rc;
	return rc;
}

int ipc_events_read(struct ipc *ipc,
		    void (*fn)(const struct kvms_event *ev, void *arg),
		    void *arg)
{
	struct event_ctx ctx = { .ipc = ipc, .fn = fn, .arg = arg };

	return ipc_recv_events(ipc, on_event, &ctx, &ctx.err);
}

/* -- setup ----------------------------------------------------------------- */

int ipc_open(struct ipc **out)
{
	struct timeval tv = { .tv_sec = IPC_TIMEOUT_S };
	struct ipc *ipc;
	int one = 1, fd, rc;

	ipc = calloc(1, sizeof(*ipc));
	if (!ipc)
		return -ENOMEM;
	ipc->sk = nl_socket_alloc();
	if (!ipc->sk) {
		free(ipc);
		return -ENOMEM;
	}
	rc = genl_connect(ipc->sk);
	if (rc < 0) {
		rc = -nlerr_to_errno(rc);
		goto err;
	}
	fd = nl_socket_get_fd(ipc->sk);
	/*
	 * Extended ACKs carry the kernel's message and the attribute at
	 * fault; capped ACKs do not echo our request back. Both are
	 * best-effort (kernels before 4.12 do not have them).
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl_socket_enable_msg_peek(ipc->sk);

	rc = genl_ctrl_resolve(ipc->sk, KVMSCHED_FAMILY_NAME);
	if (rc < 0) {
		rc = rc == -NLE_OBJ_NOTFOUND ? -ENOENT : -nlerr_to_errno(rc);
		goto err;
	}
	ipc->family = rc;
	*out = ipc;
	return 0;
err:
	nl_socket_free(ipc->sk);
	free(ipc);
	return rc;
}

bool ipc_family_present(struct ipc *ipc)
{
	return !ipc->events &&
	       genl_ctrl_resolve(ipc->sk, KVMSCHED_FAMILY_NAME) >= 0;
}

void ipc_close(struct ipc *ipc)
{
	if (!ipc)
		return;
	nl_socket_free(ipc->sk);
	free(ipc);
}

const struct ipc_error *ipc_error(const struct ipc *ipc)
{
	return &ipc->error;
}

static int dec_none(struct reply *r, int cmd, struct nlattr *h, int len)
{
	(void)r;
	(void)cmd;
	(void)h;
	(void)len;
	return 0;
}

int ipc_vm_mem_report(struct ipc *ipc, uint32_t id, const uint32_t *free_mib,
		      const uint32_t *avail_mib, const uint32_t *actual_mib)
{
	struct reply r = { .decode = dec_none };
	struct nl_msg *msg = new_req(ipc, KVMSCHED_CMD_VM_MEM_REPORT, 0);

	if (msg && (nla_put_u32(msg, KVMSCHED_A_VM_ID, id) ||
		    (free_mib && nla_put_u32(msg, KVMSCHED_A_VM_GUEST_FREE_MIB,
					     *free_mib)) ||
		    (avail_mib && nla_put_u32(msg, KVMSCHED_A_VM_GUEST_AVAIL_MIB,
					      *avail_mib)) ||
		    (actual_mib && nla_put_u32(msg, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB,
					       *actual_mib)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return transact(ipc, msg, &vm_attr_names, &r);
}

int ipc_host_mem_report(struct ipc *ipc, uint32_t psi_some_avg10_bp)
{
	struct reply r = { .decode = dec_none };
	struct nl_msg *msg = new_req(ipc, KVMSCHED_CMD_HOST_MEM_REPORT, 0);

	if (msg && nla_put_u32(msg, KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP,
			       psi_some_avg10_bp)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return transact(ipc, msg, &config_attr_names, &r);
}

int ipc_cpu_set(struct ipc *ipc, uint32_t cpu, int online)
{
	struct reply r = { .decode = dec_none };
	struct nl_msg *msg = new_req(ipc, KVMSCHED_CMD_CPU_SET, 0);

	if (msg && (nla_put_u32(msg, KVMSCHED_A_CPU_CPU_ID, cpu) ||
		    nla_put_u32(msg, KVMSCHED_A_CPU_ONLINE, online ? 1 : 0))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return transact(ipc, msg, &cpu_attr_names, &r);
}
