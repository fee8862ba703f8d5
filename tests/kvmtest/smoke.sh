# Guest script (busybox sh) checking kvmtest (tests/fixtures/kvmtest.c)
# inside the sandbox KVM host:
#   make -C tests/fixtures && scripts/vmrun.sh --kver KVER \
#       --add tests/fixtures/kvmtest:/bin/kvmtest --run tests/kvmtest/smoke.sh
# Prints every kvmtest JSON line plus a summary per run; exits non-zero on
# the first failed check.
set -u
S=${SMOKE_SECONDS:-5}
fail() { echo "smoke: FAIL: $*"; exit 1; }

# summary FILE: per vCPU: cpu share of the run, guest iterations per second
summary() {
	awk -F'[:,{}"]+' '
	{ delete v; for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
	v["event"] == "vm_done" { secs[v["vm"]] = v["seconds"] }
	v["event"] == "vcpu" { n++; vm[n] = v["vm"]; id[n] = v["vcpu"]; wl[n] = v["workload"]
		cpu[n] = v["cpu_ns"]; it[n] = v["guest_iters"]; runs[n] = v["kvm_runs"] }
	END { for (j = 1; j <= n; j++)
		printf "smoke: vm %d vcpu %d %-8s share %.2f iters/s %.0f kvm_runs %d\n",
			vm[j], id[j], wl[j], cpu[j] / 1e9 / secs[vm[j]],
			it[j] / secs[vm[j]], runs[j] }' "$1"
}
share() {	# FILE VM VCPU -> share * 100 (integer)
	summary "$1" | awk -v vm="$2" -v c="$3" '$3 == vm && $5 == c { printf "%d", $8 * 100 }'
}
count() { grep -c "\"event\":\"$2\"" "$1"; }

[ -c /dev/kvm ] || fail "/dev/kvm missing"
echo "smoke: $(uname -r), $(nproc) CPUs"

echo "smoke: baseline 1:spin, alone"
kvmtest --seconds "$S" 1:spin | tee /tmp/base-spin || fail "kvmtest 1:spin"
summary /tmp/base-spin
echo "smoke: baseline 1:halt@30, alone"
kvmtest --seconds "$S" 1:halt@30 | tee /tmp/base-halt || fail "kvmtest 1:halt@30"
summary /tmp/base-halt
h=$(share /tmp/base-halt 0 0)
[ "$h" -ge 15 ] && [ "$h" -le 45 ] || fail "halt@30 alone used $h% of a CPU"

echo "smoke: 1:spin 2:exits 1:halt@30 on $(nproc) CPUs"
t0=$(cut -d' ' -f1 /proc/uptime)
kvmtest --seconds "$S" 1:spin 2:exits 1:halt@30 | tee /tmp/mix || fail "kvmtest mix"
echo "smoke: mix took $(awk -v t="$t0" '{ print $1 - t }' /proc/uptime) s"
summary /tmp/mix
[ "$(count /tmp/mix ready)" = 3 ] || fail "expected 3 ready lines"
[ "$(count /tmp/mix vcpu)" = 4 ] || fail "expected 4 vcpu lines"
[ "$(count /tmp/mix vm_done)" = 3 ] || fail "expected 3 vm_done lines"
[ "$(share /tmp/mix 0 0)" -ge 20 ] || fail "spin vCPU got less than 20% of a CPU"
summary /tmp/mix | awk '$6 == "exits" && $10 < 100 { exit 1 }' || fail "exits vCPU made no progress"

echo "smoke: SIGKILL of one VM, then SIGTERM to kvmtest"
kvmtest --seconds 0 1:spin 1:idle > /tmp/kill &
kp=$!
i=0
while [ "$(count /tmp/kill ready)" != 2 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "VMs not ready"; sleep 0.1
done
vm0=$(sed -n 's/.*"event":"ready","vm":0,"pid":\([0-9]*\).*/\1/p' /tmp/kill)
kill -9 "$vm0"
sleep 1
kill -TERM "$kp"
wait "$kp" || fail "kvmtest exit status $? after SIGKILL of a VM"
cat /tmp/kill
grep -q '"event":"vm_killed","vm":0,"pid":'"$vm0"',"signal":9' /tmp/kill || fail "no vm_killed line"
grep -q '"event":"vm_done","vm":1' /tmp/kill || fail "vm 1 did not report"
[ -d "/proc/$vm0" ] && fail "killed VM process still exists"
echo "smoke: PASS"
