// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/format.c: escaping, number and time
 * formats, the VM and vCPU tables (list, show), the details of show and the
 * configuration of config. No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_format: N passed, N failed"; exit 1 on any failure.
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

static void test_sanitize(void)
{
	char buf[64], small[8];
	size_t n;

	n = fmt_sanitize(buf, sizeof(buf), "qemu-system-x86");
	CHECK_STR(buf, "qemu-system-x86");
	CHECK_INT(n, 15);
	fmt_sanitize(buf, sizeof(buf), "a b");
	CHECK_STR(buf, "a\\x20b");
	fmt_sanitize(buf, sizeof(buf), "\x1b[31mred");
	CHECK_STR(buf, "\\x1b[31mred");
	fmt_sanitize(buf, sizeof(buf), "back\\slash");
	CHECK_STR(buf, "back\\\\slash");
	fmt_sanitize(buf, sizeof(buf), "caf\xc3\xa9\x7f");
	CHECK_STR(buf, "caf\\xc3\\xa9\\x7f");
	fmt_sanitize(buf, sizeof(buf), "");
	CHECK_STR(buf, "");
	/* Bounded: ends in "..." when it does not fit, never overflows. */
	n = fmt_sanitize(small, sizeof(small), "abcdefg");
	CHECK_STR(small, "abcdefg");
	CHECK_INT(n, 7);
	n = fmt_sanitize(small, sizeof(small), "abcdefgh");
	CHECK_STR(small, "abcd...");
	CHECK_INT(n, 7);
	fmt_sanitize(small, sizeof(small), "ab\x01\x02\x03");
	CHECK_STR(small, "ab...");	/* an escape is never cut in half */
	n = fmt_sanitize(small, 1, "abc");
	CHECK_STR(small, "");
	CHECK_INT(n, 0);
}

