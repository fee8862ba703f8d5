#!/bin/sh
# End-to-end test of the per-VM wake latency histogram (kmod/lathist.c)
# against an independent measurement of the same wakeups: the kernel's own
# sched_wakeup and sched_switch trace events (tracefs), recorded over exactly
# the module's windows (tracing starts and stops when a window is published).
#
# The trace applies the module's rule to its own events: between two
# kvm_entry events of a vCPU thread, exactly one switch-in, one blocking
# switch-out and no preemption make a wakeup, whose wait is the time from
# sched_wakeup to that switch-in; other runs are skipped. The shell marks
# each window's publication in the trace (trace_marker) as it sees it, and
# the trace is read between the first and the last mark. Tolerances: the
# trace has microsecond timestamps and a boundary slack of one poll (~10 ms
# of 7.5 s). Counts agree within 20 %, p50 and p99 within one log2 bucket.
# The kernel charges a wakeup that preempts the running task (or an idle
# CPU) as ~0 ns (its rq clock is not updated at that switch; the trace
# shows tens of us here): those land in bucket 0 for the module only.
# The maximum is one wait, and one long wait that straddles the first or
# last window's edge is in one count and not the other: two buckets.
. /kvmsched/lib.sh
echo "KTAP version 1"
TR=/sys/kernel/tracing
WINDOWS=3
# Windows of 10 periods of 250 ms: 2.5 s, so the shell's poll (slow on the
# debug kernel) never misses one (a gap between marks says so if it does).
PERIOD_MS=250

check "insmod kvmsched" load_kvmsched
check "config period_ms=$PERIOD_MS" kvmschedctl config period_ms=$PERIOD_MS
# a 2-vCPU VM that wakes ~50 times a second per vCPU, beside a 2-vCPU hog
check "start a waking VM and a hog" start_vms /tmp/l.out 2:halt@50 2:spin
set -- $VMPIDS; L=$1
LT=$(vm_tids /tmp/l.out 0)
D=$(vm_dir "$L")
set -- $LT; t1=$1; t2=$2

mount -t tracefs nodev $TR 2>/dev/null
check "tracefs with sched events" test -d $TR/events/sched/sched_switch
echo 0 > $TR/tracing_on
echo mono > $TR/trace_clock 2>/dev/null || echo global > $TR/trace_clock
echo 4096 > $TR/buffer_size_kb
echo "pid == $t1 || pid == $t2" > $TR/events/sched/sched_wakeup/filter
echo "prev_pid == $t1 || prev_pid == $t2 || next_pid == $t1 || next_pid == $t2" \
	> $TR/events/sched/sched_switch/filter
echo 1 > $TR/events/sched/sched_wakeup/enable
echo 1 > $TR/events/sched/sched_switch/enable
echo "common_pid == $t1 || common_pid == $t2" > $TR/events/kvm/kvm_entry/filter
echo 1 > $TR/events/kvm/kvm_entry/enable
: > $TR/trace

# One window's figures, read by one process: count skipped max hist...
snap() { cat "$D/wake_latency_count" "$D/wake_latency_skipped" \
	"$D/wake_latency_max_ns" "$D/wake_latency_hist" | tr '\n' ' '; }
# wait (up to 10 s) until the published window changes from "$1", then
# mark the moment in the trace; the new window's figures go to $SNAP
next_window() {
	local _i=0
	while SNAP=$(snap); [ "$SNAP" = "$1" ]; do
		_i=$((_i + 1)); [ $_i -gt 1000 ] && return 1
		usleep 10000
	done
	# The four files are read one after another: a window published
	# between two of them gives a torn snapshot, and the next call would
	# take the rest of that window as a new one (once on 6.12: windows 1, 2
	# had the same skipped count and maximum, the module 825 runs
	# against the kernel's 785). Read again until two reads agree.
	while _s=$(snap); [ "$_s" != "$SNAP" ]; do SNAP=$_s; done
	echo "kvms-window" > $TR/trace_marker
}

sleep 2
echo 1 > $TR/tracing_on
# arrivals on a CPU of the two vCPU threads, the kernel's own count
# (/proc/PID/task/TID/schedstat, third field: sched_info.pcount)
pcounts() { cat /proc/$L/task/$t1/schedstat /proc/$L/task/$t2/schedstat | awk '{ s += $3 } END { print s }'; }
pc_pre=$(pcounts)
check "a window is published" next_window "$(snap)"
pc0=$(pcounts)
hist="" count=0 skipped=0 max=0 w=0 ok=1 pc_last=$pc0
while [ $w -lt $WINDOWS ]; do
	[ $w -eq $((WINDOWS - 1)) ] && pc_last=$(pcounts)
	next_window "$SNAP" || { ok=0; break; }
	set -- $SNAP
	c=$1 k=$2 m=$3; shift 3; h="$*"
	w=$((w + 1))
	count=$((count + c)); skipped=$((skipped + k))
	[ "$m" -gt "$max" ] && max=$m
	hist=$(echo "$hist|$h" | awk -F'|' '{ n = split($1, a, " "); m = split($2, b, " ");
		for (i = 1; i <= 32; i++) printf "%d%s", (i <= n ? a[i] : 0) + b[i], i < 32 ? " " : "\n" }')
	info "window $w: count $c skipped $k max $m"
