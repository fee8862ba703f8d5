// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's registry (kmod/registry.c): ids, lookups,
 * vCPU ordering, unlinking and reference counting. Keys are addresses of
 * local objects standing in for struct kvm and struct kvm_vcpu.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/sched.h>

#include "registry.h"

static int vm_releases;
static int vcpu_releases;

static void count_vm_release(struct kvms_vm *vm)
{
	vm_releases++;
}

static void count_vcpu_release(struct kvms_vcpu *vcpu)
{
	vcpu_releases++;
}

static const struct kvms_registry_ops counting_ops = {
	.vm_release = count_vm_release,
	.vcpu_release = count_vcpu_release,
};

static char keys[16];	/* &keys[i] are distinct opaque keys */

static struct kvms_registry *new_registry(struct kunit *test)
{
	struct kvms_registry *reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, reg);
	kvms_registry_init(reg, &counting_ops);
	vm_releases = 0;
	vcpu_releases = 0;
	return reg;
}

/* Unlink and drop every VM left, so objects never outlive a test. */
static void drain(struct kvms_registry *reg)
{
	struct kvms_vm *vm, *tmp;

	mutex_lock(&reg->lock);
	list_for_each_entry_safe(vm, tmp, &reg->vms, node) {
		kvms_vm_unlink(vm);
		kvms_vm_put(vm);
	}
	mutex_unlock(&reg->lock);
	rcu_barrier();
}

static void registry_ids_are_never_reused(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vm *a, *b, *c;

	/* Arrange */
	mutex_lock(&reg->lock);
	a = kvms_vm_create(reg, &keys[0], 100, "qemu-a");
	b = kvms_vm_create(reg, &keys[1], 200, "qemu-b");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* Act: forget the first VM, then create a new one on the same key */
	kvms_vm_unlink(a);
	kvms_vm_put(a);
	c = kvms_vm_create(reg, &keys[0], 300, "qemu-c");
	KUNIT_ASSERT_NOT_NULL(test, c);

	/* Assert */
	KUNIT_EXPECT_EQ(test, b->id, 2U);
	KUNIT_EXPECT_EQ(test, c->id, 3U);
	KUNIT_EXPECT_EQ(test, reg->nr_vms, 2U);
	KUNIT_EXPECT_PTR_EQ(test, kvms_vm_find_key(reg, &keys[0]), c);
	KUNIT_EXPECT_PTR_EQ(test, kvms_vm_find_id(reg, 2), b);
	KUNIT_EXPECT_NULL(test, kvms_vm_find_id(reg, 1));
	KUNIT_EXPECT_EQ(test, vm_releases, 1);
	KUNIT_EXPECT_EQ(test, c->pid, 300);
	KUNIT_EXPECT_STREQ(test, c->comm, "qemu-c");
	mutex_unlock(&reg->lock);
	drain(reg);
}

static void registry_ids_stop_at_wrap(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vm *last;

	/* Arrange: the id space is one away from wrapping */
	mutex_lock(&reg->lock);
	reg->next_id = U32_MAX;

	/* Act */
	last = kvms_vm_create(reg, &keys[0], 1, "a");

	/* Assert: U32_MAX is handed out; 0 (the wrap) never is */
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_EXPECT_EQ(test, last->id, U32_MAX);
	KUNIT_EXPECT_NULL(test, kvms_vm_create(reg, &keys[1], 2, "b"));
	KUNIT_EXPECT_EQ(test, reg->nr_vms, 1U);
	mutex_unlock(&reg->lock);
	drain(reg);
}

static void registry_comm_is_truncated(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vm *vm;

	mutex_lock(&reg->lock);
	vm = kvms_vm_create(reg, &keys[0], 1, "a-very-long-vmm-command-name");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, strlen(vm->comm), (size_t)TASK_COMM_LEN - 1);
	KUNIT_EXPECT_STREQ(test, vm->comm, "a-very-long-vmm");
	mutex_unlock(&reg->lock);
	drain(reg);
}

/* vCPUs are kept sorted by vcpu_id whatever order KVM runs them in. */
struct vcpu_order_case {
	const char *desc;
	u32 ids[4];
};