static void test_numbers_fmt(void)
{
	char buf[64];

	fmt_ns_s(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0.00");
	fmt_ns_s(buf, sizeof(buf), 999999999);
	CHECK_STR(buf, "0.99");
	fmt_ns_s(buf, sizeof(buf), 1000000000);
	CHECK_STR(buf, "1.00");
	fmt_ns_s(buf, sizeof(buf), 12345678901ull);
	CHECK_STR(buf, "12.34");
	fmt_ns_s(buf, sizeof(buf), UINT64_MAX);
	CHECK_STR(buf, "18446744073.70");
	fmt_permille_pct(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0.0");
	fmt_permille_pct(buf, sizeof(buf), 5);
	CHECK_STR(buf, "0.5");
	fmt_permille_pct(buf, sizeof(buf), 1000);
	CHECK_STR(buf, "100.0");
}

static void test_timestamp(void)
{
	struct timespec ts = { .tv_sec = 86400 + 3661, .tv_nsec = 5999999 };
	char buf[64];

	setenv("TZ", "UTC", 1);
	tzset();
	fmt_timestamp(buf, sizeof(buf), &ts);
	CHECK_STR(buf, "1970-01-02T01:01:01.005+0000");
}

static void test_vm_row(void)
{
	char cells[VM_NCOLS][FMT_CELL], vc[VCPU_NCOLS][FMT_CELL];
	static const char *const want[VM_NCOLS] = {
		[VMC_ID] = "3", [VMC_NAME] = "-", [VMC_PID] = "123",
		[VMC_COMM] = "qemu\\x20kvm", [VMC_VCPUS] = "2",
		[VMC_CLASS] = "background", [VMC_WEIGHT] = "250",
		[VMC_ENT] = "400", [VMC_CPU] = "512", [VMC_STEAL] = "1.5",
		[VMC_DEMAND] = "1800", [VMC_ACTIVE] = "2",
		[VMC_RES] = "-", [VMC_LIMIT] = "-", [VMC_BOUND] = "-",
		[VMC_MEM] = "-", [VMC_RSS] = "-", [VMC_TARGET] = "-",
		[VMC_CPU_S] = "12.34", [VMC_WAIT_S] = "0.56",
		[VMC_ENTRIES] = "99",
	};
	struct kvms_vcpu v = { 0 };
	struct kvms_vm vm;
	int i;

	vm = mkvm(3, 123, NULL);
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_STEAL_LAST_PERMILLE) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_VM_ENTRIES) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS);
	strcpy(vm.comm, "qemu kvm");
	vm.nr_vcpus = 2;
	vm.cpu_last_mcpu = 512;
	vm.steal_last_permille = 15;
	vm.cpu_time_ns = 12345678901ull;
	vm.wait_time_ns = 560000000;
	vm.vm_entries = 99;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 250;
	vm.entitled_mcpu = 400;
	vm.demand_mcpu = 1800;
	vm.nr_active_vcpus = 2;
	vm_row(&vm, cells);
	for (i = 0; i < VM_NCOLS; i++)
		CHECK(!strcmp(cells[i], want[i]), "vm_row column %s: \"%s\", want \"%s\"",
		      vm_cols[i].title, cells[i], want[i]);
	vm.class = 7;		/* a class from a newer kernel: its number */
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_CLASS], "7");
	vm.class = KVMSCHED_CLASS_SHARES;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_CLASS], "shares");
	vm.class = KVMSCHED_CLASS_LATENCY;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_CLASS], "latency");
	vm.class = KVMSCHED_CLASS_SHARES;

	vm = mkvm(7, 1, "db");
	vm.class = 1;		/* not present: must not be shown */
	vm.weight = 5;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_NAME], "db");
	CHECK_STR(cells[VMC_COMM], "-");	/* absent attributes show as '-' */
	CHECK_STR(cells[VMC_CPU_S], "-");
	CHECK_STR(cells[VMC_ENTRIES], "-");
	CHECK_STR(cells[VMC_CLASS], "-");
	CHECK_STR(cells[VMC_WEIGHT], "-");
	CHECK_STR(cells[VMC_ENT], "-");
	CHECK_STR(cells[VMC_DEMAND], "-");
	CHECK_STR(cells[VMC_ACTIVE], "-");

	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE) |
		    KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		    KVMS_BIT(KVMSCHED_A_VCPU_NICE);
	v.vcpu_id = 1;
	v.tid = 4242;
	v.steal_last_permille = 1000;
	v.policy = 5;
	v.nice = -20;
	v.overrides = 9;	/* not present */
	v.cpu_time_ns = 1;	/* not present */
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_VCPU], "1");
	CHECK_STR(vc[VCC_TID], "4242");
	CHECK_STR(vc[VCC_POLICY], "idle");
	CHECK_STR(vc[VCC_NICE], "-20");
	CHECK_STR(vc[VCC_OVERRIDES], "-");
	CHECK_STR(vc[VCC_DL], "-");	/* an older module: unknown */
	CHECK_STR(vc[VCC_BLOCK], "-");
	CHECK_STR(vc[VCC_CPU], "-");
	CHECK_STR(vc[VCC_STEAL], "100.0");
	CHECK_STR(vc[VCC_CPU_S], "-");
	v.present |= KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES);
	v.policy = 4;		/* no SCHED_* 4: the number */
	v.nice = 19;
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_POLICY], "4");
	CHECK_STR(vc[VCC_NICE], "19");
	CHECK_STR(vc[VCC_OVERRIDES], "9");
	/* SCHED_DEADLINE: runtime and block reason by name, else its number. */
	v.present |= KVMS_BIT(KVMSCHED_A_VCPU_DL_MCPU) |
		     KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCK);
	v.dl_mcpu = 350;
	v.dl_block = KVMSCHED_DL_BLOCK_PINNED;
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_DL], "350");
	CHECK_STR(vc[VCC_BLOCK], "pinned");
	v.dl_mcpu = 0;
	v.dl_block = KVMSCHED_DL_BLOCK_EXITING;
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_DL], "0");
	CHECK_STR(vc[VCC_BLOCK], "exiting");
	v.dl_block = 9;		/* a newer reason: its number */
	vcpu_row(&v, vc);
	CHECK_STR(vc[VCC_BLOCK], "9");
}

/* The longest line of s (without its newline). */
static size_t max_line(const char *s)
{
	size_t best = 0, n;

	while (*s) {
		n = strcspn(s, "\n");
		if (n > best)
			best = n;
		s += n;
		if (*s)
			s++;
	}
	return best;
}

