// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/lib/qmp.c and qmp_socket.c (no QEMU, no module):
 * QMP socket discovery from a VMM command line, balloond's map and targets
 * lines (userspace/kvmschedd/lines.c), reply and
 * guest-stats parsing, and the client against a scripted fake QMP server
 * (replies in pieces, several objects per read, events before the reply,
 * stale ids, errors, malformed JSON, silence, a closed socket).
 *
 * Prints "not ok" per failed check and "test_qmp: N passed, N failed".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lines.h"
#include "qmp.h"
#include "qmp_socket.h"
#include "../host/check.h"

/* -- command lines ---------------------------------------------------------- */

/* Build a NUL-separated command line from a NULL-terminated list. */
static size_t mkcmd(char *buf, size_t cap, const char *const *args)
{
	size_t n = 0;

	for (; *args; args++) {
		size_t l = strlen(*args) + 1;

		if (n + l > cap)
			break;
		memcpy(buf + n, *args, l);
		n += l;
	}
	return n;
}

static const char *found(const char *const *args)
{
	static char path[QMP_PATH_MAX];
	char buf[4096];
	size_t n = mkcmd(buf, sizeof(buf), args);
	int rc = qmp_socket_from_cmdline(buf, n, path, sizeof(path));

	return rc ? (rc == -ENAMETOOLONG ? "(too long)" : "(none)") : path;
}

#define CMD(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_cmdline(void)
{
	char longp[200];

	CHECK_STR(found(CMD("qemu", "-m", "512", "-qmp",
			    "unix:/run/vm1.qmp,server=on,wait=off")),
		  "/run/vm1.qmp");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:/run/a.sock,server,nowait")),
		  "/run/a.sock");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:/run/plain")), "/run/plain");
	CHECK_STR(found(CMD("qemu", "-qmp=unix:/run/eq,server=on")), "/run/eq");
	CHECK_STR(found(CMD("qemu", "--qmp", "unix:/run/dd")), "/run/dd");
	CHECK_STR(found(CMD("qemu", "--qmp=unix:/run/ddeq")), "/run/ddeq");
	CHECK_STR(found(CMD("qemu", "-qmp-pretty", "unix:/run/pretty,server")),
		  "/run/pretty");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:/run/a,,b,server=on")),
		  "/run/a,b");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:rel/q.sock,server=on")),
		  "rel/q.sock");
	CHECK_STR(found(CMD("qemu", "-qmp", "tcp:localhost:4444,server")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-qmp", "tcp:x:1", "-qmp", "unix:/second")),
		  "/second");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:/first", "-qmp", "unix:/second")),
		  "/first");
	CHECK_STR(found(CMD("qemu", "-qmp")), "(none)");
	CHECK_STR(found(CMD("qemu", "-qmpx", "unix:/no")), "(none)");
	CHECK_STR(found(CMD("qemu", "-monitor", "unix:/hmp,server")), "(none)");
	CHECK_STR(found(CMD("qemu", "-qmp", "unix:")), "(none)");
	CHECK_STR(found(CMD("qemu")), "(none)");
	/* -chardev + -mon */
	CHECK_STR(found(CMD("qemu", "-chardev",
			    "socket,id=mon0,path=/run/c.sock,server=on,wait=off",
			    "-mon", "chardev=mon0,mode=control")),
		  "/run/c.sock");
	CHECK_STR(found(CMD("qemu", "-mon", "chardev=m,mode=control,pretty=on",
			    "-chardev", "socket,path=/run/d.sock,id=m,server,nowait")),
		  "/run/d.sock");
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,path=/run/e,server=on",
			    "-mon", "m,mode=control")),
		  "/run/e");
	CHECK_STR(found(CMD("qemu", "-chardev=socket,id=m,path=/run/f,server=on",
			    "-mon=chardev=m,mode=control")),
		  "/run/f");
	/* HMP (default mode readline), a client socket, another id, no path */
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,path=/run/g,server=on",
			    "-mon", "chardev=m")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,path=/run/h",
			    "-mon", "chardev=m,mode=control")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,path=/run/i,server=off",
			    "-mon", "chardev=m,mode=control")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=x,path=/run/j,server=on",
			    "-mon", "chardev=m,mode=control")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-chardev", "pty,id=m", "-mon",
			    "chardev=m,mode=control")),
		  "(none)");
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,host=h,port=1,server=on",
			    "-mon", "chardev=m,mode=control")),
		  "(none)");
	/* -qmp wins over -mon; the multi-VM kvmtest command line */
	CHECK_STR(found(CMD("qemu", "-chardev", "socket,id=m,path=/run/k,server=on",
			    "-mon", "chardev=m,mode=control", "-qmp", "unix:/run/l")),
		  "/run/l");
	CHECK_STR(found(CMD("./kvmtest", "--vms", "3", "-qmp",
			    "unix:/tmp/kvmtest.qmp,server=on,wait=off")),
		  "/tmp/kvmtest.qmp");
	/* Too long for sun_path */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	{
		char v[256];

		snprintf(v, sizeof(v), "unix:%s,server=on", longp);
		CHECK_STR(found(CMD("qemu", "-qmp", v)), "(too long)");
	}
	/* An unterminated last argument is ignored; no crash on odd input. */
	{
		char path[QMP_PATH_MAX];
		static const char raw[] = "qemu\0-qmp\0unix:/run/x";

		CHECK_INT(qmp_socket_from_cmdline(raw, sizeof(raw) - 1, path,
						  sizeof(path)), -ENOENT);
		CHECK_INT(qmp_socket_from_cmdline("", 0, path, sizeof(path)),
			  -ENOENT);
		CHECK_INT(qmp_socket_from_cmdline("\0\0\0", 3, path,
						  sizeof(path)), -ENOENT);
	}
}

