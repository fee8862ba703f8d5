// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedd: persistent policy (lib/policy.h). The global section is set
 * when the module comes up and on reload; each VM gets its command line's
 * QEMU name (when kvmsched has none) and the settings of the first rule
 * that matches it, once per VM, again after a reload (SIGHUP) and after
 * the module came back (rmmod + insmod: every VM is new to it).
 *
 * A libvirt domain's XML (--libvirt-dir, lib/libvirt.h) may carry kvmsched
 * settings in its <metadata>: read with the rule, at the same moments, and
 * each key it sets overrides the rule's (the domain's own policy travels
 * with it; the files are the host's defaults). A bad XML is refused whole:
 * the rule alone applies.
 *
 * Settings a rule no longer makes after a reload are not reverted: the
 * VM keeps what it was given until it is set again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "decode.h"
#include "libvirt.h"
#include "log.h"
#include "policy.h"

static void config_apply(struct balloond *b)
{
	struct kvms_config c;
	char why[512], sets[512];
	size_t i, off = 0;
	int rc;

	if (!b->pol.nconfig || !b->nl_up)
		return;
	sets[0] = '\0';
	for (i = 0; i < b->pol.nconfig && off < sizeof(sets); i++)
		off += (size_t)snprintf(sets + off, sizeof(sets) - off, "%s%s",
					i ? " " : "", b->pol.config_args[i]);
	if (b->dry_run) {
		blog(0, "policy: dry run: would set config %s", sets);
		return;
	}
	rc = ipc_config_set(b->req, b->pol.config, b->pol.nconfig, &c);
	if (rc) {
		describe_error(why, sizeof(why), rc, ipc_error(b->req));
		blog(BLOG_ERR, "policy: config %s refused: %s", sets, why);
		return;
	}
	blog(0, "policy: config set %s", sets);
}

static const char *policy_path(const struct balloond *b)
{
	return b->config_path ? b->config_path : POLICY_DIR;
}

int policy_start(struct balloond *b)
{
	char err[ERRLEN];
	int rc;

	rc = policy_load(policy_path(b), &b->pol, err, sizeof(err));
	if (rc) {
		blog(BLOG_ERR, "policy: %s; not starting", err);
		return rc;
	}
	blog(0, "policy: %s: %zu rule%s, %zu config key%s from %u file%s%s",
	     policy_path(b), b->pol.nrules, b->pol.nrules == 1 ? "" : "s",
	     b->pol.nconfig, b->pol.nconfig == 1 ? "" : "s", b->pol.nfiles,
	     b->pol.nfiles == 1 ? "" : "s", b->dry_run ? " (dry run)" : "");
	if (b->libvirt_dir)
		blog(0, "policy: libvirt domain XML from %s/NAME.xml (<metadata> in " LIBVIRT_NS ")",
		     b->libvirt_dir);
	else
		blog(0, "policy: libvirt domain XML not read (--no-libvirt)");
	return 0;
}

void policy_reload(struct balloond *b)
{
	struct policy np;
	char err[ERRLEN];
	struct vm *vm;

	if (policy_load(policy_path(b), &np, err, sizeof(err))) {
		blog(BLOG_ERR, "policy: reload refused: %s; keeping the running policy (%zu rule%s)",
		     err, b->pol.nrules, b->pol.nrules == 1 ? "" : "s");
		return;
	}
	policy_free(&b->pol);
	b->pol = np;
	blog(0, "policy: reloaded %s: %zu rule%s, %zu config key%s from %u file%s",
	     policy_path(b), b->pol.nrules, b->pol.nrules == 1 ? "" : "s",
	     b->pol.nconfig, b->pol.nconfig == 1 ? "" : "s", b->pol.nfiles,
	     b->pol.nfiles == 1 ? "" : "s");
	config_apply(b);
	for (vm = b->vms; vm; vm = vm->next) {
		vm->policy_done = false;
		policy_vm(b, vm);
	}
}

void policy_module_up(struct balloond *b)
{
	struct vm *vm;

	/* A module loaded anew knows no names: the dump brings what it has. */
	for (vm = b->vms; vm; vm = vm->next) {
		vm->policy_done = false;
		vm->name[0] = '\0';
	}
	config_apply(b);
}