static void test_vm_table(void)
{
	struct kvms_vm vms[2];
	struct capture c;
	const char *text;

	vms[0] = full_vm(7, "web1");
	vms[1] = mkvm(12, 99, NULL);	/* only id and pid */
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS       WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n"
		  " 7  web1  1234567  qemu-system-x86     16  background   10000      16000      16000   100.0\n"
		  "12  -          99  -                    -  -                -          -          -       -\n");
	cap_free(&c);

	/* A kernel without CPU bounds and memory: '-' in those columns. */
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 1, true), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS       WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%  DEMAND(mcpu)  ACTIVE  RES(mcpu)  LIMIT(mcpu)  BOUND  MEM(MiB)  RSS(MiB)  TARGET(MiB)      CPU_S    WAIT_S       ENTRIES\n"
		  " 7  web1  1234567  qemu-system-x86     16  background   10000      16000      16000   100.0         16000      16          -            -  -             -         -            -  123456.78  12345.67  123456789012\n");
	cap_free(&c);

	/*
	 * Readable in 100 columns: qemu, 4-digit ids, 7-digit pids,
	 * 11-character names, every number at its widest.
	 */
	vms[0] = full_vm(999, "web-front-1");
	vms[1] = full_vm(1000, "db");
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	text = cap_text(&c);
	CHECK(max_line(text) <= 100, "list line of %zu columns:\n%s",
	      max_line(text), text);
	cap_free(&c);

	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 0, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME  PID  COMM  VCPUS  CLASS  WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n");
	cap_free(&c);
}

static void test_show_output(void)
{
	struct kvms_vcpu v[2];
	const char *text;
	struct kvms_vm vm = full_vm(7, "web1");
	struct capture c;

	vm.class = KVMSCHED_CLASS_SHARES;
	vm.weight = 100;
	vm.entitled_mcpu = 500;
	vm.demand_mcpu = 2000;
	vm.nr_active_vcpus = 2;
	vm.cpu_last_mcpu = 480;
	vm.steal_last_permille = 250;
	vm.nr_vcpus = 2;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_STR(cap_text(&c),
		  "VM 7\n"
		  "  name:          web1\n"
		  "  pid:           1234567\n"
		  "  comm:          qemu-system-x86\n"
		  "  vcpus:         2\n"
		  "  class:         shares\n"
		  "  weight:        100\n"
		  "  entitled:      500 mcpu (last period)\n"
		  "  demand:        2000 mcpu (last period)\n"
		  "  active vcpus:  2 (last period)\n"
		  "  cpu:           480 mcpu (last period)\n"
		  "  steal:         25.0 % (last period)\n"
		  "  cpu time:      123456.78 s\n"
		  "  wait time:     12345.67 s\n"
		  "  vm entries:    123456789012\n");
	cap_free(&c);

	memset(v, 0, sizeof(v));
	v[0].present = KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		       KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		       KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
		       KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES) |
		       KVMS_BIT(KVMSCHED_A_VCPU_DL_MCPU) |
		       KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCK) |
		       KVMS_BIT(KVMSCHED_A_VCPU_STARVED_MS) |
		       KVMS_BIT(KVMSCHED_A_VCPU_BURST_US) |
		       KVMS_BIT(KVMSCHED_A_VCPU_CPU_LAST_MCPU) |
		       KVMS_BIT(KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE) |
		       KVMS_BIT(KVMSCHED_A_VCPU_CPU_TIME_NS) |
		       KVMS_BIT(KVMSCHED_A_VCPU_WAIT_TIME_NS) |
		       KVMS_BIT(KVMSCHED_A_VCPU_VM_ENTRIES);
	v[0].vm_id = 7;
	v[0].vcpu_id = 0;
	v[0].tid = 4321;
	v[0].policy = 0;
	v[0].nice = -3;
	v[0].overrides = 12;
	v[0].burst_us = 850;
	v[0].cpu_last_mcpu = 240;
	v[0].steal_last_permille = 250;
	v[0].cpu_time_ns = 1500000000;
	v[0].wait_time_ns = 20000000;
	v[0].vm_entries = 5000;
	v[1] = v[0];
	v[1].vcpu_id = 1;
	v[1].tid = 4322;
	v[1].policy = 5;
	v[1].nice = 0;
	v[1].overrides = 0;
	v[1].policy = 6;	/* SCHED_DEADLINE */
	v[1].dl_mcpu = 1000;
	v[1].dl_block = KVMSCHED_DL_BLOCK_STUCK;
	v[1].starved_ms = 1500;
	v[1].burst_us = 0;	/* did not run */
	cap_open(&c);
	CHECK_INT(vcpu_table_print(c.f, v, 2), 0);
	CHECK_STR(cap_text(&c),
		  "VCPU   TID  POLICY    NICE  OVERRIDES  DL(mcpu)  BLOCK  STARVED(ms)  BURST(us)  CPU(mcpu)  STEAL%  CPU_S  WAIT_S  ENTRIES\n"
		  "   0  4321  normal      -3         12         0  none             0        850        240    25.0   1.50    0.02     5000\n"
		  "   1  4322  deadline     0          0      1000  stuck         1500          0        240    25.0   1.50    0.02     5000\n");
	cap_free(&c);

	/*
	 * BURST(us): a burst past the title widens the column, a module
	 * without burst-us shows '-'; the header stays one line of
	 * 14 columns, under 130 characters with such a burst.
	 */
	v[0].burst_us = 4294967295u;
	v[1].present &= ~KVMS_BIT(KVMSCHED_A_VCPU_BURST_US);
	cap_open(&c);
	CHECK_INT(vcpu_table_print(c.f, v, 2), 0);
	text = cap_text(&c);
	CHECK_STR(text,
		  "VCPU   TID  POLICY    NICE  OVERRIDES  DL(mcpu)  BLOCK  STARVED(ms)   BURST(us)  CPU(mcpu)  STEAL%  CPU_S  WAIT_S  ENTRIES\n"
		  "   0  4321  normal      -3         12         0  none             0  4294967295        240    25.0   1.50    0.02     5000\n"
		  "   1  4322  deadline     0          0      1000  stuck         1500           -        240    25.0   1.50    0.02     5000\n");
	CHECK(strchr(text, '\n') && strchr(text, '\n') - text < 130,
	      "vCPU header %d characters", (int)strcspn(text, "\n"));
	cap_free(&c);
}

