/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedd (today: kvmschedctl balloond), inside: the daemon's state and
 * what its files call of each other. See balloond.h for the command and
 * balloond.c for an overview.
 */
#ifndef KVMSCHEDD_DAEMON_H
#define KVMSCHEDD_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "ipc.h"
#include "lines.h"
#include "policy.h"
#include "qmp.h"

#define BACKOFF_MIN_MS		500
#define BACKOFF_MAX_MS		10000
#define NO_BALLOON_RETRY_MS	60000	/* re-check a VMM without a balloon */
#define WRONG_PEER_RETRY_MS	60000
#define NL_RETRY_MS		2000	/* module not loaded: retry */
#define PSI_FILE		"/proc/pressure/memory"

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
	/* The policy (policy.c) was applied to it. */
	bool policy_done;
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
	const char *config_path;	/* --config, NULL: POLICY_DIR */
	const char *pid_file;		/* --pid-file, NULL: none */
	int pid_fd;			/* open and flock()ed, -1: none */
	bool dry_run;			/* --dry-run: log the policy only */
	const char *libvirt_dir;	/* --libvirt-dir, NULL: --no-libvirt */
	const char *metrics_file;	/* --metrics-textfile, NULL: none */
	int metrics_interval_s;		/* --metrics-interval */
	int64_t metrics_at;		/* next write, now_ms() clock */
	char metrics_err[256];		/* last write error, "" if none */
	/* the policy (--config) */
	struct policy pol;
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

/* -v count: log lines of a level above it are not printed. */
extern int verbose;
/* Set by the signal handlers (loop.c). */
extern volatile sig_atomic_t got_stop, got_hup;

/* log.c: log lines on stderr */
void blog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_changed(char *last, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* vms.c: the VM list and each VM's session state */
void vm_label(struct vm *vm);
struct vm *vm_new(struct balloond *b, int timeout_ms);
void vm_remove(struct balloond *b, struct vm *vm, const char *why);
void vm_free_unseen(struct balloond *b, const char *why);
void session_reset(struct vm *vm);
void session_lost(struct vm *vm, int64_t now, const char *what);
struct vm *vm_by_id(struct balloond *b, uint32_t id);

/* discover.c: finding a VM's QMP socket and connecting to it */
int vm_discover(struct balloond *b, struct vm *vm, char *why,
		size_t whylen);
bool vm_connect(struct balloond *b, struct vm *vm, int64_t now);

/* session.c: one VM: read, apply and report its balloon */
void vm_service(struct balloond *b, struct vm *vm, int64_t now,
		bool full);

/* files.c: the --map and --targets files */
void map_load(struct balloond *b, bool reload);
void rediscover_all(struct balloond *b, int64_t now);
void targets_load(struct balloond *b, int64_t now);

/* module.c: targets and VMs from the kvmsched module */
void module_dump(struct balloond *b, int64_t now);
void module_connect(struct balloond *b, int64_t now);
void module_read(struct balloond *b);

/* psi.c: host memory pressure, reported to the module */
void psi_tick(struct balloond *b);

/* policy.c: persistent policy (lib/policy.h) applied to each VM */
int policy_start(struct balloond *b);
void policy_reload(struct balloond *b);
void policy_module_up(struct balloond *b);
void policy_vm(struct balloond *b, struct vm *vm);

/* metrics_file.c: --metrics-textfile, rewritten when due */
void metrics_tick(struct balloond *b, int64_t now);

/* loop.c: the daemon's main loop and signals */
int balloond_run(struct balloond *b);

/* Name of a balloon reason for log lines ("unknown" if not known). */
const char *reason_str(uint32_t reason);

#endif /* KVMSCHEDD_DAEMON_H */
