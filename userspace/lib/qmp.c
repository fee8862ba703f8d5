// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: QMP client for the memory balloon; see qmp.h.
 *
 * The socket is non-blocking; every wait is a poll() bounded by the
 * client's timeout. Received bytes go through one json_tokener, which keeps
 * its state across reads, so an object may arrive in pieces and one read
 * may hold several objects.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qmp.h"

#define QMP_DEFAULT_TIMEOUT_MS	3000

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copy a string, truncated to fit (also used by balloond.c). */
void qmp_scopy(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	while (n + 1 < len && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

static void set_err(struct qmp *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct qmp *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->err, sizeof(q->err), fmt, ap);
	va_end(ap);
}

void qmp_init(struct qmp *q, int timeout_ms)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->timeout_ms = timeout_ms > 0 ? timeout_ms : QMP_DEFAULT_TIMEOUT_MS;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	if (q->tok)
		json_tokener_free(q->tok);
	q->tok = NULL;
	q->pos = q->len = q->obj_bytes = 0;
}

/* Close on a transport or protocol error; returns rc. */
static int fail_close(struct qmp *q, int rc)
{
	qmp_close(q);
	return rc;
}

/* -- transport -------------------------------------------------------------- */

static int wait_fd(struct qmp *q, short events, int64_t deadline)
{
	struct pollfd p = { .fd = q->fd, .events = events };
	int rc;

	for (;;) {
		int64_t left = deadline - mono_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc > 0)
			return 0;
	}
}

