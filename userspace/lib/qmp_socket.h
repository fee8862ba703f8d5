/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: where a VMM's QMP socket is (balloond's VM discovery and
 * kvmschedctl balloon pid:PID). No libnl, no json-c.
 */
#ifndef KVMSCHEDCTL_QMP_SOCKET_H
#define KVMSCHEDCTL_QMP_SOCKET_H

#include <stddef.h>
#include <stdint.h>

/*
 * The QMP socket of a VMM from its command line (/proc/PID/cmdline: len
 * bytes, arguments separated by NULs). Recognised:
 *   -qmp unix:PATH[,server=on|,server][,wait=off|,nowait]  (also -qmp=...,
 *     --qmp, -qmp-pretty; ",," is an escaped comma)
 *   -chardev socket,id=ID,path=PATH,server=on,... with
 *     -mon chardev=ID,mode=control (or -mon ID,mode=control)
 * The first QMP server socket wins. Returns 0 and the path (relative paths
 * are returned as they are: relative to the VMM's working directory),
 * -ENOENT if there is none, -ENAMETOOLONG if it does not fit.
 */
int qmp_socket_from_cmdline(const char *cmdline, size_t len, char *path,
			    size_t pathlen);

/*
 * The QMP socket of process pid, from /proc/PID/cmdline as above; a
 * relative path is made absolute with the process's working directory
 * (/proc/PID/cwd). Returns 0 or -errno, with why set.
 */
int qmp_socket_from_pid(uint32_t pid, char *sock, size_t len, char *why,
			size_t whylen);

#endif /* KVMSCHEDCTL_QMP_SOCKET_H */
