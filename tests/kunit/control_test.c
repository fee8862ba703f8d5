// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's control core (kmod/control.c): a vm-set or
 * config-set is validated whole and then committed, all or nothing, with a
 * message naming the field at fault; its side effects go through the
 * registry's hooks, counted here.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "control.h"

static struct {
	int restore, read_mem, changed, mem_changed, config_changed;
	int cpu_changed;
	u32 weight_at_apply;	/* the first VM's weight when cpu_changed ran */
	bool period;
	u8 last_ntf;
} calls;

static void on_restore(struct kvms_vm *vm)
{
	calls.restore++;
}

static void on_cpu_changed(struct kvms_registry *reg)
{
	calls.cpu_changed++;
	calls.weight_at_apply = list_first_entry(&reg->vms, struct kvms_vm,
						 node)->weight;
}

static void on_read_mem(struct kvms_vm *vm)
{
	calls.read_mem++;
	vm->balloon.guest_mib = 4096;	/* what the mechanism would read */
}

static void on_changed(struct kvms_vm *vm, u8 ntf)
{
	calls.changed++;
	calls.last_ntf = ntf;
}

static void on_mem_changed(void)
{
	calls.mem_changed++;
}

static void on_config_changed(bool period)
{
	calls.config_changed++;
	calls.period = period;
}

static const struct kvms_registry_ops test_ops = {
	.vm_restore = on_restore,
	.cpu_changed = on_cpu_changed,
	.vm_read_mem = on_read_mem,
	.vm_changed = on_changed,
	.mem_changed = on_mem_changed,
	.config_changed = on_config_changed,
};

static char keys[8];

struct control_fixture {
	struct kvms_registry reg;
	struct kvms_vm *a, *b;	/* 2 vCPUs and 1 vCPU */
};

static int control_init(struct kunit *test)
{
	struct control_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	kvms_registry_init(&f->reg, &test_ops);
	memset(&calls, 0, sizeof(calls));
	mutex_lock(&f->reg.lock);
	f->a = kvms_vm_create(&f->reg, &keys[0], 100, "qemu-a");
	f->b = kvms_vm_create(&f->reg, &keys[1], 200, "qemu-b");
	KUNIT_ASSERT_NOT_NULL(test, f->a);
	KUNIT_ASSERT_NOT_NULL(test, f->b);
	KUNIT_ASSERT_NOT_NULL(test, kvms_vcpu_create(f->a, &keys[2], current, 0, 10));
	KUNIT_ASSERT_NOT_NULL(test, kvms_vcpu_create(f->a, &keys[3], current, 1, 11));
	KUNIT_ASSERT_NOT_NULL(test, kvms_vcpu_create(f->b, &keys[4], current, 0, 20));
	mutex_unlock(&f->reg.lock);
	test->priv = f;
	return 0;
}

static void control_exit(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm *vm, *tmp;

	mutex_lock(&f->reg.lock);
	list_for_each_entry_safe(vm, tmp, &f->reg.vms, node) {
		kvms_vm_unlink(vm);
		kvms_vm_put(vm);
	}
	mutex_unlock(&f->reg.lock);
	rcu_barrier();
}

static void give(struct kvms_vm_settings *s, int attr, u32 v)
{
	s->given |= BIT_ULL(attr);
	switch (attr) {
	case KVMSCHED_A_VM_CLASS: s->class = v; break;
	case KVMSCHED_A_VM_WEIGHT: s->weight = v; break;
	case KVMSCHED_A_VM_RESERVATION_MCPU: s->reservation_mcpu = v; break;
	case KVMSCHED_A_VM_LIMIT_MCPU: s->limit_mcpu = v; break;
	case KVMSCHED_A_VM_MEM_SHARES: s->mem_shares = v; break;
	case KVMSCHED_A_VM_MEM_MIN_MIB: s->mem_min_mib = v; break;
	case KVMSCHED_A_VM_MEM_MAX_MIB: s->mem_max_mib = v; break;
	case KVMSCHED_A_VM_RT_PRIORITY: s->rt_priority = v; break;
	case KVMSCHED_A_VM_RR_QUANTUM_MS: s->rr_quantum_ms = v; break;
	}
}

static int commit(struct control_fixture *f, struct kvms_vm *vm,
		  const struct kvms_vm_settings *s, u32 reservable,
		  struct kvms_why *why)
{
	int err;

	mutex_lock(&f->reg.lock);
	err = kvms_vm_commit(vm, s, reservable, why);
	mutex_unlock(&f->reg.lock);
	return err;
}

