// SPDX-License-Identifier: GPL-2.0
/*
 * qmp-endpoint - a QEMU QMP monitor with a virtio-balloon stand-in.
 *
 * Wire format as QEMU 8: a greeting on connect, then JSON objects in either
 * direction (requests may be split over several writes or several may come
 * in one write; json_tokener parses the stream).  Replies and events are one
 * line each, ended by "\r\n", formatted like QEMU ({"return": {}}).  Until a
 * client sent qmp_capabilities every other command fails with
 * CommandNotFound; "id" is carried back.  Events go to every negotiated
 * client; BALLOON_CHANGE is rate limited to one per second like QEMU's
 * monitor (the last value of a burst is delivered when the second ends).
 *
 * Commands: qmp_capabilities, query-version, query-status, query-commands,
 * query-memory-size-summary, balloon, query-balloon, qom-list, qom-get,
 * qom-set, and x-kvmtest-set-used {"bytes": N} (not in QEMU: changes the
 * guest's used memory, i.e. what the next guest stats report as free).
 *
 * The balloon device is /machine/peripheral-anon/device[0] (QEMU's path for
 * "-device virtio-balloon-pci" without id), or /machine/peripheral/ID with
 * balloon_id.  Its guest-stats are -1 with last-update 0 until
 * guest-stats-polling-interval is set > 0; then the "guest" reports at once
 * and every interval seconds (a snapshot, as QEMU):
 *   stat-total-memory      = actual (the balloon driver gives pages away)
 *   stat-free-memory       = max(0, actual - used)
 *   stat-available-memory  = stat-free-memory (no page cache)
 *   the other stats        = 0
 *
 * The guest balloon driver: a balloon value V is clamped to the guest RAM
 * and rounded to whole 4 KiB pages as QEMU does (V <= 0 fails); "actual"
 * then moves toward it by at most 64 MiB per 100 ms, in 4 MiB steps,
 * releasing pages from the top of guest RAM with MADV_DONTNEED when
 * inflating and writing them again when deflating.  It follows the target
 * down to 0: floors are the controller's business.
 */
#define _GNU_SOURCE
#include "qmp-endpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096ULL
#define MAX_CLIENTS	8
#define STEP_BYTES	(64ULL << 20)	/* per tick */
#define CHUNK_BYTES	(4ULL << 20)
#define TICK_NS		100000000LL
#define EVENT_RATE_NS	1000000000LL	/* QEMU: BALLOON_CHANGE 1/s */
#define OUTBUF_MAX	(1 << 20)	/* a client that does not read is dropped */

static const char greeting[] =
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 8}, "
	"\"package\": \"kvmtest\"}, \"capabilities\": []}}\r\n";

static const char *const stat_names[] = {
	"stat-swap-in", "stat-swap-out", "stat-major-faults", "stat-minor-faults",
	"stat-free-memory", "stat-total-memory", "stat-available-memory",
	"stat-disk-caches", "stat-htlb-pgalloc", "stat-htlb-pgfail",
};
enum { ST_FREE = 4, ST_TOTAL = 5, ST_AVAIL = 6, NR_STATS = 10 };

struct client {
	int fd;			/* -1: free slot */
	struct json_tokener *tok;
	int negotiated;
	char *out;
	size_t outlen, outcap;
};

struct qmp_endpoint {
	char path[QMP_PATH_MAX];
	char dev_path[160];	/* QOM path of the balloon device */
	int listen_fd;
	int wake[2];		/* balloon thread / stop -> QMP thread */
	pthread_t qmp_thread, balloon_thread;
	int balloon_started;
	uint8_t *mem;
	uint64_t ram;
	int no_balloon;
	const char *balloon_id;

	pthread_mutex_t lock;	/* protects the fields up to the next comment */
	pthread_cond_t cond;
	int stopping;
	uint64_t actual, target, used;

