/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched policy from libvirt's domain XML: the <metadata> element of a
 * running domain's live XML, which libvirt's QEMU driver keeps in
 * /run/libvirt/qemu/NAME.xml (a <domstatus> wrapping the <domain>), read
 * with libexpat. A domain carries its kvmsched settings as
 *
 *   <metadata>
 *     <kvmsched:policy xmlns:kvmsched="https://kvmsched.org/xmlns/policy/1">
 *       <kvmsched:weight>400</kvmsched:weight>
 *       <kvmsched:class>background</kvmsched:class>
 *     </kvmsched:policy>
 *   </metadata>
 *
 * one element per kvmschedctl set key except name (the domain's <name> is
 * the VM's name). Elements are matched by namespace URI and local name, so
 * any prefix (or a default xmlns) works; other namespaces are ignored.
 * Values go through kv_parse() against kv_vm_keys: the same ranges and
 * messages as kvmschedctl set and the policy files. A file with any error
 * is refused whole ("FILE:LINE:COLUMN: reason"). Pure apart from reading
 * the file: no netlink.
 *
 * Precedence, per key: the metadata's value > the matched policy-file
 * rule's > nothing (lv_merge()).
 */
#ifndef KVMSCHED_LIBVIRT_H
#define KVMSCHED_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "policy.h"

#define LIBVIRT_DIR	"/run/libvirt/qemu"	/* the QEMU driver's stateDir */
#define LIBVIRT_NS	"https://kvmsched.org/xmlns/policy/1"
#define LIBVIRT_ELEM	"policy"

/* What one domain's XML says. */
struct lv_policy {
	char path[POLICY_WHERE_LEN];		/* the file read */
	bool found;				/* it has a kvmsched policy */
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1]; /* <domain><name>, "" if none */
	char uuid[VM_UUID_LEN + 1];		/* <domain><uuid>, "" if none */
	uint32_t pid;				/* <domstatus pid=>, 0 if none */
	struct kv_setting set[POLICY_MAX_SET];
	char *args[POLICY_MAX_SET];		/* "key=value": set[].str here */
	char where[POLICY_MAX_SET][POLICY_WHERE_LEN];	/* "FILE:LINE" */
	size_t nset;
};

/*
 * Parse one XML text (a <domstatus> or a bare <domain>); file is used in
 * messages. 0 (lp->found tells whether a policy was there) or -EINVAL with
 * "FILE:LINE:COLUMN: reason" in err, -ENOMEM. On error *lp is empty.
 */
int lv_parse(const char *file, const char *text, size_t len,
	     struct lv_policy *lp, char *err, size_t errlen);

/*
 * DIR/NAME.xml: 0, -ENOENT (no such file: no metadata, err says so),
 * another negative errno with the reason in err. A NAME that could not be
 * a file name (empty, '/', leading '.') is -ENOENT.
 */
int lv_load(const char *dir, const char *name, struct lv_policy *lp,
	    char *err, size_t errlen);

/*
 * The kvmsched policy for one VM: DIR/NAME.xml with NAME the command
 * line's -name (id->name, what libvirt passes) or else name (kvmsched's).
 * 1 and *lp when the file has a policy for this VM; 0 when there is none
 * (no file, no name, no policy in it; err says which); a negative errno
 * with "FILE:LINE:COLUMN: reason" or "FILE: reason" in err when the file
 * is refused: bad, or another process's domain (its pid differs from pid,
 * or its uuid from id->uuid, when both are known: a stale status file or a
 * VM of the same name that libvirt does not run). *lp is empty unless 1.
 */
int lv_for_vm(const char *dir, const char *name, const struct vm_ident *id,
	      uint32_t pid, struct lv_policy *lp, char *err, size_t errlen);

void lv_free(struct lv_policy *lp);

/* "weight=400 class=background" */
void lv_sets(const struct lv_policy *lp, char *buf, size_t len);

/* The settings a VM gets, each with where it comes from. */
struct lv_merged {
	struct kv_setting set[POLICY_MAX_SET];
	const char *arg[POLICY_MAX_SET];	/* "key=value" */
	const char *src[POLICY_MAX_SET];	/* "FILE:LINE" */
	bool from_xml[POLICY_MAX_SET];
	size_t n;
};

/*
 * The file rule r (may be NULL) overridden key by key by lp (may be NULL
 * or without a policy): r's keys in r's order, a key lp also sets taking
 * lp's value, then lp's other keys in lp's order. kv_cross_check() over
 * the result: -EINVAL with the reason in err if the two together are
 * inconsistent (m then holds r's settings alone), else 0.
 */
int lv_merge(const struct pol_rule *r, const struct lv_policy *lp,
	     struct lv_merged *m, char *err, size_t errlen);

/* "weight=400 limit_mcpu=1500" */
void lv_merged_sets(const struct lv_merged *m, char *buf, size_t len);

#endif /* KVMSCHED_LIBVIRT_H */
