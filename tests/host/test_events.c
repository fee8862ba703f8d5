// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/events.c: the text and JSON lines of
 * watch, for every event the kernel sends. No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_events: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"
#include "fixtures.h"

static const char *line_of(struct capture *c, const struct kvms_event *ev,
			   bool json)
{
	cap_free(c);
	cap_open(c);
	if (json)
		event_json(c->f, "T", ev);
	else
		event_line(c->f, "T", ev);
	return cap_text(c);
}

static void test_events(void)
{
	struct capture c = { 0 };
	struct kvms_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	ev.vm = mkvm(3, 123, NULL);
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
			 KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS);
	strcpy(ev.vm.comm, "qemu");
	ev.vm.nr_vcpus = 2;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=123 comm=qemu vcpus=2\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"vm-add\",\"vm\":{\"id\":3,\"name\":null,\"pid\":123,\"comm\":\"qemu\",\"nr_vcpus\":2}}\n");

	ev.cmd = KVMSCHED_CMD_VM_CHANGE_NTF;
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
	strcpy(ev.vm.name, "web1");
	strcpy(ev.vm.comm, "my vmm");
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1\n");
	/* vm-change shows the settings; other VM events do not. */
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			 KVMS_BIT(KVMSCHED_A_VM_WEIGHT);
	ev.vm.class = KVMSCHED_CLASS_BACKGROUND;
	ev.vm.weight = 250;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=background weight=250\n");
	ev.vm.class = 4;	/* a class from a newer kernel: its number */
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=4 weight=250\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"vm-change\",\"vm\":{\"id\":3,\"name\":\"web1\",\"pid\":123,\"comm\":\"my vmm\",\"nr_vcpus\":2,\"class\":4,\"weight\":250}}\n");
	/* A realtime VM: its priority and quantum, by name in JSON too. */
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			 KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS);
	ev.vm.class = KVMSCHED_CLASS_REALTIME;
	ev.vm.rt_priority = 30;
	ev.vm.rr_quantum_ms = 0;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=realtime weight=250 rt_priority=30 rr_quantum_ms=0\n");
	CHECK_HAS(line_of(&c, &ev, true),
		  "\"class\":\"realtime\",\"weight\":250,\"rt_priority\":30,\"rr_quantum_ms\":0}}\n");
	/* A latency VM: its deadline period after the realtime settings it keeps. */
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	ev.vm.class = KVMSCHED_CLASS_LATENCY;
	ev.vm.rt_priority = 1;
	ev.vm.latency_us = 5000;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=latency weight=250 rt_priority=1 rr_quantum_ms=0 latency_us=5000\n");
	CHECK_HAS(line_of(&c, &ev, true),
		  "\"class\":\"latency\",\"weight\":250,\"rt_priority\":1,\"rr_quantum_ms\":0,\"latency_us\":5000}}\n");
	/* Other VM events leave it out, an older module does not send it. */
	ev.cmd = KVMSCHED_CMD_VM_STARVED_NTF;
	CHECK(!strstr(line_of(&c, &ev, false), "latency_us"),
	      "vm-starved line has latency_us");
	ev.cmd = KVMSCHED_CMD_VM_CHANGE_NTF;
	ev.vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 class=latency weight=250 rt_priority=1 rr_quantum_ms=0\n");
	ev.vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			   KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS));
	ev.vm.class = KVMSCHED_CLASS_SHARES;
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1\n");
	ev.vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_CLASS) |
			   KVMS_BIT(KVMSCHED_A_VM_WEIGHT));

	ev.cmd = KVMSCHED_CMD_VM_DEL_NTF;
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
			 KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS);
	ev.vm.cpu_time_ns = 2500000000ull;
	ev.vm.wait_time_ns = 10000000;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-del id=3 pid=123 comm=my\\x20vmm vcpus=2 name=web1 cpu_s=2.50 wait_s=0.01\n");

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_CONFIG_CHANGE_NTF;
	ev.config.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	ev.config.period_ms = 200;
	ev.config.nr_vms = 1;
	CHECK_STR(line_of(&c, &ev, false),
		  "T config-change period_ms=200 nr_vms=1\n");
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"config-change\",\"config\":{\"period_ms\":200,\"nr_vms\":1}}\n");

	ev.cmd = 99;
	CHECK_STR(line_of(&c, &ev, false), "T unknown-event cmd=99\n");
	CHECK(event_name(99) == NULL, "event_name(99) is not NULL");
	CHECK_STR(event_name(KVMSCHED_CMD_VM_DEL_NTF), "vm-del");
	cap_free(&c);
}

