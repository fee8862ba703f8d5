#!/bin/sh
# e2e-debug: skip userspace formatting of values the stock kernels check; guest-basic and guest-fuzz drive the same netlink reads there
# End-to-end test of kvmschedctl metrics (Prometheus text format) inside the
# sandbox KVM host (2 CPUs, kvmtest VMs): a reserved VM, a limited VM and a
# VM named with the characters label values must escape ('"' and '\').
# The values are checked against sysfs here; the host side
# (tests/metrics/run.sh) runs promtool over the blocks printed between
# "=== kvmsched-metrics begin ===" and "=== kvmsched-metrics end ===".
# Also: --textfile (atomic, same families), metrics VM..., and the daemon's
# --metrics-textfile rewriting its file.
. /kvmsched/lib.sh
echo "KTAP version 1"
M=/tmp/m.prom

# val FILE NAME LABELS: the value of the sample NAME{LABELS...} (LABELS: the
# start of its label set, e.g. 'vm_id="3"'), or nothing.
val() { grep -F "$2{$3" "$1" | head -n 1 | awk '{ print $NF }'; }
# hval FILE NAME: a sample without labels.
hval() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }
# eq_scaled GOT SYSFS_VALUE SCALE: GOT == SYSFS_VALUE x SCALE (to 1e-9).
eq_scaled() {
	awk -v g="$1" -v s="$2" -v k="$3" 'BEGIN { d = g - s * k; if (d < 0) d = -d;
		exit !(g != "" && d <= 1e-9 * (s * k < 1 ? 1 : s * k)) }'
}
# between LO X HI: LO <= X <= HI (numbers, floats allowed).
between() { awk -v l="$1" -v x="$2" -v h="$3" 'BEGIN { exit !(x != "" && l <= x && x <= h) }'; }

check "insmod kvmsched" load_kvmsched
check "start three VMs (2:spin, 2:spin, 1:halt@50)" start_vms /tmp/v.out 2:spin 2:spin 1:halt@50
set -- $VMPIDS; R=$1; L=$2; N=$3
rid=$(vm_id "$R"); lid=$(vm_id "$L"); nid=$(vm_id "$N")
check "reserve 500 mcpu for VM $rid" kvmschedctl set "$rid" reservation_mcpu=500
check "limit VM $lid to 300 mcpu, weight 300" kvmschedctl set "$lid" limit_mcpu=300 weight=300
check "name VM $nid 'we\"b\\1'" kvmschedctl set "$nid" 'name=we"b\1'
sleep 3

# -- the command's output against sysfs ----------------------------------
c0=$(cat "$(vm_dir "$R")/cpu_time_ns"); w0=$(cat "$(vm_dir "$L")/vcpus/0/wait_time_ns")
kvmschedctl metrics > $M; rc=$?
c1=$(cat "$(vm_dir "$R")/cpu_time_ns"); w1=$(cat "$(vm_dir "$L")/vcpus/0/wait_time_ns")
check "metrics exits 0 ($rc)" test "$rc" = 0
echo "=== kvmsched-metrics begin ==="
cat $M
echo "=== kvmsched-metrics end ==="
info "$(wc -l < $M) lines, $(grep -c '^# TYPE ' $M) families"

S=$KVMS
for f in capacity reservable reserved overcommit; do
	g=$(hval $M kvmsched_${f}_cpus)
	check "kvmsched_${f}_cpus $g = sysfs ${f}_mcpu $(cat $S/${f}_mcpu) / 1000" eq_scaled "$g" "$(cat $S/${f}_mcpu)" 0.001
