/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: decoding of kvmsched replies and of netlink errors from the
 * raw bytes (struct nlmsghdr / struct nlattr of <linux/netlink.h>). Pure: no
 * libnl, so the host unit tests and the fuzzer can feed it any bytes. ipc.c
 * hands it what libnl received.
 */
#ifndef KVMSCHEDCTL_DECODE_H
#define KVMSCHEDCTL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "model.h"

/* What the kernel said about a failed request (its extended ACK). */
struct ipc_error {
	int err;			/* positive errno, 0 if none */
	char msg[256];			/* NLMSGERR_ATTR_MSG, or "" */
	char attr[48];			/* attribute pointed at ("#N" if
					   unknown), or "" */
	bool missing;			/* attr is missing (not invalid) */
	bool has_range;			/* the kernel sent a policy bound: */
	bool has_min, has_max;		/* which of min and max */
	uint64_t min, max;
	bool is_len;			/* the range is a length */
};

/* Attribute names of a set, as in the spec, for messages. */
struct attr_names {
	const char *const *names;	/* indexed by attribute type */
	size_t n;
};

extern const struct attr_names vm_attr_names, vcpu_attr_names,
	config_attr_names, cpu_attr_names;

/*
 * The attributes of one reply (after the genetlink header), len bytes.
 * Unknown attributes are skipped (the ABI grows by appending); a known one
 * of the wrong size is -EPROTO, as is a VM without an id.
 */
int decode_vm(const void *attrs, int len, struct kvms_vm *vm);
int decode_vcpu(const void *attrs, int len, struct kvms_vcpu *vcpu);
int decode_config(const void *attrs, int len, struct kvms_config *c);

/*
 * What the last of the decoders above rejected, for a message: "attribute
 * wake-latency-hist has 124 bytes, want 128 (32 u32)". Written to buf.
 */
const char *decode_last_error(char *buf, size_t len);

/*
 * One multicast event (genetlink command cmd): the VM of vm-add/del/change
 * and balloon-target, the configuration of config-change and overcommit.
 * Other commands (a newer kernel's events) decode to just their number.
 * Returns 0 or -EPROTO, as the decoders above.
 */
int decode_event(int cmd, const void *attrs, int len, struct kvms_event *ev);

/*
 * The field of u32 config attribute attr (KVMSCHED_A_CONFIG_*), or NULL for
 * a type this program does not know or that is not a u32.
 */
uint32_t *config_field(struct kvms_config *c, int attr);
const uint32_t *config_field_c(const struct kvms_config *c, int attr);

/*
 * The same for the u64 ones (deadline-refused, deadline-reclaimed,
 * apply-last-ns, apply-max-ns, rt-throttled-periods).
 */
uint64_t *config_field64(struct kvms_config *c, int attr);

/*
 * The value of config attribute attr, u32 or u64, in *v: false when the
 * reply did not carry it (an older module) or this program does not know it.
 */
bool config_value(const struct kvms_config *c, int attr, uint64_t *v);

/*
 * An NLMSG_ERROR message: returns its (negative) errno, 0 for an ACK, and
 * fills e from the extack TLVs. req is the request it answers (to name the
 * attribute NLMSGERR_ATTR_OFFS points at), or NULL; names its attribute set.
 */
int decode_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 const struct attr_names *names, struct ipc_error *e);

/* An NLMSG_DONE message: 0, or the errno of a dump that failed part-way. */
int decode_done(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		const struct attr_names *names, struct ipc_error *e);

/*
 * What a failed request (negative errno rc) means, for a message: "<strerror>
 * [: kernel says: <msg>][ (attribute A, accepted MIN-MAX)]", e.g.
 * "Numerical result out of range: kernel says: integer out of range
 * (attribute weight, accepted 1-10000)". The kernel's text is escaped.
 */
void describe_error(char *buf, size_t len, int rc, const struct ipc_error *e);

#endif /* KVMSCHEDCTL_DECODE_H */