static void control_vm_commit_applies_everything(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = { .name = "web-1" };
	struct kvms_why why;

	/* Arrange */
	s.given = BIT_ULL(KVMSCHED_A_VM_NAME);
	give(&s, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_BACKGROUND);
	give(&s, KVMSCHED_A_VM_WEIGHT, 300);
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 500);
	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 1500);
	give(&s, KVMSCHED_A_VM_MEM_SHARES, 7);
	give(&s, KVMSCHED_A_VM_MEM_MIN_MIB, 512);
	give(&s, KVMSCHED_A_VM_MEM_MAX_MIB, 2048);

	/* Act */
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);

	/* Assert */
	mutex_lock(&f->reg.lock);
	KUNIT_EXPECT_STREQ(test, kvms_vm_name_locked(f->a), "web-1");
	mutex_unlock(&f->reg.lock);
	KUNIT_EXPECT_EQ(test, f->a->class, (u8)KVMSCHED_CLASS_BACKGROUND);
	KUNIT_EXPECT_EQ(test, f->a->weight, 300U);
	KUNIT_EXPECT_EQ(test, f->a->reservation_mcpu, 500U);
	KUNIT_EXPECT_EQ(test, f->reg.reserved_mcpu, 500U);
	KUNIT_EXPECT_EQ(test, f->a->limit_mcpu, 1500U);
	KUNIT_EXPECT_EQ(test, f->a->balloon.shares, 7U);
	KUNIT_EXPECT_EQ(test, f->a->balloon.min_mib, 512U);
	KUNIT_EXPECT_EQ(test, f->a->balloon.max_mib, 2048U);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);
	KUNIT_EXPECT_EQ(test, calls.changed, 1);
	KUNIT_EXPECT_EQ(test, calls.last_ntf, (u8)KVMSCHED_CMD_VM_CHANGE_NTF);
	KUNIT_EXPECT_EQ(test, calls.mem_changed, 1);
	/* applied before the reply, once, with the new settings in place */
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 1);
	KUNIT_EXPECT_EQ(test, calls.weight_at_apply, 300U);
}

static void control_vm_commit_weight_alone_keeps_threads(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	give(&s, KVMSCHED_A_VM_WEIGHT, 50);
	give(&s, KVMSCHED_A_VM_CLASS, f->a->class);	/* unchanged class */
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, f->a->weight, 50U);
	KUNIT_EXPECT_EQ(test, calls.restore, 0);	/* nothing to give back */
	KUNIT_EXPECT_EQ(test, calls.mem_changed, 0);
	KUNIT_EXPECT_EQ(test, calls.changed, 1);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 1);
	KUNIT_EXPECT_EQ(test, calls.weight_at_apply, 50U);
}

/*
 * A VM that stays bound keeps its threads in SCHED_DEADLINE (a new runtime
 * in place); one that becomes bound or unbound gets its originals back.
 */
static void control_vm_commit_restores_on_bound_edges(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 1500);	/* unbound -> bound */
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 1000);	/* bound -> bound */
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 200);	/* still bound */
	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 0);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 0);	/* bound -> unbound */
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, calls.restore, 2);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 4);
}

/* The realtime class: priority and quantum applied before the reply. */
static void control_vm_commit_realtime(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	KUNIT_EXPECT_EQ(test, f->a->rt_priority, (u32)KVMSCHED_RT_PRIORITY_DEFAULT);
	give(&s, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_REALTIME);
	give(&s, KVMSCHED_A_VM_RT_PRIORITY, 30);
	give(&s, KVMSCHED_A_VM_RR_QUANTUM_MS, 20);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, f->a->class, (u8)KVMSCHED_CLASS_REALTIME);
	KUNIT_EXPECT_EQ(test, f->a->rt_priority, 30U);
	KUNIT_EXPECT_EQ(test, f->a->rr_quantum_ms, 20U);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);	/* a new class */
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 1);
	/* a new priority alone: applied, nothing given back */
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_RT_PRIORITY, 99);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, f->a->rt_priority, 99U);
	KUNIT_EXPECT_EQ(test, calls.restore, 1);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 2);
}

