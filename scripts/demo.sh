#!/bin/bash
# make demo: boot the sandbox KVM host (Debian 6.1 under QEMU, nested SVM),
# load kvmsched, run a few VMs and print what kvmsched sees.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
kver=${KVER:-$(head -n 1 "$CACHE/kernels.list")}
echo "demo: building kvmsched for $kver and the test VMM..."
bash scripts/build-all.sh "$kver" >/dev/null
make -s -C tests/fixtures >/dev/null
make -s -C userspace >/dev/null
echo "demo: booting the sandbox KVM host (a few seconds)..."
mkdir -p build
set +e
bash scripts/vmrun.sh --kver "$kver" --timeout 300 \
	--add "build/$kver/kmod/kvmsched.ko:/kvmsched/kvmsched.ko" \
	--add tests/fixtures/kvmtest:/bin/kvmtest \
	--add tests/e2e/lib.sh:/kvmsched/lib.sh \
	--add userspace/kvmschedctl:/bin/kvmschedctl \
	--run tests/bench/guest-demo.sh --log build/demo.log > /dev/null 2> build/demo.err
rc=$?
set -e
awk '/^DEMO-END/ { p = 0 } p { print } /^DEMO-BEGIN/ { p = 1 }' build/demo.log |
	grep -v '^\[ *[0-9]*\.[0-9]*\]'
if [ $rc != 0 ]; then
	echo "demo: the sandbox host reported a problem (rc $rc), see build/demo.log" >&2
	cat build/demo.err >&2
	exit 1
fi