done
pc1=$(pcounts)
echo 0 > $TR/tracing_on
check "$WINDOWS windows seen while tracing" test $ok = 1
echo 0 > $TR/events/sched/sched_wakeup/enable
echo 0 > $TR/events/sched/sched_switch/enable
echo 0 > $TR/events/kvm/kvm_entry/enable

# The trace's wakeups: "bucket" is lathist.c's kvms_lat_bucket() (0: < 1024 ns,
# i: 2^(9+i)..2^(10+i)-1 ns), on delays in ns from microsecond timestamps.
grep -E 'sched_(wakeup|switch):|kvm_entry:|kvms-window' $TR/trace > /tmp/trace.txt
info "trace lines: $(wc -l < /tmp/trace.txt)"
awk '
function bucket(ns,   b) { if (ns < 1024) return 0; b = 0; while (ns >= 1024) { ns = ns / 2; b++ } return b > 31 ? 31 : b }
function num(re, off) { if (!match($0, re)) return ""; return substr($0, RSTART + off, RLENGTH - off) }
{
	if (!match($0, / [0-9]+\.[0-9]+: /)) next
	ts = substr($0, RSTART + 1, RLENGTH - 3)
	if ($0 ~ /kvms-window/) {
		if (marks && ts - lastmark > gap) gap = ts - lastmark
		marks++; lastmark = ts; next
	}
	# only between the first and the last window mark
	if (marks < 1 || marks > windows) next
	if ($0 ~ /kvm_entry:/) {
		match($0, /-[0-9]+ +\[[0-9]+\]/); p = $0; p = substr(p, RSTART + 1, RLENGTH - 1); sub(/ .*/, "", p)
		if (armed[p]) {
			if (dp[p] == 1 && dnv[p] == 1 && dniv[p] == 0 && (p in wait)) {
				h[bucket(wait[p])]++; n++; if (wait[p] > mx) mx = wait[p]
			} else if (dp[p] > 0) {
				skip++
			}
		}
		armed[p] = 1; dp[p] = 0; dnv[p] = 0; dniv[p] = 0; delete wait[p]
	} else if ($0 ~ /sched_wakeup:/) {
		p = num(" pid=[0-9]+", 5); woke[p] = ts
	} else {
		pp = num("prev_pid=[0-9]+", 9); st = num("prev_state=[^ ]+", 11); np = num("next_pid=[0-9]+", 9)
		if (pp == t1 || pp == t2) { if (st ~ /^R/) dniv[pp]++; else dnv[pp]++ }
		if (np == t1 || np == t2) {
			dp[np]++
			if (np in woke) { ns = (ts - woke[np]) * 1e9; wait[np] = ns < 0 ? 0 : ns; delete woke[np] }
		}
	}
}
END {
	printf "%d %d %d %.3f", n, mx, skip, gap
	for (i = 0; i < 32; i++) printf " %d", h[i] + 0
	printf "\n"
}' t1="$t1" t2="$t2" windows="$WINDOWS" /tmp/trace.txt > /tmp/ftrace.hist
read -r fn fmax fskip fgap fhist < /tmp/ftrace.hist
info "module: $count wakeups ($skipped skipped), max $max ns, hist $hist"
info "trace:  $fn wakeups ($fskip skipped), max $fmax ns, hist $fhist"
info "marks: $(grep -c kvms-window /tmp/trace.txt), longest gap $fgap s; lost events: $(grep -c 'LOST' $TR/trace)"

# percentile bucket of a 32-count histogram ($1 = pct, rest = counts)
pct_bucket() {
	echo "$@" | awk '{ p = $1; n = 0; for (i = 2; i <= 33; i++) n += $i
		r = int((n * p + 99) / 100); if (r < 1) r = 1; c = 0
		for (i = 2; i <= 33; i++) { c += $i; if (c >= r) { print i - 2; exit } } print -1 }'
}
bucket_near() { [ "$1" -ge 0 ] && [ "$2" -ge 0 ] && [ $(( $1 - $2 )) -le 1 ] && [ $(( $2 - $1 )) -le 1 ]; }
mp50=$(pct_bucket 50 $hist); fp50=$(pct_bucket 50 $fhist)
mp99=$(pct_bucket 99 $hist); fp99=$(pct_bucket 99 $fhist)