/* A realtime VM takes no bounds, whichever comes first; nothing changes. */
static void control_vm_commit_realtime_refuses_bounds(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 1500);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	memset(&calls, 0, sizeof(calls));
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_REALTIME);
	give(&s, KVMSCHED_A_VM_RT_PRIORITY, 50);
	KUNIT_EXPECT_EQ(test, commit(f, f->a, &s, 1800, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, why.attr, KVMSCHED_A_VM_CLASS);
	KUNIT_EXPECT_STREQ(test, why.msg,
			   "class realtime takes no CPU bounds: limit_mcpu is 1500 (set it to 0)");
	KUNIT_EXPECT_EQ(test, f->a->class, (u8)KVMSCHED_CLASS_SHARES);
	KUNIT_EXPECT_EQ(test, f->a->rt_priority, (u32)KVMSCHED_RT_PRIORITY_DEFAULT);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 0);
	/* the limit dropped in the same request: accepted */
	give(&s, KVMSCHED_A_VM_LIMIT_MCPU, 0);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, f->a->class, (u8)KVMSCHED_CLASS_REALTIME);
	/* and a reservation on the realtime VM is refused, naming it */
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 200);
	KUNIT_EXPECT_EQ(test, commit(f, f->a, &s, 1800, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, why.attr, KVMSCHED_A_VM_RESERVATION_MCPU);
	KUNIT_EXPECT_STREQ(test, why.msg,
			   "a realtime VM takes no reservation_mcpu or limit_mcpu (only 0)");
	KUNIT_EXPECT_EQ(test, f->a->reservation_mcpu, 0U);
	KUNIT_EXPECT_EQ(test, f->reg.reserved_mcpu, 0U);
}

/* Memory settings and a name do not touch the threads' CPU. */
static void control_vm_commit_mem_alone_applies_no_cpu(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	give(&s, KVMSCHED_A_VM_MEM_SHARES, 20);
	KUNIT_ASSERT_EQ(test, commit(f, f->a, &s, 1800, &why), 0);
	KUNIT_EXPECT_EQ(test, f->a->balloon.shares, 20U);
	KUNIT_EXPECT_EQ(test, calls.mem_changed, 1);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 0);
}

/* One bad field: nothing changes, not even the fields checked fine. */
struct refusal_case {
	const char *desc;
	int attr;	/* the field made bad */
	u32 value;
	u32 reservable;
	int err;
	const char *msg;
};

static const struct refusal_case refusal_cases[] = {
	{ "reservation over nr_vcpus x 950", KVMSCHED_A_VM_RESERVATION_MCPU, 1901,
	  5000, -EINVAL, "reservation_mcpu 1901 exceeds nr_vcpus x 950 = 1900" },
	{ "reservation over the limit", KVMSCHED_A_VM_LIMIT_MCPU, 100,
	  5000, -EINVAL, "reservation_mcpu 400 exceeds limit_mcpu 100" },
	{ "reservation not admitted", KVMSCHED_A_VM_RESERVATION_MCPU, 1200,
	  1000, -EBUSY, "reservation_mcpu 1200 does not fit: 700 of 1000 mcpu left" },
	{ "memory floor over the ceiling", KVMSCHED_A_VM_MEM_MIN_MIB, 3000,
	  5000, -EINVAL, "mem_min_mib 3000 exceeds mem_max_mib 2000" },
	{ "name taken", KVMSCHED_A_VM_NAME, 0, 5000, -EEXIST,
	  "name is already used by another live VM" },
	{ "name with a space", KVMSCHED_A_VM_NAME, 1, 5000, -EINVAL, NULL },
};

static void refusal_desc(const struct refusal_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refusal, refusal_cases, refusal_desc);

static void control_vm_commit_all_or_nothing(struct kunit *test)
{
	const struct refusal_case *c = test->param_value;
	struct control_fixture *f = test->priv;
	struct kvms_vm_settings s = {};
	struct kvms_why why;

	/* Arrange: B holds 300 and a name; A asks for good and bad fields */
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 300);
	KUNIT_ASSERT_EQ(test, commit(f, f->b, &s, 5000, &why), 0);
	memset(&s, 0, sizeof(s));
	s.name = "db";
	s.given = BIT_ULL(KVMSCHED_A_VM_NAME);
	KUNIT_ASSERT_EQ(test, commit(f, f->b, &s, 5000, &why), 0);
	memset(&calls, 0, sizeof(calls));
	memset(&s, 0, sizeof(s));
	give(&s, KVMSCHED_A_VM_WEIGHT, 777);
	give(&s, KVMSCHED_A_VM_CLASS, KVMSCHED_CLASS_BACKGROUND);
	give(&s, KVMSCHED_A_VM_RESERVATION_MCPU, 400);
	give(&s, KVMSCHED_A_VM_MEM_MAX_MIB, 2000);
	s.name = "web";
	s.given |= BIT_ULL(KVMSCHED_A_VM_NAME);
	if (c->attr == KVMSCHED_A_VM_NAME)
		s.name = c->value ? "we b" : "db";
	else
		give(&s, c->attr, c->value);

	/* Act */
	KUNIT_EXPECT_EQ(test, commit(f, f->a, &s, c->reservable, &why), c->err);

	/* Assert: the message and attribute, and nothing changed */
	KUNIT_EXPECT_EQ(test, why.attr, c->attr == KVMSCHED_A_VM_LIMIT_MCPU ?
			KVMSCHED_A_VM_RESERVATION_MCPU : c->attr);
	if (c->msg)
		KUNIT_EXPECT_STREQ(test, why.msg, c->msg);
	else
		KUNIT_EXPECT_NE(test, why.msg[0], 0);
	mutex_lock(&f->reg.lock);
	KUNIT_EXPECT_NULL(test, kvms_vm_name_locked(f->a));
	mutex_unlock(&f->reg.lock);
	KUNIT_EXPECT_EQ(test, f->a->weight, (u32)KVMSCHED_WEIGHT_DEFAULT);
	KUNIT_EXPECT_EQ(test, f->a->class, (u8)KVMSCHED_CLASS_SHARES);
	KUNIT_EXPECT_EQ(test, f->a->reservation_mcpu, 0U);
	KUNIT_EXPECT_EQ(test, f->reg.reserved_mcpu, 300U);
	KUNIT_EXPECT_EQ(test, f->a->balloon.max_mib, 0U);
	KUNIT_EXPECT_EQ(test, calls.restore, 0);
	KUNIT_EXPECT_EQ(test, calls.changed, 0);
	KUNIT_EXPECT_EQ(test, calls.mem_changed, 0);
	KUNIT_EXPECT_EQ(test, calls.cpu_changed, 0);
}

