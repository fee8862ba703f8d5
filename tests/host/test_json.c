// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/json.c: JSON strings (escaping, invalid
 * UTF-8) and the JSON writer, with the objects jw_vm() and friends write. No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_json: N passed, N failed"; exit 1 on any failure.
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

static const char *json_of(struct capture *c, const char *s)
{
	cap_free(c);
	cap_open(c);
	json_string(c->f, s);
	return cap_text(c);
}

static void test_json_string(void)
{
	struct capture c = { 0 };

	CHECK_STR(json_of(&c, "web1"), "\"web1\"");
	CHECK_STR(json_of(&c, ""), "\"\"");
	CHECK_STR(json_of(&c, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(json_of(&c, "l1\nl2\tx\r\b\f"), "\"l1\\nl2\\tx\\r\\b\\f\"");
	CHECK_STR(json_of(&c, "\x01\x1f"), "\"\\u0001\\u001f\"");
	CHECK_STR(json_of(&c, "del\x7f"), "\"del\\u007f\"");
	CHECK_STR(json_of(&c, "/slash"), "\"/slash\"");
	/* Valid UTF-8 passes through: 2, 3 and 4 bytes. */
	CHECK_STR(json_of(&c, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(json_of(&c, "\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(json_of(&c, "\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	/* Invalid UTF-8 becomes U+FFFD, one per bad byte. */
	CHECK_STR(json_of(&c, "\xff"), "\"\\ufffd\"");
	CHECK_STR(json_of(&c, "a\xc3"), "\"a\\ufffd\"");	/* truncated */
	CHECK_STR(json_of(&c, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(json_of(&c, "\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(json_of(&c, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	CHECK_STR(json_of(&c, "\xf4\x90\x80\x80"),
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	CHECK_STR(json_of(&c, "\xe2\x82x"), "\"\\ufffd\\ufffdx\"");
	cap_free(&c);
}

static void test_json_writer(void)
{
	struct capture c;
	struct kvms_vm vm;
	struct kvms_vcpu v;
	struct kvms_config cfg = { 0 };
	struct jw w;

	cap_open(&c);
	jw_init(&w, c.f);
	jw_obj_begin(&w, NULL);
	jw_uint(&w, "a", 1);
	jw_arr_begin(&w, "b");
	jw_uint(&w, NULL, 1);
	jw_uint(&w, NULL, 18446744073709551615ull);
	jw_arr_end(&w);
	jw_obj_begin(&w, "c");
	jw_null(&w, "d");
	jw_str(&w, "e", NULL);
	jw_fixed(&w, "f", 12.345, 2);
	jw_fixed(&w, "g", NAN, 2);
	jw_obj_end(&w);
	jw_arr_begin(&w, "h");
	jw_arr_end(&w);
	jw_obj_end(&w);
	CHECK_STR(cap_text(&c),
		  "{\"a\":1,\"b\":[1,18446744073709551615],\"c\":{\"d\":null,\"e\":null,\"f\":12.35,\"g\":null},\"h\":[]}");
	cap_free(&c);

	vm = mkvm(3, 123, NULL);
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS);
	strcpy(vm.comm, "qemu\"x");
	vm.nr_vcpus = 2;
	vm.cpu_time_ns = 5000000000ull;
	vm.vm_entries = 77;	/* not present: must not be printed */
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":3,\"name\":null,\"pid\":123,\"comm\":\"qemu\\\"x\",\"nr_vcpus\":2,\"cpu_time_ns\":5000000000}");
	cap_free(&c);

	vm = mkvm(4, 1, "web1");
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c), "{\"id\":4,\"name\":\"web1\",\"pid\":1}");
	cap_free(&c);

	/* The scheduling attributes, after nr_vcpus; class by name. */
	vm = mkvm(5, 2, "db");
	vm.present |= KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU);
	vm.nr_vcpus = 4;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 10000;
	vm.entitled_mcpu = 0;
	vm.demand_mcpu = 3999;
	vm.nr_active_vcpus = 3;
	vm.cpu_last_mcpu = 12;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":5,\"name\":\"db\",\"pid\":2,\"nr_vcpus\":4,\"class\":\"background\",\"weight\":10000,\"entitled_mcpu\":0,\"demand_mcpu\":3999,\"nr_active_vcpus\":3,\"cpu_last_mcpu\":12}");
	cap_free(&c);
	vm.class = 9;		/* unknown to this program: the number */
	vm.present &= ~(KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
			KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU));
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK_STR(cap_text(&c),
		  "{\"id\":5,\"name\":\"db\",\"pid\":2,\"nr_vcpus\":4,\"class\":9,\"entitled_mcpu\":0,\"nr_active_vcpus\":3,\"cpu_last_mcpu\":12}");
	cap_free(&c);

	/* vCPUs: policy as the kernel's number, nice signed. */
	memset(&v, 0, sizeof(v));
	v.present = KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_TID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_POLICY) |
		    KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
		    KVMS_BIT(KVMSCHED_A_VCPU_OVERRIDES) |
		    KVMS_BIT(KVMSCHED_A_VCPU_VM_ENTRIES);
	v.vm_id = 5;
	v.vcpu_id = 0;
	v.tid = 77;
	v.policy = 5;
	v.nice = -20;
	v.overrides = 4294967295u;
	v.vm_entries = 1;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vm_id\":5,\"vcpu_id\":0,\"tid\":77,\"policy\":5,\"nice\":-20,\"overrides\":4294967295,\"vm_entries\":1}");
	cap_free(&c);
	v.present &= ~KVMS_BIT(KVMSCHED_A_VCPU_NICE);
	v.nice = 0;
	v.present &= ~KVMS_BIT(KVMSCHED_A_VCPU_POLICY);
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vcpu(&w, NULL, &v);
	CHECK_STR(cap_text(&c),
		  "{\"vm_id\":5,\"vcpu_id\":0,\"tid\":77,\"overrides\":4294967295,\"vm_entries\":1}");
	cap_free(&c);

	cap_open(&c);
	jw_init(&w, c.f);
	jw_arr_begin(&w, NULL);
	jw_int(&w, NULL, -1);
	jw_int(&w, NULL, INT64_MIN);
	jw_int(&w, NULL, 19);
	jw_arr_end(&w);
	CHECK_STR(cap_text(&c), "[-1,-9223372036854775808,19]");
	cap_free(&c);

	cfg.present = KVMS_BIT(KVMSCHED_A_CONFIG_PERIOD_MS) |
		      KVMS_BIT(KVMSCHED_A_CONFIG_NR_VMS);
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cap_open(&c);
	jw_init(&w, c.f);
	jw_config(&w, NULL, &cfg);
	CHECK_STR(cap_text(&c), "{\"period_ms\":100,\"nr_vms\":2}");
	cap_free(&c);
}

int main(void)
{
	test_json_string();
	test_json_writer();
	return check_done("test_json");
}
