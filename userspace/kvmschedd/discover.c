// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: finding a VM's QMP socket and connecting to it. */
#define _GNU_SOURCE		/* struct ucred */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon.h"
#include "log.h"
#include "qmp_socket.h"

/* Where vm's QMP socket is: --map first, then the VMM's command line. */
int vm_discover(struct balloond *b, struct vm *vm, char *why,
		size_t whylen)
{
	size_t i;

	vm->sock_from_cmdline = false;
	if (!vm->id && vm->key[0] == '/') {	/* --targets SOCKET */
		qmp_scopy(vm->sock, sizeof(vm->sock), vm->key);
		return 0;
	}
	for (i = 0; i < b->map_n; i++) {
		const struct bd_line *m = &b->map[i];

		if ((m->key == BD_KEY_PID && vm->pid && m->pid == vm->pid) ||
		    (m->key == BD_KEY_NAME && vm->name[0] &&
		     !strcmp(m->name, vm->name))) {
			qmp_scopy(vm->sock, sizeof(vm->sock), m->value);
			return 0;
		}
	}
	if (!vm->pid) {
		snprintf(why, whylen, "no pid");
		return -ENOENT;
	}
	vm->sock_from_cmdline = true;
	return qmp_socket_from_pid(vm->pid, vm->sock, sizeof(vm->sock), why,
			       whylen);
}

/*
 * A socket found on the command line must be served by the VM's own
 * process: a forked multi-VM VMM (kvmtest) has every VM's command line but
 * one socket per VM. A listener that has exited (QEMU -daemonize) is fine.
 */
static int check_peer(struct vm *vm, char *why, size_t whylen)
{
	struct ucred cr;
	socklen_t l = sizeof(cr);

	if (!vm->sock_from_cmdline || !vm->pid)
		return 0;
	if (getsockopt(vm->qmp.fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) ||
	    cr.pid <= 0 || (uint32_t)cr.pid == vm->pid)
		return 0;
	if (kill(cr.pid, 0) && errno == ESRCH)
		return 0;
	snprintf(why, whylen, "QMP socket %s (from /proc/%u/cmdline) is served by pid %d, not by this VM's pid %u; skipped (a forked multi-VM VMM? name its sockets in --map)",
		 vm->sock, vm->pid, (int)cr.pid, vm->pid);
	return -EPERM;
}

/* Connect if it is time; true when connected. */
bool vm_connect(struct balloond *b, struct vm *vm, int64_t now)
{
	char why[512];
	int rc;

	if (qmp_connected(&vm->qmp))
		return true;
	if (now < vm->retry_at)
		return false;
	rc = vm_discover(b, vm, why, sizeof(why));
	if (rc) {
		if (!vm->no_sock_logged)
			blog(BLOG_WARN, "%s: no QMP socket found (%s); skipped until one is",
			     vm->label, why);
		else
			blog(2, "%s: still no QMP socket (%s)", vm->label, why);
		vm->no_sock_logged = true;
		vm->retry_at = now + b->interval_ms;
		return false;
	}
	if (vm->no_sock_logged) {
		blog(0, "%s: QMP socket %s found", vm->label, vm->sock);
		vm->no_sock_logged = false;
	}
	session_reset(vm);
	rc = qmp_connect(&vm->qmp, vm->sock);
	if (!rc)
		rc = check_peer(vm, why, sizeof(why));
	else
		qmp_scopy(why, sizeof(why), vm->qmp.err);
	if (rc) {
		if (rc == -EPERM) {
			qmp_close(&vm->qmp);
			log_changed(vm->conn_err, sizeof(vm->conn_err), "%s: %s",
				    vm->label, why);
			vm->retry_at = now + WRONG_PEER_RETRY_MS;
			return false;
		}
		vm->fails++;
		vm->backoff_ms = vm->backoff_ms ?
				 vm->backoff_ms * 2 : BACKOFF_MIN_MS;
		if (vm->backoff_ms > BACKOFF_MAX_MS)
			vm->backoff_ms = BACKOFF_MAX_MS;
		vm->retry_at = now_ms() + vm->backoff_ms;
		log_changed(vm->conn_err, sizeof(vm->conn_err),
			    "%s: cannot open QMP session: %s; retrying in %.1f s",
			    vm->label, why, vm->backoff_ms / 1000.0);
		return false;
	}
	if (vm->no_balloon)
		blog(1, "%s: QMP connected to %s", vm->label, vm->sock);
	else
		blog(0, "%s: QMP %s to %s (QEMU %s)%s", vm->label,
		     vm->was_connected ? "reconnected" : "connected", vm->sock,
		     vm->qmp.version[0] ? vm->qmp.version : "?",
		     vm->fails > 1 ? " after retries" : "");
	vm->was_connected = true;
	vm->fails = 0;
	vm->backoff_ms = 0;
	vm->conn_err[0] = '\0';
	return true;
}