static const struct vcpu_order_case vcpu_order_cases[] = {
	{ "ascending", { 0, 1, 2, 3 } },
	{ "descending", { 3, 2, 1, 0 } },
	{ "interleaved", { 2, 0, 3, 1 } },
	{ "sparse ids", { 7, 64, 1, 255 } },
};

static void vcpu_order_desc(const struct vcpu_order_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vcpu_order, vcpu_order_cases, vcpu_order_desc);

static void registry_vcpus_sorted_and_hashed(struct kunit *test)
{
	const struct vcpu_order_case *c = test->param_value;
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vcpu *v, *found;
	struct kvms_vm *vm;
	u32 prev = 0;
	int i, n = 0;

	/* Arrange */
	mutex_lock(&reg->lock);
	vm = kvms_vm_create(reg, &keys[0], 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);

	/* Act */
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_NOT_NULL(test, kvms_vcpu_create(vm, &keys[4 + i], current,
							     c->ids[i], 1000 + i));

	/* Assert: list order, count, and every key found by the probe's lookup */
	list_for_each_entry(v, &vm->vcpus, node) {
		if (n)
			KUNIT_EXPECT_GT(test, v->vcpu_id, prev);
		prev = v->vcpu_id;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, vm->nr_vcpus, 4U);
	rcu_read_lock();
	for (i = 0; i < 4; i++) {
		found = kvms_vcpu_find_rcu(reg, &keys[4 + i]);
		KUNIT_EXPECT_NOT_NULL(test, found);
		if (found) {
			KUNIT_EXPECT_EQ(test, found->vcpu_id, c->ids[i]);
			KUNIT_EXPECT_EQ(test, found->tid, 1000 + i);
			KUNIT_EXPECT_PTR_EQ(test, found->vm, vm);
		}
	}
	KUNIT_EXPECT_NULL(test, kvms_vcpu_find_rcu(reg, &keys[15]));
	rcu_read_unlock();
	mutex_unlock(&reg->lock);
	drain(reg);
}

static void registry_unlink_hides_and_put_releases(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vcpu *v0, *v1;
	struct kvms_vm *vm;
	unsigned long gen;

	/* Arrange: a VM with two vCPUs; a sysfs-like holder keeps a vCPU */
	mutex_lock(&reg->lock);
	vm = kvms_vm_create(reg, &keys[0], 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	v0 = kvms_vcpu_create(vm, &keys[1], current, 0, 10);
	v1 = kvms_vcpu_create(vm, &keys[2], current, 1, 11);
	KUNIT_ASSERT_NOT_NULL(test, v0);
	KUNIT_ASSERT_NOT_NULL(test, v1);
	kvms_vcpu_get(v1);
	gen = reg->gen;

	/* Act */
	kvms_vm_unlink(vm);

	/* Assert: gone from every lookup, nothing released yet */
	KUNIT_EXPECT_GT(test, reg->gen, gen);
	KUNIT_EXPECT_EQ(test, reg->nr_vms, 0U);
	KUNIT_EXPECT_FALSE(test, vm->linked);
	KUNIT_EXPECT_NULL(test, kvms_vm_find_key(reg, &keys[0]));
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, kvms_vcpu_find_rcu(reg, &keys[1]));
	KUNIT_EXPECT_NULL(test, kvms_vcpu_find_rcu(reg, &keys[2]));
	rcu_read_unlock();
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, vm_releases, 0);

	/* Act: the registry's reference goes; the held vCPU survives its VM */
	kvms_vm_put(vm);
	KUNIT_EXPECT_EQ(test, vm_releases, 1);
	KUNIT_EXPECT_EQ(test, vcpu_releases, 1);
	KUNIT_EXPECT_EQ(test, v1->vcpu_id, 1U);

	/* Act: the holder lets go */
	kvms_vcpu_put(v1);
	KUNIT_EXPECT_EQ(test, vcpu_releases, 2);
	rcu_barrier();
}

