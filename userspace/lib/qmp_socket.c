// SPDX-License-Identifier: GPL-2.0
/*
 * Where a VMM's QMP socket is: from its command line (pure, for the tests)
 * and from a running process's /proc/PID/cmdline and cwd; see qmp_socket.h.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qmp.h"
#include "qmp_socket.h"
#include "readfile.h"

#define CMDLINE_MAX		(256 * 1024)

/*
 * Value of key in a QEMU option string ("a=1,b=x,,y,flag"), unescaping
 * ",,". first: the implied key's value (the first element without '='),
 * checked only when implied is set. Returns 1 if found.
 */
static int opt_get(const char *opts, const char *key, const char *implied,
		   char *out, size_t outlen)
{
	const char *p = opts;
	size_t klen = strlen(key);
	bool first = true;

	while (*p) {
		const char *start = p, *eq = NULL;
		size_t n = 0;
		char val[QMP_PATH_MAX * 2];

		/* One element up to a single comma; ",," is a literal comma. */
		while (*p) {
			if (*p == ',' && p[1] == ',') {
				if (n < sizeof(val) - 1)
					val[n++] = ',';
				p += 2;
				continue;
			}
			if (*p == ',')
				break;
			if (*p == '=' && !eq)
				eq = p;
			if (n < sizeof(val) - 1)
				val[n++] = *p;
			p++;
		}
		val[n] = '\0';
		if (*p == ',')
			p++;
		if (eq && (size_t)(eq - start) == klen &&
		    !strncmp(start, key, klen)) {
			qmp_scopy(out, outlen, val + klen + 1);
			return 1;
		}
		if (!eq && first && implied && !strcmp(key, implied)) {
			qmp_scopy(out, outlen, val);
			return 1;
		}
		first = false;
	}
	return 0;
}

/* Whether a boolean option is on: "key", "key=on|yes|true|y". */
static bool opt_flag(const char *opts, const char *key)
{
	char v[16];
	const char *p = opts;
	size_t klen = strlen(key);

	/* A bare "key" element. */
	while ((p = strstr(p, key))) {
		bool at_start = p == opts || p[-1] == ',';
		char end = p[klen];

		if (at_start && (end == ',' || end == '\0'))
			return true;
		p += klen;
	}
	if (!opt_get(opts, key, NULL, v, sizeof(v)))
		return false;
	return !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") ||
	       !strcmp(v, "y");
}

/* The path of a "-qmp" value: "unix:PATH[,opts]" (server is implied). */
static int qmp_value_path(const char *v, char *path, size_t pathlen)
{
	char p[QMP_PATH_MAX * 2];

	if (strncmp(v, "unix:", 5))
		return -ENOENT;
	/* The path is the implied first element of the rest. */
	if (!opt_get(v + 5, "path", "path", p, sizeof(p)) || !p[0])
		return -ENOENT;
	if (strlen(p) >= pathlen)
		return -ENAMETOOLONG;
	qmp_scopy(path, pathlen, p);
	return 0;
}

/* An argument "-NAME" or "--NAME", with "=VALUE" or not. */
static const char *opt_name(const char *arg, const char *name, bool *has_eq)
{
	size_t n = strlen(name);

	if (arg[0] != '-')
		return NULL;
	arg += arg[1] == '-' ? 2 : 1;
	if (strncmp(arg, name, n))
		return NULL;
	if (arg[n] == '\0') {
		*has_eq = false;
		return arg + n;
	}
	if (arg[n] == '=') {
		*has_eq = true;
		return arg + n + 1;
	}
	return NULL;
}

#define MAX_ARGS 4096

