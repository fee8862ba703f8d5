// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched policy: who a VM is (QEMU's -name and -uuid from
 * /proc/PID/cmdline) and which rule matches it; see policy.h.
 */
#define _GNU_SOURCE		/* strcasecmp */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy.h"
#include "readfile.h"

/* Printable ASCII 0x21-0x7e, 1..KVMSCHED_VM_NAME_MAX_LEN: what vm-set takes. */
static void set_name(struct vm_ident *id, const char *s, size_t n)
{
	size_t i;

	if (!n || n > KVMSCHED_VM_NAME_MAX_LEN)
		return;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return;
	memcpy(id->name, s, n);
	id->name[n] = '\0';
}

/*
 * QEMU's -name: "NAME", "NAME,process=P,debug-threads=on" or
 * "guest=NAME,...". QEMU escapes a ',' in a value as ",,"; such names are
 * taken with the comma.
 */
static void parse_name_opt(struct vm_ident *id, const char *v)
{
	char name[KVMSCHED_VM_NAME_MAX_LEN + 16];	/* + "guest=" + more */
	const char *p = v;
	bool first = true;

	while (*p) {
		const char *eq, *s;
		size_t n = 0;

		/* One option up to an unescaped ',', unescaping ",,". */
		s = p;
		eq = NULL;
		while (*p && !(p[0] == ',' && p[1] != ',')) {
			if (p[0] == ',' && p[1] == ',')
				p++;
			if (*p == '=' && !eq)
				eq = p;
			if (n < sizeof(name) - 1)
				name[n] = *p;
			n++;
			p++;
		}
		if (n >= sizeof(name))
			n = sizeof(name) - 1;	/* too long: set_name refuses */
		name[n] = '\0';
		if (!eq && first) {
			set_name(id, name, n);		/* implicit "guest=" */
		} else if (eq && (size_t)(eq - s) == 5 && !strncmp(s, "guest", 5)) {
			size_t k = (size_t)(strchr(name, '=') - name) + 1;

			set_name(id, name + k, n - k);
		}
		first = false;
		if (*p == ',')
			p++;
	}
}

static bool is_opt(const char *arg, const char *opt)
{
	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	return !strcmp(arg, opt);
}

void vm_ident_parse(const char *buf, size_t len, struct vm_ident *id)
{
	const char *a = buf, *end = buf + len, *prev = NULL;
	size_t off = 0;

	memset(id, 0, sizeof(*id));
	while (a < end) {
		size_t n = strnlen(a, (size_t)(end - a));

		/* Joined by ' ' for cmdline globs (truncated at the cap). */
		if (off + 1 < sizeof(id->cmdline))
			off += (size_t)snprintf(id->cmdline + off,
						sizeof(id->cmdline) - off,
						"%s%.*s", off ? " " : "",
						(int)n, a);
		if (a + n < end && prev) {	/* a NUL-terminated value */
			if (is_opt(prev, "-name"))
				parse_name_opt(id, a);
			else if (is_opt(prev, "-uuid") && n == VM_UUID_LEN)
				memcpy(id->uuid, a, VM_UUID_LEN + 1);
		}
		prev = a + n < end ? a : NULL;
		a += n + 1;
	}
	if (off >= sizeof(id->cmdline))
		id->cmdline[sizeof(id->cmdline) - 1] = '\0';
}

int vm_ident_read(uint32_t pid, struct vm_ident *id)
{
	static char buf[VM_CMDLINE_MAX * 4];
	char path[64];
	size_t len;
	int rc;

	memset(id, 0, sizeof(*id));
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	rc = read_file(path, buf, sizeof(buf), &len);
	if (rc)
		return rc;
	vm_ident_parse(buf, len, id);
	return 0;
}

const struct pol_rule *policy_match(const struct policy *p, const char *name,
				    const struct vm_ident *id)
{
	size_t i;

	if (!name || !*name)
		name = id->name;
	for (i = 0; i < p->nrules; i++) {
		const struct pol_rule *r = &p->rules[i];

		switch (r->kind) {
		case POL_NAME:
			if (*name && !fnmatch(r->pattern, name, 0))
				return r;
			break;
		case POL_UUID:
			if (*id->uuid && !strcasecmp(r->pattern, id->uuid))
				return r;
			break;
		case POL_CMDLINE:
			if (*id->cmdline && !fnmatch(r->pattern, id->cmdline, 0))
				return r;
			break;
		}
	}
	return NULL;
}
