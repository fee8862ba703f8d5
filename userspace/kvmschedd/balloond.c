// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl balloond and kvmschedctl balloon; see balloond.h.
 *
 * balloond keeps one QMP session per VM (struct vm). Every --interval-ms it
 * reads each VM's balloon (query-balloon) and guest statistics (qom-get
 * guest-stats) and reports them to the module (vm-mem-report), with the
 * host's memory PSI (host-mem-report). Targets come from the module: a
 * vm-get dump at start and every --resync-ms (or after lost events), and
 * balloon-target-ntf events in between; each new target is applied at once.
 * With --targets FILE the targets come from a file instead and netlink is
 * not used at all (testing without the module, or a static policy).
 *
 * Failures never end the daemon: a lost QMP socket is retried with backoff
 * (0.5 s doubling to 10 s) and the target re-applied on the new session; a
 * VMM without a balloon device or without a QMP socket is logged once and
 * skipped; a missing module is waited for.
 */
#define _GNU_SOURCE		/* struct ucred, ppoll() */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "balloond.h"
#include "ctl.h"
#include "format.h"
#include "qmp.h"

#define MIB			(UINT64_C(1) << 20)
#define BACKOFF_MIN_MS		500
#define BACKOFF_MAX_MS		10000
#define NO_BALLOON_RETRY_MS	60000	/* re-check a VMM without a balloon */
#define WRONG_PEER_RETRY_MS	60000
#define NL_RETRY_MS		2000	/* module not loaded: retry */
#define CMDLINE_MAX		(256 * 1024)
#define PSI_FILE		"/proc/pressure/memory"

/* -- logging ------------------------------------------------------------------ */

static int verbose;

static void blog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void blog(int level, const char *fmt, ...)
{
	struct timespec ts;
	char t[64], line[1024];
	va_list ap;

	if (level > verbose)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fmt_timestamp(t, sizeof(t), &ts);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s balloond: %s\n", t, line);
	fflush(stderr);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *reason_name(uint32_t r)
{
	static const char *const names[] = {
		[KVMSCHED_BALLOON_REASON_NONE] = "none",
		[KVMSCHED_BALLOON_REASON_AT_MAX] = "at-max",
		[KVMSCHED_BALLOON_REASON_INFLATE] = "inflate",
		[KVMSCHED_BALLOON_REASON_DEFLATE] = "deflate",
		[KVMSCHED_BALLOON_REASON_AT_MIN] = "at-min",
		[KVMSCHED_BALLOON_REASON_HOLD] = "hold",
	};

	return r < sizeof(names) / sizeof(names[0]) && names[r] ? names[r] :
								 "unknown";
}

/* -- the daemon's state ---------------------------------------------------- */

struct vm {
	struct vm *next;
	/* Identity: a module VM (id) or a --targets line (key). */
	uint32_t id;			/* 0 in --targets mode */
	uint32_t pid;			/* 0 if unknown */
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1];
	char key[QMP_PATH_MAX + 16];	/* --targets: "pid:N" or a path */
	char label[QMP_PATH_MAX + 128];	/* for log lines */
	bool seen;			/* in the last dump / targets file */
	/* The target. */
	bool has_target;
	uint32_t target_mib;
	uint32_t reason;
	uint32_t guest_mem_mib;		/* 0 if unknown */
	bool dirty;			/* a new target to apply now */
	/* The QMP session. */
	char sock[QMP_PATH_MAX];
	bool sock_from_cmdline;
	bool no_sock_logged;
	struct qmp qmp;
	int64_t retry_at;
	int backoff_ms;
	unsigned int fails;
	bool was_connected;		/* a session existed before */
	bool no_balloon;		/* DeviceNotActive (logged) */
	char dev[256];			/* QOM path of the balloon device */
	bool dev_tried, stats_set;
	/* What was applied and seen in this session. */
	bool applied;
	uint32_t applied_mib;
	int64_t applied_at;
	uint32_t best_dist;		/* closest actual came to it, MiB */
	bool have_actual;
	uint32_t actual_mib;
	/* De-duplicated error messages (logged when they change). */
	char conn_err[256], stats_err[256], report_err[256];
};

struct balloond {
	/* options */
	int interval_ms;
	int resync_ms;
	int reapply_ms;
	int qmp_timeout_ms;
	int stats_interval_s;
	const char *map_file;
	const char *targets_file;
	/* the map (--map) */
	struct bd_line *map;
	size_t map_n;
	/* --targets */
	bool targets_err_logged;
	/* netlink */
	struct ipc *ev, *req;
	bool nl_up, nl_down_logged, nl_ever_up, family_gone;
	int64_t nl_retry_at;
	bool need_dump;
	int64_t dump_at;
	bool report_unsupported, psi_unsupported_logged;
	bool psi_logged;
	uint32_t last_psi_bp;
	char host_report_err[256];
	/* VMs */
	struct vm *vms;
};

static volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = sig;
}

/* Log msg at level 0 when it differs from *last, else at level 1. */
static void log_changed(char *last, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void log_changed(char *last, size_t len, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strncmp(msg, last, len - 1)) {
		blog(0, "%s", msg);
		qmp_scopy(last, len, msg);
	} else {
		blog(1, "%s", msg);
	}
}

static void vm_label(struct vm *vm)
{
	if (vm->id && vm->name[0])
		snprintf(vm->label, sizeof(vm->label), "vm %u (name %s, pid %u)",
			 vm->id, vm->name, vm->pid);
	else if (vm->id)
		snprintf(vm->label, sizeof(vm->label), "vm %u (pid %u)", vm->id,
			 vm->pid);
	else
		snprintf(vm->label, sizeof(vm->label), "vm %s", vm->key);
}

