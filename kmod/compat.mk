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