static void control_config_commit(struct kunit *test)
{
	struct control_fixture *f = test->priv;
	struct kvms_config saved = kvms_config, c = kvms_config;
	struct kvms_why why;
	int err;

	/* Out of range: refused whole, naming the field and the spec's range */
	c.mem.idle_tax_pct = 10;
	c.period_ms = KVMSCHED_PERIOD_MS_MAX + 1;
	mutex_lock(&f->reg.lock);
	err = kvms_config_commit(&f->reg, &c, 2000, 95, &why);
	mutex_unlock(&f->reg.lock);
	KUNIT_EXPECT_EQ(test, err, -ERANGE);
	KUNIT_EXPECT_EQ(test, why.attr, KVMSCHED_A_CONFIG_PERIOD_MS);
	KUNIT_EXPECT_STREQ(test, why.msg, "period_ms must be 10-1000");
	KUNIT_EXPECT_EQ(test, kvms_config.mem.idle_tax_pct, saved.mem.idle_tax_pct);
	KUNIT_EXPECT_EQ(test, calls.config_changed, 0);

	/* Headroom raised under the reservations admitted: -EBUSY */
	f->reg.reserved_mcpu = 1500;
	c = kvms_config;
	c.reserve_headroom_pct = 30;	/* 2000 x 70 % = 1400 < 1500 */
	mutex_lock(&f->reg.lock);
	err = kvms_config_commit(&f->reg, &c, 2000, 95, &why);
	mutex_unlock(&f->reg.lock);
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	KUNIT_EXPECT_EQ(test, why.attr, KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT);
	KUNIT_EXPECT_EQ(test, kvms_config.reserve_headroom_pct,
			saved.reserve_headroom_pct);
	f->reg.reserved_mcpu = 0;

	/* Accepted: applied, announced, the period change flagged */
	c = kvms_config;
	c.period_ms = 20;
	c.mem.idle_tax_pct = 10;
	mutex_lock(&f->reg.lock);
	err = kvms_config_commit(&f->reg, &c, 2000, 95, &why);
	mutex_unlock(&f->reg.lock);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, kvms_config.period_ms, 20U);
	KUNIT_EXPECT_EQ(test, kvms_config.mem.idle_tax_pct, 10U);
	KUNIT_EXPECT_EQ(test, calls.config_changed, 1);
	KUNIT_EXPECT_TRUE(test, calls.period);
	KUNIT_EXPECT_EQ(test, calls.mem_changed, 1);
	kvms_config = saved;
}

static struct kunit_case kvmsched_control_cases[] = {
	KUNIT_CASE(control_vm_commit_applies_everything),
	KUNIT_CASE(control_vm_commit_weight_alone_keeps_threads),
	KUNIT_CASE(control_vm_commit_mem_alone_applies_no_cpu),
	KUNIT_CASE(control_vm_commit_restores_on_bound_edges),
	KUNIT_CASE(control_vm_commit_realtime),
	KUNIT_CASE(control_vm_commit_realtime_refuses_bounds),
	KUNIT_CASE_PARAM(control_vm_commit_all_or_nothing, refusal_gen_params),
	KUNIT_CASE(control_config_commit),
	{}
};

static struct kunit_suite kvmsched_control_suite = {
	.name = "kvmsched_control",
	.init = control_init,
	.exit = control_exit,
	.test_cases = kvmsched_control_cases,
};

kunit_test_suite(kvmsched_control_suite);
