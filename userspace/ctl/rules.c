// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl rules: which policy rule matches which running VM and what it
 * sets (read-only: the daemon applies), or --check: validate the files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "json.h"
#include "libvirt.h"
#include "names.h"
#include "policy.h"
#include "rules.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] rules [-h] [--config FILE|DIR] [--check]\n"
	"                        [--libvirt-dir DIR | --no-libvirt]\n"
	"\n"
	"Read the policy (default " POLICY_DIR ": kvmsched.conf, then conf.d/*.conf\n"
	"in name order) and show, for every VM kvmsched tracks, its QEMU name and\n"
	"uuid from /proc/PID/cmdline, the first rule that matches it and what that\n"
	"rule sets, and whether the VM has those settings now (\"in effect\") or not\n"
	"(\"differs: ...\"). Sets nothing: the daemon (balloond) applies the policy.\n"
	"A bad file is reported as FILE:LINE:COLUMN: reason, exit 1. With -j: one\n"
	"object {\"policy\":{path, files, config, rules}, \"vms\":[{id, pid, name,\n"
	"cmdline_name, uuid, rule, differs}]}; differs is null when the rule's\n"
	"settings are in effect, rule null when none matches (no vms with --check).\n"
	"\n"
	"A libvirt domain's <metadata> policy (DIR/NAME.xml, NAME the command line's\n"
	"-name) overrides the rule key by key, as the daemon applies it: the line says\n"
	"\"+ libvirt FILE\", and one indented line per key says where its value comes\n"
	"from (\"from rule N at FILE:LINE\" or \"from libvirt FILE:LINE\"); a refused\n"
	"XML is shown with its reason. With -j each VM also has libvirt (the file or\n"
	"null), libvirt_error (null or why it was refused), set (KEY: VALUE in\n"
	"effect) and sources (KEY: \"FILE:LINE\").\n"
	"\n"
	"  --config FILE|DIR   another policy file or directory\n"
	"  --check             only validate the files (no module needed)\n"
	"  --libvirt-dir DIR   libvirt's live domain XML (default " LIBVIRT_DIR ")\n"
	"  --no-libvirt        leave libvirt's domain XML out\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "config", required_argument, NULL, 'c' },
	{ "check", no_argument, NULL, 'C' },
	{ "libvirt-dir", required_argument, NULL, 'l' },
	{ "no-libvirt", no_argument, NULL, 'N' },
	{ NULL, 0, NULL, 0 },
};

/* The VM's current value of a rule's setting, as kvmschedctl set takes it. */
static bool setting_holds(const struct kv_setting *s, const struct kvms_vm *v,
			  char *buf, size_t len)
{
	uint32_t cur;

	switch (s->key->attr) {
	case KVMSCHED_A_VM_NAME:
		snprintf(buf, len, "name=%s", v->name);
		return !strcmp(v->name, s->str);
	case KVMSCHED_A_VM_CLASS:
		snprintf(buf, len, "class=%s", class_name(v->class) ?
			 class_name(v->class) : "?");
		return v->class == s->u32;
	case KVMSCHED_A_VM_WEIGHT:
		cur = v->weight;
		break;
	case KVMSCHED_A_VM_RESERVATION_MCPU:
		cur = v->reservation_mcpu;
		break;
	case KVMSCHED_A_VM_LIMIT_MCPU:
		cur = v->limit_mcpu;
		break;
	case KVMSCHED_A_VM_MEM_SHARES:
		cur = v->mem_shares;
		break;
	case KVMSCHED_A_VM_MEM_MIN_MIB:
		cur = v->mem_min_mib;
		break;
	case KVMSCHED_A_VM_RT_PRIORITY:
		/* Not sent by a module older than the realtime class. */
		if (!KVMS_HAS(v, KVMSCHED_A_VM_RT_PRIORITY))
			return true;
		cur = v->rt_priority;
		break;
	case KVMSCHED_A_VM_RR_QUANTUM_MS:
		if (!KVMS_HAS(v, KVMSCHED_A_VM_RR_QUANTUM_MS))
			return true;
		cur = v->rr_quantum_ms;
		break;
	case KVMSCHED_A_VM_LATENCY_US:
		/* Not sent by a module older than the latency class. */
		if (!KVMS_HAS(v, KVMSCHED_A_VM_LATENCY_US))
			return true;
		cur = v->latency_us;
		break;
	case KVMSCHED_A_VM_MEM_MAX_MIB:
		/* Reported effective: 0 (unset) reads as the guest RAM. */
		cur = v->mem_max_mib;
		if (!s->u32)
			return true;
		break;
	default:
		return true;	/* a key this version cannot read back */
	}
	snprintf(buf, len, "%s=%u", s->key->key, cur);
	return cur == s->u32;
}

