/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl latency VM: see ctl/latency.c and lib/latency.h. */
#ifndef KVMSCHEDCTL_LATENCY_CMD_H
#define KVMSCHEDCTL_LATENCY_CMD_H

int cmd_latency(int argc, char **argv);

#endif /* KVMSCHEDCTL_LATENCY_CMD_H */
