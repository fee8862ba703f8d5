#!/bin/bash
# checkpatch.pl --strict on kmod/ and uapi/, with the checkpatch of the
# newest kernel source in the cache. Exits non-zero on any message.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
ck=$CACHE/linux-source-6.12/scripts/checkpatch.pl
[ -f "$ck" ] || { echo "style: $ck missing (run make deps)" >&2; exit 1; }
files=$(find kmod uapi -name "*.[ch]" ! -name "*.mod.c" ! -name "*-nl-gen.*" 2>/dev/null | sort || true)
gen=$(find kmod -name "*-nl-gen.[ch]" | sort)
# SPDX is checked; the file list is not a git tree, hence --no-tree. The
# files ynl-gen-c.py writes keep its line lengths (policies that name the
# spec's constants), as the kernel's own generated netlink files do.
ckp() { perl "$ck" --strict --no-tree --terse --show-types --ignore FILE_PATH_CHANGES "$@" 2>&1 |
	grep -E 'ERROR|WARNING|CHECK' || true; }
out=$(ckp -f $files; ckp --ignore LONG_LINE -f $gen)
files="$files $gen"
if [ -n "$out" ]; then
	echo "$out"
	echo "style: checkpatch --strict found $(echo "$out" | wc -l) issue(s)"
	exit 1
fi
echo "style: checkpatch --strict clean ($(echo $files | wc -w) files)"
