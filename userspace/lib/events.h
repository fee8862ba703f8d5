/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: kvmsched events as text lines and JSON (watch). Pure. */
#ifndef KVMSCHEDCTL_EVENTS_H
#define KVMSCHEDCTL_EVENTS_H

#include <stdio.h>

#include "model.h"

/*
 * "<ts> vm-add id=3 pid=123 comm=qemu vcpus=2[ name=web1]\n"; vm-change
 * adds the settings (class= weight= reservation_mcpu= limit_mcpu=
 * mem_shares= mem_min_mib= mem_max_mib=), vm-del cpu_s= and wait_s=;
 * "<ts> balloon-target id=3 target_mib=768 reason=inflate[ name=web1]";
 * "<ts> config-change period_ms=100 nr_vms=2 <the tunables>";
 * "<ts> overcommit reserved_mcpu=.. reservable_mcpu=.. overcommit_mcpu=..".
 * Only attributes the kernel sent are shown.
 */
void event_line(FILE *f, const char *ts, const struct kvms_event *ev);
/* {"time":ts,"event":"vm-add","vm":{...}}\n */
void event_json(FILE *f, const char *ts, const struct kvms_event *ev);

#endif /* KVMSCHEDCTL_EVENTS_H */
