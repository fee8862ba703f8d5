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

# A guest script may ask for a bigger sandbox with a comment line among its
# first 20, e.g. "# vmrun: --mem 2048": only --mem MB (256-16384), --smp N
# (1-16), --timeout S (60-3600) and --qemu (this machine's QEMU in the
# guest, see scripts/vmrun.sh) are accepted, given after the defaults so
# that they win. "# vmrun-debug:" lines apply only on the debug kernel
# (scripts/debug-kernel.sh, KVER *-kvmsdbg*: KASAN, lockdep, ... several
# times slower), after the "# vmrun:" ones; a guest script can also tell
# that kernel by its KVMS_KVER. $1 = script, $2 = KVER.
# Sets VMRUN_EXTRA; fails (with a message in VMRUN_BAD) on anything else.
vmrun_opts() {
	local line opt val words pat='^# vmrun:'
	VMRUN_EXTRA=() VMRUN_BAD=
	case $2 in *-kvmsdbg*) pat='^# vmrun(-debug)?:' ;; esac
	while IFS= read -r line; do
		line=${line#\# vmrun:}
		read -ra words <<< "${line#\# vmrun-debug:}"
		while [ ${#words[@]} -gt 0 ]; do
			opt=${words[0]} val=${words[1]:-}
			if [ "$opt" = --qemu ]; then
				VMRUN_EXTRA+=(--qemu)
				words=("${words[@]:1}")
				continue
			fi
			words=("${words[@]:2}")
			case $opt in
			--mem) [[ $val =~ ^[0-9]{3,5}$ ]] && [ "$val" -ge 256 ] && [ "$val" -le 16384 ] ;;
			--smp) [[ $val =~ ^[0-9]{1,2}$ ]] && [ "$val" -ge 1 ] && [ "$val" -le 16 ] ;;
			--timeout) [[ $val =~ ^[0-9]{2,4}$ ]] && [ "$val" -ge 60 ] && [ "$val" -le 3600 ] ;;
			*) false ;;
			esac || { VMRUN_BAD="bad '# vmrun:' option '$opt $val' (only --mem 256-16384, --smp 1-16, --timeout 60-3600, --qemu)"; return 1; }
			VMRUN_EXTRA+=("$opt" "$val")
		done
	done < <(head -n 20 "$1" | grep -E "$pat")
}

make -s -C tests/fixtures >/dev/null || { echo "FAIL e2e: build tests/fixtures" >> "$RESULTS"; exit 1; }
make -s -C userspace >/dev/null || { echo "FAIL e2e: build userspace" >> "$RESULTS"; exit 1; }

rc=0
for kver in "${kvers[@]}"; do
	bash scripts/build-all.sh "$kver" >/dev/null || {
		echo "FAIL e2e/$kver: module build" >> "$RESULTS"; rc=1; continue; }
	for s in "${scripts[@]}"; do
		name=$(basename "$s" .sh); name=${name#guest-}
		log=build/e2e-$kver-$name.log
		# "# e2e-debug: skip REASON": a suite whose checks are about
		# timing and shares, which a KASAN/lockdep kernel running
		# several times slower under TCG cannot judge; its code paths
		# run on the debug kernel in the other suites.
		case $kver in *-kvmsdbg*)
			why=$(head -n 20 "$s" | sed -n 's/^# e2e-debug: skip //p' | head -n 1)
			if [ -n "$why" ]; then
				echo "SKIP e2e/$kver/$name: $why" >> "$RESULTS"
				echo "e2e $kver $name: skipped ($why)"
				continue
			fi ;;
		esac
		if ! vmrun_opts "$s" "$kver"; then
			echo "FAIL e2e/$kver/$name: $VMRUN_BAD" >> "$RESULTS"
			echo "e2e $kver $name: $VMRUN_BAD"
			rc=1
			continue
		fi
		t0=$(date +%s)
		bash scripts/vmrun.sh --kver "$kver" --timeout "${KVMS_E2E_TIMEOUT:-900}" \
			--add "build/$kver/kmod/kvmsched.ko:/kvmsched/kvmsched.ko" \
			--add tests/fixtures/kvmtest:/bin/kvmtest \
			--add tests/fixtures/runas:/bin/runas \
			--add tests/fixtures/memhog:/bin/memhog \
			--add tests/fixtures/nlfuzz:/bin/nlfuzz --add tests/fixtures/schedattr:/bin/schedattr \
			--add userspace/kvmschedctl:/bin/kvmschedctl \
			--add tests/e2e/lib.sh:/kvmsched/lib.sh \
			${VMRUN_EXTRA[@]+"${VMRUN_EXTRA[@]}"} \
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
		echo "e2e $kver $name: $pass passed, $fail failed ($((t1 - t0)) s${VMRUN_EXTRA[*]:+, vmrun ${VMRUN_EXTRA[*]}}, log $log)"
	done
done
exit $rc