static struct vm *vm_new(struct balloond *b, int timeout_ms)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	qmp_init(&vm->qmp, timeout_ms);
	vm->next = b->vms;
	b->vms = vm;
	return vm;
}

static void vm_remove(struct balloond *b, struct vm *vm, const char *why)
{
	struct vm **pp;

	for (pp = &b->vms; *pp; pp = &(*pp)->next) {
		if (*pp == vm) {
			*pp = vm->next;
			blog(0, "%s: %s; session closed", vm->label, why);
			qmp_close(&vm->qmp);
			free(vm);
			return;
		}
	}
}

static void vm_free_unseen(struct balloond *b, const char *why)
{
	struct vm **pp = &b->vms;

	while (*pp) {
		struct vm *vm = *pp;

		if (vm->seen) {
			pp = &vm->next;
			continue;
		}
		blog(0, "%s: %s; session closed", vm->label, why);
		qmp_close(&vm->qmp);
		*pp = vm->next;
		free(vm);
	}
}

/* Forget the session: the next one starts from scratch. */
static void session_reset(struct vm *vm)
{
	qmp_close(&vm->qmp);
	vm->dev[0] = '\0';
	vm->dev_tried = vm->stats_set = false;
	vm->applied = false;
	vm->have_actual = false;
}

static void session_lost(struct vm *vm, int64_t now, const char *what)
{
	char err[sizeof(vm->qmp.err)];

	qmp_scopy(err, sizeof(err), vm->qmp.err);
	session_reset(vm);
	vm->backoff_ms = BACKOFF_MIN_MS;
	vm->fails = 1;
	vm->retry_at = now + vm->backoff_ms;
	blog(0, "%s: QMP session lost during %s (%s); reconnecting in %.1f s",
	     vm->label, what, err, vm->backoff_ms / 1000.0);
	vm->conn_err[0] = '\0';
}

/* -- finding the QMP socket ------------------------------------------------------ */

static int read_file(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		int rc = -errno;

		fclose(f);
		return rc ? rc : -EIO;
	}
	fclose(f);
	*len = n;
	return 0;
}

/*
 * The QMP socket of pid from its command line; a relative path is made
 * absolute with the process's working directory. Returns 0 or -errno, with
 * why set.
 */