static void test_bounds_mem_output(void)
{
	char cells[VM_NCOLS][FMT_CELL];
	struct kvms_vm vm = bounded_vm(), vms[2];
	struct capture c;
	struct jw w;

	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_RES], "500");
	CHECK_STR(cells[VMC_LIMIT], "1500");
	CHECK_STR(cells[VMC_BOUND], "reservation");
	CHECK_STR(cells[VMC_MEM], "2048");
	CHECK_STR(cells[VMC_RSS], "1900");
	CHECK_STR(cells[VMC_TARGET], "1024");
	vm.bound = 9;		/* from a newer kernel: its number */
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_BOUND], "9");
	vm.bound = KVMSCHED_BOUND_LIMIT;
	vm_row(&vm, cells);
	CHECK_STR(cells[VMC_BOUND], "limit");
	vm.bound = KVMSCHED_BOUND_RESERVATION;

	/* list: the default table is unchanged; -l has the new columns. */
	vms[0] = vm;
	vms[1] = vm;
	vms[1].id = 4;
	strcpy(vms[1].name, "db");
	vms[1].present &= ~KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB);
	vms[1].reservation_mcpu = 0;
	vms[1].limit_mcpu = 0;
	vms[1].bound = KVMSCHED_BOUND_NONE;
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, false), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS   WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%\n"
		  " 3  web1  1234567  qemu-system-x86      2  shares     100        500        480    25.0\n"
		  " 4  db    1234567  qemu-system-x86      2  shares     100        500        480    25.0\n");
	cap_free(&c);
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, vms, 2, true), 0);
	CHECK_STR(cap_text(&c),
		  "ID  NAME      PID  COMM             VCPUS  CLASS   WEIGHT  ENT(mcpu)  CPU(mcpu)  STEAL%  DEMAND(mcpu)  ACTIVE  RES(mcpu)  LIMIT(mcpu)  BOUND        MEM(MiB)  RSS(MiB)  TARGET(MiB)      CPU_S    WAIT_S       ENTRIES\n"
		  " 3  web1  1234567  qemu-system-x86      2  shares     100        500        480    25.0          2000       2        500         1500  reservation      2048      1900         1024  123456.78  12345.67  123456789012\n"
		  " 4  db    1234567  qemu-system-x86      2  shares     100        500        480    25.0          2000       2          0            0  none             2048      1900            -  123456.78  12345.67  123456789012\n");
	cap_free(&c);

	/* show: the sections after the VM's fields. */
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_STR(cap_text(&c),
		  "VM 3\n"
		  "  name:          web1\n"
		  "  pid:           1234567\n"
		  "  comm:          qemu-system-x86\n"
		  "  vcpus:         2\n"
		  "  class:         shares\n"
		  "  weight:        100\n"
		  "  entitled:      500 mcpu (last period)\n"
		  "  demand:        2000 mcpu (last period)\n"
		  "  active vcpus:  2 (last period)\n"
		  "  cpu:           480 mcpu (last period)\n"
		  "  steal:         25.0 % (last period)\n"
		  "  cpu time:      123456.78 s\n"
		  "  wait time:     12345.67 s\n"
		  "  vm entries:    123456789012\n"
		  "  cpu bounds:\n"
		  "    reservation: 500 mcpu (floor)\n"
		  "    limit:       1500 mcpu (ceiling)\n"
		  "    bound:       reservation (last period)\n"
		  "    throttled:   1.25 s\n"
		  "    res. misses: 3\n"
		  "  memory:\n"
		  "    shares:      200\n"
		  "    min:         512 MiB\n"
		  "    max:         2048 MiB\n"
		  "    guest ram:   2048 MiB\n"
		  "    rss:         1900 MiB\n"
		  "    guest free:  700 MiB (guest-reported)\n"
		  "    guest avail: 1100 MiB (guest-reported)\n"
		  "  balloon:\n"
		  "    actual:      1536 MiB (guest size now)\n"
		  "    target:      1024 MiB\n"
		  "    reason:      inflate\n");
	cap_free(&c);

	/* Unknown guest figures are '-'; 0 bounds are explained. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB));
	vm.reservation_mcpu = 0;
	vm.limit_mcpu = 0;
	vm.bound = 7;
	vm.balloon_reason = KVMSCHED_BALLOON_REASON_NONE;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "  cpu bounds:\n"
		  "    reservation: 0 mcpu (none)\n"
		  "    limit:       0 mcpu (unlimited)\n"
		  "    bound:       7 (last period)\n");
	CHECK_HAS(c.buf,
		  "    guest free:  -\n"
		  "    guest avail: -\n"
		  "  balloon:\n"
		  "    actual:      -\n"
		  "    target:      -\n"
		  "    reason:      none\n");
	cap_free(&c);
	vm.balloon_reason = 42;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c), "    reason:      42\n");
	cap_free(&c);

	/* JSON: every field, the spec's names with underscores, enums by name. */
	vm = bounded_vm();
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":3,\"name\":\"web1\",\"pid\":1234567,\"comm\":\"qemu-system-x86\",\"nr_vcpus\":2,"
		  "\"class\":\"shares\",\"weight\":100,\"entitled_mcpu\":500,\"demand_mcpu\":2000,"
		  "\"nr_active_vcpus\":2,\"cpu_last_mcpu\":480,\"steal_last_permille\":250,"
		  "\"cpu_time_ns\":123456789012345,\"wait_time_ns\":12345678901234,\"vm_entries\":123456789012,"
		  "\"reservation_mcpu\":500,\"limit_mcpu\":1500,\"bound\":\"reservation\",\"throttled_ns\":1250000000,"
		  "\"reservation_misses\":3,\"mem_shares\":200,\"mem_min_mib\":512,\"mem_max_mib\":2048,"
		  "\"guest_mem_mib\":2048,\"rss_mib\":1900,\"guest_free_mib\":700,\"guest_avail_mib\":1100,"
		  "\"balloon_actual_mib\":1536,\"balloon_target_mib\":1024,\"balloon_reason\":\"inflate\"}");
	cap_free(&c);
	/* Unknown figures are left out; unknown enum values are numbers. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
			KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB));
	vm.bound = 5;
	vm.balloon_reason = 6;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c),
		  "\"reservation_mcpu\":500,\"limit_mcpu\":1500,\"bound\":5,\"throttled_ns\":1250000000,"
		  "\"reservation_misses\":3,\"mem_shares\":200,\"mem_min_mib\":512,\"mem_max_mib\":2048,"
		  "\"guest_mem_mib\":2048,\"rss_mib\":1900,\"balloon_reason\":6}");
	cap_free(&c);
}

static void test_config_output(void)
{
	struct kvms_config cfg = full_config();
	struct capture c;
	struct jw w;

	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_STR(cap_text(&c),
		  "period_ms: 100\n"
		  "nr_vms: 2\n"
		  "reserve_headroom_pct: 10\n"
		  "capacity_mcpu: 2000\n"
		  "reservable_mcpu: 1800\n"
		  "reserved_mcpu: 1400\n"
		  "overcommit_mcpu: 0\n"
		  "mem_low_pct: 20\n"
		  "mem_critical_pct: 5\n"
		  "mem_hysteresis_pct: 5\n"
		  "balloon_step_pct: 5\n"
		  "balloon_min_step_bp: 25\n"
		  "idle_tax_pct: 75\n"
		  "balloon_max_pct: 65\n"
		  "balloon_period_ms: 10000\n"
		  "mem_state: reclaim\n"
		  "host_mem_mib: 7936\n"
		  "host_avail_mib: 1200\n"
		  "psi_some_avg10_bp: -\n"
		  "mem_psi_reclaim_bp: 1000\nstarve_ms: 1000\n"
		  "burst_boost: 1\n"
		  "burst_threshold_us: 2500\n"
		  "deadline_refused: 5000000000\n"
		  "deadline_reclaimed: 3\n"
		  "apply_last_ns: 1500000\n"
		  "apply_max_ns: 2000000\n"
		  "rt_throttled_periods: 6\n");
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_STR(cap_text(&c),
		  "{\"period_ms\":100,\"nr_vms\":2,\"reserve_headroom_pct\":10,\"capacity_mcpu\":2000,"
		  "\"reservable_mcpu\":1800,\"reserved_mcpu\":1400,\"overcommit_mcpu\":0,"
		  "\"mem_low_pct\":20,\"mem_critical_pct\":5,\"mem_hysteresis_pct\":5,"
		  "\"balloon_step_pct\":5,\"balloon_min_step_bp\":25,\"idle_tax_pct\":75,"
		  "\"balloon_max_pct\":65,\"balloon_period_ms\":10000,\"mem_state\":\"reclaim\","
		  "\"host_mem_mib\":7936,\"host_avail_mib\":1200,\"mem_psi_reclaim_bp\":1000,\"starve_ms\":1000,"
		  "\"burst_boost\":1,\"burst_threshold_us\":2500,"
		  "\"deadline_refused\":5000000000,\"deadline_reclaimed\":3,"
		  "\"apply_last_ns\":1500000,\"apply_max_ns\":2000000,"
		  "\"rt_throttled_periods\":6}");
	cap_free(&c);

	/* PSI reported; a state from a newer kernel is its number. */
	cfg.present |= KVMS_BIT(KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP);
	cfg.mem_state = 3;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c), "mem_state: 3\nhost_mem_mib: 7936\n"
		  "host_avail_mib: 1200\npsi_some_avg10_bp: 1234\n");
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_HAS(cap_text(&c), "\"mem_state\":3,\"host_mem_mib\":7936,"
		  "\"host_avail_mib\":1200,\"psi_some_avg10_bp\":1234,");
	cap_free(&c);
	cfg.mem_state = KVMSCHED_MEM_STATE_CRITICAL;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c), "mem_state: critical\n");
	cap_free(&c);

	/* An older kernel: just what it sent, no '-' for PSI. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
		      KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_STR(cap_text(&c), "period_ms: 100\nnr_vms: 2\n");
	cap_free(&c);
}

/*
 * The realtime class: a "realtime:" line in show for a realtime VM only,
 * the three fields in JSON whatever the class, rt_throttled_periods in
 * config.
 */
