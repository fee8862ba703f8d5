/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: a small QMP (QEMU Machine Protocol) client for the memory
 * balloon (where a VMM's socket is: qmp_socket.h). No libnl: linked by
 * kvmschedctl (balloond, balloon) and by tests/qemu/test_qmp.
 *
 * The JSON subset used (json-c):
 *   greeting            {"QMP": {...}}
 *   qmp_capabilities    -> {"return": {}}
 *   balloon {"value": BYTES}                   -> {"return": {}}
 *   query-balloon                              -> {"return": {"actual": BYTES}}
 *   qom-list {"path": P}                       -> {"return": [{"name","type"}...]}
 *   qom-set {"path","property","value"}        -> {"return": {}}
 *   qom-get {"path","property"}                -> {"return": VALUE}
 *   errors  {"error": {"class": C, "desc": D}}
 *   events  {"event": NAME, ...}               skipped while waiting
 * Every command carries an "id"; a reply with another id is skipped, a reply
 * without one is taken as ours.
 *
 * Return values: 0, or a negative errno. -EREMOTEIO: QEMU answered with an
 * error object (the session is still usable; qmp->err is "QMP error CLASS:
 * DESC", qmp->err_class CLASS). Any other error (-ETIMEDOUT, -ECONNRESET,
 * -EPROTO for a malformed reply, ...) closes the session: qmp_connect() again.
 * qmp->err always says what happened.
 */
#ifndef KVMSCHEDCTL_QMP_H
#define KVMSCHEDCTL_QMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

struct json_object;
struct json_tokener;

#define QMP_PATH_MAX	sizeof(((struct sockaddr_un *)0)->sun_path)
/* An object that takes more bytes than this is a protocol error. */
#define QMP_MAX_OBJECT	(1 << 20)

struct qmp {
	int fd;				/* -1 when closed */
	int timeout_ms;			/* connect, greeting and each reply */
	struct json_tokener *tok;
	char buf[4096];			/* received, not yet parsed */
	size_t pos, len;
	size_t obj_bytes;		/* bytes of the object being parsed */
	uint64_t next_id;
	char path[QMP_PATH_MAX];
	char version[32];		/* from the greeting, "7.2.0" */
	char err[256];			/* the last error, for messages */
	char err_class[64];		/* the last QMP error class, or "" */
	/* Asynchronous events seen while waiting for replies. */
	uint64_t events;
	bool balloon_change;		/* a BALLOON_CHANGE was seen ... */
	uint64_t balloon_change_actual;	/* ... with this "actual" (bytes) */
};

/* A closed client (fd -1); timeout_ms 0 means 3000. */
void qmp_init(struct qmp *q, int timeout_ms);
/*
 * Connect to the socket at path (non-blocking, bounded by timeout_ms), read
 * the greeting and negotiate capabilities. Closes a previous session first.
 */
int qmp_connect(struct qmp *q, const char *path);
void qmp_close(struct qmp *q);
static inline bool qmp_connected(const struct qmp *q) { return q->fd >= 0; }

/*
 * Execute cmd with args (may be NULL; a reference is taken, the caller
 * keeps its own). On success *ret (if ret) is the "return" value: release
 * it with json_object_put().
 */
int qmp_execute(struct qmp *q, const char *cmd, struct json_object *args,
		struct json_object **ret);

/* query-balloon: the guest's memory size with the balloon, in bytes. */
int qmp_query_balloon(struct qmp *q, uint64_t *actual);
/* balloon: ask the guest for a memory size of bytes. */
int qmp_balloon(struct qmp *q, uint64_t bytes);
/*
 * The QOM path of the virtio-balloon device: qom-list of /machine/peripheral
 * and /machine/peripheral-anon for a child<virtio-balloon-*>. -ENODEV if
 * there is none.
 */
int qmp_find_balloon(struct qmp *q, char *path, size_t len);
/* qom-set guest-stats-polling-interval (seconds, 0 disables). */
int qmp_set_stats_interval(struct qmp *q, const char *path, int64_t secs);

/* Guest statistics; a figure the guest did not report is -1. */
struct qmp_guest_stats {
	int64_t free;			/* stat-free-memory, bytes */
	int64_t available;		/* stat-available-memory, bytes */
	int64_t total;			/* stat-total-memory, bytes */
	int64_t last_update;		/* seconds since the epoch, or -1 */
};
/*
 * qom-get guest-stats. -EAGAIN when the guest has not sent statistics yet
 * (QEMU: "guest hasn't updated any stats yet").
 */
int qmp_guest_stats(struct qmp *q, const char *path, struct qmp_guest_stats *s);

/* -- pure helpers, for the client and the tests -------------------------- */

/*
 * Turn a reply object into 0 and its "return" (*ret, a new reference), or
 * -EREMOTEIO with msg "QMP error CLASS: DESC" and cls CLASS, or -EPROTO
 * with msg saying what is wrong. Never crashes on unexpected shapes.
 */
int qmp_reply_parse(struct json_object *reply, struct json_object **ret,
		    char *msg, size_t msglen, char *cls, size_t clslen);

/*
 * Guest stats from a qom-get guest-stats "return" value. A figure that is
 * absent, negative or 2^64-1 (QEMU's "not reported") is -1.
 */
int qmp_stats_parse(struct json_object *v, struct qmp_guest_stats *s);

/* Copy @src into @dst of @len bytes, truncated to fit, always terminated. */
void qmp_scopy(char *dst, size_t len, const char *src);

#endif /* KVMSCHEDCTL_QMP_H */