done
g=$(hval $M kvmsched_reserved_cpus)
check "kvmsched_reserved_cpus is 0.5 ($g)" eq_scaled "$g" 500 0.001
g=$(hval $M kvmsched_host_memory_bytes)
check "kvmsched_host_memory_bytes $g = host_mem_mib $(cat $S/host_mem_mib) MiB" eq_scaled "$g" "$(cat $S/host_mem_mib)" 1048576
g=$(hval $M kvmsched_period_seconds)
check "kvmsched_period_seconds $g = period_ms $(cat $S/period_ms) / 1000" eq_scaled "$g" "$(cat $S/period_ms)" 0.001
g=$(hval $M kvmsched_deadline_refused_total)
check "kvmsched_deadline_refused_total $g = sysfs $(cat $S/deadline_refused)" eq_scaled "$g" "$(cat $S/deadline_refused)" 1
g=$(hval $M kvmsched_vms)
check "kvmsched_vms is 3 ($g)" test "$g" = 3
ms=$(cat $S/mem_state)
check "kvmsched_memory_state{state=\"$ms\"} is 1" test "$(val $M kvmsched_memory_state "state=\"$ms\"")" = 1
check "one memory state is 1" test "$(grep '^kvmsched_memory_state{' $M | awk '{ s += $NF } END { print s }')" = 1

LR="vm_id=\"$rid\",pid=\"$R\"" LL="vm_id=\"$lid\",pid=\"$L\""
LN="vm_id=\"$nid\",vm_name=\"we\\\"b\\\\1\",pid=\"$N\""
check "vm_info of VM $rid: its pid, comm kvmtest, class shares" \
	grep -qF "kvmsched_vm_info{$LR,comm=\"kvmtest\",class=\"shares\"} 1" $M
check "vm_info of the named VM: vm_name escaped ($LN)" grep -qF "kvmsched_vm_info{$LN," $M
check "vm_info: 3 VMs" test "$(grep -c '^kvmsched_vm_info{' $M)" = 3
g=$(val $M kvmsched_vm_reservation_cpus "$LR}")
check "reservation_cpus of VM $rid is 0.5 ($g)" eq_scaled "$g" 500 0.001
g=$(val $M kvmsched_vm_limit_cpus "$LL}")
check "limit_cpus of VM $lid is 0.3 ($g)" eq_scaled "$g" 300 0.001
g=$(val $M kvmsched_vm_weight "$LL}")
check "weight of VM $lid is 300 ($g)" test "$g" = 300
g=$(val $M kvmsched_vm_limit_cpus "$LR}")
check "limit_cpus of VM $rid is 0 (unlimited) ($g)" test "$g" = 0
b=$(cat "$(vm_dir "$L")/bound")
check "kvmsched_vm_bound of VM $lid: bound=\"$b\" (sysfs) is 1" test "$(val $M kvmsched_vm_bound "$LL,bound=\"$b\"")" = 1
g=$(val $M kvmsched_vm_cpu_seconds_total "$LR}")
check "vm_cpu_seconds_total of VM $rid within sysfs cpu_time_ns before/after ($c0 <= $g s <= $c1)" \
	between "$(awk -v c="$c0" 'BEGIN { printf "%.9f", c / 1e9 - 1e-6 }')" "$g" "$(awk -v c="$c1" 'BEGIN { printf "%.9f", c / 1e9 + 1e-6 }')"
check "VM $rid used CPU (cpu_seconds_total $g > 1)" between 1 "$g" 1e9
g=$(val $M kvmsched_vcpu_wait_seconds_total "$LL,vcpu=\"0\"}")
check "vcpu_wait_seconds_total of VM $lid vCPU 0 within sysfs before/after ($w0 <= $g s <= $w1)" \
	between "$(awk -v c="$w0" 'BEGIN { printf "%.9f", c / 1e9 - 1e-6 }')" "$g" "$(awk -v c="$w1" 'BEGIN { printf "%.9f", c / 1e9 + 1e-6 }')"
g=$(val $M kvmsched_vm_throttled_seconds_total "$LL}")
check "the limited VM was throttled (throttled_seconds_total $g > 0)" between 1e-9 "$g" 1e9
g=$(val $M kvmsched_vm_vcpus "$LN}")
check "vm_vcpus of the named VM is 1 ($g)" test "$g" = 1
check "vcpu_cpu_seconds_total: 5 vCPUs" test "$(grep -c '^kvmsched_vcpu_cpu_seconds_total{' $M)" = 5
check "every counter's name ends in _total" \
	sh -c "! grep '^# TYPE ' $M | grep ' counter\$' | grep -v '_total counter\$'"
check "HELP and TYPE once per family" \
	sh -c "test -z \"\$(grep -E '^# (HELP|TYPE) ' $M | awk '{ print \$2, \$3 }' | sort | uniq -d)\""