static void test_realtime_output(void)
{
	struct kvms_vm vm = bounded_vm();
	struct kvms_config cfg = full_config();
	struct capture c;
	struct jw w;

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
		      KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
		      KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS);
	vm.class = KVMSCHED_CLASS_REALTIME;
	vm.reservation_mcpu = 0;
	vm.limit_mcpu = 0;
	vm.rt_priority = 30;
	vm.rr_quantum_ms = 20;
	vm.rt_throttled_periods = 5000000000ull;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "  class:         realtime\n"
		  "  weight:        100\n"
		  "  realtime:      priority 30, RR 20 ms, throttled 5000000000 periods\n"
		  "  entitled:      500 mcpu (last period)\n");
	cap_free(&c);
	/* Quantum 0 is first-come-first-served; one period is singular. */
	vm.rr_quantum_ms = 0;
	vm.rt_throttled_periods = 1;
	vm.rt_priority = 99;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "\n  realtime:      priority 99, FCFS, throttled 1 period\n");
	cap_free(&c);
	/* Unknown (a module that sends the class but not these): '-'. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
			KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS));
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "\n  realtime:      priority -, quantum -, throttled -\n");
	cap_free(&c);
	/* Another class keeps an rt_priority it does not use: no line. */
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
		      KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
		      KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS);
	vm.class = KVMSCHED_CLASS_SHARES;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK(!strstr(cap_text(&c), "realtime") && !strstr(c.buf, "priority"),
	      "show of a shares VM has a realtime line: %s", c.buf);
	cap_free(&c);

	/* JSON: all three, whatever the class, after the CPU bounds. */
	vm.rt_priority = 7;
	vm.rr_quantum_ms = 1000;
	vm.rt_throttled_periods = 0;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c),
		  "\"class\":\"shares\",");
	CHECK_HAS(c.buf,
		  "\"reservation_misses\":3,\"rt_priority\":7,\"rr_quantum_ms\":1000,"
		  "\"rt_throttled_periods\":0,\"mem_shares\":200,");
	cap_free(&c);
	vm.class = KVMSCHED_CLASS_REALTIME;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c), "\"class\":\"realtime\",");
	CHECK_HAS(c.buf, "\"rt_priority\":7,\"rr_quantum_ms\":1000,"
		  "\"rt_throttled_periods\":0,");
	cap_free(&c);
	/* An older module: left out. */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
			KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS));
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK(!strstr(cap_text(&c), "rt_") && !strstr(c.buf, "rr_"),
	      "absent realtime fields in JSON: %s", c.buf);
	cap_free(&c);

	/* config: the global counter last, text and JSON. */
	cfg.present |= KVMS_BIT(KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS);
	cfg.rt_throttled_periods = 42;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c),
		  "apply_max_ns: 2000000\nrt_throttled_periods: 42\n");
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_HAS(cap_text(&c),
		  "\"apply_max_ns\":2000000,\"rt_throttled_periods\":42}");
	cap_free(&c);
}

