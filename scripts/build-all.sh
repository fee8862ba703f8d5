#!/bin/bash
# Build kvmsched.ko with W=1 for every Debian kernel in the cache, each in
# its own copy of the sources under build/<kver>/ so builds stay incremental.
# Fails (and prints the warnings) if any build warns.
#
# Usage: scripts/build-all.sh [KVER...]   (default: every line of kernels.list)
#
# A Debian kernel is built against /usr/src/linux-headers-KVER; a kernel
# built from source (the debug kernel of scripts/debug-kernel.sh) against
# its build tree, $KVMS_CACHE/kernels/KVER/build.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
kvers=("$@")
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < "$CACHE/kernels.list"

rc=0
for kver in "${kvers[@]}"; do
	kdir=/usr/src/linux-headers-$kver
	[ -f "$kdir/Makefile" ] || [ ! -f "$CACHE/kernels/$kver/build/Makefile" ] ||
		kdir=$CACHE/kernels/$kver/build
	out=build/$kver
	mkdir -p "$out"
	# Copy only what changed, keeping mtimes, so make rebuilds incrementally.
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' Kbuild kmod uapi "$out/" \
		>/dev/null 2>&1 || cp -a Kbuild kmod uapi "$out/"
	log=$out/build.log
	if ! make -C "$kdir" M="$PWD/$out" W=1 modules >"$log" 2>&1; then
		echo "build-all: $kver: build FAILED" >&2
		cat "$log" >&2
		rc=1
		continue
	fi
	if grep -E 'warning:|error:' "$log" | grep -v 'Skipping BTF' >&2; then
		echo "build-all: $kver: W=1 warnings (above)" >&2
		rc=1
		continue
	fi
	echo "build-all: $kver: ok ($out/kmod/kvmsched.ko)"
done
exit $rc