	/* QMP thread only */
	struct client clients[MAX_CLIENTS];
	int64_t poll_interval;	/* guest-stats-polling-interval, s */
	int64_t next_poll_ns;
	int64_t last_update;	/* unix seconds of the last stats report */
	int64_t stats[NR_STATS];
	uint64_t seen_actual;	/* last actual an event was queued for */
	int64_t ev_deadline_ns;	/* 0: no rate limit window open */
	int ev_pending;
	uint64_t ev_actual;
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- helpers shared with the VMMs ---- */

int qmp_parse_chardev(const char *arg, char *path, size_t size,
		      char *err, size_t errlen)
{
	const char *p, *comma;
	int server = 0, nowait = 0;
	size_t len;

	if (strncmp(arg, "unix:", 5)) {
		snprintf(err, errlen, "'%s': only unix:PATH,server=on,wait=off is supported", arg);
		return -1;
	}
	p = arg + 5;
	comma = strchr(p, ',');
	len = comma ? (size_t)(comma - p) : strlen(p);
	if (!len || len >= size || len >= QMP_PATH_MAX) {
		snprintf(err, errlen, "'%s': empty or too long socket path", arg);
		return -1;
	}
	memcpy(path, p, len);
	path[len] = '\0';
	while (comma) {
		const char *opt = comma + 1;
		size_t olen;

		comma = strchr(opt, ',');
		olen = comma ? (size_t)(comma - opt) : strlen(opt);
#define IS(s) (olen == strlen(s) && !strncmp(opt, s, olen))
		if (IS("server") || IS("server=on"))
			server = 1;
		else if (IS("nowait") || IS("wait=off"))
			nowait = 1;
		else if (IS("server=off") || IS("wait=on") || IS("wait")) {
			snprintf(err, errlen, "'%s': only server=on,wait=off is supported", arg);
			return -1;
		} else {
			snprintf(err, errlen, "'%s': unknown option '%.*s'", arg, (int)olen, opt);
			return -1;
		}
#undef IS
	}
	if (!server || !nowait) {
		snprintf(err, errlen, "'%s': want unix:PATH,server=on,wait=off", arg);
		return -1;
	}
	return 0;
}

int64_t qmp_parse_mib(const char *arg)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || errno || v < 0)
		return -1;
	if (*end == 'G' || *end == 'g') {
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		end++;
	}
	if (*end || v > (1LL << 24))
		return -1;
	return v;
}

uint8_t *qmp_guest_mem_alloc(uint64_t size)
{
	uint8_t *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t off;

	if (mem == MAP_FAILED)
		return NULL;
	for (off = 0; off < size; off += PAGE)
		mem[off] = 1;
	return mem;
}

void qmp_json_escape(const char *s, char *out, size_t size)
{
	size_t o = 0;

	for (; *s && o + 7 < size; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = c;
		} else if (c < 0x20) {
			o += snprintf(out + o, size - o, "\\u%04x", c);
		} else {
			out[o++] = c;
		}
	}
	if (size)
		out[o < size ? o : size - 1] = '\0';
}

