#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qmp-test.sh - checks kvmtest's QMP endpoint and balloon stand-in
# (tests/fixtures/qmp-endpoint.c) with a python3 QMP client, qmp_test.py,
# on the build machine:
#   - against qmp-selftest (the endpoint over plain memory, no KVM needed):
#     every command, errors as QEMU words them, "id", partial and batched
#     writes, parse errors, clients hanging up mid-command, concurrent
#     clients, BALLOON_CHANGE events and their 1/s rate limit, the guest
#     stats, and that VmRSS drops after an inflate and rises after a deflate;
#   - memhog, both forms;
#   - kvmtest itself when /dev/kvm is usable (else skipped): no new thread
#     or output without the new options, -m/-qmp ready lines, one socket
#     per VM and /proc/PID/cmdline naming it, ballooning one VM of two.
# Prints one line per check (ok - ... / not ok - ...), then
# "qmp-endpoint: N passed, N failed"; exits 1 if any failed.
#
#   tests/qmp/qmp-test.sh            (builds with make -C tests/fixtures first)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$here/../fixtures" && pwd)
if ! make -s -C "$fixtures" kvmtest qmp-selftest memhog >&2; then
	echo "not ok - build tests/fixtures (kvmtest, qmp-selftest, memhog)"
	echo "qmp-endpoint: 0 passed, 1 failed"
	exit 1
fi
exec python3 "$here/qmp_test.py" "$fixtures"