/* A setting's value in JSON: a number, or a string for names and enums. */
static void jw_setting(struct jw *w, const struct kv_setting *s)
{
	if (s->key->type == KV_U32)
		jw_uint(w, s->key->key, s->u32);
	else if (s->key->type == KV_STRING)
		jw_str(w, s->key->key, s->str);
	else
		jw_str(w, s->key->key, kv_enum_name(s->key->enums, s->u32));
}

static void show_vm(const struct policy *p, const char *libvirt_dir,
		    const struct kvms_vm *v, struct jw *w)
{
	const struct pol_rule *r;
	struct lv_policy lp;
	struct lv_merged m;
	struct vm_ident id;
	char sets[600], differs[600], cur[128], why[ERRLEN];
	char lverr[ERRLEN + 2 * POLICY_WHERE_LEN + 32];
	size_t i, off = 0;
	bool xml = false;
	int rc;

	if (!v->pid || vm_ident_read(v->pid, &id))
		memset(&id, 0, sizeof(id));
	r = policy_match(p, v->name, &id);
	memset(&lp, 0, sizeof(lp));
	lverr[0] = '\0';
	if (libvirt_dir) {
		rc = lv_for_vm(libvirt_dir, v->name, &id, v->pid, &lp, lverr,
			       sizeof(lverr));
		xml = rc > 0;
		if (rc >= 0)
			lverr[0] = '\0';	/* none: not an error */
	}
	/* What the daemon applies: the metadata over the rule, per key. */
	if (lv_merge(r, xml ? &lp : NULL, &m, why, sizeof(why))) {
		snprintf(lverr, sizeof(lverr), "%s: with rule %u (%s): %s",
			 lp.path, r->index, r->where, why);
		lv_free(&lp);
		xml = false;
	}
	differs[0] = '\0';
	for (i = 0; i < m.n && off < sizeof(differs); i++)
		if (!setting_holds(&m.set[i], v, cur, sizeof(cur)))
			off += (size_t)snprintf(differs + off,
						sizeof(differs) - off, "%s%s",
						off ? " " : "", cur);
	if (w) {
		jw_obj_begin(w, NULL);
		jw_uint(w, "id", v->id);
		jw_uint(w, "pid", v->pid);
		jw_str(w, "name", v->name[0] ? v->name : NULL);
		jw_str(w, "cmdline_name", id.name[0] ? id.name : NULL);
		jw_str(w, "uuid", id.uuid[0] ? id.uuid : NULL);
		if (r)
			jw_uint(w, "rule", r->index);
		else
			jw_null(w, "rule");
		/* null: in effect; else the VM's values that are not */
		if (m.n)
			jw_str(w, "differs", differs[0] ? differs : NULL);
		jw_str(w, "libvirt", xml ? lp.path : NULL);
		jw_str(w, "libvirt_error", lverr[0] ? lverr : NULL);
		jw_obj_begin(w, "set");
		for (i = 0; i < m.n; i++)
			jw_setting(w, &m.set[i]);
		jw_obj_end(w);
		jw_obj_begin(w, "sources");
		for (i = 0; i < m.n; i++)
			jw_str(w, m.set[i].key->key, m.src[i]);
		jw_obj_end(w);
		jw_obj_end(w);
		goto out;
	}
	printf("vm %u (pid %u, name %s; command line: name %s, uuid %s): ",
	       v->id, v->pid, v->name[0] ? v->name : "-",
	       id.name[0] ? id.name : "-", id.uuid[0] ? id.uuid : "-");
	if (r)
		printf("rule %u (%s, %s '%s')%s", r->index, r->where,
		       pol_match_name(r->kind), r->pattern, xml ? " + " : "");
	if (xml)
		printf("libvirt %s", lp.path);
	if (!m.n) {
		printf("%s\n", r ? "" : "no rule");
	} else {
		lv_merged_sets(&m, sets, sizeof(sets));
		printf(": %s [%s%s]\n", sets,
		       differs[0] ? "differs: " : "in effect", differs);
		for (i = 0; i < m.n; i++)
			if (m.from_xml[i])
				printf("  %s from libvirt %s\n", m.arg[i],
				       m.src[i]);
			else
				printf("  %s from rule %u at %s\n", m.arg[i],
				       r->index, m.src[i]);
	}
	if (lverr[0])
		printf("  libvirt metadata refused: %s\n", lverr);
out:
	if (xml)
		lv_free(&lp);
}