static int socket_from_pid(uint32_t pid, char *sock, size_t len, char *why,
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

/* Where vm's QMP socket is: --map first, then the VMM's command line. */
static int vm_discover(struct balloond *b, struct vm *vm, char *why,
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
	return socket_from_pid(vm->pid, vm->sock, sizeof(vm->sock), why,
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
static bool vm_connect(struct balloond *b, struct vm *vm, int64_t now)
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
			blog(0, "%s: no QMP socket found (%s); skipped until one is",
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

/* -- one VM -------------------------------------------------------------------- */

static uint32_t to_mib(uint64_t bytes)
{
	uint64_t m = bytes / MIB;

	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

static uint32_t dist(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* query-balloon; false if the session is gone or has no balloon. */
static bool vm_query(struct vm *vm, int64_t now)
{
	uint64_t actual;
	int rc = qmp_query_balloon(&vm->qmp, &actual);

	if (rc == -EREMOTEIO) {
		if (!vm->no_balloon)
			blog(0, "%s: %s; skipped (checked again every %d s)",
			     vm->label, vm->qmp.err, NO_BALLOON_RETRY_MS / 1000);
		vm->no_balloon = true;
		/* Free the monitor for other clients meanwhile. */
		session_reset(vm);
		vm->retry_at = now + NO_BALLOON_RETRY_MS;
		return false;
	}
	if (rc) {
		session_lost(vm, now, "query-balloon");
		return false;
	}
	if (vm->no_balloon) {
		blog(0, "%s: balloon device present now", vm->label);
		vm->no_balloon = false;
	}
	vm->have_actual = true;
	vm->actual_mib = to_mib(actual);
	return true;
}

static void vm_apply(struct balloond *b, struct vm *vm, int64_t now,
		     const char *why)
{
	const char *reason = b->targets_file ? "targets file" :
					       reason_name(vm->reason);
	int rc;

	rc = qmp_balloon(&vm->qmp, (uint64_t)vm->target_mib * MIB);
	if (rc == -EREMOTEIO) {
		blog(0, "%s: balloon %u MiB refused: %s", vm->label,
		     vm->target_mib, vm->qmp.err);
		/* Do not retry every tick: as if applied. */
	} else if (rc) {
		session_lost(vm, now, "balloon");
		return;
	} else {
		blog(0, "%s: balloon %u -> %u MiB (%s%s%s)", vm->label,
		     vm->actual_mib, vm->target_mib,
		     b->targets_file ? "" : "reason ", reason, why);
	}
	vm->applied = true;
	vm->applied_mib = vm->target_mib;
	vm->applied_at = now;
	vm->best_dist = dist(vm->actual_mib, vm->target_mib);
	vm->dirty = false;
}

/* Read the guest statistics; figures in MiB or -1. */
static void vm_stats(struct balloond *b, struct vm *vm, int64_t now,
		     int64_t *free_mib, int64_t *avail_mib, int64_t *total_mib)
{
	struct qmp_guest_stats st;
	int rc;

	*free_mib = *avail_mib = *total_mib = -1;
	if (!vm->dev_tried) {
		vm->dev_tried = true;
		rc = qmp_find_balloon(&vm->qmp, vm->dev, sizeof(vm->dev));
		if (rc == -ENODEV || rc == -EREMOTEIO) {
			vm->dev[0] = '\0';
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: no guest statistics: %s", vm->label,
				    vm->qmp.err);
			return;
		}
		if (rc) {
			session_lost(vm, now, "qom-list");
			return;
		}
		blog(1, "%s: balloon device %s", vm->label, vm->dev);
	}
	if (!vm->dev[0])
		return;
	if (!vm->stats_set) {
		vm->stats_set = true;
		rc = qmp_set_stats_interval(&vm->qmp, vm->dev,
					    b->stats_interval_s);
		if (rc == -EREMOTEIO) {
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: cannot set guest-stats-polling-interval: %s",
				    vm->label, vm->qmp.err);
		} else if (rc) {
			session_lost(vm, now, "qom-set");
			return;
		} else {
			blog(1, "%s: guest-stats-polling-interval %d s",
			     vm->label, b->stats_interval_s);
		}
	}
	rc = qmp_guest_stats(&vm->qmp, vm->dev, &st);
	if (rc == -EAGAIN) {
		blog(1, "%s: guest statistics not reported yet", vm->label);
		return;
	}
	if (rc == -EREMOTEIO || rc == -EPROTO) {
		if (qmp_connected(&vm->qmp)) {
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: guest statistics: %s", vm->label,
				    vm->qmp.err);
			return;
		}
	}
	if (rc) {
		session_lost(vm, now, "qom-get guest-stats");
		return;
	}
	vm->stats_err[0] = '\0';
	if (st.free >= 0)
		*free_mib = st.free / (int64_t)MIB;
	if (st.available >= 0)
		*avail_mib = st.available / (int64_t)MIB;
	if (st.total >= 0)
		*total_mib = st.total / (int64_t)MIB;
}

static void vm_report(struct balloond *b, struct vm *vm, int64_t free_mib,
		      int64_t avail_mib)
{
	uint32_t f, a, act, cap = vm->guest_mem_mib;
	const struct ipc_error *e;
	char why[512];
	int rc;

	if (!b->nl_up || b->report_unsupported || !vm->id)
		return;
	/* The module refuses figures above the guest RAM. */
	if (!cap)
		cap = UINT32_MAX;
	act = vm->actual_mib < cap ? vm->actual_mib : cap;
	f = free_mib < 0 ? 0 : free_mib < cap ? (uint32_t)free_mib : cap;
	a = avail_mib < 0 ? 0 : avail_mib < cap ? (uint32_t)avail_mib : cap;
	rc = ipc_vm_mem_report(b->req, vm->id, free_mib >= 0 ? &f : NULL,
			       avail_mib >= 0 ? &a : NULL, &act);
	if (!rc) {
		vm->report_err[0] = '\0';
		return;
	}
	e = ipc_error(b->req);
	describe_error(why, sizeof(why), rc, e);
	if (rc == -EOPNOTSUPP) {
		blog(0, "the kvmsched module does not take vm-mem-report (%s); not reporting",
		     why);
		b->report_unsupported = true;
		return;
	}
	if (rc == -ENOENT)	/* the VM went away: the next dump will say */
		b->need_dump = true;
	log_changed(vm->report_err, sizeof(vm->report_err),
		    "%s: vm-mem-report (actual %u, free %" PRId64 ", avail %" PRId64 " MiB) failed: %s",
		    vm->label, act, free_mib, avail_mib, why);
}

/*
 * Service one VM: connect when due, read the balloon, apply a new target
 * (or re-apply after a new session or drift), and with full also read the
 * guest statistics and report them.
 */
static void vm_service(struct balloond *b, struct vm *vm, int64_t now,
		       bool full)
{
	int64_t free_mib, avail_mib, total_mib;
	uint32_t t = vm->target_mib, d;

	if (!qmp_connected(&vm->qmp) && !vm_connect(b, vm, now))
		return;
	if (!vm_query(vm, now))
		return;
	if (vm->has_target && t) {
		d = dist(vm->actual_mib, t);
		if (!vm->applied) {
			/* A new session: the VMM may have restarted. */
			vm_apply(b, vm, now, vm->applied_at ?
					     "; new QMP session" : "");
		} else if (vm->applied_mib != t) {
			vm_apply(b, vm, now, "");
		} else if (d < vm->best_dist) {
			vm->best_dist = d;
		} else if (full && d > vm->best_dist + 1 &&
			   now - vm->applied_at >= b->reapply_ms) {
			/*
			 * Moved away from the target after getting closer:
			 * someone else set the balloon, or the guest deflated
			 * on OOM. A guest that cannot reach it just stalls.
			 */
			blog(0, "%s: actual %u MiB drifted away from the target %u MiB (it had come within %u MiB)",
			     vm->label, vm->actual_mib, t, vm->best_dist);
			vm_apply(b, vm, now, "; actual drifted");
		}
		if (!qmp_connected(&vm->qmp))
			return;
	}
	vm->dirty = false;
	if (!full)
		return;
	vm_stats(b, vm, now, &free_mib, &avail_mib, &total_mib);
	if (!qmp_connected(&vm->qmp))
		return;
	blog(1, "%s: actual %u MiB, guest free %" PRId64 ", available %" PRId64 ", total %" PRId64 " MiB%s",
	     vm->label, vm->actual_mib, free_mib, avail_mib, total_mib,
	     free_mib < 0 && avail_mib < 0 ? " (-1: not reported)" : "");
	vm_report(b, vm, free_mib, avail_mib);
}

/* -- --map and --targets ----------------------------------------------------- */

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
				blog(0, "%s:%u: %s; line ignored", file, lineno,
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

static void map_load(struct balloond *b, bool reload)
{
	struct bd_line *v = NULL;
	size_t n = 0;
	int rc;

	if (!b->map_file)
		return;
	rc = load_lines(b->map_file, false, &v, NULL, &n, false);
	if (rc) {
		blog(0, "--map %s: %s; %s", b->map_file, strerror(-rc),
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
static void rediscover_all(struct balloond *b, int64_t now)
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

static void targets_load(struct balloond *b, int64_t now)
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
			blog(0, "--targets %s: %s; keeping the current targets",
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

/* -- the module -------------------------------------------------------------- */

static struct vm *vm_by_id(struct balloond *b, uint32_t id)
{
	struct vm *vm;

	for (vm = b->vms; vm; vm = vm->next)
		if (vm->id == id)
			return vm;
	return NULL;
}

/* A VM from a dump or an event: create or update; true if new target. */
static struct vm *vm_update(struct balloond *b, const struct ipc_balloon_vm *k,
			    int64_t now)
{
	struct vm *vm = vm_by_id(b, k->id);
	bool is_new = !vm;

	if (!vm) {
		vm = vm_new(b, b->qmp_timeout_ms);
		if (!vm)
			return NULL;
		vm->id = k->id;
		vm->retry_at = now;
	}
	if (KVMS_HAS(k, KVMSCHED_A_VM_PID) && k->pid != vm->pid) {
		if (vm->pid && qmp_connected(&vm->qmp))
			session_reset(vm);
		vm->pid = k->pid;
	}
	if (KVMS_HAS(k, KVMSCHED_A_VM_NAME) || is_new)
		qmp_scopy(vm->name, sizeof(vm->name), k->name);
	if (KVMS_HAS(k, KVMSCHED_A_VM_GUEST_MEM_MIB))
		vm->guest_mem_mib = k->guest_mem_mib;
	if (KVMS_HAS(k, KVMSCHED_A_VM_BALLOON_REASON))
		vm->reason = k->reason;
	vm_label(vm);
	if (is_new)
		blog(1, "%s: tracked", vm->label);
	if (KVMS_HAS(k, KVMSCHED_A_VM_BALLOON_TARGET_MIB) && k->target_mib) {
		if (!vm->has_target || vm->target_mib != k->target_mib) {
			blog(1, "%s: target %u MiB (reason %s)", vm->label,
			     k->target_mib, reason_name(vm->reason));
			vm->dirty = true;
		}
		vm->has_target = true;
		vm->target_mib = k->target_mib;
	}
	vm->seen = true;
	return vm;
}

static void nl_down(struct balloond *b, const char *why)
{
	ipc_close(b->ev);
	ipc_close(b->req);
	b->ev = b->req = NULL;
	if (b->nl_up)
		blog(0, "kvmsched: %s; keeping the current targets, waiting for the module",
		     why);
	b->nl_up = false;
	b->nl_retry_at = now_ms() + NL_RETRY_MS;
}

static void nl_dump(struct balloond *b, int64_t now)
{
	struct ipc_balloon_vm *v = NULL;
	struct vm *vm;
	size_t n = 0, i;
	char why[512];
	int rc;

	b->need_dump = false;
	b->dump_at = now + b->resync_ms;
	rc = ipc_balloon_vm_dump(b->req, &v, &n);
	if (rc) {
		describe_error(why, sizeof(why), rc, ipc_error(b->req));
		if (!ipc_family_present(b->req)) {
			nl_down(b, "the module was unloaded");
			return;
		}
		blog(0, "kvmsched: vm-get dump failed: %s; retrying in %d ms",
		     why, b->interval_ms);
		b->dump_at = now + b->interval_ms;
		return;
	}
	for (vm = b->vms; vm; vm = vm->next)
		vm->seen = false;
	for (i = 0; i < n; i++)
		vm_update(b, &v[i], now);
	free(v);
	vm_free_unseen(b, "gone (not in the module's dump)");
	blog(1, "kvmsched: dump: %zu VM%s", n, n == 1 ? "" : "s");
}

static void nl_try_up(struct balloond *b, int64_t now)
{
	int rc;

	b->nl_retry_at = now + NL_RETRY_MS;
	rc = ipc_open(&b->ev);
	if (!rc) {
		rc = ipc_events_join(b->ev);
		if (!rc)
			rc = ipc_open(&b->req);
		if (rc) {
			ipc_close(b->ev);
			b->ev = NULL;
		}
	}
	if (rc) {
		if (!b->nl_down_logged)
			blog(0, "kvmsched: %s; retrying every %d s",
			     rc == -ENOENT ? "module not loaded (no \"kvmsched\" generic netlink family)" :
					     strerror(-rc),
			     NL_RETRY_MS / 1000);
		b->nl_down_logged = true;
		return;
	}
	blog(0, "kvmsched: connected to the module%s",
	     b->nl_ever_up ? " again" : "");
	b->nl_up = b->nl_ever_up = true;
	b->nl_down_logged = false;
	b->report_unsupported = false;
	nl_dump(b, now);
}

static void on_nl_event(int cmd, const struct ipc_balloon_vm *k, void *arg)
{
	struct balloond *b = arg;
	struct vm *vm;

	if (cmd == KVMS_EVENT_FAMILY_GONE) {
		b->family_gone = true;	/* nl_read() closes the socket */
		return;
	}
	if (!k)
		return;
	switch (cmd) {
	case KVMSCHED_CMD_VM_DEL_NTF:
		vm = vm_by_id(b, k->id);
		if (vm)
			vm_remove(b, vm, "gone");
		break;
	case KVMSCHED_CMD_BALLOON_TARGET_NTF:
	case KVMSCHED_CMD_VM_ADD_NTF:
	case KVMSCHED_CMD_VM_CHANGE_NTF:
		vm_update(b, k, now_ms());
		break;
	}
}

static void nl_read(struct balloond *b)
{
	int rc = ipc_balloon_events_read(b->ev, on_nl_event, b);

	if (b->family_gone) {
		b->family_gone = false;
		b->need_dump = false;
		nl_down(b, "the module was unloaded");
		return;
	}
	if (rc == -ENOBUFS) {
		blog(0, "kvmsched: events were lost (receive buffer overrun); dumping again");
		b->need_dump = true;
	} else if (rc == -EPROTO) {
		blog(0, "kvmsched: ignored a malformed event");
	} else if (rc && rc != -EAGAIN) {
		char why[512];

		describe_error(why, sizeof(why), rc, ipc_error(b->ev));
		nl_down(b, why);
	}
}

/* -- host PSI ------------------------------------------------------------------ */

/* "some avg10=12.34 ..." -> 1234 basis points. */
static int psi_parse(const char *text, uint32_t *bp)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, "some ", 5)) {
			const char *eol = strchr(p, '\n');
			const char *a = strstr(p, "avg10=");
			uint32_t ip = 0, frac = 0;
			int nd = 0;

			if (!a || (eol && a > eol))
				return -EINVAL;
			a += 6;
			if (!isdigit((unsigned char)*a))
				return -EINVAL;
			for (; isdigit((unsigned char)*a); a++) {
				ip = ip * 10 + (uint32_t)(*a - '0');
				if (ip > 100)
					return -EINVAL;
			}
			if (*a == '.')
				for (a++; isdigit((unsigned char)*a); a++, nd++)
					if (nd < 2)
						frac = frac * 10 +
						       (uint32_t)(*a - '0');
			if (nd == 1)
				frac *= 10;
			*bp = ip * 100 + frac;
			if (*bp > 10000)
				*bp = 10000;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -EINVAL;
}

static void psi_tick(struct balloond *b)
{
	char buf[512], why[512];
	size_t n = 0;
	uint32_t bp;
	int rc;

	rc = read_file(PSI_FILE, buf, sizeof(buf) - 1, &n);
	if (!rc) {
		buf[n] = '\0';
		rc = psi_parse(buf, &bp);
	}
	if (rc) {
		if (!b->psi_unsupported_logged)
			blog(0, "host PSI: cannot read %s (%s); not reported",
			     PSI_FILE, rc == -EINVAL ? "unexpected format" :
						       strerror(-rc));
		b->psi_unsupported_logged = true;
		return;
	}
	if (!b->psi_logged || bp != b->last_psi_bp)
		blog(1, "host memory PSI some avg10 %u.%02u %% (%u bp)",
		     bp / 100, bp % 100, bp);
	b->psi_logged = true;
	b->last_psi_bp = bp;
	if (!b->nl_up || b->report_unsupported)
		return;
	rc = ipc_host_mem_report(b->req, bp);
	if (!rc) {
		b->host_report_err[0] = '\0';
		return;
	}
	describe_error(why, sizeof(why), rc, ipc_error(b->req));
	log_changed(b->host_report_err, sizeof(b->host_report_err),
		    "kvmsched: host-mem-report %u bp failed: %s", bp, why);
}

/* -- the loop ----------------------------------------------------------------- */

static void tick(struct balloond *b, int64_t now)
{
	struct vm *vm;

	if (b->targets_file)
		targets_load(b, now);
	psi_tick(b);
	for (vm = b->vms; vm; vm = vm->next) {
		if (got_stop)
			return;
		vm_service(b, vm, now_ms(), true);
	}
}

static int run(struct balloond *b)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, orig;
	int64_t next_tick;
	struct vm *vm;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	blog(0, "started (%s, interval %d ms%s%s)",
	     b->targets_file ? "static targets from --targets" : "targets from kvmsched",
	     b->interval_ms, b->map_file ? ", map " : "",
	     b->map_file ? b->map_file : "");
	map_load(b, false);
	if (b->targets_file)
		targets_load(b, now_ms());
	else
		nl_try_up(b, now_ms());
	next_tick = now_ms();

	while (!got_stop) {
		struct pollfd pfd = { .fd = -1, .events = POLLIN };
		int64_t now = now_ms(), wake = next_tick;
		struct timespec ts;
		int rc;

		if (got_hup) {
			got_hup = 0;
			blog(0, "SIGHUP: re-reading %s", b->map_file ?
			     b->map_file : "nothing (no --map)");
			map_load(b, true);
			rediscover_all(b, now);
			if (b->nl_up)
				b->need_dump = true;
		}
		if (!b->targets_file) {
			if (!b->nl_up && now >= b->nl_retry_at)
				nl_try_up(b, now);
			if (b->nl_up && (b->need_dump || now >= b->dump_at))
				nl_dump(b, now);
		}
		if (now >= next_tick) {
			tick(b, now);
			next_tick += b->interval_ms;
			if (next_tick <= now_ms())
				next_tick = now_ms() + b->interval_ms;
		} else {
			/* New targets and due reconnects, between ticks. */
			for (vm = b->vms; vm && !got_stop; vm = vm->next)
				if ((vm->dirty || vm->fails) &&
				    (qmp_connected(&vm->qmp) ||
				     vm->retry_at <= now))
					vm_service(b, vm, now_ms(), false);
		}
		now = now_ms();
		for (vm = b->vms; vm; vm = vm->next) {
			if (!vm->dirty && !vm->fails)
				continue;
			if (qmp_connected(&vm->qmp))
				wake = vm->dirty ? now : wake;
			else if (vm->retry_at < wake)
				wake = vm->retry_at;
		}
		if (!b->targets_file) {
			if (!b->nl_up && b->nl_retry_at < wake)
				wake = b->nl_retry_at;
			if (b->nl_up && b->dump_at < wake)
				wake = b->dump_at;
			if (b->nl_up && b->need_dump)
				wake = now;
			if (b->nl_up)
				pfd.fd = ipc_fd(b->ev);
		}
		if (wake < now)
			wake = now;
		ts.tv_sec = (wake - now) / 1000;
		ts.tv_nsec = (wake - now) % 1000 * 1000000;
		rc = ppoll(&pfd, 1, &ts, &orig);
		if (rc < 0 && errno != EINTR) {
			blog(0, "ppoll: %s", strerror(errno));
			sleep(1);
		}
		if (rc > 0 && pfd.fd >= 0 && (pfd.revents & (POLLIN | POLLERR)))
			nl_read(b);
	}
	blog(0, "exiting on %s", got_stop == SIGINT ? "SIGINT" : "SIGTERM");
	while (b->vms) {
		vm = b->vms;
		b->vms = vm->next;
		qmp_close(&vm->qmp);
		free(vm);
	}
	free(b->map);
	ipc_close(b->ev);
	ipc_close(b->req);
	return EXIT_OK;
}

static const char balloond_usage[] =
	"Usage: " PROG_NAME " balloond [-h] [-v]... [--interval-ms MS] [--map FILE]\n"
	"                   [--targets FILE] [--resync-ms MS] [--reapply-ms MS]\n"
	"                   [--qmp-timeout-ms MS] [--stats-interval SECONDS]\n"
	"\n"
	"The memory-balloon actuator: applies the balloon targets kvmsched computes\n"
	"through each VM's QMP socket, and reports guest memory (balloon actual, guest\n"
	"free and available) and host memory PSI back to the module. Runs until\n"
	"SIGTERM or SIGINT; logs one line per action on stderr.\n"
	"\n"
	"  --interval-ms MS      read balloons and guest statistics and report them\n"
	"                        every MS (100-3600000, default 2000)\n"
	"  --map FILE            where QMP sockets are, before the VMM's command line:\n"
	"                        lines 'name:NAME SOCKET' or 'pid:PID SOCKET', '#'\n"
	"                        comments; re-read on SIGHUP\n"
	"  --targets FILE        static targets instead of the module's, no netlink:\n"
	"                        lines 'pid:PID MIB' or 'SOCKET MIB', re-read every\n"
	"                        interval\n"
	"  --resync-ms MS        dump every VM again every MS (1000-3600000, default\n"
	"                        30000), to catch lost events\n"
	"  --reapply-ms MS       when a VM's actual size moves away from its target\n"
	"                        (someone else ballooned it), apply the target again,\n"
	"                        at most once per MS (100-3600000, default 10000)\n"
	"  --qmp-timeout-ms MS   QMP connect and reply timeout (100-60000, default 3000)\n"
	"  --stats-interval S    guest-stats-polling-interval set on each balloon\n"
	"                        device (1-3600 s, default 2)\n"
	"  -v, --verbose         more log lines (repeat for even more)\n"
	"\n"
	"A VM's QMP socket: from --map, else from /proc/PID/cmdline: '-qmp unix:PATH,...'\n"
	"or '-chardev socket,id=ID,path=PATH,server=on' with '-mon chardev=ID,mode=control'.\n";

static const struct option balloond_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "interval-ms", required_argument, NULL, 'i' },
	{ "map", required_argument, NULL, 'm' },
	{ "targets", required_argument, NULL, 'T' },
	{ "resync-ms", required_argument, NULL, 'r' },
	{ "reapply-ms", required_argument, NULL, 'a' },
	{ "qmp-timeout-ms", required_argument, NULL, 'q' },
	{ "stats-interval", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static int opt_range(const char *cmd, const char *name, const char *arg,
		     uint32_t min, uint32_t max, int *out)
{
	uint32_t v;

	if (parse_u32(arg, &v) || v < min || v > max)
		return ctl_usage_err(cmd, balloond_usage,
				     "%s: '%s' is not a number %u-%u", name,
				     arg, min, max);
	*out = (int)v;
	return EXIT_OK;
}

int cmd_balloond(int argc, char **argv)
{
	struct balloond b = {
		.interval_ms = 2000, .resync_ms = 30000, .reapply_ms = 10000,
		.qmp_timeout_ms = 3000, .stats_interval_s = 2,
	};
	int c, rc = EXIT_OK;

	optind = 0;
	opterr = 0;
	verbose = 0;
	while ((c = getopt_long(argc, argv, ":hv", balloond_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(balloond_usage, stdout);
			return EXIT_OK;
		case 'v':
			verbose++;
			break;
		case 'i':
			rc = opt_range(argv[0], "--interval-ms", optarg, 100,
				       3600000, &b.interval_ms);
			break;
		case 'r':
			rc = opt_range(argv[0], "--resync-ms", optarg, 1000,
				       3600000, &b.resync_ms);
			break;
		case 'a':
			rc = opt_range(argv[0], "--reapply-ms", optarg, 100,
				       3600000, &b.reapply_ms);
			break;
		case 'q':
			rc = opt_range(argv[0], "--qmp-timeout-ms", optarg, 100,
				       60000, &b.qmp_timeout_ms);
			break;
		case 's':
			rc = opt_range(argv[0], "--stats-interval", optarg, 1,
				       3600, &b.stats_interval_s);
			break;
		case 'm':
			b.map_file = optarg;
			break;
		case 'T':
			b.targets_file = optarg;
			break;
		default:
			return ctl_bad_option(argv[0], balloond_usage, c, argv);
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return ctl_usage_err(argv[0], balloond_usage,
				     "unexpected argument '%s'", argv[optind]);
	if (b.map_file && access(b.map_file, R_OK)) {
		ctl_err("balloond: --map %s: %s", b.map_file, strerror(errno));
		return EXIT_FAIL;
	}
	if (b.targets_file && access(b.targets_file, R_OK)) {
		ctl_err("balloond: --targets %s: %s", b.targets_file,
			strerror(errno));
		return EXIT_FAIL;
	}
	return run(&b);
}

/* -- kvmschedctl balloon ----------------------------------------------------- */

static const char balloon_usage[] =
	"Usage: " PROG_NAME " [-j] balloon [-h] [-w|--wait] [-t|--timeout SECONDS]\n"
	"                   [-s|--stats-interval SECONDS] SOCKET|pid:PID [TARGET_MIB]\n"
	"\n"
	"Talk to one VM's balloon over QMP (no module needed). SOCKET is the VMM's QMP\n"
	"socket; pid:PID finds it in the VMM's command line (-qmp unix:PATH or\n"
	"-chardev socket,...,server=on with -mon ...,mode=control).\n"
	"\n"
	"Without TARGET_MIB: print the balloon's actual size and the guest statistics:\n"
	"  actual      the guest's memory with the balloon (query-balloon), MiB\n"
	"  free        guest free memory (stat-free-memory), MiB\n"
	"  available   guest available memory (stat-available-memory), MiB\n"
	"  total       guest total memory (stat-total-memory), MiB\n"
	"  updated     when the guest last sent statistics\n"
	"'-' when the guest has not reported a figure. The guest only sends fresh\n"
	"statistics while a polling interval is set (-s; balloond sets one).\n"
	"\n"
	"With TARGET_MIB: ask the guest for that memory size (QMP balloon, in bytes:\n"
	"TARGET_MIB x 1048576) and print the actual size.\n"
	"\n"
	"  -w, --wait               with TARGET_MIB: wait until the actual size is\n"
	"                           within 1 MiB of it (exit 1 at the timeout)\n"
	"  -t, --timeout SECONDS    for --wait and -s (default 30); QMP replies\n"
	"                           time out after 3 s\n"
	"  -s, --stats-interval S   set guest-stats-polling-interval to S seconds\n"
	"                           (0 stops polling) and, if S > 0, wait for fresh\n"
	"                           statistics before printing them\n"
	"A QMP monitor serves one client at a time: while balloond holds a VM's socket,\n"
	"give the VMM a second -qmp socket for this command.\n";

static const struct option balloon_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "wait", no_argument, NULL, 'w' },
	{ "timeout", required_argument, NULL, 't' },
	{ "stats-interval", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void print_mib(const char *label, int64_t bytes)
{
	if (bytes < 0)
		printf("%-11s -\n", label);
	else
		printf("%-11s %" PRId64 " MiB\n", label, bytes / (int64_t)MIB);
}

static void jw_mib(struct jw *w, const char *key, int64_t bytes)
{
	if (bytes < 0)
		jw_null(w, key);
	else
		jw_uint(w, key, (uint64_t)bytes / MIB);
}

static int balloon_fail(struct qmp *q, const char *sock, const char *what)
{
	ctl_err("balloon: %s: %s%s%s", sock, what, *what ? ": " : "", q->err);
	qmp_close(q);
	return EXIT_FAIL;
}

int cmd_balloon(int argc, char **argv)
{
	uint64_t timeout_ms = 30000, actual = 0;
	struct qmp_guest_stats st = { -1, -1, -1, -1 };
	bool wait = false, has_target = false, stats_ok = false;
	uint32_t target = 0, stats_s = 0;
	bool set_stats = false;
	char sock[QMP_PATH_MAX], dev[256] = "", why[512], stats_why[300] = "";
	struct qmp q;
	int64_t deadline;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hwt:s:", balloon_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(balloon_usage, stdout);
			return EXIT_OK;
		case 'w':
			wait = true;
			break;
		case 't':
			if (parse_duration_ms(optarg, 1, UINT64_C(86400000),
					      &timeout_ms))
				return ctl_usage_err(argv[0], balloon_usage,
						     "--timeout: '%s' is not a number of seconds (0.001-86400)",
						     optarg);
			break;
		case 's':
			if (parse_u32(optarg, &stats_s) || stats_s > 3600)
				return ctl_usage_err(argv[0], balloon_usage,
						     "--stats-interval: '%s' is not a number of seconds 0-3600",
						     optarg);
			set_stats = true;
			break;
		default:
			return ctl_bad_option(argv[0], balloon_usage, c, argv);
		}
	}
	if (optind >= argc)
		return ctl_usage_err(argv[0], balloon_usage,
				     "which VM? (a QMP socket or pid:PID)");
	if (argc - optind > 2)
		return ctl_usage_err(argv[0], balloon_usage,
				     "unexpected argument '%s'", argv[optind + 2]);
	if (argc - optind == 2) {
		if (parse_u32(argv[optind + 1], &target) || !target ||
		    target > 16777216)
			return ctl_usage_err(argv[0], balloon_usage,
					     "TARGET_MIB: '%s' is not a number of MiB (1-16777216)",
					     argv[optind + 1]);
		has_target = true;
	}
	if (wait && !has_target)
		return ctl_usage_err(argv[0], balloon_usage,
				     "--wait needs TARGET_MIB");
	if (!strncmp(argv[optind], "pid:", 4)) {
		uint32_t pid;

		if (parse_u32(argv[optind] + 4, &pid) || !pid)
			return ctl_usage_err(argv[0], balloon_usage,
					     "invalid pid '%s'", argv[optind] + 4);
		if (socket_from_pid(pid, sock, sizeof(sock), why, sizeof(why))) {
			ctl_err("balloon: pid %u: no QMP socket: %s", pid, why);
			return EXIT_FAIL;
		}
	} else if (strlen(argv[optind]) >= sizeof(sock)) {
		return ctl_usage_err(argv[0], balloon_usage,
				     "socket path too long (at most %zu bytes)",
				     sizeof(sock) - 1);
	} else {
		qmp_scopy(sock, sizeof(sock), argv[optind]);
	}

	qmp_init(&q, 3000);
	if (qmp_connect(&q, sock))
		return balloon_fail(&q, sock, "");
	if (qmp_query_balloon(&q, &actual))
		return balloon_fail(&q, sock, "query-balloon");
	deadline = (int64_t)timeout_ms + now_ms();

	if (has_target) {
		uint64_t before = actual;

		if (qmp_balloon(&q, (uint64_t)target * MIB))
			return balloon_fail(&q, sock, "balloon");
		for (;;) {
			if (qmp_query_balloon(&q, &actual))
				return balloon_fail(&q, sock, "query-balloon");
			if (!wait || dist(to_mib(actual), target) <= 1 ||
			    now_ms() >= deadline)
				break;
			sleep_ms(100);
		}
		if (ctl.json) {
			struct jw w;

			jw_init(&w, stdout);
			jw_obj_begin(&w, NULL);
			jw_str(&w, "socket", sock);
			jw_uint(&w, "target_mib", target);
			jw_uint(&w, "before_mib", to_mib(before));
			jw_uint(&w, "actual_mib", to_mib(actual));
			jw_obj_end(&w);
			putchar('\n');
		} else {
			printf("balloon %u -> %u MiB: actual %u MiB\n",
			       to_mib(before), target, to_mib(actual));
		}
		qmp_close(&q);
		if (wait && dist(to_mib(actual), target) > 1) {
			ctl_err("balloon: %s: actual %u MiB after %.1f s, target %u MiB (the guest did not give or take the memory in time)",
				sock, to_mib(actual), timeout_ms / 1000.0,
				target);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}

	/* Statistics. */
	rc = qmp_find_balloon(&q, dev, sizeof(dev));
	if (rc && rc != -ENODEV && rc != -EREMOTEIO)
		return balloon_fail(&q, sock, "qom-list");
	if (rc) {
		qmp_scopy(stats_why, sizeof(stats_why), q.err);
	} else {
		int64_t first = -1;

		if (set_stats && qmp_set_stats_interval(&q, dev, stats_s)) {
			if (!qmp_connected(&q))
				return balloon_fail(&q, sock, "qom-set");
			qmp_scopy(stats_why, sizeof(stats_why), q.err);
		}
		for (;;) {
			rc = qmp_guest_stats(&q, dev, &st);
			if (rc && !qmp_connected(&q))
				return balloon_fail(&q, sock, "qom-get guest-stats");
			stats_ok = !rc;
			if (!set_stats || !stats_s)
				break;
			/* Wait for an update after the interval was set. */
			if (stats_ok && first < 0)
				first = st.last_update;
			if (stats_ok && st.last_update > first &&
			    (st.free >= 0 || st.total >= 0))
				break;
			if (now_ms() >= deadline)
				break;
			sleep_ms(200);
		}
		if (!stats_ok)
			qmp_scopy(stats_why, sizeof(stats_why), rc == -EAGAIN ? "the guest has not sent statistics yet" : q.err);
	}
	/* The balloon may have moved meanwhile. */
	if (qmp_query_balloon(&q, &actual))
		return balloon_fail(&q, sock, "query-balloon");
	qmp_close(&q);

	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_str(&w, "socket", sock);
		jw_str(&w, "qemu", q.version[0] ? q.version : NULL);
		jw_str(&w, "device", dev[0] ? dev : NULL);
		jw_uint(&w, "actual_mib", to_mib(actual));
		if (stats_ok) {
			jw_obj_begin(&w, "guest");
			jw_mib(&w, "free_mib", st.free);
			jw_mib(&w, "available_mib", st.available);
			jw_mib(&w, "total_mib", st.total);
			if (st.last_update > 0)
				jw_int(&w, "last_update", st.last_update);
			else
				jw_null(&w, "last_update");
			jw_obj_end(&w);
		} else {
			jw_null(&w, "guest");
			jw_str(&w, "guest_error", stats_why);
		}
		jw_obj_end(&w);
		putchar('\n');
		return EXIT_OK;
	}
	printf("%-11s %s\n", "socket", sock);
	if (dev[0])
		printf("%-11s %s\n", "device", dev);
	printf("%-11s %u MiB\n", "actual", to_mib(actual));
	if (!stats_ok) {
		printf("%-11s - (%s)\n", "guest", stats_why);
		return EXIT_OK;
	}
	print_mib("free", st.free);
	print_mib("available", st.available);
	print_mib("total", st.total);
	if (st.last_update > 0) {
		struct timespec ts = { .tv_sec = st.last_update };
		char t[64];

		fmt_timestamp(t, sizeof(t), &ts);
		printf("%-11s %s\n", "updated", t);
	} else {
		printf("%-11s -\n", "updated");
	}
	return EXIT_OK;
}
