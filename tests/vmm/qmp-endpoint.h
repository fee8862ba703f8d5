/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qmp-endpoint - a QEMU QMP monitor with a virtio-balloon stand-in, for the
 * test VMM (kvmtest) and its KVM-less self test (qmp-selftest).
 *
 * The endpoint owns two threads: the QMP server (a poll loop on a listening
 * unix socket, several concurrent clients) and the balloon driver, which
 * does what a guest's virtio-balloon driver does to the guest memory it is
 * given: inflating releases pages from the top with MADV_DONTNEED (the
 * VMM's RSS drops), deflating touches them again.  See qmp-endpoint.c.
 */
#ifndef QMP_ENDPOINT_H
#define QMP_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#define QMP_PATH_MAX	108	/* sizeof(sun_path) */

struct qmp_endpoint;

struct qmp_config {
	const char *path;	/* unix socket to listen on */
	uint8_t *mem;		/* guest RAM, all pages present */
	uint64_t ram;		/* its size in bytes (page multiple) */
	uint64_t used;		/* guest "used" memory, for the guest stats */
	int no_balloon;		/* QEMU without a balloon device */
	const char *balloon_id;	/* NULL: /machine/peripheral-anon/device[0] */
};

/*
 * Parse a QEMU -qmp chardev: "unix:PATH,server=on,wait=off" or
 * "unix:PATH,server,nowait" (options in any order).  Returns 0 and the
 * path, or -1 and a message in err.
 */
int qmp_parse_chardev(const char *arg, char *path, size_t size,
		      char *err, size_t errlen);

/* Parse a QEMU -m size: MIB, MIBM or GIBG.  Returns MiB, or -1. */
int64_t qmp_parse_mib(const char *arg);

/*
 * mmap size bytes (MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE) and write every
 * page.  Returns NULL on failure.
 */
uint8_t *qmp_guest_mem_alloc(uint64_t size);

/* Copy s into out as a JSON string body (no quotes). */
void qmp_json_escape(const char *s, char *out, size_t size);

/* Start the QMP and balloon threads.  NULL and a message in err on error. */
struct qmp_endpoint *qmp_endpoint_start(const struct qmp_config *cfg,
					char *err, size_t errlen);

/* Stop both threads, close every client, unlink the socket, free ep. */
void qmp_endpoint_stop(struct qmp_endpoint *ep);

#endif