static int send_all(struct qmp *q, const char *s, size_t n, int64_t deadline)
{
	while (n) {
		ssize_t w = send(q->fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int rc = wait_fd(q, POLLOUT, deadline);

			if (rc)
				return rc;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The next complete JSON object from the socket, by deadline. Returns 0 and
 * *obj, or a negative errno (q->err set).
 */
static int next_object(struct qmp *q, int64_t deadline, json_object **obj)
{
	for (;;) {
		if (q->pos < q->len) {
			size_t n = q->len - q->pos, used;
			enum json_tokener_error jerr;
			json_object *o;

			o = json_tokener_parse_ex(q->tok, q->buf + q->pos, (int)n);
			jerr = json_tokener_get_error(q->tok);
			used = json_tokener_get_parse_end(q->tok);
			if (used > n || (!o && jerr == json_tokener_continue))
				used = n;
			q->pos += used;
			q->obj_bytes += used;
			if (o) {
				json_tokener_reset(q->tok);
				q->obj_bytes = 0;
				if (!json_object_is_type(o, json_type_object)) {
					json_object_put(o);
					set_err(q, "malformed QMP message (not a JSON object)");
					return -EPROTO;
				}
				*obj = o;
				return 0;
			}
			if (jerr != json_tokener_continue) {
				set_err(q, "malformed QMP message (JSON: %s)",
					json_tokener_error_desc(jerr));
				return -EPROTO;
			}
			if (q->obj_bytes > QMP_MAX_OBJECT) {
				set_err(q, "malformed QMP message (an object of more than %d bytes)",
					QMP_MAX_OBJECT);
				return -EPROTO;
			}
			continue;
		}
		q->pos = q->len = 0;
		{
			ssize_t r = recv(q->fd, q->buf, sizeof(q->buf), 0);
			int rc;

			if (r > 0) {
				q->len = (size_t)r;
				continue;
			}
			if (r == 0) {
				set_err(q, "QMP connection closed by the VMM");
				return -ECONNRESET;
			}
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				rc = -errno;
				set_err(q, "QMP read: %s", strerror(errno));
				return rc;
			}
			rc = wait_fd(q, POLLIN, deadline);
			if (rc == -ETIMEDOUT) {
				set_err(q, "no QMP reply within %d ms", q->timeout_ms);
				return rc;
			}
			if (rc) {
				set_err(q, "QMP poll: %s", strerror(-rc));
				return rc;
			}
		}
	}
}

/* Note an asynchronous event (we only care about BALLOON_CHANGE). */
static void note_event(struct qmp *q, json_object *o)
{
	json_object *name, *data, *actual;

	q->events++;
	if (json_object_object_get_ex(o, "event", &name) &&
	    json_object_is_type(name, json_type_string) &&
	    !strcmp(json_object_get_string(name), "BALLOON_CHANGE") &&
	    json_object_object_get_ex(o, "data", &data) &&
	    json_object_object_get_ex(data, "actual", &actual) &&
	    json_object_is_type(actual, json_type_int) &&
	    json_object_get_int64(actual) >= 0) {
		q->balloon_change = true;
		q->balloon_change_actual = (uint64_t)json_object_get_int64(actual);
	}
}

/* -- protocol ----------------------------------------------------------------- */

int qmp_reply_parse(json_object *reply, json_object **ret, char *msg,
		    size_t msglen, char *cls, size_t clslen)
{
	json_object *r, *e, *c, *d;

	if (cls && clslen)
		cls[0] = '\0';
	if (ret)
		*ret = NULL;
	if (!reply || !json_object_is_type(reply, json_type_object)) {
		snprintf(msg, msglen, "malformed QMP reply (not an object)");
		return -EPROTO;
	}
	if (json_object_object_get_ex(reply, "return", &r)) {
		if (ret)
			*ret = json_object_get(r);
		return 0;
	}
	if (json_object_object_get_ex(reply, "error", &e) &&
	    json_object_is_type(e, json_type_object)) {
		const char *cs = "GenericError", *ds = "(no description)";

		if (json_object_object_get_ex(e, "class", &c) &&
		    json_object_is_type(c, json_type_string))
			cs = json_object_get_string(c);
		if (json_object_object_get_ex(e, "desc", &d) &&
		    json_object_is_type(d, json_type_string))
			ds = json_object_get_string(d);
		snprintf(msg, msglen, "QMP error %s: %s", cs, ds);
		if (cls && clslen)
			qmp_scopy(cls, clslen, cs);
		return -EREMOTEIO;
	}
	snprintf(msg, msglen, "malformed QMP reply (neither \"return\" nor \"error\")");
	return -EPROTO;
}

/* Whether a message is an asynchronous event rather than a reply. */
static bool is_event(json_object *o)
{
	json_object *ev;

	return json_object_object_get_ex(o, "event", &ev) &&
	       !json_object_object_get_ex(o, "return", NULL) &&
	       !json_object_object_get_ex(o, "error", NULL);
}

/* Whether a reply is for request id (a reply without an id is taken). */
static bool id_matches(json_object *o, uint64_t id)
{
	json_object *v;

	if (!json_object_object_get_ex(o, "id", &v))
		return true;
	return json_object_is_type(v, json_type_int) &&
	       json_object_get_int64(v) == (int64_t)id;
}

static int execute(struct qmp *q, const char *cmd, json_object *args,
		   json_object **ret)
{
	json_object *req, *o;
	int64_t deadline = mono_ms() + q->timeout_ms;
	const char *s;
	uint64_t id = ++q->next_id;
	int rc;

	q->err[0] = q->err_class[0] = '\0';
	if (ret)
		*ret = NULL;
	if (q->fd < 0) {
		set_err(q, "not connected");
		return -ENOTCONN;
	}
	req = json_object_new_object();
	if (!req)
		return -ENOMEM;
	json_object_object_add(req, "execute", json_object_new_string(cmd));
	if (args)
		json_object_object_add(req, "arguments", json_object_get(args));
	json_object_object_add(req, "id", json_object_new_int64((int64_t)id));
	s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	rc = s ? send_all(q, s, strlen(s), deadline) : -ENOMEM;
	if (!rc)
		rc = send_all(q, "\r\n", 2, deadline);
	json_object_put(req);
	if (rc) {
		set_err(q, "QMP send %s: %s", cmd, strerror(-rc));
		return fail_close(q, rc);
	}
	for (;;) {
		rc = next_object(q, deadline, &o);
		if (rc) {
			if (rc == -ETIMEDOUT)
				set_err(q, "no reply to %s within %d ms", cmd,
					q->timeout_ms);
			return fail_close(q, rc);
		}
		if (is_event(o)) {
			note_event(q, o);
			json_object_put(o);
			continue;
		}
		if (!id_matches(o, id)) {	/* a late reply to an old request */
			json_object_put(o);
			continue;
		}
		rc = qmp_reply_parse(o, ret, q->err, sizeof(q->err),
				     q->err_class, sizeof(q->err_class));
		json_object_put(o);
		if (rc == -EPROTO)
			return fail_close(q, rc);
		return rc;
	}
}

int qmp_execute(struct qmp *q, const char *cmd, json_object *args,
		json_object **ret)
{
	return execute(q, cmd, args, ret);
}

static int connect_path(struct qmp *q, const char *path, int64_t deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int rc, err;
	socklen_t elen = sizeof(err);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		set_err(q, "QMP socket path too long");
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (q->fd < 0) {
			rc = -errno;
			set_err(q, "socket: %s", strerror(errno));
			return rc;
		}
		if (!connect(q->fd, (struct sockaddr *)&sa, sizeof(sa)))
			return 0;
		rc = -errno;
		if (rc == -EINPROGRESS) {
			rc = wait_fd(q, POLLOUT, deadline);
			if (!rc && getsockopt(q->fd, SOL_SOCKET, SO_ERROR, &err,
					      &elen) == 0)
				rc = -err;
			if (!rc)
				return 0;
		}
		close(q->fd);
		q->fd = -1;
		/* A full backlog: the listener is busy, retry until deadline. */
		if (rc == -EAGAIN && mono_ms() + 50 < deadline) {
			struct timespec ts = { 0, 50 * 1000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		set_err(q, "connect %s: %s", path,
			rc == -ETIMEDOUT || rc == -EAGAIN ?
			"timed out (listener busy)" : strerror(-rc));
		return rc;
	}
}

int qmp_connect(struct qmp *q, const char *path)
{
	int64_t deadline = mono_ms() + q->timeout_ms;
	json_object *o, *g, *v, *qemu, *x;
	int rc;

	qmp_close(q);
	q->err[0] = q->err_class[0] = '\0';
	q->version[0] = '\0';
	qmp_scopy(q->path, sizeof(q->path), path);
	q->tok = json_tokener_new();
	if (!q->tok) {
		set_err(q, "out of memory");
		return -ENOMEM;
	}
	rc = connect_path(q, path, deadline);
	if (rc)
		return fail_close(q, rc);
	rc = next_object(q, deadline, &o);
	if (rc == -ETIMEDOUT)
		set_err(q, "no QMP greeting within %d ms (is another client connected? a QMP monitor serves one client at a time)",
			q->timeout_ms);
	if (rc)
		return fail_close(q, rc);
	if (!json_object_object_get_ex(o, "QMP", &g)) {
		json_object_put(o);
		set_err(q, "not a QMP greeting (no \"QMP\" member)");
		return fail_close(q, -EPROTO);
	}
	if (json_object_object_get_ex(g, "version", &v) &&
	    json_object_object_get_ex(v, "qemu", &qemu) &&
	    json_object_is_type(qemu, json_type_object)) {
		int64_t maj = -1, min = -1, mic = -1;

		if (json_object_object_get_ex(qemu, "major", &x))
			maj = json_object_get_int64(x);
		if (json_object_object_get_ex(qemu, "minor", &x))
			min = json_object_get_int64(x);
		if (json_object_object_get_ex(qemu, "micro", &x))
			mic = json_object_get_int64(x);
		if (maj >= 0 && min >= 0 && mic >= 0) {
			char ver[80];

			snprintf(ver, sizeof(ver), "%" PRId64 ".%" PRId64 ".%" PRId64,
				 maj, min, mic);
			qmp_scopy(q->version, sizeof(q->version), ver);
		}
	}
	json_object_put(o);
	rc = execute(q, "qmp_capabilities", NULL, NULL);
	if (rc) {
		char why[sizeof(q->err)];

		qmp_scopy(why, sizeof(why), q->err);
		set_err(q, "qmp_capabilities: %s", why);
		return fail_close(q, rc == -EREMOTEIO ? -EPROTO : rc);
	}
	return 0;
}

/* -- balloon ---------------------------------------------------------------- */

int qmp_query_balloon(struct qmp *q, uint64_t *actual)
{
	json_object *r, *a;
	int rc = execute(q, "query-balloon", NULL, &r);

	if (rc)
		return rc;
	if (!json_object_object_get_ex(r, "actual", &a) ||
	    !json_object_is_type(a, json_type_int) ||
	    json_object_get_int64(a) < 0) {
		json_object_put(r);
		set_err(q, "malformed query-balloon reply (no \"actual\")");
		return fail_close(q, -EPROTO);
	}
	*actual = (uint64_t)json_object_get_int64(a);
	json_object_put(r);
	return 0;
}

int qmp_balloon(struct qmp *q, uint64_t bytes)
{
	json_object *args = json_object_new_object();
	int rc;

	if (!args)
		return -ENOMEM;
	json_object_object_add(args, "value",
			       json_object_new_int64((int64_t)bytes));
	rc = execute(q, "balloon", args, NULL);
	json_object_put(args);
	return rc;
}

static bool balloon_type(const char *t)
{
	return !strncmp(t, "child<virtio-balloon-", 21) &&
	       t[strlen(t) - 1] == '>';
}

int qmp_find_balloon(struct qmp *q, char *path, size_t len)
{
	static const char *const parents[] = {
		"/machine/peripheral", "/machine/peripheral-anon",
	};
	size_t p, i;
	int rc;

	for (p = 0; p < sizeof(parents) / sizeof(parents[0]); p++) {
		json_object *args = json_object_new_object(), *r;

		if (!args)
			return -ENOMEM;
		json_object_object_add(args, "path",
				       json_object_new_string(parents[p]));
		rc = execute(q, "qom-list", args, &r);
		json_object_put(args);
		if (rc == -EREMOTEIO)
			continue;	/* no such container */
		if (rc)
			return rc;
		if (!json_object_is_type(r, json_type_array)) {
			json_object_put(r);
			continue;
		}
		for (i = 0; i < json_object_array_length(r); i++) {
			json_object *e = json_object_array_get_idx(r, i), *n, *t;

			if (!json_object_is_type(e, json_type_object) ||
			    !json_object_object_get_ex(e, "name", &n) ||
			    !json_object_object_get_ex(e, "type", &t) ||
			    !json_object_is_type(n, json_type_string) ||
			    !json_object_is_type(t, json_type_string) ||
			    !balloon_type(json_object_get_string(t)))
				continue;
			if ((size_t)snprintf(path, len, "%s/%s", parents[p],
					     json_object_get_string(n)) >= len)
				continue;
			json_object_put(r);
			return 0;
		}
		json_object_put(r);
	}
	set_err(q, "no virtio-balloon device in /machine/peripheral or /machine/peripheral-anon");
	return -ENODEV;
}

int qmp_set_stats_interval(struct qmp *q, const char *path, int64_t secs)
{
	json_object *args = json_object_new_object();
	int rc;

	if (!args)
		return -ENOMEM;
	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property",
			       json_object_new_string("guest-stats-polling-interval"));
	json_object_object_add(args, "value", json_object_new_int64(secs));
	rc = execute(q, "qom-set", args, NULL);
	json_object_put(args);
	return rc;
}

static int64_t stat_value(json_object *o, const char *key)
{
	json_object *v;
	int64_t x;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	x = json_object_get_int64(v);
	/* QEMU's "not reported" is (uint64_t)-1, which saturates here. */
	return x < 0 || x == INT64_MAX ? -1 : x;
}

int qmp_stats_parse(json_object *v, struct qmp_guest_stats *s)
{
	json_object *st = NULL;

	s->free = s->available = s->total = s->last_update = -1;
	if (!v || !json_object_is_type(v, json_type_object))
		return -EPROTO;
	if (!json_object_object_get_ex(v, "stats", &st) ||
	    !json_object_is_type(st, json_type_object))
		return -EPROTO;
	s->free = stat_value(st, "stat-free-memory");
	s->available = stat_value(st, "stat-available-memory");
	s->total = stat_value(st, "stat-total-memory");
	s->last_update = stat_value(v, "last-update");
	return 0;
}

int qmp_guest_stats(struct qmp *q, const char *path, struct qmp_guest_stats *s)
{
	json_object *args = json_object_new_object(), *r;
	int rc;

	s->free = s->available = s->total = s->last_update = -1;
	if (!args)
		return -ENOMEM;
	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property",
			       json_object_new_string("guest-stats"));
	rc = execute(q, "qom-get", args, &r);
	json_object_put(args);
	if (rc == -EREMOTEIO && strstr(q->err, "hasn't updated any stats"))
		return -EAGAIN;
	if (rc)
		return rc;
	rc = qmp_stats_parse(r, s);
	json_object_put(r);
	if (rc)
		set_err(q, "malformed guest-stats value (no \"stats\" object)");
	return rc;	/* a bad value is not worth closing the session */
}
