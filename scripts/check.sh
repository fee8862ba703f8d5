#!/bin/bash
# make check: every test of the project, one summary line at the end.
#
# Each step appends "PASS|FAIL|SKIP name" lines to $KVMS_RESULTS, or a
# "COUNT pass fail skip name" line for suites that count themselves (KUnit).
# The last line is "N passed, N failed[, N skipped]"; exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
export KVMS_RESULTS=$(mktemp /tmp/kvms-results.XXXXXX)
trap 'rm -f "$KVMS_RESULTS"' EXIT
start=$(date +%s)

result() {	# $1 = name, $2 = exit status of the step
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1"; fi >> "$KVMS_RESULTS"
}
# section NAME: start a section; prints the running total, and how long
# the previous section took (kept for the table in the summary).
SECTIONS=() cur= cur_t0=
section() {
	local t
	t=$(date +%s)
	if [ -n "$cur" ]; then
		SECTIONS+=("$((t - cur_t0)) $cur")
		printf -- '--- %s took %ss\n' "$cur" $((t - cur_t0))
	fi
	cur=$1 cur_t0=$t
	printf '\n=== %s (%ss)\n' "$1" $((t - start))
}

section "build: W=1 on every Debian kernel"
mapfile -t kvers < "$CACHE/kernels.list"
for k in "${kvers[@]}"; do
	bash scripts/build-all.sh "$k"; result "build W=1 $k" $?
done

section "style: checkpatch --strict"
bash scripts/style.sh; result "checkpatch --strict kmod/ uapi/" $?

section "netlink: generated files match the spec; docs, names and sysfs agree with it"
bash scripts/ynl-gen.sh --check; result "ynl-gen: uapi/ and kmod/*-nl-gen.* match kvmsched.yaml" $?
python3 scripts/numbers-check.py; result "numbers-check: ranges, defaults, enum names and the sysfs mirror match the spec" $?

section "tests/fixtures: build the test VMM and the other test programs"
make -s -C tests/fixtures; result "build tests/fixtures (kvmtest and friends, static, -Wall -Wextra)" $?

# counted NAME CMD...: run a suite that ends with "NAME: N passed, N failed
# [, N skipped]" and add its counts; no summary line is one failure.
counted() {
	local name=$1 out rc sum
	shift
	out=$("$@" 2>&1); rc=$?
	echo "$out" | grep -v '^ok ' | tail -n 40
	sum=$(echo "$out" | sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}\$/\1 \2 \4/p" | tail -n 1)
	if [ -z "$sum" ]; then
		echo "FAIL $name: no summary line (build error?)" >> "$KVMS_RESULTS"
		return
	fi
	set -- $sum
	echo "COUNT $1 $2 ${3:-0} $name" >> "$KVMS_RESULTS"
	[ "$rc" = 0 ] || [ "$2" != 0 ] || echo "FAIL $name: exit status $rc" >> "$KVMS_RESULTS"
}

section "host: kvmschedctl unit tests, CLI checks, fuzzing"
counted host bash tests/host/run.sh

section "pkg: Debian packages, lintian, DKMS builds for both Debian kernels, make install"
counted pkg bash tests/pkg/run.sh
counted unit bash tests/pkg/unit.sh

section "docs: kernel-doc -Wall on what Documentation/ pulls in, links, rst"
counted docs bash scripts/docs-check.sh

section "qmp-endpoint: the test VMM's QMP stand-in for QEMU + virtio-balloon"
counted qmp-endpoint bash tests/qmp/qmp-test.sh

section "qemu: balloond and balloon against real QEMU (TCG)"
counted qemu bash tests/qemu/run.sh

section "kunit: policy core on UML"
counted kunit bash scripts/kunit.sh

section "e2e: sandbox KVM host, every kernel"
bash tests/e2e/run.sh

# After the e2e section: uses its guest-metrics logs (boots one kernel itself
# when they are older than kvmschedctl).
section "metrics: promtool check metrics on kvmschedctl metrics (fixture, e2e guest output)"
counted metrics bash tests/metrics/run.sh

# The debug-kernel lane: Debian's 6.12 source with KASAN, lockdep, kmemleak,
# UBSAN, KFENCE, debug objects (scripts/debug-kernel.config), built once and
# cached; every e2e suite runs on it as a third kernel and any splat fails.
# KVMS_NO_DEBUG_KERNEL=1 skips the lane (reported as skipped).
section "debug kernel: build or reuse (scripts/debug-kernel.sh)"
dkver=
if [ -n "${KVMS_NO_DEBUG_KERNEL:-}" ]; then
	echo "SKIP debug kernel: KVMS_NO_DEBUG_KERNEL set" >> "$KVMS_RESULTS"
else
	dkver=$(bash scripts/debug-kernel.sh); drc=$?
	[ -n "$dkver" ] || drc=1
	result "debug kernel: build $dkver" $drc
	[ "$drc" = 0 ] || dkver=
fi

section "e2e: sandbox KVM host, debug kernel${dkver:+ $dkver}"
if [ -n "$dkver" ]; then
	bash scripts/build-all.sh "$dkver"; result "build W=1 $dkver" $?
	bash tests/e2e/run.sh -k "$dkver"
fi

section "summary"
echo "time per section:"
for e in "${SECTIONS[@]}"; do
	printf '  %5ss  %s\n' "${e%% *}" "${e#* }"
done
pass=$(grep -c '^PASS ' "$KVMS_RESULTS")
fail=$(grep -c '^FAIL ' "$KVMS_RESULTS")
skip=$(grep -c '^SKIP ' "$KVMS_RESULTS")
while read -r _ p f s _; do
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done < <(grep '^COUNT ' "$KVMS_RESULTS")
grep '^FAIL ' "$KVMS_RESULTS" | sed 's/^/  /'
echo "make check took $(($(date +%s) - start)) s"
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