/* ---- output: QEMU-style JSON ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			abort();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void buf_jstr(struct buf *b, const char *s)
{
	buf_str(b, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };

			buf_add(b, e, 2);
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_add(b, (const char *)&c, 1);
		}
	}
	buf_str(b, "\"");
}

/* {"a": 1, "b": [2, 3]} as QEMU prints it */
static void buf_json(struct buf *b, struct json_object *o)
{
	size_t i, n;
	int first = 1;

	switch (json_object_get_type(o)) {
	case json_type_object:
		buf_str(b, "{");
		json_object_object_foreach(o, key, val) {
			if (!first)
				buf_str(b, ", ");
			first = 0;
			buf_jstr(b, key);
			buf_str(b, ": ");
			buf_json(b, val);
		}
		buf_str(b, "}");
		break;
	case json_type_array:
		buf_str(b, "[");
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			if (i)
				buf_str(b, ", ");
			buf_json(b, json_object_array_get_idx(o, i));
		}
		buf_str(b, "]");
		break;
	case json_type_string:
		buf_jstr(b, json_object_get_string(o));
		break;
	case json_type_int:
		buf_printf(b, "%" PRId64, json_object_get_int64(o));
		break;
	default:	/* null, boolean, double */
		buf_str(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

/* ---- clients ---- */

static void client_close(struct client *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	json_tokener_free(c->tok);
	c->tok = NULL;
	free(c->out);
	c->out = NULL;
	c->outlen = c->outcap = 0;
	c->negotiated = 0;
}

static void client_flush(struct client *c)
{
	while (c->fd >= 0 && c->outlen) {
		ssize_t w = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (w <= 0) {
			client_close(c);
			return;
		}
		memmove(c->out, c->out + w, c->outlen - w);
		c->outlen -= w;
	}
}

static void client_send(struct client *c, const char *s, size_t n)
{
	if (c->fd < 0)
		return;
	if (c->outlen + n > OUTBUF_MAX) {
		client_close(c);
		return;
	}
	if (c->outlen + n > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *p;

		while (cap < c->outlen + n)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			client_close(c);
			return;
		}
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, s, n);
	c->outlen += n;
	client_flush(c);
}

/* Send {"return": ret} or {"error": ...}, with "id" if the request had one. */
static void reply(struct client *c, struct json_object *id, struct json_object *ret,
		  const char *eclass, const char *edesc)
{
	struct buf b = { 0 };

	if (eclass) {
		buf_str(&b, "{\"error\": {\"class\": ");
		buf_jstr(&b, eclass);
		buf_str(&b, ", \"desc\": ");
		buf_jstr(&b, edesc);
		buf_str(&b, "}");
	} else {
		buf_str(&b, "{\"return\": ");
		if (ret)
			buf_json(&b, ret);
		else
			buf_str(&b, "{}");
	}
	if (id) {
		buf_str(&b, ", \"id\": ");
		buf_json(&b, id);
	}
	buf_str(&b, "}\r\n");
	client_send(c, b.p, b.len);
	free(b.p);
}

static void emit_balloon_change(struct qmp_endpoint *ep, uint64_t actual)
{
	struct timespec ts;
	char line[256];
	int i, n;

	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(line, sizeof(line),
		     "{\"timestamp\": {\"seconds\": %lld, \"microseconds\": %ld}, "
		     "\"event\": \"BALLOON_CHANGE\", \"data\": {\"actual\": %" PRIu64 "}}\r\n",
		     (long long)ts.tv_sec, ts.tv_nsec / 1000, actual);
	for (i = 0; i < MAX_CLIENTS; i++)
		if (ep->clients[i].fd >= 0 && ep->clients[i].negotiated)
			client_send(&ep->clients[i], line, n);
}

/* QEMU's monitor_qapi_event_queue: first now, then at most one per second. */
static void queue_balloon_change(struct qmp_endpoint *ep, uint64_t actual)
{
	if (ep->ev_deadline_ns) {
		ep->ev_pending = 1;
		ep->ev_actual = actual;
		return;
	}
	emit_balloon_change(ep, actual);
	ep->ev_deadline_ns = mono_ns() + EVENT_RATE_NS;
}

static void event_timer(struct qmp_endpoint *ep, int64_t now)
{
	if (!ep->ev_deadline_ns || now < ep->ev_deadline_ns)
		return;
	if (ep->ev_pending) {
		ep->ev_pending = 0;
		emit_balloon_change(ep, ep->ev_actual);
		ep->ev_deadline_ns = now + EVENT_RATE_NS;
	} else {
		ep->ev_deadline_ns = 0;
	}
}

/* The guest reports its memory statistics. */
static void stats_update(struct qmp_endpoint *ep)
{
	uint64_t actual, used;
	int i;

	pthread_mutex_lock(&ep->lock);
	actual = ep->actual;
	used = ep->used;
	pthread_mutex_unlock(&ep->lock);
	for (i = 0; i < NR_STATS; i++)
		ep->stats[i] = 0;
	ep->stats[ST_TOTAL] = actual;
	ep->stats[ST_FREE] = actual > used ? actual - used : 0;
	ep->stats[ST_AVAIL] = ep->stats[ST_FREE];
	ep->last_update = time(NULL);
}

static void stats_timer(struct qmp_endpoint *ep, int64_t now)
{
	if (ep->poll_interval <= 0 || now < ep->next_poll_ns)
		return;
	stats_update(ep);
	ep->next_poll_ns = now + ep->poll_interval * 1000000000LL;
}

/* ---- commands ---- */

struct cmd_ctx {
	struct qmp_endpoint *ep;
	struct client *c;
	struct json_object *args;	/* never NULL */
	struct json_object *ret;	/* result, NULL: {} */
	const char *eclass;
	char edesc[256];
};

static int fail(struct cmd_ctx *x, const char *eclass, const char *fmt, ...)
{
	va_list ap;

	x->eclass = eclass;
	va_start(ap, fmt);
	vsnprintf(x->edesc, sizeof(x->edesc), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Check the arguments against spec, "name:T" entries with T one of
 * i (integer), s (string), a (array), * (any); a leading '?' marks an
 * optional one.  QEMU's messages.
 */
static int check_args(struct cmd_ctx *x, const char *const *spec)
{
	const char *const *s;

	json_object_object_foreach(x->args, key, val) {
		(void)val;
		for (s = spec; *s; s++) {
			const char *n = **s == '?' ? *s + 1 : *s;
			size_t len = strchr(n, ':') - n;

			if (strlen(key) == len && !strncmp(key, n, len))
				break;
		}
		if (!*s)
			return fail(x, "GenericError", "Parameter '%s' is unexpected", key);
	}
	for (s = spec; *s; s++) {
		const char *n = **s == '?' ? *s + 1 : *s;
		const char *colon = strchr(n, ':');
		char name[64];
		struct json_object *v;
		enum json_type t;

		snprintf(name, sizeof(name), "%.*s", (int)(colon - n), n);
		if (!json_object_object_get_ex(x->args, name, &v)) {
			if (**s == '?')
				continue;
			return fail(x, "GenericError", "Parameter '%s' is missing", name);
		}
		t = json_object_get_type(v);
		if ((colon[1] == 'i' && t != json_type_int) ||
		    (colon[1] == 's' && t != json_type_string) ||
		    (colon[1] == 'a' && t != json_type_array))
			return fail(x, "GenericError",
				    "Invalid parameter type for '%s', expected: %s", name,
				    colon[1] == 'i' ? "integer" :
				    colon[1] == 's' ? "string" : "array");
	}
	return 0;
}

static const char *arg_str(struct cmd_ctx *x, const char *name)
{
	struct json_object *v;

	json_object_object_get_ex(x->args, name, &v);
	return json_object_get_string(v);
}

static int64_t arg_int(struct cmd_ctx *x, const char *name)
{
	struct json_object *v;

	json_object_object_get_ex(x->args, name, &v);
	return json_object_get_int64(v);
}

static int have_balloon(struct cmd_ctx *x)
{
	if (x->ep->no_balloon)
		return fail(x, "DeviceNotActive", "No balloon device has been activated");
	return 0;
}

static int cmd_qmp_capabilities(struct cmd_ctx *x)
{
	static const char *const spec[] = { "?enable:a", NULL };
	struct json_object *en;

	if (check_args(x, spec))
		return -1;
	if (json_object_object_get_ex(x->args, "enable", &en) &&
	    json_object_array_length(en)) {
		struct json_object *cap = json_object_array_get_idx(en, 0);

		return fail(x, "GenericError", "Capability '%s' not available",
			    json_object_get_string(cap));
	}
	x->c->negotiated = 1;
	return 0;
}

static int cmd_query_version(struct cmd_ctx *x)
{
	static const char *const spec[] = { NULL };
	struct json_object *q;

	if (check_args(x, spec))
		return -1;
	q = json_object_new_object();
	json_object_object_add(q, "micro", json_object_new_int(0));
	json_object_object_add(q, "minor", json_object_new_int(0));
	json_object_object_add(q, "major", json_object_new_int(8));
	x->ret = json_object_new_object();
	json_object_object_add(x->ret, "qemu", q);
	json_object_object_add(x->ret, "package", json_object_new_string("kvmtest"));
	return 0;
}

static int cmd_query_status(struct cmd_ctx *x)
{
	static const char *const spec[] = { NULL };

	if (check_args(x, spec))
		return -1;
	x->ret = json_object_new_object();
	json_object_object_add(x->ret, "status", json_object_new_string("running"));
	json_object_object_add(x->ret, "singlestep", json_object_new_boolean(0));
	json_object_object_add(x->ret, "running", json_object_new_boolean(1));
	return 0;
}

static int cmd_query_memory_size_summary(struct cmd_ctx *x)
{
	static const char *const spec[] = { NULL };

	if (check_args(x, spec))
		return -1;
	x->ret = json_object_new_object();
	json_object_object_add(x->ret, "base-memory", json_object_new_int64(x->ep->ram));
	json_object_object_add(x->ret, "plugged-memory", json_object_new_int64(0));
	return 0;
}

static int cmd_balloon(struct cmd_ctx *x)
{
	static const char *const spec[] = { "value:i", NULL };
	struct qmp_endpoint *ep = x->ep;
	int64_t value;
	uint64_t pages;

	if (check_args(x, spec) || have_balloon(x))
		return -1;
	value = arg_int(x, "value");
	if (value <= 0)
		return fail(x, "GenericError", "Parameter 'target' expects a size");
	if ((uint64_t)value > ep->ram)
		value = ep->ram;
	pages = (ep->ram - value) / PAGE;	/* as virtio_balloon_to_target */
	pthread_mutex_lock(&ep->lock);
	ep->target = ep->ram - pages * PAGE;
	pthread_cond_broadcast(&ep->cond);
	pthread_mutex_unlock(&ep->lock);
	return 0;
}

static int cmd_query_balloon(struct cmd_ctx *x)
{
	static const char *const spec[] = { NULL };
	uint64_t actual;

	if (check_args(x, spec) || have_balloon(x))
		return -1;
	pthread_mutex_lock(&x->ep->lock);
	actual = x->ep->actual;
	pthread_mutex_unlock(&x->ep->lock);
	x->ret = json_object_new_object();
	json_object_object_add(x->ret, "actual", json_object_new_int64(actual));
	return 0;
}

static void add_prop(struct json_object *list, const char *name, const char *type)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "name", json_object_new_string(name));
	json_object_object_add(p, "type", json_object_new_string(type));
	json_object_array_add(list, p);
}

static int is_dev_path(struct cmd_ctx *x, const char *path)
{
	return !x->ep->no_balloon && !strcmp(path, x->ep->dev_path);
}

static int cmd_qom_list(struct cmd_ctx *x)
{
	static const char *const spec[] = { "path:s", NULL };
	const char *path;
	int anon;

	if (check_args(x, spec))
		return -1;
	path = arg_str(x, "path");
	x->ret = json_object_new_array();
	add_prop(x->ret, "type", "string");	/* every QOM object has it */
	anon = !x->ep->balloon_id;
	if (!strcmp(path, "/")) {
		add_prop(x->ret, "machine", "child<pc-q35-8.0-machine>");
	} else if (!strcmp(path, "/machine")) {
		add_prop(x->ret, "peripheral", "child<container>");
		add_prop(x->ret, "peripheral-anon", "child<container>");
	} else if (!strcmp(path, "/machine/peripheral-anon") ||
		   !strcmp(path, "/machine/peripheral")) {
		if (!x->ep->no_balloon && anon == !strcmp(path, "/machine/peripheral-anon"))
			add_prop(x->ret, anon ? "device[0]" : x->ep->balloon_id,
				 "child<virtio-balloon-pci>");
	} else if (is_dev_path(x, path)) {
		add_prop(x->ret, "guest-stats", "guest statistics");
		add_prop(x->ret, "guest-stats-polling-interval", "int");
	} else {
		return fail(x, "DeviceNotFound", "Device '%s' not found", path);
	}
	return 0;
}

static struct json_object *guest_stats(struct qmp_endpoint *ep)
{
	struct json_object *o = json_object_new_object(), *st = json_object_new_object();
	int i;

	for (i = 0; i < NR_STATS; i++)
		json_object_object_add(st, stat_names[i],
				       json_object_new_int64(ep->last_update ? ep->stats[i] : -1));
	json_object_object_add(o, "stats", st);
	json_object_object_add(o, "last-update", json_object_new_int64(ep->last_update));
	return o;
}

static int cmd_qom_get(struct cmd_ctx *x)
{
	static const char *const spec[] = { "path:s", "property:s", NULL };
	const char *path, *prop;

	if (check_args(x, spec))
		return -1;
	path = arg_str(x, "path");
	prop = arg_str(x, "property");
	if (!is_dev_path(x, path)) {
		if (!strcmp(path, "/machine") || !strcmp(path, "/machine/peripheral") ||
		    !strcmp(path, "/machine/peripheral-anon") || !strcmp(path, "/"))
			return fail(x, "GenericError", "Property 'container.%s' not found", prop);
		return fail(x, "DeviceNotFound", "Device '%s' not found", path);
	}
	if (!strcmp(prop, "guest-stats"))
		x->ret = guest_stats(x->ep);
	else if (!strcmp(prop, "guest-stats-polling-interval"))
		x->ret = json_object_new_int64(x->ep->poll_interval);
	else if (!strcmp(prop, "type"))
		x->ret = json_object_new_string("virtio-balloon-pci");
	else
		return fail(x, "GenericError", "Property 'virtio-balloon-pci.%s' not found", prop);
	return 0;
}

static int cmd_qom_set(struct cmd_ctx *x)
{
	static const char *const spec[] = { "path:s", "property:s", "value:*", NULL };
	struct qmp_endpoint *ep = x->ep;
	const char *path, *prop;
	struct json_object *v;
	int64_t val;

	if (check_args(x, spec))
		return -1;
	path = arg_str(x, "path");
	prop = arg_str(x, "property");
	if (!is_dev_path(x, path))
		return fail(x, "DeviceNotFound", "Device '%s' not found", path);
	if (!strcmp(prop, "guest-stats") || !strcmp(prop, "type"))
		return fail(x, "GenericError", "Property '%s.%s' is not writable",
			    strcmp(prop, "type") ? "virtio-balloon-device" : "virtio-balloon-pci",
			    prop);
	if (strcmp(prop, "guest-stats-polling-interval"))
		return fail(x, "GenericError", "Property 'virtio-balloon-pci.%s' not found", prop);
	json_object_object_get_ex(x->args, "value", &v);
	if (!json_object_is_type(v, json_type_int))
		return fail(x, "GenericError", "Invalid parameter type for '%s', expected: integer",
			    prop);
	val = json_object_get_int64(v);
	if (val < 0)
		return fail(x, "GenericError", "timer value must be greater than zero");
	if (val > UINT32_MAX)
		return fail(x, "GenericError", "timer value is too big");
	if (val == ep->poll_interval)
		return 0;
	ep->poll_interval = val;
	ep->next_poll_ns = mono_ns();	/* QEMU: the timer fires at once */
	return 0;
}

static int cmd_set_used(struct cmd_ctx *x)
{
	static const char *const spec[] = { "bytes:i", NULL };
	int64_t v;

	if (check_args(x, spec))
		return -1;
	v = arg_int(x, "bytes");
	if (v < 0 || (uint64_t)v > x->ep->ram)
		return fail(x, "GenericError", "Parameter 'bytes' expects 0 to %" PRIu64,
			    x->ep->ram);
	pthread_mutex_lock(&x->ep->lock);
	x->ep->used = v;
	pthread_mutex_unlock(&x->ep->lock);
	return 0;
}

static int cmd_query_commands(struct cmd_ctx *x);

static const struct {
	const char *name;
	int (*fn)(struct cmd_ctx *x);
} commands[] = {
	{ "qmp_capabilities", cmd_qmp_capabilities },
	{ "query-version", cmd_query_version },
	{ "query-status", cmd_query_status },
	{ "query-commands", cmd_query_commands },
	{ "query-memory-size-summary", cmd_query_memory_size_summary },
	{ "balloon", cmd_balloon },
	{ "query-balloon", cmd_query_balloon },
	{ "qom-list", cmd_qom_list },
	{ "qom-get", cmd_qom_get },
	{ "qom-set", cmd_qom_set },
	{ "x-kvmtest-set-used", cmd_set_used },
};

static int cmd_query_commands(struct cmd_ctx *x)
{
	static const char *const spec[] = { NULL };
	size_t i;

	if (check_args(x, spec))
		return -1;
	x->ret = json_object_new_array();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(commands[i].name));
		json_object_array_add(x->ret, o);
	}
	return 0;
}