# the longest time between two marks: one window (2.5 s) plus the poll
check "no window missed between the marks (longest gap $fgap s, window $((PERIOD_MS * 10)) ms)" \
	awk -v g="$fgap" -v w="$PERIOD_MS" 'BEGIN { exit !(g > 0 && g < w * 10 * 1.5 / 1000) }'
# The module sees the kernel's arrivals at VM entries: one wakeup or one
# skipped run per stretch between two entries that had any (several
# switches in one stretch count once), so never more than the kernel's
# pcount moved, and most of them (at least 60 %: 78 % seen on the debug
# kernel). The windows are published in the kernel and seen here up to a
# poll later (on the debug kernel up to a second: 433 runs against a
# pcount delta of 366 read after the marks), so the reads bracket them:
# pcount from before the first window began to after the last one ended
# bounds the module from above (slack 4: the marks' own poll), and from
# after the first began to before the last ended (a shorter stretch) from
# below.
arr=$((count + skipped)) kpc=$((pc1 - pc_pre)) kin=$((pc_last - pc0)) tarr=$((fn + fskip))
info "runs: module $arr, the kernel's pcount delta $kpc around the windows, $kin inside them, trace $tarr"
check "module runs $arr <= the kernel's pcount delta $kpc (+4) around the windows, >= 60 % of its $kin inside them" \
	test "$arr" -le $((kpc + 4)) -a $((arr * 100)) -ge $((kin * 60))
check "the trace saw wakeups ($fn, want >= 30 over $WINDOWS windows)" test "${fn:-0}" -ge 30
# Under emulation the trace sometimes holds a third fewer runs than the
# module over the same marks (no LOST events, no overrun; seen once in 8 on
# 6.1): then its wakeups cannot be compared one for one.
if [ $((tarr * 100)) -ge $((arr * 85)) ]; then
	check "module count $count within 20 % of the trace's $fn" within_pct "$count" "$fn" 20
else
	skip "module count $count vs the trace's $fn" "the trace holds $tarr of the module's $arr runs"
fi
check "median bucket: module $mp50, trace $fp50 (at most one apart)" bucket_near "$mp50" "$fp50"
check "p99 bucket: module $mp99, trace $fp99 (at most one apart)" bucket_near "$mp99" "$fp99"
mb=$(echo "$max" | awk '{ b = 0; n = $1; while (n >= 1024) { n /= 2; b++ } print b }')
fb=$(echo "$fmax" | awk '{ b = 0; n = $1; while (n >= 1024) { n /= 2; b++ } print b }')
# The longest wait is one sample: both usually hold the very same wait, but
# the module's windows and the trace's marks are a poll apart at their ends
# (see above), so one long wait can fall in only one of them (CI once: the
# module's 74 ms, the trace's 16 ms). So: the module's max is the top of
# its own histogram, and at most 1 % of either's waits lie more than two
# buckets above the other's longest.
check "module max $max ns is in its histogram's top bucket ($mb)" \
	test "$(echo $hist | awk '{ t = -1; for (i = 1; i <= NF; i++) if ($i > 0) t = i - 1; print t }')" = "$mb"
# few_above B COUNTS...: at most 1 % of the waits lie in buckets above B + 2.
few_above() {
	echo "$@" | awk '{ a = 0; n = 0; for (i = 2; i <= NF; i++) { n += $i; if (i - 2 > $1 + 2) a += $i }
		exit !(n > 0 && a * 100 <= n) }'
}
# shellcheck disable=SC2086 # the histograms: one word per bucket
both_few_above() { few_above "$fb" $hist && few_above "$mb" $fhist; }
check "max: module $max ns (bucket $mb), trace $fmax ns (bucket $fb): <= 1 % of either's waits more than two buckets above the other's max" \
	both_few_above
check "p50 file is its bucket's upper end or the max" \
	test "$(cat "$D/wake_latency_p50_ns")" -le "$(cat "$D/wake_latency_max_ns")"

# -- a hog that never blocks has no wakeups, only skipped (preempted) runs ---
set -- $VMPIDS; H=$2
HD=$(vm_dir "$H")
check "the spinning hog's windows hold (almost) no wakeups ($(cat "$HD/wake_latency_count"))" \
	test "$(cat "$HD/wake_latency_count")" -le 5

stop_vms
check "rmmod kvmsched" rmmod kvmsched
echo "1..$T"
exit $FAILED
