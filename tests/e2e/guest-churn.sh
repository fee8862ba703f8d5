#!/bin/sh
# vmrun-debug: --timeout 1500
# Stress suite, part 2: VM churn and module unload cycles inside the sandbox
# KVM host (issue 10, "Stress suite").
#
# Churn: CHURN_ROUNDS kvmtest processes of 8 short-lived VMs each, three at
# a time; every fourth is killed with SIGKILL (the whole process group, VMMs
# included) at some point of its run. Meanwhile VM and vCPU dumps, sysfs
# readers and vm-set changes (weight, limit, reservation, class) on the
# newest VMs run in loops, so VMMs exit during dumps and vCPU threads exit
# while their attributes are being set; the second half runs with
# period_ms=10 (enforcement every 10 ms). Afterwards the registry must be
# empty (sysfs, list, nr_vms, reserved_mcpu) and the kernel's booked
# deadline bandwidth (total_bw of /sys/kernel/debug/sched/debug) back to
# what it was before insmod.
#
# Unload cycles: four long-running VMs whose vCPU threads first get
# non-default attributes (nice 5; SCHED_IDLE; SCHED_BATCH nice -3;
# reset-on-fork nice 2; on 6.12 a 3 ms custom slice nice -5; one left at
# the default), snapshotted with sched_getattr (tests/fixtures/schedattr).
# Then UNLOAD_CYCLES times: insmod, the same loops as above for a moment
# (dumps, sysfs, sets of weight/class/limit/reservation), rmmod under that
# load, and every vCPU thread compared with the snapshot, exactly.
# At the end the VMMs exit and "rmmod kvm_amd kvm" must succeed; on a
# kernel with kmemleak nothing may be reported from kvmsched.
. /kvmsched/lib.sh
echo "KTAP version 1"
CHURN_ROUNDS=171	# x 8 VMs; a multiple of 3
MIN_FOUND=1000		# VMs kvmsched must have seen (some die before entering)
UNLOAD_CYCLES=20
# The debug kernel (it alone has kmemleak) is ~10x slower under TCG (8 VMs
# in 6 s, an rmmod in 13 s): the full counts would take ~25 min, over
# run.sh's 900 s; 66 rounds and 8 cycles took 630-660 s, over what make
# check's 80 minutes leave, so half of that.
if [ -e /sys/kernel/debug/kmemleak ]; then
	CHURN_ROUNDS=33 MIN_FOUND=180 UNLOAD_CYCLES=4
	info "debug kernel: $CHURN_ROUNDS kvmtest runs, $UNLOAD_CYCLES unload cycles (stock kernels: 171, 20)"
fi
SPECS="1:spin 2:exits 1:halt@50 1:idle 2:idle 1:halt@20 1:idle 1:halt@30"
NSPEC=8
ML=/sys/kernel/debug/kmemleak

DLBW() { awk '/dl_bw->total_bw/ { s += $NF } END { printf "%.0f\n", s }' /sys/kernel/debug/sched/debug; }
dlbw_is() { [ "$(DLBW)" = "$1" ]; }
# dl_diag: what holds deadline bandwidth, when the books do not match.
dl_diag() {
	info "dl_bw: $(grep -a 'dl_bw->total_bw\|dl_bw->bw' /sys/kernel/debug/sched/debug | tr -s ' \t' ' ' | tr '\n' ';')"
	info "SCHED_DEADLINE threads: $(awk '$41 == 6 { printf "%s %s; ", $1, $2 }' /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null)"
}
list_rows() { kvmschedctl list 2>/dev/null | awk 'NR > 1' | wc -l; }

# -- background load (each stops when /tmp/stop exists) -----------------------