static void handle_request(struct qmp_endpoint *ep, struct client *c, struct json_object *req)
{
	struct cmd_ctx x = { .ep = ep, .c = c };
	struct json_object *id = NULL, *exec = NULL, *args = NULL;
	const char *name;
	size_t i;

	if (!json_object_is_type(req, json_type_object)) {
		reply(c, NULL, NULL, "GenericError", "QMP input must be a JSON object");
		return;
	}
	json_object_object_get_ex(req, "id", &id);
	json_object_object_foreach(req, key, val) {
		(void)val;
		if (strcmp(key, "execute") && strcmp(key, "arguments") && strcmp(key, "id") &&
		    strcmp(key, "exec-oob")) {
			fail(&x, "GenericError", "QMP input member '%s' is unexpected", key);
			goto out;
		}
	}
	if (json_object_object_get_ex(req, "exec-oob", &exec)) {
		fail(&x, "GenericError", "QMP input member 'exec-oob' is unexpected");
		goto out;
	}
	if (!json_object_object_get_ex(req, "execute", &exec)) {
		fail(&x, "GenericError", "QMP input lacks member 'execute'");
		goto out;
	}
	if (!json_object_is_type(exec, json_type_string)) {
		fail(&x, "GenericError", "QMP input member 'execute' must be a string");
		goto out;
	}
	if (json_object_object_get_ex(req, "arguments", &args) &&
	    !json_object_is_type(args, json_type_object)) {
		fail(&x, "GenericError", "QMP input member 'arguments' must be an object");
		goto out;
	}
	name = json_object_get_string(exec);
	if (!c->negotiated && strcmp(name, "qmp_capabilities")) {
		fail(&x, "CommandNotFound",
		     "Expecting capabilities negotiation with 'qmp_capabilities'");
		goto out;
	}
	if (c->negotiated && !strcmp(name, "qmp_capabilities")) {
		fail(&x, "CommandNotFound",
		     "Capabilities negotiation is already complete, command ignored");
		goto out;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fail(&x, "CommandNotFound", "The command %s has not been found", name);
		goto out;
	}
	x.args = args ? json_object_get(args) : json_object_new_object();
	commands[i].fn(&x);
	json_object_put(x.args);
out:
	reply(c, id, x.eclass ? NULL : x.ret, x.eclass, x.edesc);
	json_object_put(x.ret);
}

