#!/bin/bash
# Prometheus's own checker over kvmschedctl metrics' output:
#
#   1. promtool check metrics on the host unit test's fixture render
#      (tests/host/build/test_prom --dump: every metric, an escaped name)
#   2. promtool check metrics on each block the e2e suite
#      tests/e2e/guest-metrics.sh printed between its marker lines (the
#      command's stdout and the daemon's textfile, from a real module); the
#      log of this make check's e2e run is used when it is newer than
#      kvmschedctl, else one kernel is booted for it here
#      (and kvmschedctl(8) names every family the fixture has)
#   3. promtool itself fails a bad exposition (a counter without _total,
#      an unescaped newline in a label value), so a broken check shows
#
#   4. a real scrape: the Prometheus server scrapes the fixture and a guest
#      block served over HTTP on the host (tests/metrics/scrape.py) and its
#      API must return every sample with its value and labels unescaped
#
# A scrape of the guest itself is out of reach: there is no network between
# the host and the sandbox guest, and the daemon serves no HTTP (Debian's
# libmicrohttpd.a needs gnutls and p11-kit, which has no static library).
# Prints ok/not ok lines and "metrics: N passed, N failed"; exits 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
OUT=build/metrics
mkdir -p "$OUT"
pass=0 fail=0

ok()  { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
done_() { echo "metrics: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }

if ! command -v promtool > /dev/null; then
	nok "promtool is installed (scripts/deps.sh: prometheus)"
	done_
fi

# promcheck NAME FILE MIN_FAMILIES: promtool finds no problem and FILE has
# at least MIN_FAMILIES families.
promcheck() {
	local out rc n
	out=$(promtool check metrics < "$2" 2>&1); rc=$?
	n=$(grep -c '^# TYPE ' "$2")
	if [ "$rc" != 0 ] || [ -n "$out" ]; then
		nok "$1: promtool check metrics (exit $rc)" "$out"
	elif [ "$n" -lt "$3" ]; then
		nok "$1: $n families, want >= $3" "$(head -n 20 "$2")"
	else
		ok "$1: promtool check metrics: no problem ($n families, $(grep -vc '^#' "$2") samples)"
	fi
}

# -- 1. the fixture ----------------------------------------------------------
if make -s -C tests/host "$PWD/tests/host/build/test_prom" > "$OUT/build.log" 2>&1 &&
   tests/host/build/test_prom --dump > "$OUT/fixture.prom"; then
	promcheck "fixture (every metric, escaped name)" "$OUT/fixture.prom" 40
else
	nok "build and run tests/host/build/test_prom --dump" "$(tail -n 20 "$OUT/build.log")"
fi

# Every family the renderer writes is in the man page's METRICS section.
if [ -s "$OUT/fixture.prom" ] && command -v groff > /dev/null; then
	man=$(LC_ALL=C MANWIDTH=200 groff -man -Tascii -P-cbou userspace/kvmschedctl.8 2>/dev/null |
		sed -n '/^METRICS/,/^VM SELECTORS/p')
	missing=""
	for n in $(awk '/^# TYPE /{ print $3 }' "$OUT/fixture.prom"); do
		grep -qF -- "$n" <<< "$man" || missing="$missing $n"
	done
	if [ -z "$missing" ]; then ok "kvmschedctl(8) METRICS names every family ($(grep -c '^# TYPE ' "$OUT/fixture.prom"))"
	else nok "kvmschedctl(8) METRICS names every family" "missing:$missing"; fi
fi

# -- 2. from the guest -----------------------------------------------------------
make -s -C userspace > /dev/null 2>&1 || nok "build userspace"
mapfile -t kvers < "$CACHE/kernels.list"
logs=()
for k in "${kvers[@]}"; do
	l=build/e2e-$k-metrics.log
	[ -f "$l" ] && [ "$l" -nt userspace/kvmschedctl ] && logs+=("$l")
done
if [ ${#logs[@]} = 0 ]; then
	k=${KVMS_METRICS_KVER:-${kvers[-1]}}
	echo "# booting $k for tests/e2e/guest-metrics.sh"
	KVMS_RESULTS=/dev/null bash tests/e2e/run.sh -k "$k" tests/e2e/guest-metrics.sh |
		sed 's/^/# /'
	l=build/e2e-$k-metrics.log
	[ -f "$l" ] && [ "$l" -nt userspace/kvmschedctl ] && logs+=("$l")
fi
if [ ${#logs[@]} = 0 ]; then
	nok "an e2e metrics log newer than kvmschedctl"
fi
for l in "${logs[@]}"; do
	name=$(basename "$l" .log)
	rm -f "$OUT/$name".*.prom
	awk -v out="$OUT/$name" '
		{ sub(/\r$/, "") }
		/^=== kvmsched-metrics begin ===$/ { n++; f = out "." n ".prom"; printf "" > f; next }
		/^=== kvmsched-metrics end ===$/ { close(f); f = ""; next }
		f != "" { print >> f }' "$l"
	n=$(ls "$OUT/$name".*.prom 2>/dev/null | wc -l)
	if [ "$n" -lt 2 ]; then
		nok "$l: 2 metrics blocks (the command's, the daemon's), found $n"
		continue
	fi
	ok "$l: $n metrics blocks"
	for f in "$OUT/$name".*.prom; do
		promcheck "$(basename "$f")" "$f" 40
		# A label value with a raw newline would split a sample in two.
		bad=$(grep -vE '^(# (HELP|TYPE) [a-z_][a-z0-9_]* .*|[a-z_][a-z0-9_]*(\{.*\})? (-?[0-9.e+-]+|NaN|[+-]Inf))$' "$f" | head -n 5)
		if [ -z "$bad" ]; then
			ok "$(basename "$f"): every line is a HELP, TYPE or sample line"
		else
			nok "$(basename "$f"): lines that are no HELP, TYPE or sample" "$bad"
		fi
	done
done

# -- 4. a real scrape ---------------------------------------------------------
# The Prometheus server scrapes the fixture and the first guest block, served
# over HTTP on the host (scrape.py); the API must give back every sample.
scrape=("$OUT/fixture.prom")
for l in "${logs[@]}"; do
	f="$OUT/$(basename "$l" .log).1.prom"
	[ -s "$f" ] && { scrape+=("$f"); break; }
done
if ! command -v prometheus > /dev/null; then
	nok "prometheus (the server) is installed (scripts/deps.sh: prometheus)"
else
	for f in "${scrape[@]}"; do
		[ -s "$f" ] || continue
		while IFS= read -r line; do
			case $line in
			"ok - "*) ok "$(basename "$f"): ${line#ok - }" ;;
			"not ok - "*) nok "$(basename "$f"): ${line#not ok - }" ;;
			*) echo "$line" ;;
			esac
		done < <(python3 tests/metrics/scrape.py "$f" 2>&1)
	done
fi

# -- 3. the checker catches problems -------------------------------------------
printf '# HELP x_seconds a\n# TYPE x_seconds counter\nx_seconds 1\n' > "$OUT/bad1.prom"
printf '# HELP x a\n# TYPE x gauge\nx{a="b\nc"} 1\n' > "$OUT/bad2.prom"
for b in bad1 bad2; do
	if out=$(promtool check metrics < "$OUT/$b.prom" 2>&1) && [ -z "$out" ]; then
		nok "promtool rejects $b.prom" "$(cat "$OUT/$b.prom")"
	else
		ok "promtool rejects $b.prom: $(echo "$out" | head -n 1)"
	fi
done
done_