int qmp_socket_from_cmdline(const char *cmdline, size_t len, char *path,
			    size_t pathlen)
{
	const char *argv[MAX_ARGS];
	size_t argc = 0, i, off = 0;
	int rc, best = -ENOENT;

	/* Split at NULs; a missing final NUL is tolerated. */
	while (off < len && argc < MAX_ARGS) {
		const char *a = cmdline + off;
		const char *nul = memchr(a, '\0', len - off);

		if (!nul)
			break;		/* unterminated last argument: ignored */
		argv[argc++] = a;
		off = (size_t)(nul - cmdline) + 1;
	}

	/* -qmp / -qmp-pretty, first match wins. */
	for (i = 0; i < argc; i++) {
		static const char *const names[] = { "qmp", "qmp-pretty" };
		size_t k;

		for (k = 0; k < 2; k++) {
			bool eq;
			const char *v = opt_name(argv[i], names[k], &eq);

			if (!v)
				continue;
			if (!eq) {
				if (i + 1 >= argc)
					break;
				v = argv[++i];
			}
			rc = qmp_value_path(v, path, pathlen);
			if (rc == 0)
				return 0;
			if (rc == -ENAMETOOLONG)
				best = rc;
			break;
		}
	}

	/* -mon chardev=ID,mode=control with -chardev socket,id=ID,path=P,server. */
	for (i = 0; i < argc; i++) {
		char id[128], mode[32];
		bool eq;
		const char *v = opt_name(argv[i], "mon", &eq);
		size_t j;

		if (!v)
			continue;
		if (!eq) {
			if (i + 1 >= argc)
				break;
			v = argv[++i];
		}
		if (!opt_get(v, "mode", NULL, mode, sizeof(mode)) ||
		    strcmp(mode, "control"))
			continue;
		if (!opt_get(v, "chardev", "chardev", id, sizeof(id)) || !id[0])
			continue;
		for (j = 0; j < argc; j++) {
			char cid[128], backend[32], p[QMP_PATH_MAX * 2];
			const char *c = opt_name(argv[j], "chardev", &eq);

			if (!c)
				continue;
			if (!eq) {
				if (j + 1 >= argc)
					break;
				c = argv[j + 1];
			}
			if (!opt_get(c, "backend", "backend", backend,
				     sizeof(backend)) ||
			    strcmp(backend, "socket") ||
			    !opt_get(c, "id", NULL, cid, sizeof(cid)) ||
			    strcmp(cid, id) ||
			    !opt_get(c, "path", NULL, p, sizeof(p)) || !p[0] ||
			    !opt_flag(c, "server"))
				continue;
			if (strlen(p) >= pathlen) {
				best = -ENAMETOOLONG;
				continue;
			}
			qmp_scopy(path, pathlen, p);
			return 0;
		}
	}
	return best;
}

/* See qmp_socket.h. */
int qmp_socket_from_pid(uint32_t pid, char *sock, size_t len, char *why,
			size_t whylen)
{
	char path[64], cwd[PATH_MAX], rel[QMP_PATH_MAX];
	char *buf = malloc(CMDLINE_MAX);
	size_t n = 0;
	ssize_t c;
	int rc;

	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	rc = read_file(path, buf, CMDLINE_MAX, &n);
	if (rc) {
		snprintf(why, whylen, "%s: %s", path, strerror(-rc));
		free(buf);
		return rc;
	}
	rc = qmp_socket_from_cmdline(buf, n, rel, sizeof(rel));
	free(buf);
	if (rc == -ENAMETOOLONG) {
		snprintf(why, whylen, "the QMP socket path in %s is too long",
			 path);
		return rc;
	}
	if (rc) {
		snprintf(why, whylen, "no -qmp unix:PATH or -chardev socket + -mon mode=control in %s",
			 path);
		return rc;
	}
	if (rel[0] == '/') {
		qmp_scopy(sock, len, rel);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%u/cwd", pid);
	c = readlink(path, cwd, sizeof(cwd) - 1);
	if (c < 0) {
		rc = -errno;
		snprintf(why, whylen, "relative QMP socket '%s' and %s: %s",
			 rel, path, strerror(errno));
		return rc;
	}
	cwd[c] = '\0';
	if ((size_t)snprintf(sock, len, "%s/%s", cwd, rel) >= len) {
		snprintf(why, whylen, "QMP socket %.200s/%.100s: path too long",
			 cwd, rel);
		return -ENAMETOOLONG;
	}
	return 0;
}