static void registry_gen_bumps_on_every_change(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	unsigned long g0, g1, g2;
	struct kvms_vm *vm;

	mutex_lock(&reg->lock);
	g0 = reg->gen;
	vm = kvms_vm_create(reg, &keys[0], 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	g1 = reg->gen;
	KUNIT_ASSERT_NOT_NULL(test, kvms_vcpu_create(vm, &keys[1], current, 0, 1));
	g2 = reg->gen;
	KUNIT_EXPECT_GT(test, g1, g0);
	KUNIT_EXPECT_GT(test, g2, g1);
	mutex_unlock(&reg->lock);
	drain(reg);
}

/* VM names: 1-63 characters from 0x21-0x7e. */
struct name_case {
	const char *desc;
	const char *name;
	int expected;
};

static const char name_63[] = "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij"
			      "abcdefghij" "abcdefghij" "abc";
static const char name_64[] = "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij"
			      "abcdefghij" "abcdefghij" "abcd";

static const struct name_case name_cases[] = {
	{ "plain libvirt-style name", "web-01.example_2", 0 },
	{ "one character", "a", 0 },
	{ "63 characters (the maximum)", name_63, 0 },
	{ "every punctuation edge: ! and ~", "!~", 0 },
	{ "empty", "", -EINVAL },
	{ "64 characters", name_64, -EINVAL },
	{ "contains a space", "web 01", -EINVAL },
	{ "contains a tab", "web\t01", -EINVAL },
	{ "contains DEL (0x7f)", "web\x7f", -EINVAL },
	{ "contains a UTF-8 byte", "caf\xc3\xa9", -EINVAL },
	{ "contains a newline", "web\n", -EINVAL },
};

static void name_desc(const struct name_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(name, name_cases, name_desc);

static void registry_name_check(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	const char *why = NULL;
	int err;

	/* Act */
	err = kvms_name_check(c->name, &why);

	/* Assert: the verdict, and a message whenever it is a refusal */
	KUNIT_EXPECT_EQ(test, err, c->expected);
	if (c->expected)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static void registry_names_unique_and_replaceable(struct kunit *test)
{
	struct kvms_registry *reg = new_registry(test);
	struct kvms_vm *a, *b;
	const char *why = NULL;

	/* Arrange */
	mutex_lock(&reg->lock);
	a = kvms_vm_create(reg, &keys[0], 1, "vmm");
	b = kvms_vm_create(reg, &keys[1], 2, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, kvms_vm_name_locked(a));

	/* Act and Assert */
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(a, "web", &why), 0);
	KUNIT_EXPECT_STREQ(test, kvms_vm_name_locked(a), "web");
	KUNIT_EXPECT_PTR_EQ(test, kvms_vm_find_name(reg, "web"), a);
	/* the same name again on the same VM is a no-op */
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(a, "web", &why), 0);
	/* another live VM may not take it */
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(b, "web", &why), -EEXIST);
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_NULL(test, kvms_vm_name_locked(b));
	/* an invalid name changes nothing */
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(a, "bad name", &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, kvms_vm_name_locked(a), "web");
	/* renaming frees the old name for others */
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(a, "db", &why), 0);
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(b, "web", &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, kvms_vm_find_name(reg, "db"), a);
	KUNIT_EXPECT_PTR_EQ(test, kvms_vm_find_name(reg, "web"), b);
	/* an unlinked VM's name is free again */
	kvms_vm_unlink(b);
	KUNIT_EXPECT_NULL(test, kvms_vm_find_name(reg, "web"));
	KUNIT_EXPECT_EQ(test, kvms_vm_set_name(a, "web", &why), 0);
	mutex_unlock(&reg->lock);
	kvms_vm_put(b);
	drain(reg);
}

static struct kunit_case kvmsched_registry_cases[] = {
	KUNIT_CASE_PARAM(registry_name_check, name_gen_params),
	KUNIT_CASE(registry_names_unique_and_replaceable),
	KUNIT_CASE(registry_ids_are_never_reused),
	KUNIT_CASE(registry_ids_stop_at_wrap),
	KUNIT_CASE(registry_comm_is_truncated),
	KUNIT_CASE_PARAM(registry_vcpus_sorted_and_hashed, vcpu_order_gen_params),
	KUNIT_CASE(registry_unlink_hides_and_put_releases),
	KUNIT_CASE(registry_gen_bumps_on_every_change),
	{}
};

static struct kunit_suite kvmsched_registry_suite = {
	.name = "kvmsched_registry",
	.test_cases = kvmsched_registry_cases,
};

kunit_test_suite(kvmsched_registry_suite);