# counters never go back
sleep 1
kvmschedctl metrics > $M.2
back=$(awk 'NR == FNR { if ($0 !~ /^#/) v[$1] = $2; next }
	/^#/ { next } $1 ~ /_total/ && ($1 in v) && $2 + 0 < v[$1] + 0 { n++ } END { print n + 0 }' $M $M.2)
check "a second scrape: no counter went back ($back)" test "$back" = 0

# -- metrics VM..., --textfile, usage -----------------------------------------
kvmschedctl metrics "$lid" "name:we\"b\\1" > $M.f
check "metrics $lid name:...: two VMs' vm_info" test "$(grep -c '^kvmsched_vm_info{' $M.f)" = 2
check "... not VM $rid" sh -c "! grep -qF 'vm_id=\"$rid\"' $M.f"
check "... and the host metrics" grep -q '^kvmsched_capacity_cpus ' $M.f
kvmschedctl metrics 999 > /dev/null 2> /tmp/e; rc=$?
check "metrics 999 exits 1 ($rc): $(cat /tmp/e)" test "$rc" = 1
kvmschedctl metrics --frob > /dev/null 2>&1; rc=$?
check "metrics --frob exits 2 ($rc)" test "$rc" = 2
mkdir -p /tmp/tf
check "metrics --textfile /tmp/tf/kvmsched.prom" kvmschedctl metrics --textfile /tmp/tf/kvmsched.prom
check "... wrote the same families as stdout" \
	sh -c "test \"\$(grep '^# TYPE' /tmp/tf/kvmsched.prom)\" = \"\$(grep '^# TYPE' $M)\""
check "... and left no temporary file ($(ls /tmp/tf | tr '\n' ' '))" test "$(ls /tmp/tf)" = kvmsched.prom
kvmschedctl metrics --textfile /nonexistent/k.prom 2> /tmp/e; rc=$?
check "--textfile into a missing directory exits 1 ($rc): $(cat /tmp/e)" test "$rc" = 1

# -- the daemon's --metrics-textfile -------------------------------------------
kvmschedctl balloond --pid-file '' --metrics-textfile /tmp/tf/d.prom --metrics-interval 1 2> /tmp/d.log & D=$!
check "daemon: writes /tmp/tf/d.prom" waitq 500 test -s /tmp/tf/d.prom
check "daemon: its file has the VMs" waitq 300 grep -q "^kvmsched_vm_info{$LR" /tmp/tf/d.prom
t0=$(grep "^kvmsched_vm_cpu_seconds_total{$LR}" /tmp/tf/d.prom | awk '{ print $NF }')
sleep 3
t1=$(grep "^kvmsched_vm_cpu_seconds_total{$LR}" /tmp/tf/d.prom | awk '{ print $NF }')
check "daemon: rewrites it every second (cpu_seconds_total $t0 -> $t1)" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(a != "" && b > a) }'
echo "=== kvmsched-metrics begin ==="
cat /tmp/tf/d.prom
echo "=== kvmsched-metrics end ==="
# Module away: the file keeps its last contents; back: written again.
check "rmmod kvmsched under the daemon" rmmod kvmsched
sleep 1
s0=$(md5sum < /tmp/tf/d.prom); sleep 2; s1=$(md5sum < /tmp/tf/d.prom)
check "daemon: without the module the file stays as it was" test "$s0" = "$s1"
check "daemon: still running" kill -0 $D
check "insmod kvmsched again" load_kvmsched
rewritten() {
	[ "$(md5sum < /tmp/tf/d.prom)" != "$s1" ] &&
		grep -q "^kvmsched_vm_info{vm_id=\"[0-9]*\",pid=\"$R\"" /tmp/tf/d.prom
}
check "daemon: writes the file again once the module is back, with the VMs" waitq 1000 rewritten
kill $D; wait $D
info "daemon log: $(tail -n 3 /tmp/d.log | tr '\n' '|')"
check "daemon: no temporary files left ($(ls /tmp/tf | tr '\n' ' '))" test "$(ls /tmp/tf | wc -l)" = 2

stop_vms
check "rmmod kvmsched" rmmod kvmsched
echo "1..$T"
exit $FAILED