dumper() {
	local _n=0
	while [ ! -e /tmp/stop ]; do
		kvmschedctl -j list > /dev/null 2>&1 && _n=$((_n + 1))
		kvmschedctl list -l > /dev/null 2>&1 && _n=$((_n + 1))
		echo "$_n" > /tmp/dumper.n
	done
}
reader() {
	local _n=0
	while [ ! -e /tmp/stop ]; do
		cat "$KVMS"/* "$KVMS"/vms/*/* "$KVMS"/vms/*/vcpus/*/* > /dev/null 2>&1
		_n=$((_n + 1))
		echo "$_n" > /tmp/reader.n
		usleep 20000
	done
}
# setter N: vm-set on the N newest VMs in turn.
setter() {
	local _i=0 _n=0 _id
	while [ ! -e /tmp/stop ]; do
		for _id in $(ls "$KVMS/vms" 2>/dev/null | sort -n | tail -n "$1"); do
			case $((_i % 6)) in
			0) kvmschedctl set "$_id" weight=$((_i % 300 + 1)) ;;
			1) kvmschedctl set "$_id" limit_mcpu=400 ;;
			2) kvmschedctl set "$_id" reservation_mcpu=300 ;;
			3) kvmschedctl set "$_id" class=background ;;
			4) kvmschedctl set "$_id" class=shares reservation_mcpu=0 ;;
			*) kvmschedctl set "$_id" limit_mcpu=0 weight=100 ;;
			esac > /dev/null 2>&1 && _n=$((_n + 1))
			_i=$((_i + 1))
		done
		echo "$_n of $_i" > /tmp/setter.n
		usleep 10000
	done
}
load_start() {
	rm -f /tmp/stop
	dumper & L1=$!
	reader & L2=$!
	setter "$1" & L3=$!
}
load_stop() { touch /tmp/stop; wait $L1 $L2 $L3 2>/dev/null; }

# leaks: a test point from kmemleak, for the records whose backtrace names
# kvmsched or holds an unresolved module address (a frame of an unloaded
# kvmsched: every other module is still loaded when this runs). kmemleak
# reports an object once it has stayed unreferenced for 5 s: wait first.
leaks() {
	local _r
	if [ ! -w $ML ]; then
		skip "kmemleak: nothing from kvmsched $1" "kernel without kmemleak"
		return
	fi
	sleep 6
	echo scan > $ML; echo scan > $ML
	# A frame is "    sym+off/len [mod]" (6.12) or "[<addr>] sym+off/len";
	# an unresolved one ends in the bare address.
	_r=$(awk '
		function flush() { if (hit) { printf "%s", rec; n++ } rec = ""; hit = 0 }
		/^unreferenced object/ { flush() }
		/kvmsched|[] ]0xffffffff[0-9a-f]+$/ { hit = 1 }
		{ rec = rec $0 "\n" }
		END { flush() }' $ML)
	if [ -z "$_r" ]; then
		ok "kmemleak: nothing from kvmsched $1"
	else
		echo "$_r" | head -n 60 | sed 's/^/# /'
		nok "kmemleak: nothing from kvmsched $1 ($(echo "$_r" | grep -c '^unreferenced object') objects)"
	fi
}

# -- churn -------------------------------------------------------------------------

# round I: one kvmtest of 8 VMs for 0.3 s; every fourth killed with
# SIGKILL, its VMMs too, after 0.1-0.5 s (before, during or after ready).
round() {
	local _p
	setsid kvmtest --seconds 0.3 $SPECS > /dev/null 2>&1 &
	_p=$!
	if [ $(($1 % 4)) = 3 ]; then
		usleep $((100000 + ($1 * 37 % 5) * 100000))
		kill -KILL -"$_p" 2>/dev/null
	fi
	wait "$_p"
}

if [ -w $ML ]; then
	echo scan > $ML; echo clear > $ML	# forget what boot left
fi
DLBW0=$(DLBW)
info "deadline bandwidth booked before kvmsched: $DLBW0"
check "insmod kvmsched" load_kvmsched
load_start 6
t0=$(now_cs)
i=0
while [ $i -lt "$CHURN_ROUNDS" ]; do
	[ $i -ge $((CHURN_ROUNDS / 2)) ] && [ $i -lt $((CHURN_ROUNDS / 2 + 3)) ] &&
		kvmschedctl config period_ms=10 > /dev/null
	round $i & a=$!
	round $((i + 1)) & b=$!
	round $((i + 2)) & c=$!
	wait $a $b $c
	i=$((i + 3))
