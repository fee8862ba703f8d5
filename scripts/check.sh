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
section() { printf '\n=== %s (%ss)\n' "$1" $(($(date +%s) - start)); }

section "build: W=1 on every Debian kernel"
mapfile -t kvers < "$CACHE/kernels.list"
for k in "${kvers[@]}"; do
	bash scripts/build-all.sh "$k"; result "build W=1 $k" $?
done

section "style: checkpatch --strict"
bash scripts/style.sh; result "checkpatch --strict kmod/ uapi/" $?

section "netlink: generated files match the spec"
bash scripts/ynl-gen.sh --check; result "ynl-gen: uapi/ and kmod/*-nl-gen.* match kvmsched.yaml" $?

section "tests/vmm: build the test VMM"
make -s -C tests/vmm; result "build tests/vmm/kvmtest (static, -Wall -Wextra)" $?

section "host: kvmschedctl unit tests, CLI checks, fuzzing"
out=$(bash tests/host/run.sh 2>&1); hrc=$?
echo "$out" | grep -v '^ok ' | tail -n 30
sum=$(echo "$out" | sed -n 's/^host: \([0-9]*\) passed, \([0-9]*\) failed.*$/\1 \2/p' | tail -n 1)
if [ -n "$sum" ]; then
	set -- $sum
	echo "COUNT $1 $2 0 host" >> "$KVMS_RESULTS"
	[ $hrc = 0 ] || [ "$2" != 0 ] || echo "FAIL tests/host/run.sh exit status $hrc" >> "$KVMS_RESULTS"
else
	echo "FAIL host tests: no summary" >> "$KVMS_RESULTS"
fi

section "kunit: policy core on UML"
out=$(bash scripts/kunit.sh 2>&1); krc=$?
echo "$out" | tail -n 40
sum=$(echo "$out" | sed -n 's/^kunit: \([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' | tail -n 1)
if [ -n "$sum" ]; then
	set -- $sum
	echo "COUNT $1 $2 ${3:-0} kunit" >> "$KVMS_RESULTS"
	[ $krc = 0 ] || [ "$2" != 0 ] || echo "FAIL kunit.sh exit status $krc" >> "$KVMS_RESULTS"
else
	echo "FAIL kunit: no summary (build error?)" >> "$KVMS_RESULTS"
fi

section "e2e: sandbox KVM host, every kernel"
bash tests/e2e/run.sh

section "summary"
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