/*
 * The latency class: a "latency:" line (the deadline period) in show for a
 * latency VM only, its bound "latency" (both kernels), latency_us in JSON whatever the class, a latency
 * VM's row in list.
 */
static void test_latency_class_output(void)
{
	struct kvms_vm vm = bounded_vm();
	struct capture c;
	const char *text;
	struct jw w;

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	vm.class = KVMSCHED_CLASS_LATENCY;
	vm.latency_us = 5000;
	vm.bound = KVMSCHED_BOUND_LATENCY;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "  class:         latency\n"
		  "  weight:        100\n"
		  "  latency:       deadline period 5000 us\n"
		  "  entitled:      500 mcpu (last period)\n");
	/* It keeps its reservation and limit, like a shares VM. */
	CHECK_HAS(c.buf, "    reservation: 500 mcpu (floor)\n");
	CHECK_HAS(c.buf, "    bound:       latency (last period)\n");
	cap_free(&c);
	vm.latency_us = 10000;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c), "\n  latency:       deadline period 10000 us\n");
	cap_free(&c);
	/* Unknown (a module that sends the class but not latency-us): '-'. */
	vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c), "\n  latency:       deadline period -\n");
	cap_free(&c);
	/* Another class keeps a latency_us it does not use: no line. */
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	vm.class = KVMSCHED_CLASS_SHARES;
	vm.bound = KVMSCHED_BOUND_NONE;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	text = cap_text(&c);
	CHECK(!strstr(text, "\n  latency:") && !strstr(text, " us\n"),
	      "show of a shares VM has a latency line: %s", text);
	CHECK_HAS(text, "  class:         shares\n  weight:        100\n"
		  "  entitled:");
	cap_free(&c);
	vm.class = KVMSCHED_CLASS_REALTIME;
	cap_open(&c);
	vm_details_print(c.f, &vm);
	text = cap_text(&c);
	CHECK(!strstr(text, "\n  latency:") && !strstr(text, " us\n"),
	      "show of a realtime VM has a latency line: %s", text);
	cap_free(&c);

	/* JSON: latency_us whatever the class, before the memory fields. */
	vm.latency_us = 2500;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c), "\"class\":\"realtime\",");
	CHECK_HAS(c.buf,
		  "\"reservation_misses\":3,\"latency_us\":2500,\"mem_shares\":200,");
	cap_free(&c);
	vm.class = KVMSCHED_CLASS_LATENCY;
	vm.bound = KVMSCHED_BOUND_LATENCY;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_HAS(cap_text(&c), "\"class\":\"latency\",");
	CHECK_HAS(c.buf, "\"bound\":\"latency\",");
	CHECK_HAS(c.buf, "\"latency_us\":2500,");
	cap_free(&c);
	/* An older module: left out. */
	vm.present &= ~KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK(!strstr(cap_text(&c), "latency_us"),
	      "absent latency_us in JSON: %s", c.buf);
	cap_free(&c);

	/* list: the class column holds "latency". */
	cap_open(&c);
	CHECK_INT(vm_table_print(c.f, &vm, 1, false), 0);
	CHECK_HAS(cap_text(&c), "  latency  ");
	cap_free(&c);
}

