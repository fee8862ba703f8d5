#!/bin/bash
# Run the KUnit suites of kvmsched's KVM-free sources on UML (ARCH=um).
#
# Debian's kernels have CONFIG_KUNIT off, so the suites run in a UML kernel
# built by the kernel's own tools/testing/kunit/kunit.py. The kernel tree is
# a private copy of the linux-source-6.1 tree that scripts/deps.sh unpacks;
# the files listed in tests/kunit/sources plus tests/kunit/*.c and *.h are
# overlaid into it, flat, as drivers/kvmsched/ (so `#include "acct.h"` keeps
# working), with the Kconfig from tests/kunit/Kconfig.overlay and a generated
# Makefile. The copy and the build directory stay in the cache, outside git;
# files are copied only when their content changed, so a rebuild compiles
# only what changed.
#
# Usage: scripts/kunit.sh [kunit.py run options or filter_glob ...]
#        e.g. scripts/kunit.sh 'kvmsched_acct.*'
# Env:   KVMS_CACHE  cache directory (default ~/.cache/kvmsched)
#        KUNIT_JOBS  parallel build jobs (default: number of CPUs)
#
# Output: kunit.py's parsed results, with overlay paths mapped back to repo
# paths; the raw output stays in $KVMS_CACHE/kunit/last.log (the kernel's own
# console log in $KVMS_CACHE/kunit/build/test.log). The last line is always
#   kunit: N passed, N failed[, N skipped]
# counting test cases (each parameter of a parameterised case counts) as
# kunit.py does; crashed cases count as failed.
# Exit status: 0 all passed, 1 a test failed or crashed, 2 a configuration,
# build or harness error, or no test ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
PRISTINE=$CACHE/linux-source-6.1
WORK=$CACHE/kunit
TREE=$WORK/linux
BUILD=$WORK/build
LOG=$WORK/last.log
OVL=drivers/kvmsched		# overlay directory inside $TREE
KT=$ROOT/tests/kunit
JOBS=${KUNIT_JOBS:-$(nproc)}

summary() {	# passed failed skipped
	local line="kunit: $1 passed, $2 failed"
	if [ "$3" -gt 0 ]; then line="$line, $3 skipped"; fi
	echo "$line"
}
die() {
	echo "kunit: error: $*" >&2
	summary 0 0 0
	exit 2
}

# `make kunit` must not leak the outer make's flags, jobserver or variables
# (M=, O=, ARCH=, ...) into the kernel build that kunit.py starts.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
      KBUILD_OUTPUT KBUILD_EXTMOD KBUILD_SRC KCONFIG_CONFIG M O \
      ARCH SUBARCH CROSS_COMPILE

[ -f "$PRISTINE/.done" ] ||
	die "$PRISTINE is not unpacked yet: run scripts/deps.sh first"
for tool in gcc make bc flex bison python3 flock cmp; do
	command -v "$tool" >/dev/null || die "'$tool' not found: run scripts/deps.sh"
done

mkdir -p "$WORK"
# One run at a time per cache: runs share the tree and the build directory.
exec 9>"$WORK/.lock"
flock -n 9 || { echo "kunit: waiting for another run to finish..." >&2; flock 9; }

# --- 1. The working tree: a real copy (not hardlinks), because the overlay
# hook edits drivers/Kconfig and drivers/Makefile in place. Made once, and
# again (with a fresh build directory) when deps.sh unpacked a new source.
stamp="$(stat -c %Y "$PRISTINE/.done") $(sed -n '2,4p' "$PRISTINE/Makefile" | tr -d ' \n')"
if [ ! -d "$TREE" ] || [ "$(cat "$WORK/source.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "kunit: copying $PRISTINE to $TREE (once)"
	rm -rf "$TREE" "$BUILD" "$WORK"/linux.tmp.*
	mkdir "$WORK/linux.tmp.$$"
	cp -a "$PRISTINE/." "$WORK/linux.tmp.$$/"	# also when PRISTINE is a symlink
	rm -f "$WORK/linux.tmp.$$/.done"
	mv "$WORK/linux.tmp.$$" "$TREE"
	echo "$stamp" > "$WORK/source.stamp"
fi

# Hook the overlay directory into the tree (idempotent).
grep -qxF 'source "drivers/kvmsched/Kconfig"' "$TREE/drivers/Kconfig" ||
	printf '\nsource "drivers/kvmsched/Kconfig"\n' >> "$TREE/drivers/Kconfig"
grep -qxF 'obj-y += kvmsched/' "$TREE/drivers/Makefile" ||
	printf '\nobj-y += kvmsched/\n' >> "$TREE/drivers/Makefile"

# --- 2. The overlay. Only what changed is rewritten: make goes by mtimes.
put() {	# src dst: plain cp gives a changed file a new mtime
	cmp -s "$1" "$2" || cp "$1" "$2"
}
put_text() {	# dst, content on stdin
	local tmp
	tmp=$(mktemp "$WORK/.overlay.XXXXXX")
	cat > "$tmp"
	if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

files=()	# repo-relative paths, overlaid flat
[ -f "$KT/sources" ] || die "tests/kunit/sources is missing"
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%%#*}
	line="${line#"${line%%[![:space:]]*}"}"		# trim
	line="${line%"${line##*[![:space:]]}"}"
	[ -n "$line" ] || continue
	[ -f "$ROOT/$line" ] || die "tests/kunit/sources lists '$line', which does not exist"
	files+=("$line")
done < "$KT/sources"
shopt -s nullglob
for f in "$KT"/*.c "$KT"/*.h; do
	files+=("tests/kunit/${f##*/}")
done
tests=("$KT"/*_test.c)
shopt -u nullglob
[ ${#tests[@]} -gt 0 ] || die "no tests/kunit/*_test.c to run"

mkdir -p "$TREE/$OVL"
declare -A seen=()
objs=()
mapsed=()	# sed expressions mapping overlay paths back to repo paths
for f in "${files[@]}"; do
	b=${f##*/}
	[ -z "${seen[$b]:-}" ] ||
		die "'$f' and '${seen[$b]}' have the same name in the flat overlay"
	case $b in
	Kconfig|Makefile|Kbuild|kvmsched_kunit.c)
		die "'$f': name reserved in the overlay directory";;
	esac
	seen[$b]=$f
	put "$ROOT/$f" "$TREE/$OVL/$b"
	case $b in *.c) objs+=("${b%.c}.o");; esac
	mapsed+=(-e "s#[^ :'\"]*$OVL/${b//./\\.}#$f#g")