static void jw_policy(struct jw *w, const char *path, const struct policy *p)
{
	size_t i, j;

	jw_obj_begin(w, "policy");
	jw_str(w, "path", path);
	jw_uint(w, "files", p->nfiles);
	jw_obj_begin(w, "config");
	for (i = 0; i < p->nconfig; i++)
		jw_uint(w, p->config[i].key->key, p->config[i].u32);
	jw_obj_end(w);
	jw_arr_begin(w, "rules");
	for (i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];

		jw_obj_begin(w, NULL);
		jw_uint(w, "index", r->index);
		jw_str(w, "where", r->where);
		jw_str(w, pol_match_name(r->kind), r->pattern);
		jw_obj_begin(w, "set");
		for (j = 0; j < r->nset; j++)
			jw_setting(w, &r->set[j]);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

int cmd_rules(int argc, char **argv)
{
	const char *path = POLICY_DIR, *libvirt_dir = LIBVIRT_DIR;
	struct kvms_vm *vms = NULL;
	struct policy p;
	char err[ERRLEN];
	bool check = false;
	struct ipc *ipc;
	struct jw w;
	size_t n = 0, i;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'c':
			path = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'l':
			if (!*optarg)
				return ctl_usage_err(argv[0], usage,
						     "--libvirt-dir: empty path");
			libvirt_dir = optarg;
			break;
		case 'N':
			libvirt_dir = NULL;
			break;
		default:
			return ctl_bad_option(argv[0], usage, c, argv);
		}
	}
	if (optind < argc)
		return ctl_usage_err(argv[0], usage, "unexpected argument '%s'",
				     argv[optind]);
	if (policy_load(path, &p, err, sizeof(err))) {
		ctl_err("%s", err);
		return EXIT_FAIL;
	}
	if (ctl.json) {
		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_policy(&w, path, &p);
	} else {
		printf("policy %s: %zu rule%s, %zu config key%s from %u file%s\n",
		       path, p.nrules, p.nrules == 1 ? "" : "s", p.nconfig,
		       p.nconfig == 1 ? "" : "s", p.nfiles,
		       p.nfiles == 1 ? "" : "s");
		for (i = 0; i < p.nconfig; i++)
			printf("config %s (%s)\n", p.config_args[i],
			       p.config_where[i]);
	}
	rc = EXIT_OK;
	if (!check) {
		rc = ctl_open(&ipc);
		if (!rc) {
			rc = ctl_vm_dump(ipc, &vms, &n);
			ipc_close(ipc);
		}
	}
	if (ctl.json) {
		if (!check && !rc) {
			jw_arr_begin(&w, "vms");
			for (i = 0; i < n; i++)
				show_vm(&p, libvirt_dir, &vms[i], &w);
			jw_arr_end(&w);
		}
		jw_obj_end(&w);
		putchar('\n');
	} else if (!rc) {
		for (i = 0; i < n; i++)
			show_vm(&p, libvirt_dir, &vms[i], NULL);
	}
	free(vms);
	policy_free(&p);
	return rc;
}