/* The SCHED_DEADLINE fields of a vCPU in JSON, with the sysfs names. */
static void test_vcpu_json_deadline(void)
{
	struct kvms_vcpu v;
	struct capture c;
	struct jw w;

	memset(&v, 0, sizeof(v));
	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES) |
		    KVMS_BIT(KVMSCHED_A_VCPU_DL_MCPU) |
		    KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCK) |
		    KVMS_BIT(KVMSCHED_A_VCPU_DL_BLOCKED) |
		    KVMS_BIT(KVMSCHED_A_VCPU_THREAD_SHARED);
	v.vcpu_id = 1;
	v.overrides = 2;
	v.dl_mcpu = 250;
	v.dl_block = KVMSCHED_DL_BLOCK_LEAVING;
	v.dl_blocked = 4000000000u;
	v.thread_shared = -1;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vcpu_id\":1,\"overrides\":2,\"dl_mcpu\":250,\"dl_block\":\"leaving\","
		  "\"dl_blocked\":4000000000,\"thread_shared\":-1}");
	cap_free(&c);
	/* A newer block reason is its number; a shared thread names its manager. */
	v.dl_block = 17;
	v.thread_shared = 0;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_HAS(cap_text(&c), "\"dl_block\":17,\"dl_blocked\":4000000000,\"thread_shared\":0}");
	cap_free(&c);
	/* An older module: the four are left out. */
	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c), "{\"vcpu_id\":1}");
	cap_free(&c);
}