static void test_events_bounds_mem(void)
{
	struct capture c = { 0 };
	struct kvms_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_BALLOON_TARGET_NTF;
	ev.vm = bounded_vm();
	ev.vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_NAME);
	ev.vm.balloon_target_mib = 768;
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 target_mib=768 reason=inflate\n");
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
	ev.vm.balloon_reason = KVMSCHED_BALLOON_REASON_DEFLATE;
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 target_mib=768 reason=deflate name=web1\n");
	ev.vm.balloon_reason = 17;
	ev.vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB);
	CHECK_STR(line_of(&c, &ev, false),
		  "T balloon-target id=3 reason=17 name=web1\n");
	ev.vm = mkvm(3, 1, NULL);
	ev.vm.present |= KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |
			 KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON);
	ev.vm.balloon_target_mib = 768;
	ev.vm.balloon_reason = KVMSCHED_BALLOON_REASON_INFLATE;
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"balloon-target\",\"vm\":{\"id\":3,\"name\":null,\"pid\":1,"
		  "\"balloon_target_mib\":768,\"balloon_reason\":\"inflate\"}}\n");
	CHECK_STR(event_name(KVMSCHED_CMD_BALLOON_TARGET_NTF), "balloon-target");

	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_OVERCOMMIT_NTF;
	ev.config = full_config();
	ev.config.reserved_mcpu = 2000;
	ev.config.overcommit_mcpu = 200;
	CHECK_STR(line_of(&c, &ev, false),
		  "T overcommit reserved_mcpu=2000 reservable_mcpu=1800 overcommit_mcpu=200\n");
	ev.config.present = KVMS_BIT(KVMSCHED_A_CONFIG_RESERVED_MCPU) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_RESERVABLE_MCPU) |
			    KVMS_BIT(KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU);
	ev.config.reserved_mcpu = 1400;
	ev.config.overcommit_mcpu = 0;
	CHECK_STR(line_of(&c, &ev, true),
		  "{\"time\":\"T\",\"event\":\"overcommit\",\"config\":{\"reservable_mcpu\":1800,"
		  "\"reserved_mcpu\":1400,\"overcommit_mcpu\":0}}\n");
	CHECK_STR(event_name(KVMSCHED_CMD_OVERCOMMIT_NTF), "overcommit");

	/* vm-starved: the VM and its starved_count, text and JSON. */
	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_VM_STARVED_NTF;
	ev.vm.present = KVMS_BIT(KVMSCHED_A_VM_ID) |
			KVMS_BIT(KVMSCHED_A_VM_STARVED_COUNT);
	ev.vm.id = 3;
	ev.vm.starved_count = 5000000000ull;	/* past 32 bits */
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-starved id=3 starved_count=5000000000\n");
	CHECK_HAS(line_of(&c, &ev, true), "\"event\":\"vm-starved\"");
	CHECK_HAS(line_of(&c, &ev, true), "\"starved_count\":5000000000");
	ev.vm.present = KVMS_BIT(KVMSCHED_A_VM_ID);	/* older module */
	CHECK_STR(line_of(&c, &ev, false), "T vm-starved id=3\n");
	CHECK_STR(event_name(KVMSCHED_CMD_VM_STARVED_NTF), "vm-starved");

	/* config-change: nr_vms and every tunable, not the host's state. */
	ev.cmd = KVMSCHED_CMD_CONFIG_CHANGE_NTF;
	ev.config = full_config();
	CHECK_STR(line_of(&c, &ev, false),
		  "T config-change period_ms=100 nr_vms=2 reserve_headroom_pct=10 mem_low_pct=20 "
		  "mem_critical_pct=5 mem_hysteresis_pct=5 balloon_step_pct=5 balloon_min_step_bp=25 "
		  "idle_tax_pct=75 balloon_max_pct=65 balloon_period_ms=10000 mem_psi_reclaim_bp=1000 starve_ms=1000 "
		  "burst_boost=1 burst_threshold_us=2500\n");

	/* vm-change: the settings, as set names them. */
	memset(&ev, 0, sizeof(ev));
	ev.cmd = KVMSCHED_CMD_VM_CHANGE_NTF;
	ev.vm = bounded_vm();
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-change id=3 pid=1234567 comm=qemu-system-x86 vcpus=2 name=web1 class=shares "
		  "weight=100 reservation_mcpu=500 limit_mcpu=1500 mem_shares=200 mem_min_mib=512 "
		  "mem_max_mib=2048\n");
	/* ... which vm-add and vm-del do not show. */
	ev.cmd = KVMSCHED_CMD_VM_ADD_NTF;
	CHECK_STR(line_of(&c, &ev, false),
		  "T vm-add id=3 pid=1234567 comm=qemu-system-x86 vcpus=2 name=web1\n");
	cap_free(&c);
}

int main(void)
{
	test_events();
	test_events_bounds_mem();
	return check_done("test_events");
}
