// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: the --map and --targets files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "log.h"

static int load_lines(const char *file, bool targets, struct bd_line **out,
		      uint32_t **mibs, size_t *n, bool quiet)
{
	FILE *f = fopen(file, "re");
	struct bd_line *v = NULL, e;
	uint32_t *m = NULL, mib = 0;
	size_t cnt = 0, cap = 0;
	char line[1024], err[256];
	unsigned int lineno = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		int rc;

		lineno++;
		rc = targets ? bd_parse_target_line(line, &e, &mib, err, sizeof(err)) :
			       bd_parse_map_line(line, &e, err, sizeof(err));
		if (rc < 0) {
			if (!quiet)
				blog(BLOG_WARN, "%s:%u: %s; line ignored", file, lineno,
				     err);
			continue;
		}
		if (!rc)
			continue;
		if (cnt == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct bd_line *nv = realloc(v, nc * sizeof(*v));
			uint32_t *nm = nv ? realloc(m, nc * sizeof(*m)) : NULL;

			if (nv)
				v = nv;
			if (!nv || !nm) {
				fclose(f);
				free(v);
				free(nm ? nm : m);
				return -ENOMEM;
			}
			m = nm;
			cap = nc;
		}
		v[cnt] = e;
		m[cnt] = mib;
		cnt++;
	}
	fclose(f);
	*out = v;
	*n = cnt;
	if (mibs)
		*mibs = m;
	else
		free(m);
	return 0;
}

void map_load(struct balloond *b, bool reload)
{
	struct bd_line *v = NULL;
	size_t n = 0;
	int rc;

	if (!b->map_file)
		return;
	rc = load_lines(b->map_file, false, &v, NULL, &n, false);
	if (rc) {
		blog(BLOG_WARN, "--map %s: %s; %s", b->map_file, strerror(-rc),
		     b->map ? "keeping the previous map" : "no map");
		return;
	}
	free(b->map);
	b->map = v;
	b->map_n = n;
	blog(reload ? 0 : 1, "--map %s: %zu entr%s%s", b->map_file, n,
	     n == 1 ? "y" : "ies", reload ? " (reloaded)" : "");
}

/* After SIGHUP: VMs whose socket changed start a new session. */
void rediscover_all(struct balloond *b, int64_t now)
{
	struct vm *vm;

	for (vm = b->vms; vm; vm = vm->next) {
		char old[QMP_PATH_MAX], why[512];

		qmp_scopy(old, sizeof(old), vm->sock);
		if (!vm_discover(b, vm, why, sizeof(why)) &&
		    !strcmp(old, vm->sock))
			continue;
		if (qmp_connected(&vm->qmp))
			blog(0, "%s: QMP socket changed (%s -> %s); new session",
			     vm->label, old, vm->sock[0] ? vm->sock : "none");
		session_reset(vm);
		vm->retry_at = now;
		vm->no_balloon = false;
		vm->no_sock_logged = false;
		vm->conn_err[0] = '\0';
	}
}

void targets_load(struct balloond *b, int64_t now)
{
	struct bd_line *v = NULL;
	uint32_t *mib = NULL;
	size_t n = 0, i;
	struct vm *vm;
	int rc;

	rc = load_lines(b->targets_file, true, &v, &mib, &n,
			b->targets_err_logged);
	if (rc) {
		if (!b->targets_err_logged)
			blog(BLOG_WARN, "--targets %s: %s; keeping the current targets",
			     b->targets_file, strerror(-rc));
		b->targets_err_logged = true;
		return;
	}
	b->targets_err_logged = false;
	for (vm = b->vms; vm; vm = vm->next)
		vm->seen = false;
	for (i = 0; i < n; i++) {
		char key[sizeof(vm->key)];

		if (v[i].key == BD_KEY_PID)
			snprintf(key, sizeof(key), "pid:%u", v[i].pid);
		else
			qmp_scopy(key, sizeof(key), v[i].name);
		for (vm = b->vms; vm; vm = vm->next)
			if (!vm->id && !strcmp(vm->key, key))
				break;
		if (!vm) {
			vm = vm_new(b, b->qmp_timeout_ms);
			if (!vm)
				break;
			qmp_scopy(vm->key, sizeof(vm->key), key);
			vm->pid = v[i].key == BD_KEY_PID ? v[i].pid : 0;
			vm_label(vm);
			vm->retry_at = now;
			blog(0, "%s: target %u MiB (from %s)", vm->label,
			     mib[i], b->targets_file);
		} else if (vm->seen) {
			continue;	/* first line wins */
		} else if (vm->target_mib != mib[i]) {
			blog(0, "%s: target %u -> %u MiB (from %s)", vm->label,
			     vm->target_mib, mib[i], b->targets_file);
			vm->dirty = true;
		}
		vm->seen = true;
		vm->has_target = true;
		vm->target_mib = mib[i];
	}
	free(v);
	free(mib);
	vm_free_unseen(b, "no longer in the targets file");
}
