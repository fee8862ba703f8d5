#!/bin/bash
# Host side of the end-to-end tests: for each Debian kernel, boot the sandbox
# KVM host with scripts/vmrun.sh, run a guest script, and turn its KTAP-like
# lines into results. A guest whose dmesg shows kernel trouble, that times
# out or that never finishes fails the run.
#
# Usage: tests/e2e/run.sh [-k KVER]... [SCRIPT...]   (default: every kernel,
#        every tests/e2e/guest-*.sh). Results go to $KVMS_RESULTS (one
#        "PASS|FAIL|SKIP name" line each) when set, and a summary to stdout.
set -uo pipefail
cd "$(dirname "$0")/../.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
RESULTS=${KVMS_RESULTS:-/dev/null}

kvers=()
while [ $# -gt 0 ]; do
	case $1 in
	-k) kvers+=("$2"); shift 2 ;;
	*) break ;;
	esac
done
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < "$CACHE/kernels.list"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(tests/e2e/guest-*.sh)

make -s -C tests/vmm >/dev/null || { echo "FAIL e2e: build tests/vmm" >> "$RESULTS"; exit 1; }
make -s -C userspace >/dev/null || { echo "FAIL e2e: build userspace" >> "$RESULTS"; exit 1; }

rc=0
for kver in "${kvers[@]}"; do
	bash scripts/build-all.sh "$kver" >/dev/null || {
		echo "FAIL e2e/$kver: module build" >> "$RESULTS"; rc=1; continue; }
	for s in "${scripts[@]}"; do
		name=$(basename "$s" .sh); name=${name#guest-}
		log=build/e2e-$kver-$name.log
		t0=$(date +%s)
		bash scripts/vmrun.sh --kver "$kver" --timeout "${KVMS_E2E_TIMEOUT:-900}" \
			--add "build/$kver/kmod/kvmsched.ko:/kvmsched/kvmsched.ko" \
			--add tests/vmm/kvmtest:/bin/kvmtest \
			--add tests/vmm/runas:/bin/runas \
			--add userspace/kvmschedctl:/bin/kvmschedctl \
			--add tests/e2e/lib.sh:/kvmsched/lib.sh \
			--run "$s" --log "$log" > /dev/null 2> "$log.err"
		vrc=$?
		t1=$(date +%s)
		pass=0 fail=0
		while IFS= read -r line; do
			line=${line%$'\r'}
			case $line in
			"not ok "*)
				echo "FAIL e2e/$kver/$name: ${line#not ok * - }" >> "$RESULTS"
				echo "  FAIL $kver/$name: ${line#not ok * - }"
				fail=$((fail + 1)) ;;
			"ok "*"# SKIP"*)
				echo "SKIP e2e/$kver/$name: ${line#ok * - }" >> "$RESULTS" ;;
			"ok "*)
				echo "PASS e2e/$kver/$name: ${line#ok * - }" >> "$RESULTS"
				pass=$((pass + 1)) ;;
			esac
		done < <(grep -aE '^(not )?ok [0-9]+ - ' "$log")
		case $vrc in
		0|1) echo "PASS e2e/$kver/$name: guest finished, dmesg clean" >> "$RESULTS" ;;
		126) echo "FAIL e2e/$kver/$name: guest dmesg clean" >> "$RESULTS"
		     sed 's/^/  /' "$log.err"; fail=$((fail + 1)) ;;
		*)   echo "FAIL e2e/$kver/$name: guest finished (vmrun rc $vrc)" >> "$RESULTS"
		     tail -n 30 "$log" | sed 's/^/  | /'; fail=$((fail + 1)) ;;
		esac
		[ $fail -gt 0 ] && rc=1
		echo "e2e $kver $name: $pass passed, $fail failed ($((t1 - t0)) s, log $log)"
	done
done
exit $rc