/* Parse what a client sent: partial objects wait, several are handled in turn. */
static void client_input(struct qmp_endpoint *ep, struct client *c, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len && c->fd >= 0) {
		struct json_object *o = json_tokener_parse_ex(c->tok, data + off, len - off);
		enum json_tokener_error e = json_tokener_get_error(c->tok);
		size_t end = json_tokener_get_parse_end(c->tok);

		if (e == json_tokener_continue)
			return;		/* all consumed, the rest comes later */
		json_tokener_reset(c->tok);
		if (e == json_tokener_success) {
			off += end ? end : len - off;
			handle_request(ep, c, o);
			json_object_put(o);
		} else {
			char desc[160];
			const char *nl;

			snprintf(desc, sizeof(desc), "JSON parse error, %s",
				 json_tokener_error_desc(e));
			reply(c, NULL, NULL, "GenericError", desc);
			/* resynchronise after the next newline */
			nl = memchr(data + off, '\n', len - off);
			off = nl ? (size_t)(nl - data) + 1 : len;
		}
	}
}

static void client_read(struct qmp_endpoint *ep, struct client *c)
{
	char buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {		/* hang-up (maybe mid-command) or error */
		client_close(c);
		return;
	}
	client_input(ep, c, buf, n);
}

static void client_accept(struct qmp_endpoint *ep)
{
	int fd = accept4(ep->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CLIENTS && ep->clients[i].fd >= 0; i++)
		;
	if (i == MAX_CLIENTS) {		/* cannot happen: not polled when full */
		close(fd);
		return;
	}
	ep->clients[i].fd = fd;
	ep->clients[i].tok = json_tokener_new();
	ep->clients[i].negotiated = 0;
	if (!ep->clients[i].tok) {
		client_close(&ep->clients[i]);
		return;
	}
	client_send(&ep->clients[i], greeting, sizeof(greeting) - 1);
}

