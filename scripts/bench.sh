#!/bin/bash
# make bench: measurements printed as tables (never pass/fail).
# Every ratio is measured against a baseline in the same boot.
set -uo pipefail	# one failed measurement must not hide the others
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
mapfile -t kvers < "$CACHE/kernels.list"
make -s -C tests/fixtures >/dev/null
make -s -C userspace >/dev/null
mkdir -p build
echo "machine: $(nproc) host CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
echo "         sandbox KVM host = QEMU TCG (single-threaded) with 2 vCPUs, nested SVM"

# want SECTION: run it? BENCH_ONLY="P1 P3" (or P1,P3) runs only those;
# unset, every section (B1 P1 P2 P7 P3 P3B P6 P4 P5).
want() { [ -z "${BENCH_ONLY:-}" ] || [[ " ${BENCH_ONLY//,/ } " == *" $1 "* ]]; }

guest() {	# $1 = kver, $2 = guest script, $3 = tag [, $4 = guest CPUs]; prints the BENCH section
	bash scripts/vmrun.sh --kver "$1" --timeout 900 --smp "${4:-2}" \
		--add tests/fixtures/schedattr:/bin/schedattr \
		--add "build/$1/kmod/kvmsched.ko:/kvmsched/kvmsched.ko" \
		--add tests/fixtures/kvmtest:/bin/kvmtest \
		--add tests/fixtures/memhog:/bin/memhog \
		--add userspace/kvmschedctl:/bin/kvmschedctl \
		--add tests/e2e/lib.sh:/kvmsched/lib.sh \
		--run "$2" --log "build/bench-$3-$1.log" >/dev/null 2>"build/bench-$3-$1.err" ||
		{ echo "bench: $3 on $1 failed, see build/bench-$3-$1.log" >&2; cat "build/bench-$3-$1.err" >&2; return 1; }
	awk '/^BENCH-END/ { p = 0 } p { print } /^BENCH-BEGIN/ { p = 1 }' "build/bench-$3-$1.log" |
		grep -v '^\[ *[0-9]*\.[0-9]*\]'
}

if want B1; then
echo
echo "== B1: kvm_entry hook overhead (exit-heavy VM, 1 vCPU; goal: on >= 99% of off)"
printf '%-24s %14s %14s %8s\n' kernel "off exits/s" "on exits/s" "on/off"
for k in "${kvers[@]}"; do
	bash scripts/build-all.sh "$k" >/dev/null
	guest "$k" tests/bench/guest-overhead.sh overhead > "build/bench-overhead-$k.txt" || continue
	# on/off: each "on" run against the mean of the "off" runs around it
	awk -v k="$k" '$1 == "off" || $1 == "on" { ph[++n] = $1; v[n] = $2 }
		END { for (i = 1; i <= n; i++) if (ph[i] == "off") { off += v[i]; no++ } else { on += v[i]; nn++
			r[++nr] = v[i] / ((v[i - 1] + v[i + 1]) / 2) }
		  for (i = 1; i <= nr; i++) for (j = i + 1; j <= nr; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
		  if (no && nn) printf "%-24s %14.0f %14.0f %7.1f%%  (median of %d paired runs: %.1f%%)\n", k, off / no, on / nn,
			100 * (on / nn) / (off / no), nr, 100 * r[int((nr + 1) / 2)] }' "build/bench-overhead-$k.txt"
	echo "  phases: $(grep -E '^(on|off) ' "build/bench-overhead-$k.txt" | tr '\n' ' ')"
done

fi
if want P1; then
echo
echo "== P1: share accuracy (CPU % per VM; expected = weighted max-min; 8 s per run, same boot)"
echo "   error = max |achieved - expected| over the scenario's VMs, in percentage points"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-shares-bench.sh p1 > "build/bench-p1-$k.txt" || continue
	echo "-- $k"
	awk -F'|' '$1 == "P1" {
		n = split($4, e, ","); split($5, g, ",")
		m = 0; for (i = 1; i <= n; i++) { d = g[i] - e[i]; if (d < 0) d = -d; if (d > m) m = d }
		err[$2, $3] = m; got[$2, $3] = $5; ex[$2] = $4
		if (!($2 in seen)) { seen[$2] = 1; order[++ns] = $2 }
		if (m > worst[$3]) worst[$3] = m
	} END {
		printf "%-24s %-12s %-18s %-18s %-18s %6s %6s %6s\n", "scenario", "expected", "plain", "cgroup v2", "kvmsched", "err:pl", "cg", "kvms"
		for (i = 1; i <= ns; i++) { s = order[i]
			printf "%-24s %-12s %-18s %-18s %-18s %6.1f %6.1f %6.1f\n", s, ex[s], got[s, "plain"],
				got[s, "cgroup"], got[s, "kvmsched"], err[s, "plain"], err[s, "cgroup"], err[s, "kvmsched"] }
		printf "%-24s %-12s %-18s %-18s %-18s %6.1f %6.1f %6.1f\n", "max error (pp)", "", "", "", "",
			worst["plain"], worst["cgroup"], worst["kvmsched"]
	}' "build/bench-p1-$k.txt"