done
# Drop files that left the overlay, so a removed test cannot linger.
for f in "$TREE/$OVL"/*; do
	b=${f##*/}
	case $b in Kconfig|Makefile) continue;; esac
	[ -n "${seen[$b]:-}" ] || rm -f "$f"
done

# The cores include the uapi header (generated from the netlink spec) by the
# module's relative path, ../uapi/linux/kvmsched.h: give it that place.
mkdir -p "$TREE/drivers/uapi/linux"
put "$ROOT/uapi/linux/kvmsched.h" "$TREE/drivers/uapi/linux/kvmsched.h"
put "$KT/Kconfig.overlay" "$TREE/$OVL/Kconfig"
put_text "$TREE/$OVL/Makefile" <<EOF
# SPDX-License-Identifier: GPL-2.0
# Generated by scripts/kunit.sh from tests/kunit/sources and tests/kunit/*.c;
# do not edit.
obj-\$(CONFIG_KVMSCHED_KUNIT_TEST) += kvmsched_kunit.o
kvmsched_kunit-y := ${objs[*]}

# As in the module's Kbuild (style.md item 3); warnings fail the test build.
ccflags-y := -D'pr_fmt(fmt)=KBUILD_MODNAME ": " fmt' -Werror
# Only this directory is instrumented: a UBSAN report fails the KUnit case.
UBSAN_SANITIZE := y
EOF

# --- 3. Configure, build and run with kunit.py.
if [ ! -f "$BUILD/.config" ]; then
	echo "kunit: cold build of the UML kernel, this takes several minutes"
fi
# Known noise, kept in the log: kunit.py's `stty sane` without a terminal,
# and binutils >= 2.39 notes about UML's executable stack and RWX segments.
quiet=(-e "/^stty: 'standard input': Inappropriate ioctl for device\$/d"
       -e '/^\/usr\/bin\/ld: warning: .*missing \.note\.GNU-stack section implies executable stack$/d'
       -e '/^\/usr\/bin\/ld: warning: .* has a LOAD segment with RWX permissions$/d'
       -e '/^\/usr\/bin\/ld: NOTE: This behaviour is deprecated and will be removed/d')
cd "$TREE"
set +e
python3 tools/testing/kunit/kunit.py run \
	--arch=um \
	--kunitconfig="$KT/.kunitconfig" \
	--build_dir="$BUILD" \
	--jobs="$JOBS" \
	"$@" 2>&1 | tee "$LOG" | sed -u "${mapsed[@]}" "${quiet[@]}"
rc=${PIPESTATUS[0]}
set -e

# --- 4. Count and report.
done_line=$(grep -a 'Testing complete\. Ran' "$LOG" | tail -n 1 || true)
if [ -z "$done_line" ]; then
	echo "kunit: kunit.py exited with status $rc before running any test"
	if grep -aqE 'error:|Error [0-9]+|undefined reference' "$LOG"; then
		echo "kunit: build errors:"
		grep -aE ': (fatal )?error:|undefined reference' "$LOG" |
			sed "${mapsed[@]}" | head -n 30
	fi
	summary 0 0 0
	exit 2
fi
count() {	# key -> number after "key: " in the summary, or 0
	local n
	n=$(printf '%s\n' "$done_line" | sed -n "s/.*[ ,]$1: \([0-9][0-9]*\).*/\1/p")
	echo "${n:-0}"
}
passed=$(count passed)
failed=$(( $(count failed) + $(count crashed) ))
skipped=$(count skipped)
errors=$(count errors)

status=0
if [ "$failed" -gt 0 ]; then
	status=1
elif [ "$rc" -ne 0 ] || [ "$errors" -gt 0 ] || [ $((passed + skipped)) -eq 0 ]; then
	echo "kunit: kunit.py status $rc, $errors parser errors, $((passed + skipped)) tests run"
	status=2
fi
summary "$passed" "$failed" "$skipped"
exit "$status"
