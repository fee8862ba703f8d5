// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: the daemon's main loop and signals. */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "daemon.h"
#include "log.h"

volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = sig;
}

/*
 * --pid-file: for kvmschedctl reload, and the lock that keeps a second
 * daemon from driving the same balloons: the file stays open and flock()ed
 * for the daemon's life. Another daemon holding it: -1 (the caller exits).
 * Any other failure is logged, not fatal. Its directory is created if
 * missing (/run/kvmsched outside systemd).
 */
static int pid_file_write(struct balloond *b)
{
	char dir[4096], *slash, other[32] = "";
	ssize_t n;
	int fd;

	if (!b->pid_file)
		return 0;
	snprintf(dir, sizeof(dir), "%s", b->pid_file);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			blog(BLOG_WARN, "--pid-file %s: mkdir %s: %s", b->pid_file,
			     dir, strerror(errno));
	}
	fd = open(b->pid_file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK) {
		n = pread(fd, other, sizeof(other) - 1, 0);
		other[n > 0 ? n : 0] = '\0';
		other[strcspn(other, "\n")] = '\0';
		blog(BLOG_ERR, "--pid-file %s: another kvmschedd (pid %s) is running; exiting",
		     b->pid_file, other[0] ? other : "?");
		close(fd);
		b->pid_file = NULL;
		return -1;
	}
	if (fd >= 0 && !ftruncate(fd, 0) && dprintf(fd, "%d\n", (int)getpid()) > 0) {
		b->pid_fd = fd;
		return 0;
	}
	blog(BLOG_WARN, "--pid-file %s: %s; kvmschedctl reload cannot find this daemon",
	     b->pid_file, strerror(errno));
	if (fd >= 0)
		close(fd);
	b->pid_file = NULL;
	return 0;
}

/* Still ours: nobody else can hold its lock. */
static void pid_file_remove(struct balloond *b)
{
	if (b->pid_fd < 0)
		return;
	unlink(b->pid_file);
	close(b->pid_fd);
	b->pid_fd = -1;
}

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

int balloond_run(struct balloond *b)
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
	/* A bad policy file: restarting will not fix it (the unit's RestartPreventExitStatus=2). */
	if (!b->targets_file && policy_start(b))
		return EXIT_USAGE;
	if (pid_file_write(b))
		return EXIT_USAGE;
	if (b->targets_file)
		targets_load(b, now_ms());
	else
		module_connect(b, now_ms());
	next_tick = now_ms();

	while (!got_stop) {
		struct pollfd pfd = { .fd = -1, .events = POLLIN };
		int64_t now = now_ms(), wake = next_tick;
		struct timespec ts;
		int rc;

		if (got_hup) {
			got_hup = 0;
			blog(0, "SIGHUP: re-reading %s%s%s",
			     b->targets_file ? "" : "the policy",
			     b->map_file && !b->targets_file ? " and " : "",
			     b->map_file ? b->map_file :
			     b->targets_file ? "nothing (no --map)" : "");
			map_load(b, true);
			rediscover_all(b, now);
			if (!b->targets_file)
				policy_reload(b);
			if (b->nl_up)
				b->need_dump = true;
		}
		if (!b->targets_file) {
			if (!b->nl_up && now >= b->nl_retry_at)
				module_connect(b, now);
			if (b->nl_up && (b->need_dump || now >= b->dump_at))
				module_dump(b, now);
		}
		metrics_tick(b, now);
		if (b->metrics_file && b->metrics_at < wake)
			wake = b->metrics_at;
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
			blog(BLOG_ERR, "ppoll: %s", strerror(errno));
			sleep(1);
		}
		if (rc > 0 && pfd.fd >= 0 && (pfd.revents & (POLLIN | POLLERR)))
			module_read(b);
	}
	blog(0, "exiting on %s", got_stop == SIGINT ? "SIGINT" : "SIGTERM");
	while (b->vms) {
		vm = b->vms;
		b->vms = vm->next;
		qmp_close(&vm->qmp);
		free(vm);
	}
	free(b->map);
	policy_free(&b->pol);
	pid_file_remove(b);
	ipc_close(b->ev);
	ipc_close(b->req);
	return EXIT_OK;
}
