# SPDX-License-Identifier: GPL-2.0
#
# Kernel API differences, probed from the headers we build against (never
# from LINUX_VERSION_CODE: Debian backports change APIs inside a series).
# Each probe sets one -DKVMS_HAVE_* flag that kmod/compat.h turns into one
# helper.

kvms_hdr = $(firstword $(wildcard $(srctree)/include/$(1) $(objtree)/include/$(1)))

# 6.5 moved a dump's parsed attributes into an embedded struct genl_info.
ifneq ($(shell grep -sqE 'struct genl_info[[:space:]]+info;' $(call kvms_hdr,net/genetlink.h) && echo y),)
ccflags-y += -DKVMS_HAVE_DUMPIT_INFO_INFO
endif

# 6.12's fair server takes 5 % of each CPU's deadline bandwidth (dl_server).
ifneq ($(shell grep -sq 'dl_server' $(call kvms_hdr,linux/sched.h) && echo y),)
ccflags-y += -DKVMS_HAVE_DL_SERVER
endif

# 6.2 gave the extack a buffer for formatted messages (NL_SET_ERR_MSG_FMT).
ifneq ($(shell grep -sq '_msg_buf' $(call kvms_hdr,linux/netlink.h) && echo y),)
ccflags-y += -DKVMS_HAVE_EXTACK_MSG_BUF
endif

# 6.12's EEVDF custom slice (sched_attr.sched_runtime of a fair task).
ifneq ($(shell grep -sq 'custom_slice' $(call kvms_hdr,linux/sched.h) && echo y),)
ccflags-y += -DKVMS_HAVE_CUSTOM_SLICE
endif

# The kvm_entry tracepoint gained a second argument (force_immediate_exit)
# with the change that gave kvm_x86_ops.vcpu_run a second parameter; the
# tracepoint's own header (arch/x86/kvm/trace.h) is not in the headers.
kvms_kvm_host_h = $(firstword $(wildcard $(srctree)/arch/x86/include/asm/kvm_host.h $(objtree)/arch/x86/include/asm/kvm_host.h))
kvms_vcpu_run_2args := $(shell grep -szqE '[*]vcpu_run.{2}struct kvm_vcpu [*]vcpu[,]' $(kvms_kvm_host_h) && echo y)
ifneq ($(kvms_vcpu_run_2args),)
ccflags-y += -DKVMS_HAVE_KVM_ENTRY_2ARGS
endif