static void *qmp_thread(void *arg)
{
	struct qmp_endpoint *ep = arg;
	struct pollfd pfd[MAX_CLIENTS + 2];
	int idx[MAX_CLIENTS + 2];

	for (;;) {
		int64_t now = mono_ns(), deadline = now + 1000000000LL;
		int n = 0, i, nclients = 0, timeout;
		uint64_t actual;

		pthread_mutex_lock(&ep->lock);
		if (ep->stopping) {
			pthread_mutex_unlock(&ep->lock);
			break;
		}
		actual = ep->actual;
		pthread_mutex_unlock(&ep->lock);
		if (actual != ep->seen_actual) {
			ep->seen_actual = actual;
			queue_balloon_change(ep, actual);
		}
		event_timer(ep, now);
		stats_timer(ep, now);
		if (ep->ev_deadline_ns && ep->ev_deadline_ns < deadline)
			deadline = ep->ev_deadline_ns;
		if (ep->poll_interval > 0 && ep->next_poll_ns < deadline)
			deadline = ep->next_poll_ns;

		pfd[n].fd = ep->wake[0];
		pfd[n].events = POLLIN;
		idx[n++] = -1;
		for (i = 0; i < MAX_CLIENTS; i++) {
			if (ep->clients[i].fd < 0)
				continue;
			nclients++;
			pfd[n].fd = ep->clients[i].fd;
			pfd[n].events = POLLIN | (ep->clients[i].outlen ? POLLOUT : 0);
			idx[n++] = i;
		}
		if (nclients < MAX_CLIENTS) {
			pfd[n].fd = ep->listen_fd;
			pfd[n].events = POLLIN;
			idx[n++] = -2;
		}
		timeout = (deadline - now + 999999) / 1000000;
		if (poll(pfd, n, timeout < 0 ? 0 : timeout) < 0)
			continue;
		for (i = 0; i < n; i++) {
			struct client *c;

			if (!pfd[i].revents)
				continue;
			if (idx[i] == -1) {
				char drain[64];

				while (read(ep->wake[0], drain, sizeof(drain)) > 0)
					;
				continue;
			}
			if (idx[i] == -2) {
				client_accept(ep);
				continue;
			}
			c = &ep->clients[idx[i]];
			if (pfd[i].revents & POLLOUT)
				client_flush(c);
			if (c->fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				client_read(ep, c);
		}
	}
	return NULL;
}

/* ---- the guest's balloon driver ---- */

static void wake_qmp(struct qmp_endpoint *ep)
{
	char b = 0;

	if (write(ep->wake[1], &b, 1) < 0) {
		/* pipe full: the QMP thread has wakeups pending anyway */
	}
}

static void *balloon_thread(void *arg)
{
	struct qmp_endpoint *ep = arg;

	pthread_mutex_lock(&ep->lock);
	while (!ep->stopping) {
		int64_t tick_end = mono_ns() + TICK_NS;
		uint64_t budget = STEP_BYTES;
		struct timespec ts;

		if (ep->actual == ep->target) {
			pthread_cond_wait(&ep->cond, &ep->lock);
			continue;
		}
		while (budget && ep->actual != ep->target && !ep->stopping) {
			uint64_t a = ep->actual, t = ep->target;
			uint64_t n = t < a ? a - t : t - a, off;

			if (n > CHUNK_BYTES)
				n = CHUNK_BYTES;
			if (n > budget)
				n = budget;
			pthread_mutex_unlock(&ep->lock);
			if (t < a) {
				madvise(ep->mem + a - n, n, MADV_DONTNEED);
			} else {
				for (off = 0; off < n; off += PAGE)
					ep->mem[a + off] = 1;
			}
			pthread_mutex_lock(&ep->lock);
			ep->actual = t < a ? a - n : a + n;
			budget -= n;
			wake_qmp(ep);
		}
		/* rate limit: the rest of the tick */
		ts.tv_sec = tick_end / 1000000000LL;
		ts.tv_nsec = tick_end % 1000000000LL;
		while (!ep->stopping && mono_ns() < tick_end)
			if (pthread_cond_timedwait(&ep->cond, &ep->lock, &ts) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&ep->lock);
	return NULL;
}

/* ---- start / stop ---- */

struct qmp_endpoint *qmp_endpoint_start(const struct qmp_config *cfg, char *err, size_t errlen)
{
	struct qmp_endpoint *ep = calloc(1, sizeof(*ep));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pthread_condattr_t ca;
	int i;

	if (!ep) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(ep->path, sizeof(ep->path), "%s", cfg->path);
	ep->mem = cfg->mem;
	ep->ram = cfg->ram;
	ep->no_balloon = cfg->no_balloon;
	ep->balloon_id = cfg->balloon_id;
	if (cfg->balloon_id)
		snprintf(ep->dev_path, sizeof(ep->dev_path), "/machine/peripheral/%s",
			 cfg->balloon_id);
	else
		snprintf(ep->dev_path, sizeof(ep->dev_path), "/machine/peripheral-anon/device[0]");
	ep->actual = ep->target = ep->seen_actual = cfg->ram;
	ep->used = cfg->used;
	for (i = 0; i < MAX_CLIENTS; i++)
		ep->clients[i].fd = -1;
	pthread_mutex_init(&ep->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ep->cond, &ca);
	pthread_condattr_destroy(&ca);
	ep->wake[0] = ep->wake[1] = -1;

	if (strlen(cfg->path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", cfg->path);
		goto fail;
	}
	strcpy(sa.sun_path, cfg->path);
	ep->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ep->listen_fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		goto fail;
	}
	unlink(cfg->path);	/* as QEMU does */
	if (bind(ep->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ep->listen_fd, 16) < 0) {
		snprintf(err, errlen, "%s: %s", cfg->path, strerror(errno));
		goto fail_sock;
	}
	if (pipe2(ep->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail_bound;
	}
	if (!cfg->no_balloon) {
		if (pthread_create(&ep->balloon_thread, NULL, balloon_thread, ep)) {
			snprintf(err, errlen, "pthread_create failed");
			goto fail_bound;
		}
		ep->balloon_started = 1;
		pthread_setname_np(ep->balloon_thread, "qmp-balloon");
	}
	if (pthread_create(&ep->qmp_thread, NULL, qmp_thread, ep)) {
		snprintf(err, errlen, "pthread_create failed");
		if (ep->balloon_started) {
			pthread_mutex_lock(&ep->lock);
			ep->stopping = 1;
			pthread_cond_broadcast(&ep->cond);
			pthread_mutex_unlock(&ep->lock);
			pthread_join(ep->balloon_thread, NULL);
		}
		goto fail_bound;
	}
	pthread_setname_np(ep->qmp_thread, "qmp-server");
	return ep;

fail_bound:
	unlink(cfg->path);
	if (ep->wake[0] >= 0) {
		close(ep->wake[0]);
		close(ep->wake[1]);
	}
fail_sock:
	close(ep->listen_fd);
fail:
	free(ep);
	return NULL;
}

void qmp_endpoint_stop(struct qmp_endpoint *ep)
{
	int i;

	if (!ep)
		return;
	pthread_mutex_lock(&ep->lock);
	ep->stopping = 1;
	pthread_cond_broadcast(&ep->cond);
	pthread_mutex_unlock(&ep->lock);
	wake_qmp(ep);
	pthread_join(ep->qmp_thread, NULL);
	if (ep->balloon_started)
		pthread_join(ep->balloon_thread, NULL);
	for (i = 0; i < MAX_CLIENTS; i++)
		client_close(&ep->clients[i]);
	close(ep->listen_fd);
	close(ep->wake[0]);
	close(ep->wake[1]);
	unlink(ep->path);
	free(ep);
}