/* -- map and targets lines -------------------------------------------------- */

static void test_lines(void)
{
	struct bd_line e;
	char err[256];
	uint32_t mib = 0;

	CHECK_INT(bd_parse_map_line("name:web /run/web.qmp\n", &e, err, sizeof(err)), 1);
	CHECK_INT(e.key, BD_KEY_NAME);
	CHECK_STR(e.name, "web");
	CHECK_STR(e.value, "/run/web.qmp");
	CHECK_INT(bd_parse_map_line("  pid:1234\t/tmp/kvmtest.qmp.1   # VM 1\n", &e, err,
				    sizeof(err)), 1);
	CHECK_INT(e.key, BD_KEY_PID);
	CHECK_INT(e.pid, 1234);
	CHECK_STR(e.value, "/tmp/kvmtest.qmp.1");
	CHECK_INT(bd_parse_map_line("# comment\n", &e, err, sizeof(err)), 0);
	CHECK_INT(bd_parse_map_line("   \n", &e, err, sizeof(err)), 0);
	CHECK_INT(bd_parse_map_line("", &e, err, sizeof(err)), 0);
	CHECK_INT(bd_parse_map_line("\r\n", &e, err, sizeof(err)), 0);
	CHECK_INT(bd_parse_map_line("pid:abc /x\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_HAS(err, "invalid pid 'abc'");
	CHECK_INT(bd_parse_map_line("pid:0 /x\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("pid:-1 /x\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("pid:99999999999 /x\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("name: /x\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("name:web\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_HAS(err, "has no value");
	CHECK_INT(bd_parse_map_line("name:web relative.sock\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_HAS(err, "not an absolute socket path");
	CHECK_INT(bd_parse_map_line("name:web /a /b\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("/run/x.sock /y\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_map_line("vm3 /y\n", &e, err, sizeof(err)), -EINVAL);
	CHECK_HAS(err, "is not pid:PID, name:NAME or an absolute socket path");

	CHECK_INT(bd_parse_target_line("pid:42 768\n", &e, &mib, err, sizeof(err)), 1);
	CHECK_INT(e.key, BD_KEY_PID);
	CHECK_INT(e.pid, 42);
	CHECK_INT(mib, 768);
	CHECK_INT(bd_parse_target_line("/tmp/q.sock 256 # half\n", &e, &mib, err,
				       sizeof(err)), 1);
	CHECK_INT(e.key, BD_KEY_SOCKET);
	CHECK_STR(e.name, "/tmp/q.sock");
	CHECK_INT(mib, 256);
	CHECK_INT(bd_parse_target_line("/tmp/q.sock 0\n", &e, &mib, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_target_line("/tmp/q.sock 16777217\n", &e, &mib, err, sizeof(err)),
		  -EINVAL);
	CHECK_INT(bd_parse_target_line("/tmp/q.sock 12x\n", &e, &mib, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_target_line("/tmp/q.sock -5\n", &e, &mib, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_target_line("name:web 100\n", &e, &mib, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_target_line("pid:7\n", &e, &mib, err, sizeof(err)), -EINVAL);
	CHECK_INT(bd_parse_target_line("#pid:7 100\n", &e, &mib, err, sizeof(err)), 0);
	{
		char big[400];

		memset(big, 'x', sizeof(big) - 1);
		big[0] = '/';
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(bd_parse_target_line(big, &e, &mib, err, sizeof(err)), -EINVAL);
	}
}

/* -- reply and stats parsing --------------------------------------------------- */

static int parse_reply(const char *json, char *msg, size_t len, char *cls)
{
	json_object *o = json_tokener_parse(json), *r = NULL;
	int rc = qmp_reply_parse(o, &r, msg, len, cls, 64);

	json_object_put(r);
	json_object_put(o);
	return rc;
}

static void test_replies(void)
{
	char msg[256], cls[64];
	struct qmp_guest_stats s;
	json_object *o;

	CHECK_INT(parse_reply("{\"return\": {}}", msg, sizeof(msg), cls), 0);
	CHECK_INT(parse_reply("{\"return\": {\"actual\": 1}, \"id\": 3}", msg, sizeof(msg),
			      cls), 0);
	CHECK_INT(parse_reply("{\"error\": {\"class\": \"DeviceNotActive\", \"desc\": \"No balloon device has been activated\"}}",
			      msg, sizeof(msg), cls), -EREMOTEIO);
	CHECK_STR(msg, "QMP error DeviceNotActive: No balloon device has been activated");
	CHECK_STR(cls, "DeviceNotActive");
	CHECK_INT(parse_reply("{\"error\": {}}", msg, sizeof(msg), cls), -EREMOTEIO);
	CHECK_STR(msg, "QMP error GenericError: (no description)");
	CHECK_INT(parse_reply("{\"error\": {\"class\": 5, \"desc\": [1]}}", msg,
			      sizeof(msg), cls), -EREMOTEIO);
	CHECK_INT(parse_reply("{\"error\": \"x\"}", msg, sizeof(msg), cls), -EPROTO);
	CHECK_INT(parse_reply("{\"foo\": 1}", msg, sizeof(msg), cls), -EPROTO);
	CHECK_INT(parse_reply("[1, 2]", msg, sizeof(msg), cls), -EPROTO);
	CHECK_INT(qmp_reply_parse(NULL, NULL, msg, sizeof(msg), NULL, 0), -EPROTO);

	o = json_tokener_parse("{\"stats\": {\"stat-free-memory\": 104857600, \"stat-available-memory\": -1, \"stat-total-memory\": 18446744073709551615}, \"last-update\": 1700000000}");
	CHECK_INT(qmp_stats_parse(o, &s), 0);
	CHECK_INT(s.free, 104857600);
	CHECK_INT(s.available, -1);
	CHECK_INT(s.total, -1);
	CHECK_INT(s.last_update, 1700000000);
	json_object_put(o);
	o = json_tokener_parse("{\"stats\": {\"stat-free-memory\": \"many\"}}");
	CHECK_INT(qmp_stats_parse(o, &s), 0);
	CHECK_INT(s.free, -1);
	CHECK_INT(s.last_update, -1);
	json_object_put(o);
	o = json_tokener_parse("{\"last-update\": 5}");
	CHECK_INT(qmp_stats_parse(o, &s), -EPROTO);
	json_object_put(o);
	o = json_tokener_parse("7");
	CHECK_INT(qmp_stats_parse(o, &s), -EPROTO);
	json_object_put(o);
	CHECK_INT(qmp_stats_parse(NULL, &s), -EPROTO);
}

/* -- a scripted fake QMP server ------------------------------------------------- */

/*
 * Each step: the command the client must send ("" to skip reading), and
 * what to answer: bytes with "%ID" replaced by the request's id, written in
 * pieces of chunk bytes (0: at once). Special answers: "@CLOSE" closes the
 * connection, "@SILENT" says nothing for a while.
 */
struct step {
	const char *cmd;
	const char *reply;
	size_t chunk;
};

static const char GREETING[] =
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n";
static const char CAPS_OK[] = "{\"return\": {}, \"id\": %ID}\r\n";

static char sock_dir[] = "/tmp/test_qmp.XXXXXX";
static char sock_path[QMP_PATH_MAX];

static void write_chunks(int fd, const char *s, size_t chunk)
{
	size_t n = strlen(s);

	while (n) {
		size_t w = chunk && chunk < n ? chunk : n;
		ssize_t r = write(fd, s, w);

		if (r <= 0)
			return;
		s += r;
		n -= (size_t)r;
		if (chunk) {
			struct timespec ts = { 0, 2 * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
}

/* Read one request line; returns its id, or -1. */
static long read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	char *p;

	buf[0] = '\0';
	while (n < cap - 1) {
		ssize_t r = read(fd, buf + n, 1);

		if (r <= 0)
			return -1;
		n++;
		if (buf[n - 1] == '\n')
			break;
	}
	buf[n] = '\0';
	p = strstr(buf, "\"id\":");
	if (!p)
		return -1;
	return strtol(p + 5, NULL, 10);
}

static void serve(int lfd, const char *greeting, size_t gchunk,
		  const struct step *steps)
{
	char req[4096], out[1 << 16];
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		_exit(1);
	if (greeting)
		write_chunks(fd, greeting, gchunk);
	for (; steps && steps->reply; steps++) {
		long id = -1;
		const char *p;
		size_t n = 0;

		if (steps->cmd[0]) {
			char want[128];

			id = read_request(fd, req, sizeof(req));
			if (!req[0])
				_exit(0);	/* the client went away */
			snprintf(want, sizeof(want), "\"execute\":\"%s\"",
				 steps->cmd);
			if (!strstr(req, want)) {
				fprintf(stderr, "fake server: got %s, want %s\n",
					req, want);
				_exit(2);
			}
		}
		if (!strcmp(steps->reply, "@CLOSE"))
			break;
		if (!strcmp(steps->reply, "@SILENT")) {
			sleep(3);
			break;
		}
		for (p = steps->reply; *p && n < sizeof(out) - 32; p++) {
			if (!strncmp(p, "%ID", 3)) {
				n += (size_t)snprintf(out + n, sizeof(out) - n,
						      "%ld", id);
				p += 2;
			} else {
				out[n++] = *p;
			}
		}
		out[n] = '\0';
		write_chunks(fd, out, steps->chunk);
	}
	close(fd);
	_exit(0);
}

/* Start a fake server for one connection; returns its pid. */
static pid_t fake(const char *greeting, size_t gchunk, const struct step *steps)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	unlink(sock_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 1)) {
		perror("fake server");
		exit(1);
	}
	pid = fork();
	if (pid == 0)
		serve(lfd, greeting, gchunk, steps);
	close(lfd);
	return pid;
}

static void reap(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static void test_client(void)
{
	struct qmp q;
	uint64_t actual = 0;
	char dev[256];
	struct qmp_guest_stats s;
	pid_t pid;
	int rc;

	/* Greeting byte by byte; events before the reply, in one write. */
	{
		static const struct step steps[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "query-balloon",
			  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"BALLOON_CHANGE\", \"data\": {\"actual\": 402653184}}\r\n"
			  "{\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 0}}"
			  "{\"return\": {\"actual\": 536870912}, \"id\": %ID}\r\n", 0 },
			{ "balloon", "{\"return\": {}, \"id\": %ID}\r\n", 1 },
			{ "query-balloon", "{\"id\": 9999, \"return\": {\"actual\": 1}}\r\n{\"return\": {\"actual\": 268435456}, \"id\": %ID}\r\n", 7 },
			{ "query-balloon", "{\"error\": {\"class\": \"DeviceNotActive\", \"desc\": \"No balloon device has been activated\"}, \"id\": %ID}\r\n", 0 },
			{ "query-balloon", "{\"return\": {\"actual\": 1048576}}\r\n", 0 },
			{ "query-balloon", "{\"return\": \"nonsense\", \"id\": %ID}\r\n", 0 },
			{ NULL, NULL, 0 },
		};

		pid = fake(GREETING, 1, steps);
		qmp_init(&q, 2000);
		rc = qmp_connect(&q, sock_path);
		CHECK(rc == 0, "connect: %d %s", rc, q.err);
		CHECK_STR(q.version, "7.2.0");
		rc = qmp_query_balloon(&q, &actual);
		CHECK_INT(rc, 0);
		CHECK_INT(actual, 536870912);
		CHECK_INT(q.events, 2);
		CHECK(q.balloon_change && q.balloon_change_actual == 402653184,
		      "BALLOON_CHANGE noted");
		CHECK_INT(qmp_balloon(&q, 256 * 1048576ULL), 0);
		rc = qmp_query_balloon(&q, &actual);
		CHECK_INT(rc, 0);
		CHECK_INT(actual, 268435456);	/* the stale id 9999 skipped */
		rc = qmp_query_balloon(&q, &actual);
		CHECK_INT(rc, -EREMOTEIO);
		CHECK_STR(q.err, "QMP error DeviceNotActive: No balloon device has been activated");
		CHECK_STR(q.err_class, "DeviceNotActive");
		CHECK(qmp_connected(&q), "a QMP error keeps the session");
		rc = qmp_query_balloon(&q, &actual);	/* reply without id */
		CHECK_INT(rc, 0);
		CHECK_INT(actual, 1048576);
		rc = qmp_query_balloon(&q, &actual);
		CHECK_INT(rc, -EPROTO);
		CHECK(!qmp_connected(&q), "a malformed reply closes the session");
		CHECK_HAS(q.err, "malformed query-balloon reply");
		qmp_close(&q);
		reap(pid);
	}

	/* Malformed JSON, a non-object, the socket closed mid-reply, silence. */
	{
		static const struct step bad_json[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "query-balloon", "{\"return\": ]}\r\n", 0 },
			{ NULL, NULL, 0 },
		};
		static const struct step not_obj[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "query-balloon", "[1, 2, 3]\r\n", 0 },
			{ NULL, NULL, 0 },
		};
		static const struct step half[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "query-balloon", "{\"return\": {\"act", 0 },
			{ "", "@CLOSE", 0 },
			{ NULL, NULL, 0 },
		};
		static const struct step silent[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "query-balloon", "@SILENT", 0 },
			{ NULL, NULL, 0 },
		};
		static const struct step caps_err[] = {
			{ "qmp_capabilities", "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"x\"}}\r\n", 0 },
			{ NULL, NULL, 0 },
		};

		pid = fake(GREETING, 0, bad_json);
		qmp_init(&q, 2000);
		CHECK_INT(qmp_connect(&q, sock_path), 0);
		CHECK_INT(qmp_query_balloon(&q, &actual), -EPROTO);
		CHECK_HAS(q.err, "malformed QMP message (JSON:");
		CHECK(!qmp_connected(&q), "bad JSON closes the session");
		reap(pid);

		pid = fake(GREETING, 0, not_obj);
		CHECK_INT(qmp_connect(&q, sock_path), 0);
		CHECK_INT(qmp_query_balloon(&q, &actual), -EPROTO);
		CHECK_HAS(q.err, "not a JSON object");
		reap(pid);

		pid = fake(GREETING, 0, half);
		CHECK_INT(qmp_connect(&q, sock_path), 0);
		CHECK_INT(qmp_query_balloon(&q, &actual), -ECONNRESET);
		CHECK_HAS(q.err, "closed by the VMM");
		reap(pid);

		pid = fake(GREETING, 0, silent);
		qmp_init(&q, 300);
		CHECK_INT(qmp_connect(&q, sock_path), 0);
		CHECK_INT(qmp_query_balloon(&q, &actual), -ETIMEDOUT);
		CHECK_HAS(q.err, "no reply to query-balloon within 300 ms");
		reap(pid);

		pid = fake(NULL, 0, silent);	/* no greeting */
		CHECK_INT(qmp_connect(&q, sock_path), -ETIMEDOUT);
		CHECK_HAS(q.err, "no QMP greeting within 300 ms");
		reap(pid);

		pid = fake("{\"hello\": 1}\r\n", 0, NULL);
		CHECK_INT(qmp_connect(&q, sock_path), -EPROTO);
		CHECK_HAS(q.err, "not a QMP greeting");
		reap(pid);

		pid = fake(GREETING, 0, caps_err);
		CHECK_INT(qmp_connect(&q, sock_path), -EPROTO);
		CHECK_HAS(q.err, "qmp_capabilities: QMP error CommandNotFound");
		reap(pid);

		unlink(sock_path);
		CHECK_INT(qmp_connect(&q, sock_path), -ENOENT);
		CHECK_HAS(q.err, "No such file or directory");
		CHECK_INT(qmp_query_balloon(&q, &actual), -ENOTCONN);
	}

	/* The balloon device in QOM, its statistics. */
	{
		static const struct step steps[] = {
			{ "qmp_capabilities", CAPS_OK, 0 },
			{ "qom-list", "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, {\"name\": \"nic0\", \"type\": \"child<virtio-net-pci>\"}], \"id\": %ID}\r\n", 0 },
			{ "qom-list", "{\"return\": [{\"name\": \"device[0]\", \"type\": \"child<virtio-balloon-pci>\"}], \"id\": %ID}\r\n", 3 },
			{ "qom-set", "{\"return\": {}, \"id\": %ID}\r\n", 0 },
			{ "qom-get", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"guest hasn't updated any stats yet\"}, \"id\": %ID}\r\n", 0 },
			{ "qom-get", "{\"return\": {\"stats\": {\"stat-free-memory\": 209715200, \"stat-available-memory\": 314572800, \"stat-total-memory\": 503316480, \"stat-swap-in\": -1}, \"last-update\": 1700000001}, \"id\": %ID}\r\n", 5 },
			{ "qom-list", "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"x\"}, \"id\": %ID}\r\n", 0 },
			{ "qom-list", "{\"return\": [{\"name\": \"type\"}, 5, {\"name\": \"b\", \"type\": \"child<virtio-balloon-ccw>\"}], \"id\": %ID}\r\n", 0 },
			{ "qom-list", "{\"return\": {}, \"id\": %ID}\r\n", 0 },
			{ "qom-list", "{\"return\": [], \"id\": %ID}\r\n", 0 },
			{ NULL, NULL, 0 },
		};

		pid = fake(GREETING, 0, steps);
		qmp_init(&q, 2000);
		CHECK_INT(qmp_connect(&q, sock_path), 0);
		CHECK_INT(qmp_find_balloon(&q, dev, sizeof(dev)), 0);
		CHECK_STR(dev, "/machine/peripheral-anon/device[0]");
		CHECK_INT(qmp_set_stats_interval(&q, dev, 2), 0);
		CHECK_INT(qmp_guest_stats(&q, dev, &s), -EAGAIN);
		CHECK_INT(qmp_guest_stats(&q, dev, &s), 0);
		CHECK_INT(s.free, 209715200);
		CHECK_INT(s.available, 314572800);
		CHECK_INT(s.total, 503316480);
		CHECK_INT(s.last_update, 1700000001);
		CHECK_INT(qmp_find_balloon(&q, dev, sizeof(dev)), 0);
		CHECK_STR(dev, "/machine/peripheral-anon/b");
		CHECK_INT(qmp_find_balloon(&q, dev, sizeof(dev)), -ENODEV);
		CHECK(qmp_connected(&q), "no balloon device keeps the session");
		qmp_close(&q);
		reap(pid);
	}
}

int main(void)
{
	if (!mkdtemp(sock_dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/qmp.sock", sock_dir);
	signal(SIGPIPE, SIG_IGN);
	test_cmdline();
	test_lines();
	test_replies();
	test_client();
	unlink(sock_path);
	rmdir(sock_dir);
	return check_done("test_qmp");
}