done

fi
if want P2; then
echo
echo "== P2: reservations and limits (mcpu received, 8 s per run, same boot; 2 CPUs)"
echo "   reservation: received / reserved (goal >= 98 %); cgroup v2 has no floor: its VM gets the"
echo "   largest cpu.weight (10000) against hogs at 10000. limit: received / limit (goal <= 102 %)"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-bounds-bench.sh p2 > "build/bench-p2-$k.txt" || continue
	echo "-- $k"
	awk -F'|' '$1 == "P2" {
		got[$2, $3] = $5; tgt[$2] = $4
		if (!($2 in seen)) { seen[$2] = 1; order[++ns] = $2 }
	} /^# / { notes = notes "  " $0 "\n" } END {
		printf "%-40s %7s %16s %16s %16s\n", "scenario", "target", "plain", "cgroup v2", "kvmsched"
		for (i = 1; i <= ns; i++) { s = order[i]
			printf "%-40s %7d", s, tgt[s]
			split("plain cgroup kvmsched", st, " ")
			for (j = 1; j <= 3; j++) printf " %6d (%5.1f%%)", got[s, st[j]], 100 * got[s, st[j]] / tgt[s]
			printf "\n" }
		printf "%s", notes
	}' "build/bench-p2-$k.txt"
done

fi
if want P7; then
echo
echo "== P7: balloon policy (3 VMs x 192 MiB; host pushed to 17 % / 10 % available; balloon_period_ms 1000)"
echo "   promised = guest RAM - final target; given = guest RAM - balloon actual; rss = VMM RSS drop (MiB)"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-balloon-bench.sh p7 > "build/bench-p7-$k.txt" || continue
	echo "-- $k"
	awk -F'|' 'BEGIN { printf "  %-24s %-6s %7s %8s %9s %7s %5s\n", "run", "VM", "shares", "min_mib", "promised", "given", "rss" }
		$1 == "P7" { printf "  %-24s %-6s %7d %8d %9d %7d %5d\n", $2, $3, $4, $5, $6, $7, $8 }
		$1 == "P7C" { printf "  %-24s %-58s %3d periods\n", $2, $3, $4 }
		/^# / { print "  " $0 }' "build/bench-p7-$k.txt"
done

fi
if want P3; then
echo
echo "== P3: latency class (1 guest CPU; a 1-vCPU VM burning ~400 us per ~1 ms at weight 250 beside"
echo "   three 2-vCPU hogs at 100: its share 454 mcpu; medians of 3 rounds of 8 s, same boot)"
echo "   wait = its thread's schedstat run_delay / pcount (ns per run, in the guest); p99 = the"
echo "   module's wake latency histogram (log2 bucket top, ns); x FIFO = wait / SCHED_FIFO's wait"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-latclass-bench.sh p3 1 > "build/bench-p3-$k.txt" || continue
	echo "-- $k"
	awk -F'|' 'function med(s,   n, a, i, j, t) { n = split(s, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return a[int((n + 1) / 2)] }
		$1 == "P3" { w[$2] = w[$2] " " $4; p[$2] = p[$2] " " $6; c[$2] = c[$2] " " $7; h[$2] = $8
			if (!($2 in seen)) { seen[$2] = 1; order[++ns] = $2 } }
		END { printf "  %-24s %12s %8s %12s %8s  %s\n", "phase", "wait (ns)", "x FIFO", "p99 (ns)", "L mcpu", "hogs mcpu (last round)"
			f = med(w["SCHED_FIFO by hand"]); if (f < 1) f = 1
			for (i = 1; i <= ns; i++) { s = order[i]
				printf "  %-24s %12d %8.2f %12s %8d  %s\n", s, med(w[s]), med(w[s]) / f, med(p[s]), med(c[s]), h[s] }
			for (i = 1; i <= ns; i++) printf "  %s rounds: %s\n", order[i], w[order[i]] }' "build/bench-p3-$k.txt"
