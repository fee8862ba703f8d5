/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl metrics: see ctl/metrics.c and lib/metrics.h. */
#ifndef KVMSCHEDCTL_METRICS_CMD_H
#define KVMSCHEDCTL_METRICS_CMD_H

int cmd_metrics(int argc, char **argv);

#endif /* KVMSCHEDCTL_METRICS_CMD_H */