/* burst_us of a vCPU in JSON: after starved_ms, 0 kept, absent left out. */
static void test_vcpu_json_burst(void)
{
	struct kvms_vcpu v;
	struct capture c;
	struct jw w;

	memset(&v, 0, sizeof(v));
	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_STARVED_MS) |
		    KVMS_BIT(KVMSCHED_A_VCPU_BURST_US) |
		    KVMS_BIT(KVMSCHED_A_VCPU_CPU_LAST_MCPU);
	v.vcpu_id = 2;
	v.starved_ms = 0;
	v.burst_us = 731;
	v.cpu_last_mcpu = 40;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vcpu_id\":2,\"starved_ms\":0,\"burst_us\":731,\"cpu_last_mcpu\":40}");
	cap_free(&c);
	v.burst_us = 0;	/* it did not run: a value, not unknown */
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_HAS(cap_text(&c), "\"starved_ms\":0,\"burst_us\":0,");
	cap_free(&c);
	v.present &= ~KVMS_BIT(KVMSCHED_A_VCPU_BURST_US);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vcpu_id\":2,\"starved_ms\":0,\"cpu_last_mcpu\":40}");
	cap_free(&c);
}

/* A module older than the burst boost: config shows neither key. */
static void test_config_no_burst(void)
{
	struct kvms_config cfg = full_config();
	struct capture c;
	const char *text;
	struct jw w;

	cfg.present &= ~(KVMS_BIT(KVMSCHED_A_CONFIG_BURST_BOOST) |
			 KVMS_BIT(KVMSCHED_A_CONFIG_BURST_THRESHOLD_US));
	cap_open(&c);
	config_print(c.f, &cfg);
	text = cap_text(&c);
	CHECK_HAS(text, "starve_ms: 1000\ndeadline_refused: 5000000000\n");
	CHECK(!strstr(text, "burst"), "burst key from an older module: %s", text);
	cap_free(&c);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_HAS(cap_text(&c), "\"starve_ms\":1000,\"deadline_refused\":");
	cap_free(&c);
	/* Off and the default, as a fresh module sends them. */
	cfg.present |= KVMS_BIT(KVMSCHED_A_CONFIG_BURST_BOOST) |
		       KVMS_BIT(KVMSCHED_A_CONFIG_BURST_THRESHOLD_US);
	cfg.burst_boost = 0;
	cfg.burst_threshold_us = KVMSCHED_BURST_THRESHOLD_US_DEFAULT;
	cap_open(&c);
	config_print(c.f, &cfg);
	CHECK_HAS(cap_text(&c), "starve_ms: 1000\nburst_boost: 0\nburst_threshold_us: 1000\n");
	cap_free(&c);
}

int main(void)
{
	test_sanitize();
	test_numbers_fmt();
	test_timestamp();
	test_vm_row();
	test_vm_table();
	test_show_output();
	test_bounds_mem_output();
	test_config_output();
	test_vcpu_json_deadline();
	test_vcpu_json_burst();
	test_config_no_burst();
	test_realtime_output();
	test_latency_class_output();
	return check_done("test_format");
}