/* vm-set s[0..n) on vm; 0 or a negative errno, logged. */
static int vm_set(struct balloond *b, struct vm *vm, const struct kv_setting *s,
		  size_t n, const char *what, const char *sets)
{
	struct kvms_vm out;
	char why[512];
	int rc;

	if (b->dry_run) {
		blog(0, "%s: dry run: %s would set %s", vm->label, what, sets);
		return 0;
	}
	rc = ipc_vm_set(b->req, vm->id, s, n, &out);
	if (rc) {
		describe_error(why, sizeof(why), rc, ipc_error(b->req));
		blog(BLOG_ERR, "%s: %s: set %s refused: %s", vm->label, what, sets, why);
		return rc;
	}
	blog(0, "%s: %s set %s", vm->label, what, sets);
	return 0;
}

/*
 * The kvmsched policy in the VM's libvirt domain XML (lv_for_vm()) into
 * lp: true if there is one for this VM. A refused file is logged.
 */
static bool libvirt_read(struct balloond *b, struct vm *vm,
			 const struct vm_ident *id, struct lv_policy *lp)
{
	char err[ERRLEN];
	int rc;

	memset(lp, 0, sizeof(*lp));
	if (!b->libvirt_dir)
		return false;
	rc = lv_for_vm(b->libvirt_dir, vm->name, id, vm->pid, lp, err,
		       sizeof(err));
	if (rc < 0)
		blog(BLOG_ERR, "%s: libvirt metadata refused: %s; the policy files alone apply",
		     vm->label, err);
	else if (!rc)
		blog(BLOG_DEBUG, "%s: no libvirt metadata: %s", vm->label, err);
	return rc > 0;
}

void policy_vm(struct balloond *b, struct vm *vm)
{
	struct kv_setting s[POLICY_MAX_SET + 1];
	const struct pol_rule *r;
	struct lv_policy lp;
	struct lv_merged m;
	struct vm_ident id;
	char what[2 * POLICY_WHERE_LEN + 160], sets[600], namearg[96];
	char err[ERRLEN];
	bool rule_names = false, add_name, xml, xml_read;
	size_t i, n = 0, off = 0;

	if (vm->policy_done || !vm->id || !b->nl_up)
		return;
	vm->policy_done = true;
	if (!vm->pid || vm_ident_read(vm->pid, &id))
		memset(&id, 0, sizeof(id));	/* gone: match by name only */
	r = policy_match(&b->pol, vm->name, &id);
	xml = xml_read = libvirt_read(b, vm, &id, &lp);
	/* The metadata over the rule, key by key (lib/libvirt.h). */
	if (lv_merge(r, xml ? &lp : NULL, &m, err, sizeof(err))) {
		blog(BLOG_ERR, "%s: libvirt metadata %s refused: with rule %u (%s): %s; the rule alone applies",
		     vm->label, lp.path, r ? r->index : 0, r ? r->where : "-", err);
		xml = false;
	}
	for (i = 0; i < m.n; i++) {
		s[n++] = m.set[i];
		if (m.set[i].key->attr == KVMSCHED_A_VM_NAME)
			rule_names = true;
	}
	what[0] = '\0';
	if (r)
		off = (size_t)snprintf(what, sizeof(what), "rule %u (%s, %s '%s')",
				       r->index, r->where,
				       pol_match_name(r->kind), r->pattern);
	if (xml)
		snprintf(what + off, sizeof(what) - off, "%slibvirt %s",
			 off ? " + " : "", lp.path);
	if (!r && !xml)
		snprintf(what, sizeof(what), "no rule; command line");
	lv_merged_sets(&m, sets, sizeof(sets));
	/* The command line's name, unless kvmsched has one or a rule sets it. */
	add_name = !vm->name[0] && id.name[0] && !rule_names;
	if (add_name) {
		snprintf(namearg, sizeof(namearg), "name=%s", id.name);
		memset(&s[n], 0, sizeof(s[n]));
		s[n].key = kv_find(kv_vm_keys, "name", 4);
		s[n].str = namearg + 5;
		n++;
		snprintf(sets + strlen(sets), sizeof(sets) - strlen(sets),
			 "%s%s", sets[0] ? " " : "", namearg);
	}
	if (!n) {
		blog(1, "%s: no rule matches", vm->label);
		goto out;
	}
	/* A name taken by another VM must not cost the rule's settings. */
	if (vm_set(b, vm, s, n, what, sets) && add_name && n > 1) {
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 " without the command line's name");
		lv_merged_sets(&m, sets, sizeof(sets));
		vm_set(b, vm, s, n - 1, what, sets);
	}
out:
	if (xml_read)
		lv_free(&lp);
}
