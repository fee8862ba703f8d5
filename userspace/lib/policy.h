/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched policy files (/etc/kvmsched/kvmsched.conf, conf.d/NAME.conf): YAML
 * read with libyaml, validated whole against the same key tables as
 * kvmschedctl config and set (keys.c, parse.c), so ranges stay the spec's.
 * Pure apart from reading the files: no netlink.
 *
 *   config:                    # optional: kvmschedctl config keys
 *     period_ms: 100
 *   rules:                     # first matching rule wins
 *     - name: "web*"           # exactly one of name, uuid, cmdline
 *       set: { weight: 400, limit_mcpu: 1500 }
 *
 * A file with any error is refused whole: the message starts with
 * "FILE:LINE:COLUMN: " and names the key and the accepted range.
 */
#ifndef KVMSCHED_POLICY_H
#define KVMSCHED_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define POLICY_DIR		"/etc/kvmsched"
#define POLICY_MAIN		"kvmsched.conf"
#define POLICY_DROPIN_DIR	"conf.d"
#define POLICY_MAX_SET		16	/* settings per rule, > kv_vm_keys */
#define POLICY_MAX_CONFIG	32	/* > settable kv_config_keys */
#define POLICY_WHERE_LEN	300	/* "FILE:LINE" */

enum pol_match {
	POL_NAME,	/* fnmatch() glob on the VM's name */
	POL_UUID,	/* QEMU's -uuid, case-insensitive */
	POL_CMDLINE,	/* fnmatch() glob on /proc/PID/cmdline joined by ' ' */
};

struct pol_rule {
	unsigned int index;		/* 1-based, in precedence order */
	char where[POLICY_WHERE_LEN];	/* "FILE:LINE" of the rule */
	enum pol_match kind;
	char *pattern;
	struct kv_setting set[POLICY_MAX_SET];
	char *args[POLICY_MAX_SET];	/* "key=value": set[].str points here */
	size_t nset;
};

struct policy {
	struct kv_setting config[POLICY_MAX_CONFIG];
	char *config_args[POLICY_MAX_CONFIG];
	char config_where[POLICY_MAX_CONFIG][POLICY_WHERE_LEN];
	size_t nconfig;
	struct pol_rule *rules;
	size_t nrules;
	unsigned int nfiles;		/* files read */
};

/* "name", "uuid", "cmdline". */
const char *pol_match_name(enum pol_match kind);

/*
 * Load a policy: path is a file (read alone) or a directory (DIR/kvmsched.conf
 * if present, then DIR/conf.d/NAME.conf in name order). Rules keep that order.
 * 0, or a negative errno with the reason in err ("FILE:LINE:COLUMN: ...").
 * A missing default directory is not an error: an empty policy.
 * On error *p is empty (policy_free()d).
 */
int policy_load(const char *path, struct policy *p, char *err, size_t errlen);

/* Parse one file's text, appending to p; name is used in messages. */
int policy_parse(const char *name, const char *text, size_t len,
		 struct policy *p, char *err, size_t errlen);

void policy_free(struct policy *p);

/* -- identifying a VM -------------------------------------------------------- */

#define VM_UUID_LEN	36
#define VM_CMDLINE_MAX	4096

struct vm_ident {
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1];	/* QEMU -name, "" if none */
	char uuid[VM_UUID_LEN + 1];			/* QEMU -uuid, "" if none */
	char cmdline[VM_CMDLINE_MAX];			/* args joined by ' ' */
};

/*
 * From a /proc/PID/cmdline buffer (NUL-separated args): QEMU's "-name NAME",
 * "-name guest=NAME,..." and "-name NAME,process=...", and "-uuid UUID"
 * (also spelled with "--"). A name that kvmsched would refuse (longer than
 * KVMSCHED_VM_NAME_MAX_LEN, or not printable ASCII 0x21-0x7e) is left out.
 */
void vm_ident_parse(const char *buf, size_t len, struct vm_ident *id);

/* From /proc/PID/cmdline: 0 or a negative errno (the process is gone). */
int vm_ident_read(uint32_t pid, struct vm_ident *id);

/*
 * The first rule of p that matches: name is the VM's kvmsched name, or the
 * command line's when it has none. NULL if none matches.
 */
const struct pol_rule *policy_match(const struct policy *p, const char *name,
				    const struct vm_ident *id);

/* "weight=400 limit_mcpu=1500" */
void pol_rule_sets(const struct pol_rule *r, char *buf, size_t len);

#endif /* KVMSCHED_POLICY_H */