done
t1=$(now_cs)
load_stop
kvmschedctl config period_ms=100 > /dev/null
STARTED=$((i * NSPEC))
info "churn: $i kvmtest runs, $STARTED VMs started ($((i / 4)) runs killed with SIGKILL) in $(( (t1 - t0) / 100 )) s"
info "meanwhile: $(cat /tmp/dumper.n) dumps, $(cat /tmp/reader.n) sysfs sweeps, $(cat /tmp/setter.n) vm-set requests accepted"
check "no VMM left running" sh -c '! pidof kvmtest > /dev/null'
check "the registry empties once the VMMs are gone (sysfs vms/)" waitq 1000 sh -c "[ \$(ls $KVMS/vms | wc -l) = 0 ]"
info "left in sysfs: $(ls "$KVMS/vms" | tr '\n' ' ')"
check "nr_vms is 0" file_is "$KVMS/nr_vms" 0
check "kvmschedctl list lists no VM ($(list_rows) rows)" test "$(list_rows)" = 0
check "reserved_mcpu is 0" file_is "$KVMS/reserved_mcpu" 0
waitq 300 dlbw_is "$DLBW0"
dlbw_is "$DLBW0" || dl_diag
check "the booked deadline bandwidth is back to its pre-insmod value ($(DLBW) = $DLBW0)" \
	test "$(DLBW)" = "$DLBW0"
# The id of one more VM tells how many VMs kvmsched found (ids are never reused).
check "one more VM is found" start_vms /tmp/last.out 1:idle
set -- $VMPIDS
LAST=$(vm_id "$1")
stop_vms
info "kvmsched found $((LAST - 1)) of the $STARTED churned VMs"
check "at least $MIN_FOUND VM create/destroy cycles seen by kvmsched ($((LAST - 1)))" test $((LAST - 1)) -ge "$MIN_FOUND"
check "... and the last VM is forgotten too" waitq 1000 file_is "$KVMS/nr_vms" 0
leaks "after the churn (module loaded)"
check "rmmod kvmsched after the churn" rmmod kvmsched
waitq 300 dlbw_is "$DLBW0"
dlbw_is "$DLBW0" || dl_diag
check "no deadline bandwidth booked after rmmod ($(DLBW) = $DLBW0)" test "$(DLBW)" = "$DLBW0"

# -- unload cycles -------------------------------------------------------------------

check "start four long-running VMs (kvmsched not loaded)" \
	start_vms_untracked /tmp/u.out 2:spin 1:exits 2:halt@50 1:idle
UKT=$KVMTEST
set -- $VMPIDS; P0=$1; P1=$2; P2=$3; P3=$4
set -- $(vm_tids /tmp/u.out 0) $(vm_tids /tmp/u.out 1) $(vm_tids /tmp/u.out 2) $(vm_tids /tmp/u.out 3)
T_NICE=$1 T_IDLE=$2 T_BATCH=$3 T_RESET=$4 T_SLICE=$5 T_DEF=$6
TIDS="$T_NICE $T_IDLE $T_BATCH $T_RESET $T_SLICE $T_DEF"
case $KVMS_KVER in
6.1.*) SLICE="" ;;
*) SLICE="slice_us=3000" ;;
esac
check "give the vCPU threads non-default originals" sh -c "
	schedattr set $T_NICE normal nice=5 &&
	schedattr set $T_IDLE idle &&
	schedattr set $T_BATCH batch nice=-3 &&
	schedattr set $T_RESET normal nice=2 reset &&
	schedattr set $T_SLICE normal nice=-5 $SLICE"
schedattr get $TIDS > /tmp/snap
sed 's/^/# snapshot: /' /tmp/snap
check "the snapshot has the originals (idle 5, batch 3, reset-on-fork 0x1)" sh -c "
	grep -q '^$T_IDLE policy=5 ' /tmp/snap && grep -q '^$T_BATCH policy=3 flags=0x0 nice=-3 ' /tmp/snap &&
	grep -q '^$T_RESET policy=0 flags=0x1 nice=2 ' /tmp/snap && grep -q '^$T_NICE policy=0 flags=0x0 nice=5 ' /tmp/snap"
[ -n "$SLICE" ] && check "the snapshot has the 3 ms slice" grep -q "^$T_SLICE policy=0 flags=0x0 nice=-5 prio=0 runtime=3000000 " /tmp/snap

