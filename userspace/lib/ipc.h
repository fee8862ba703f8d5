/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: the netlink layer, the only code that uses libnl. One
 * function per operation of Documentation/netlink/specs/kvmsched.yaml.
 *
 * Every function returns 0 or a negative errno. When the kernel refused a
 * request, ipc_error() has its extended ACK: the message, and which
 * attribute it pointed at (with the accepted range when the kernel sent its
 * policy).
 */
#ifndef KVMSCHEDCTL_IPC_H
#define KVMSCHEDCTL_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "model.h"
#include "parse.h"

struct ipc;

/*
 * A testing aid (KVMSCHEDCTL_EXTRA_ATTR=TYPE[:VALUE]): append a u32
 * attribute of this type to every request, to see the kernel reject
 * attributes an operation does not take. type 0: none (the default).
 */
void ipc_set_extra_attr(uint16_t type, uint32_t value);

/*
 * Connect and resolve the family. -ENOENT: no "kvmsched" generic netlink
 * family (module not loaded); any other error is the socket's.
 */
int ipc_open(struct ipc **out);
void ipc_close(struct ipc *ipc);
const struct ipc_error *ipc_error(const struct ipc *ipc);
/* Whether the family is (still) registered. */
bool ipc_family_present(struct ipc *ipc);

/*
 * Dumps: *out is malloc()ed (free() it), *n its length. *interrupted is set
 * when a reply carried NLM_F_DUMP_INTR (the set changed during the dump).
 */
int ipc_vm_dump(struct ipc *ipc, struct kvms_vm **out, size_t *n,
		bool *interrupted);
int ipc_vm_get(struct ipc *ipc, uint32_t id, struct kvms_vm *vm);
/* Settings from kv_vm_keys; *vm is the VM after the change. */
int ipc_vm_set(struct ipc *ipc, uint32_t id, const struct kv_setting *s,
	       size_t n, struct kvms_vm *vm);
/*
 * vCPUs of the VM *vm_id (the kernel filters; ENOENT if there is no such
 * VM), or of every VM when vm_id is NULL.
 */
int ipc_vcpu_dump(struct ipc *ipc, const uint32_t *vm_id,
		  struct kvms_vcpu **out, size_t *n, bool *interrupted);
int ipc_config_get(struct ipc *ipc, struct kvms_config *c);
/* Settings from kv_config_keys; *c is the configuration after the change. */
int ipc_config_set(struct ipc *ipc, const struct kv_setting *s, size_t n,
		   struct kvms_config *c);

/*
 * Events: join the "events" multicast group; the socket then becomes
 * non-blocking and only receives events. Poll ipc_fd() and call
 * ipc_events_read(), which calls fn for each event queued. It returns
 * -ENOBUFS when the socket overran and events were lost (the socket stays
 * usable).
 */
int ipc_events_join(struct ipc *ipc);
int ipc_fd(struct ipc *ipc);
int ipc_events_read(struct ipc *ipc,
		    void (*fn)(const struct kvms_event *ev, void *arg),
		    void *arg);

/*
 * vm-mem-report: what balloond read from the VM's balloon device, in MiB;
 * a NULL figure is not sent.
 */
int ipc_vm_mem_report(struct ipc *ipc, uint32_t id, const uint32_t *free_mib,
		      const uint32_t *avail_mib, const uint32_t *actual_mib);
/* host-mem-report: host memory PSI "some" avg10, in basis points. */
int ipc_host_mem_report(struct ipc *ipc, uint32_t psi_some_avg10_bp);
/* cpu-set: take host CPU @cpu offline (@online 0) or online (1). */
int ipc_cpu_set(struct ipc *ipc, uint32_t cpu, int online);

#endif /* KVMSCHEDCTL_IPC_H */