done

fi
if want P3B; then
echo
echo "== P3 burst boost (1 guest CPU; a 1-vCPU VM burning ~200 us per ~2 ms beside three 2-vCPU"
echo "   hogs, all at the default weight; medians of 3 rounds of 8 s, same boot); wait and p99 as"
echo "   above; shares: each VM's CPU as a percentage of the total (VM, hogs)"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-burst-bench.sh p3b 1 > "build/bench-p3b-$k.txt" || continue
	echo "-- $k"
	awk -F'|' 'function med(s,   n, a, i, j, t) { n = split(s, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return a[int((n + 1) / 2)] }
		$1 == "P3B" { w[$2] = w[$2] " " $4; p[$2] = p[$2] " " $5; n = split($6, c, " ")
			t = 0; for (i = 1; i <= n; i++) t += c[i]
			for (i = 1; i <= n; i++) { s[$2, i] = s[$2, i] " " (t ? 100 * c[i] / t : 0) }
			if (!($2 in seen)) { seen[$2] = 1; order[++ns] = $2 } }
		END { printf "  %-12s %12s %12s  %s\n", "phase", "wait (ns)", "p99 (ns)", "shares % (VM, hog 1-3)"
			for (k = 1; k <= ns; k++) { o = order[k]
				printf "  %-12s %12d %12s  %.1f %.1f %.1f %.1f\n", o, med(w[o]), med(p[o]),
					med(s[o, 1]), med(s[o, 2]), med(s[o, 3]), med(s[o, 4]) }
			if (ns == 2) { m = 0; for (i = 1; i <= 4; i++) { d = med(s[order[2], i]) - med(s[order[1], i]); if (d < 0) d = -d; if (d > m) m = d }
				printf "  largest share change on/off: %.1f pp; wait on/off: %.2f\n", m, med(w[order[2]]) / (med(w[order[1]]) + 0.001) } }' "build/bench-p3b-$k.txt"
done

fi
if want P6; then
echo
echo "== P6: policy recompute (entitlements + nice mix), N VMs x 4 vCPUs; goal <= 100 us at 1000"
echo "   kmod/policy.c compiled unchanged for userspace (tests/bench/shim), native CPU, best of 200"
gcc -O2 -Wall -Wextra -Itests/bench/shim -o build/policy_bench tests/bench/policy_bench.c kmod/policy.c
build/policy_bench

fi
if want P4; then
echo
echo "== P4: wake latency measurement cost per VM entry (kmod/lathist.c and the probe's test, native CPU)"
echo "   There is no probe on context switches: other threads' switches cost nothing; the"
echo "   VM-entry cost with the module loaded is in the kvm_entry overhead table above."
gcc -O2 -Wall -Wextra -Itests/bench/shim -o build/lat_bench tests/bench/lat_bench.c kmod/lathist.c
build/lat_bench

fi
if want P5; then
echo
echo "== Control plane (P5 set -> applied): netlink set latency, dump of 1000 VMs (times in us, emulated guest)"
for k in "${kvers[@]}"; do
	guest "$k" tests/bench/guest-netlink-bench.sh nl > "build/bench-nl-$k.txt" || continue
	echo "-- $k"
	awk -F'|' '$1 == "NL" { printf "  %-62s %10d us\n", $2, $3 } /^# / { print "  " $0 }' "build/bench-nl-$k.txt"
done
fi