load_start 4
cyc=0 loadfail=0 rmfail=0 retries=0 changed=0 restored=0 shown=0
for t in $TIDS; do eval "bad_$t=0"; done
while [ $cyc -lt "$UNLOAD_CYCLES" ]; do
	cyc=$((cyc + 1))
	load_kvmsched || { loadfail=$((loadfail + 1)); info "cycle $cyc: insmod failed"; continue; }
	waitq 500 sh -c "[ \$(ls $KVMS/vms | wc -l) -ge 4 ]" || info "cycle $cyc: not all VMs found"
	sleep 1
	schedattr get $TIDS > /tmp/live
	cmp -s /tmp/live /tmp/snap || changed=$((changed + 1))
	n=0
	until rmmod kvmsched 2> /tmp/rm.err; do
		n=$((n + 1))
		[ $n -ge 100 ] && break
		usleep 50000
	done
	retries=$((retries + n))
	if [ -d "$KVMS" ] || grep -q '^kvmsched ' /proc/modules; then
		rmfail=$((rmfail + 1))
		info "cycle $cyc: rmmod failed: $(cat /tmp/rm.err)"
		load_stop
		rmmod kvmsched 2>/dev/null
		load_start 4
	fi
	schedattr get $TIDS > /tmp/after
	if cmp -s /tmp/after /tmp/snap; then
		restored=$((restored + 1))
		continue
	fi
	for t in $TIDS; do
		[ "$(grep "^$t " /tmp/after)" = "$(grep "^$t " /tmp/snap)" ] ||
			eval "bad_$t=\$((bad_$t + 1))"
	done
	shown=$((shown + 1))
	[ $shown -le 3 ] && info "cycle $cyc: after rmmod: $(grep -vxFf /tmp/snap /tmp/after | tr '\n' ';')"
done
load_stop
info "unload cycles: $cyc run, insmod failed $loadfail, rmmod failed $rmfail (busy retries $retries), kvmsched had changed the threads in $changed, all restored in $restored"
info "meanwhile: $(cat /tmp/dumper.n) dumps, $(cat /tmp/reader.n) sysfs sweeps, $(cat /tmp/setter.n) vm-set requests accepted"
check "$UNLOAD_CYCLES insmod/rmmod cycles under load ($cyc run, $loadfail insmod and $rmfail rmmod failures)" \
	test "$cyc" -ge "$UNLOAD_CYCLES" -a "$loadfail" = 0 -a "$rmfail" = 0
check "kvmsched had changed the vCPU threads before rmmod in most cycles ($changed of $cyc)" \
	test $((changed * 4)) -ge $((cyc * 3))
check "after every rmmod every vCPU thread has exactly its original attributes ($restored of $cyc)" \
	test "$restored" = "$cyc"
for pair in "$T_NICE:nice 5" "$T_IDLE:SCHED_IDLE" "$T_BATCH:SCHED_BATCH nice -3" \
	"$T_RESET:reset-on-fork nice 2" "$T_SLICE:nice -5${SLICE:+, 3 ms slice}" "$T_DEF:default"; do
	t=${pair%%:*}
	eval "b=\$bad_$t"
	check "the $(echo "${pair#*:}") thread is restored exactly after every rmmod (wrong after $b of $cyc)" test "$b" = 0
done
# A thread that left SCHED_DEADLINE keeps its bandwidth booked until its
# zero-lag time (within a period): wait a little.
waitq 300 dlbw_is "$DLBW0"
dlbw_is "$DLBW0" || dl_diag
check "no deadline bandwidth booked after the cycles ($(DLBW) = $DLBW0)" test "$(DLBW)" = "$DLBW0"
check "every vCPU thread still runs (the VMs answer SIGTERM)" sh -c "kill -0 $P0 $P1 $P2 $P3"
leaks "after $cyc unload cycles"
kill -TERM "$UKT" 2>/dev/null
wait "$UKT" 2>/dev/null
check "no VMM left running" sh -c '! pidof kvmtest > /dev/null'
check "rmmod kvm_amd kvm once the VMMs are gone" rmmod kvm_amd kvm
info "cycles run: $STARTED VMs churned ($((LAST - 1)) found), $cyc insmod/rmmod cycles"
echo "1..$T"
exit $FAILED
