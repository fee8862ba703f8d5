#!/bin/bash
# Host tests of kvmschedctl: no kernel module and no root needed.
#
#   1. build userspace/kvmschedctl (-Wall -Wextra -Werror; static when possible)
#   2. unit tests of the pure code of userspace/lib, one program per unit
#      (tests/host/test_parse.c, test_format.c, test_json.c, test_table.c,
#      test_events.c, test_names.c, test_stats.c; test_decode.c: replies and
#      netlink errors from raw bytes), under ASan+UBSan,
#      plus a harness self-check (a build with one deliberately false check
#      must report exactly that failure)
#   3. the binary without the module: every command that talks to the kernel
#      says the module is not loaded and exits 1; usage errors exit 2 before
#      any netlink; help exits 0
#   4. the man page renders without groff warnings and documents every command
#   5. the libFuzzer target over the parsers, escapers and decoders (if
#      clang can build it),
#      KVMS_FUZZ_RUNS inputs (default 100000; 0 skips)
#
# Prints "ok"/"not ok" lines and ends with "host: N passed, N failed" (and
# ", N skipped" when some were); exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
HOST=tests/host
OUT=$HOST/build
BIN=userspace/kvmschedctl
FUZZ_RUNS=${KVMS_FUZZ_RUNS:-100000}
mkdir -p "$OUT"
pass=0 fail=0 skip=0

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
nok()  { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
skip() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

# --- 1. build ---------------------------------------------------------------
if out=$(make -s -C userspace 2>&1); then
	ok "build userspace/kvmschedctl (-Wall -Wextra -Werror)"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
else
	nok "build userspace/kvmschedctl (-Wall -Wextra -Werror)" "$out"
fi

# --- 2. unit tests ------------------------------------------------------------
if out=$(make -s -C $HOST 2>&1); then
	for t in $(make -s -C $HOST print-tests); do
		out=$($OUT/$t 2>&1); rc=$?
		printf '%s\n' "$out" | grep -v "^$t: " || true
		sum=$(printf '%s\n' "$out" | sed -n "s/^$t: \([0-9]*\) passed, \([0-9]*\) failed\$/\1 \2/p")
		if [ -n "$sum" ]; then
			set -- $sum
			pass=$((pass + $1)); fail=$((fail + $2))
			echo "# $t: $1 passed, $2 failed"
			[ "$rc" = 0 ] || [ "$2" != 0 ] || nok "$t exit status $rc"
		else
			nok "$t: no summary (crashed? exit $rc)" "$(printf '%s\n' "$out" | tail -n 20)"
		fi
	done
	out=$($OUT/test_parse_selftest 2>&1); rc=$?
	if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q '^test_parse: [0-9]* passed, 1 failed$' &&
	   printf '%s\n' "$out" | grep -q '^not ok - .*1 + 1: got 2, want 3'; then
		ok "harness self-check: a false check is reported and fails the run"
	else
		nok "harness self-check: a false check is reported and fails the run" "$out"
	fi
else
	nok "build tests/host (ASan+UBSan)" "$out"
fi

# --- 3. the binary ------------------------------------------------------------
# expect NAME RC STDERR_REGEX [STDOUT_REGEX] -- ARGS...
# (with XENV=(VAR=VALUE...) set, in that environment)
XENV=()
expect() {
	local name=$1 want=$2 err_re=$3 out_re=$4 rc
	shift 5
	env ${XENV[@]+"${XENV[@]}"} "$BIN" "$@" > "$OUT/stdout" 2> "$OUT/stderr"; rc=$?
	if [ "$rc" != "$want" ]; then
		nok "$name: exit $rc, want $want" "$(cat "$OUT/stdout" "$OUT/stderr" | head -n 5)"
	elif [ -n "$err_re" ] && ! grep -qE -- "$err_re" "$OUT/stderr"; then
		nok "$name: stderr lacks /$err_re/" "$(head -n 5 "$OUT/stderr")"
	elif [ -z "$err_re" ] && [ -s "$OUT/stderr" ]; then
		nok "$name: unexpected stderr" "$(head -n 5 "$OUT/stderr")"
	elif [ -n "$out_re" ] && ! grep -qE -- "$out_re" "$OUT/stdout"; then
		nok "$name: stdout lacks /$out_re/" "$(head -n 5 "$OUT/stdout")"
	else
		ok "$name"
	fi
}

if [ -x "$BIN" ]; then
	if [ "${STATIC:-}" = 0 ]; then
		skip "kvmschedctl is statically linked" "STATIC=0"
	elif ! command -v readelf > /dev/null; then
		skip "kvmschedctl is statically linked" "readelf (binutils) not installed"
	elif ! readelf -lW "$BIN" | grep -q 'Requesting program interpreter' &&
	     ! readelf -dW "$BIN" 2>/dev/null | grep -q NEEDED; then
		ok "kvmschedctl is statically linked (for the busybox guest)"
	else
		nok "kvmschedctl is statically linked" "$(readelf -dW "$BIN" | grep NEEDED)"
	fi

	NL='^kvmschedctl: kvmsched module is not loaded \(generic netlink family "kvmsched" not found\)$'
	if [ -e /sys/module/kvmsched ]; then
		skip "no module: list says it is not loaded" "kvmsched is loaded here"
	else
		"$BIN" list > "$OUT/stdout" 2> "$OUT/stderr"; rc=$?
		if [ "$rc" = 1 ] && [ ! -s "$OUT/stdout" ] &&
		   [ "$(cat "$OUT/stderr")" = 'kvmschedctl: kvmsched module is not loaded (generic netlink family "kvmsched" not found)' ]; then
			ok "no module: 'kvmschedctl list' says exactly that it is not loaded, exit 1"
		else
			nok "no module: 'kvmschedctl list' says it is not loaded, exit 1 (got $rc)" \
				"$(cat "$OUT/stdout" "$OUT/stderr")"
		fi
		expect "no module: -j list exits 1"		1 "$NL" "" -- -j list
		expect "no module: show 1 exits 1"		1 "$NL" "" -- show 1
		expect "no module: show name:web1 exits 1"	1 "$NL" "" -- show name:web1
		expect "no module: set 1 name=x exits 1"	1 "$NL" "" -- set 1 name=x
		expect "no module: config exits 1"		1 "$NL" "" -- config
		expect "no module: config period_ms=100 exits 1" 1 "$NL" "" -- config period_ms=100
		expect "no module: watch exits 1"		1 "$NL" "" -- watch --count 1 --timeout 1
		expect "no module: top exits 1"			1 "$NL" "" -- top -n 1
		expect "no module: list -l exits 1"		1 "$NL" "" -- list -l
		expect "no module: metrics exits 1"		1 "$NL" "" -- metrics
		expect "no module: latency 1 exits 1"		1 "$NL" "" -- latency 1
		expect "no module: metrics --textfile exits 1, writes nothing"	1 "$NL" "" -- metrics --textfile "$OUT/no.prom"
		[ ! -e "$OUT/no.prom" ] || nok "no module: metrics --textfile wrote $OUT/no.prom"
		# Accepted locally (ends of the ranges, consistent pairs): sent.
		expect "no module: set bounds at their ends are sent"	1 "$NL" "" -- \
			set 1 reservation_mcpu=1024000 limit_mcpu=0 mem_shares=10000 mem_min_mib=16777216 mem_max_mib=0
		expect "no module: set reservation_mcpu = limit_mcpu is sent"	1 "$NL" "" -- \
			set 1 reservation_mcpu=500 limit_mcpu=500 mem_min_mib=0 mem_max_mib=16777216 mem_shares=1
		# A latency VM takes a reservation and a limit (no local refusal).
		expect "no module: set class=latency with a reservation, a limit and latency_us=10000 is sent"	1 "$NL" "" -- \
			set 1 class=latency reservation_mcpu=200 limit_mcpu=500 latency_us=10000
		expect "no module: set latency_us=1000 is sent"	1 "$NL" "" -- set 1 latency_us=1000
		expect "no module: config tunables at their ends are sent"	1 "$NL" "" -- \
			config reserve_headroom_pct=50 mem_low_pct=90 mem_critical_pct=89 mem_hysteresis_pct=5 \
			balloon_step_pct=100 balloon_min_step_bp=10000 idle_tax_pct=99 balloon_max_pct=90 \
			balloon_period_ms=600000 mem_psi_reclaim_bp=10000
		expect "no module: config tunables at their other ends are sent"	1 "$NL" "" -- \
			config reserve_headroom_pct=0 mem_low_pct=1 mem_critical_pct=0 mem_hysteresis_pct=50 \
			balloon_step_pct=1 balloon_min_step_bp=0 idle_tax_pct=0 balloon_max_pct=0 \
			balloon_period_ms=100 mem_psi_reclaim_bp=0
		expect "no module: config burst_boost=1 burst_threshold_us=100 is sent"	1 "$NL" "" -- \
			config burst_boost=1 burst_threshold_us=100
		expect "no module: config burst_boost=0 burst_threshold_us=100000 is sent"	1 "$NL" "" -- \
			config burst_boost=0 burst_threshold_us=100000
		expect "no module: -j config exits 1"		1 "$NL" "" -- -j config
		# The testing aids let bad values past the local checks, to
		# the kernel (here: to the missing family).
		XENV=(KVMSCHEDCTL_NO_LOCAL_CHECKS=1)
		expect "no local checks: set 1 weight=0 goes to the kernel"	1 "$NL" "" -- set 1 weight=0
		expect "no local checks: set 1 class=2 goes to the kernel"	1 "$NL" "" -- set 1 class=2
		expect "no local checks: set 1 latency_us=999 goes to the kernel"	1 "$NL" "" -- set 1 latency_us=999
		expect "no local checks: set 1 'name=a b' goes to the kernel"	1 "$NL" "" -- set 1 "name=a b"
		expect "no local checks: set 1 with nothing goes to the kernel"	1 "$NL" "" -- set 1
		expect "no local checks: show 0 goes to the kernel"		1 "$NL" "" -- show 0
		expect "no local checks: config period_ms=9 goes to the kernel"	1 "$NL" "" -- config period_ms=9
		expect "no local checks: config nr_vms=1 goes to the kernel"	1 "$NL" "" -- config nr_vms=1
		expect "no local checks: set 1 limit_mcpu=2000000 goes to the kernel"	1 "$NL" "" -- set 1 limit_mcpu=2000000
		expect "no local checks: reservation above limit goes to the kernel"	1 "$NL" "" -- \
			set 1 reservation_mcpu=900 limit_mcpu=500
		expect "no local checks: config mem_critical_pct=50 mem_low_pct=10 goes to the kernel"	1 "$NL" "" -- \
			config mem_critical_pct=50 mem_low_pct=10
		expect "no local checks: config capacity_mcpu=1 goes to the kernel"	1 "$NL" "" -- config capacity_mcpu=1
		expect "no local checks: config mem_state=2 goes to the kernel"	1 "$NL" "" -- config mem_state=2
		expect "no local checks: config burst_boost=2 goes to the kernel"	1 "$NL" "" -- config burst_boost=2
		expect "no local checks: config burst_threshold_us=99 goes to the kernel"	1 "$NL" "" -- config burst_threshold_us=99
		XENV=(KVMSCHEDCTL_EXTRA_ATTR=99:5)
		expect "extra attribute: a valid TYPE:VALUE is accepted"	1 "$NL" "" -- list
		XENV=()
	fi
	# The testing aids still check syntax, and are checked themselves.
	XENV=(KVMSCHEDCTL_NO_LOCAL_CHECKS=1)
	expect "no local checks: weight=abc is still a usage error"	2 "weight: 'abc' is not a number" "" -- set 1 weight=abc
	expect "no local checks: class=foo is still a usage error"	2 "class: unknown value 'foo' \(accepted: shares\|background\|realtime\|latency\)" "" -- set 1 class=foo
	expect "no local checks: an unknown key is still a usage error"	2 "unknown key 'color'" "" -- set 1 color=1
	XENV=(KVMSCHEDCTL_NO_LOCAL_CHECKS=0)
	expect "KVMSCHEDCTL_NO_LOCAL_CHECKS=0 checks"	2 "weight: 0 is out of range \(accepted: 1-10000\)" "" -- set 1 weight=0
	for v in abc 0 16384 1:x 1: 1:4294967296 99999999999999999; do
		XENV=("KVMSCHEDCTL_EXTRA_ATTR=$v")
		expect "KVMSCHEDCTL_EXTRA_ATTR=$v is a usage error"	2 "KVMSCHEDCTL_EXTRA_ATTR: '$v' is not TYPE\[:VALUE\] \(TYPE 1-16383" "" -- list
	done
	XENV=()

	# The policy files (rules, reload): checked without the module.
	PD="$OUT/policy"
	rm -rf "$PD" && mkdir -p "$PD/conf.d"
	printf 'config:\n  period_ms: 50\nrules:\n  - name: "web*"\n    set: { weight: 200 }\n' > "$PD/kvmsched.conf"
	printf 'rules:\n  - uuid: 6e1d7c4a-0000-4000-8000-00000000ab01\n    set: { class: background }\n' > "$PD/conf.d/10-a.conf"
	expect "rules --check: a good policy"	0 "" "^policy $PD: 2 rules, 1 config key from 2 files$" -- rules --check --config "$PD"
	expect "rules -j --check: the policy as JSON"	0 "" '^\{"policy":\{"path":".*/policy","files":2,"config":\{"period_ms":50\},"rules":\[\{"index":1,"where":".*/kvmsched.conf:4","name":"web\*","set":\{"weight":200\}\},\{"index":2,"where":".*/conf.d/10-a.conf:2","uuid":"6e1d7c4a-0000-4000-8000-00000000ab01","set":\{"class":"background"\}\}\]\}\}$' -- -j rules --check --config "$PD"
	expect "rules: without the module"	1 "$NL" "^config period_ms=50 \($PD/kvmsched.conf:2\)$" -- rules --config "$PD"
	printf 'rules:\n  - name: "web*"\n    set: { weight: 10001 }\n' > "$PD/conf.d/20-b.conf"
	expect "rules --check: out of range, FILE:LINE:COLUMN and the range" 1 \
		"^kvmschedctl: $PD/conf.d/20-b.conf:3:20: rule 3: weight: 10001 is out of range \(accepted: 1-10000\)$" "" -- rules --check --config "$PD"
	printf 'rules:\n  - name: "web*"\n    set: { weight: 300 }\n' > "$PD/conf.d/20-b.conf"
	expect "rules --check: conflicting rules" 1 \
		"^kvmschedctl: $PD/conf.d/20-b.conf:2:11: rule 3: conflicts with rule 1 at $PD/kvmsched.conf:4: both match name 'web\*'$" "" -- rules --check --config "$PD"
	printf 'rules:\n  - name: x\n    set: { weight: 3 \n' > "$PD/conf.d/20-b.conf"
	expect "rules --check: YAML syntax"	1 "^kvmschedctl: $PD/conf.d/20-b.conf:4:1: YAML syntax: " "" -- rules --check --config "$PD"
	expect "reload: a bad file is not signalled" 1 "^kvmschedctl: reload: $PD/conf.d/20-b.conf:4:1: .*; the daemon was not signalled$" "" -- reload --config "$PD" --pid-file "$PD/none"
	rm -f "$PD/conf.d/20-b.conf"
	expect "reload: no pid file"		1 "^kvmschedctl: reload: $PD/none: No such file or directory" "" -- reload --config "$PD" --pid-file "$PD/none"
	echo $$ > "$PD/pid"
	expect "reload: a pid that is not the daemon is not signalled" 1 "is not a running kvmschedctl daemon" "" -- reload --config "$PD" --pid-file "$PD/pid"
	expect "usage: rules --frob"		2 "rules: unknown option '--frob'" "" -- rules --frob
	expect "rules --check: the shipped example is valid" 0 "" "^policy .*: 4 rules, 2 config keys from 1 file$" -- rules --check --config userspace/kvmsched.conf.example
	expect "usage: balloond --config missing file" 2 "policy: /nonexistent.conf: No such file or directory; not starting" "" -- balloond --config /nonexistent.conf --pid-file ""

	# Usage errors: local validation, before any netlink, exit 2.
	expect "usage: no command"		2 "no command given" "" --
	expect "usage: unknown command"		2 "unknown command 'frob'" "" -- frob
	expect "usage: unknown global option"	2 "unknown option '--frob'" "" -- --frob list
	expect "usage: list takes no argument"	2 "unexpected argument 'x'" "" -- list x
	expect "usage: unknown option"		2 "list: unknown option '-x'" "" -- list -x
	expect "usage: show without VM"		2 "which VM\?" "" -- show
	expect "usage: show 0"			2 "VM id 0 is out of range \(accepted: 1-4294967295\)" "" -- show 0
	expect "usage: show 4294967296"		2 "out of range \(accepted: 1-4294967295\)" "" -- show 4294967296
	expect "usage: show -1"			2 "unknown option '-1'" "" -- show -1
	expect "usage: show pid:abc"		2 "invalid pid 'abc'" "" -- show pid:abc
	expect "usage: show name:"		2 "VM name: empty" "" -- show name:
	expect "usage: show vm7"		2 "invalid VM selector 'vm7' \(expected ID, id:ID, pid:PID or name:NAME\)" "" -- show vm7
	expect "usage: set without setting"	2 "nothing to set" "" -- set 1
	expect "usage: set unknown key"		2 "unknown key 'color' \(accepted keys: name, class, weight, reservation_mcpu, limit_mcpu, mem_shares, mem_min_mib, mem_max_mib, rt_priority, rr_quantum_ms, latency_us\)" "" -- set 1 color=5
	expect "usage: set weight=0"		2 "weight: 0 is out of range \(accepted: 1-10000\)" "" -- set 1 weight=0
	expect "usage: set weight=10001"	2 "weight: 10001 is out of range \(accepted: 1-10000\)" "" -- set 1 weight=10001
	expect "usage: set weight=abc"		2 "weight: 'abc' is not a number \(accepted: 1-10000\)" "" -- set 1 weight=abc
	expect "usage: set class=foo"		2 "class: unknown value 'foo' \(accepted: shares\|background\|realtime\|latency\)" "" -- set 1 class=foo
	expect "usage: set rt_priority=0"	2 "rt_priority: 0 is out of range \(accepted: 1-99\)" "" -- set 1 rt_priority=0
	expect "usage: set rt_priority=100"	2 "rt_priority: 100 is out of range \(accepted: 1-99\)" "" -- set 1 rt_priority=100
	expect "usage: set rr_quantum_ms=1001"	2 "rr_quantum_ms: 1001 is out of range \(accepted: 0-1000 ms\)" "" -- set 1 rr_quantum_ms=1001
	expect "usage: set latency_us=999"	2 "^kvmschedctl: set: latency_us: 999 is out of range \(accepted: 1000-10000 us\)$" "" -- set 1 class=latency latency_us=999
	expect "usage: set latency_us=10001"	2 "^kvmschedctl: set: latency_us: 10001 is out of range \(accepted: 1000-10000 us\)$" "" -- set 1 latency_us=10001
	expect "usage: set latency_us=500 (the old default)"	2 "^kvmschedctl: set: latency_us: 500 is out of range \(accepted: 1000-10000 us\)$" "" -- set 1 latency_us=500
	expect "usage: set latency_us=0.5ms"	2 "latency_us: '0.5ms' is not a number \(accepted: 1000-10000 us\)" "" -- set 1 latency_us=0.5ms
	expect "usage: set class=realtime with a limit"	2 "limit_mcpu: 500 with class=realtime \(accepted: 0 with class=realtime; a realtime VM takes no reservation or limit\)" "" -- set 1 class=realtime limit_mcpu=500
	expect "usage: config rt_throttled_periods is read-only"	2 "rt_throttled_periods is read-only" "" -- config rt_throttled_periods=0
	expect "usage: list -x"			2 "list: unknown option '-x'" "" -- list -x
	expect "usage: set missing ="		2 "expected KEY=VALUE" "" -- set 1 name
	expect "usage: set name with a space"	2 "character 0x20 at position 2" "" -- set 1 "name=a b"
	expect "usage: set name of 64"		2 "64 characters is too long \(accepted: 1-63" "" -- set 1 "name=$(printf '%064d' 0)"
	expect "usage: set name twice"		2 "name given more than once" "" -- set 1 name=a name=b
	expect "usage: config out of range"	2 "period_ms: 5 is out of range \(accepted: 10-1000 ms\)" "" -- config period_ms=5
	expect "usage: config not a number"	2 "'fast' is not a number" "" -- config period_ms=fast
	expect "usage: config read-only"	2 "nr_vms is read-only" "" -- config nr_vms=2
	expect "usage: watch --count 0"		2 "--count: '0'" "" -- watch --count 0
	expect "usage: watch --timeout x"	2 "--timeout: 'x'" "" -- watch --timeout x
	expect "usage: watch --count missing"	2 "option '--count' needs an argument" "" -- watch --count
	expect "usage: top -d 0.01"		2 "-d: '0.01' is not a delay of 0.1-86400 seconds" "" -- top -d 0.01
	expect "usage: top -n 0"		2 "-n: '0'" "" -- top -n 0
	expect "usage: help for unknown"	2 "help: unknown command" "" -- help frob
	expect "usage: metrics --frob"		2 "metrics: unknown option '--frob'" "" -- metrics --frob
	expect "usage: metrics vm7"		2 "invalid VM selector 'vm7'" "" -- metrics vm7
	expect "usage: metrics --textfile ''"	2 "metrics: --textfile: empty path" "" -- metrics --textfile ""
	expect "usage: balloond --metrics-interval 0"	2 "--metrics-interval: '0' is not a number 1-3600" "" -- balloond --metrics-interval 0
	expect "usage: balloond --libvirt-dir ''"	2 "balloond: --libvirt-dir: empty path" "" -- balloond --libvirt-dir ""
	expect "usage: rules --libvirt-dir ''"		2 "rules: --libvirt-dir: empty path" "" -- rules --libvirt-dir ""

	# CPU bounds and memory: every new key's range, named, exit 2.
	# KEY MIN MAX RANGE (as the message gives it)
	while read -r cmd key min max range; do
		pre=(); [ "$cmd" = set ] && pre=(1)
		expect "usage: $cmd $key=$((max + 1)) is out of range"	2 \
			"^kvmschedctl: $cmd: $key: $((max + 1)) is out of range \(accepted: $range\)\$" "" -- \
			$cmd "${pre[@]}" "$key=$((max + 1))"
		[ "$min" = 0 ] ||
		expect "usage: $cmd $key=$((min - 1)) is out of range"	2 \
			"^kvmschedctl: $cmd: $key: $((min - 1)) is out of range \(accepted: $range\)\$" "" -- \
			$cmd "${pre[@]}" "$key=$((min - 1))"
		expect "usage: $cmd $key=x is not a number"	2 \
			"$key: 'x' is not a number \(accepted: $range\)" "" -- $cmd "${pre[@]}" "$key=x"
		expect "usage: $cmd $key given twice"	2 "$key given more than once" "" -- \
			$cmd "${pre[@]}" "$key=$min" "$key=$max"
	done <<-'KEYS'
	set reservation_mcpu 0 1024000 0-1024000 mcpu
	set limit_mcpu 0 1024000 0-1024000 mcpu
	set mem_shares 1 10000 1-10000
	set mem_min_mib 0 16777216 0-16777216 MiB
	set mem_max_mib 0 16777216 0-16777216 MiB
	config reserve_headroom_pct 0 50 0-50 %
	config mem_low_pct 1 90 1-90 %
	config mem_critical_pct 0 89 0-89 %
	config mem_hysteresis_pct 0 50 0-50 %
	config balloon_step_pct 1 100 1-100 %
	config balloon_min_step_bp 0 10000 0-10000 bp
	config idle_tax_pct 0 99 0-99 %
	config balloon_max_pct 0 90 0-90 %
	config balloon_period_ms 100 600000 100-600000 ms
	config mem_psi_reclaim_bp 0 10000 0-10000 bp
	config burst_boost 0 1 0-1
	config burst_threshold_us 100 100000 100-100000 us
	KEYS
	# The burst boost's keys, with the exact messages.
	expect "usage: config burst_boost=2"	2 \
		"^kvmschedctl: config: burst_boost: 2 is out of range \(accepted: 0-1\)\$" "" -- config burst_boost=2
	expect "usage: config burst_threshold_us=99"	2 \
		"^kvmschedctl: config: burst_threshold_us: 99 is out of range \(accepted: 100-100000 us\)\$" "" -- config burst_threshold_us=99
	expect "usage: config burst_threshold_us=100001"	2 \
		"^kvmschedctl: config: burst_threshold_us: 100001 is out of range \(accepted: 100-100000 us\)\$" "" -- config burst_threshold_us=100001
	expect "usage: config burst_threshold_us=0 (no off)"	2 \
		"^kvmschedctl: config: burst_threshold_us: 0 is out of range \(accepted: 100-100000 us\)\$" "" -- config burst_threshold_us=0
	expect "usage: set burst_us is no key"	2 "unknown key 'burst_us'" "" -- set 1 burst_us=5
	expect "usage: set burst_boost is a config key"	2 "unknown key 'burst_boost'" "" -- set 1 burst_boost=1
	expect "help: config -h lists the burst keys"	0 "" \
		"^  burst_threshold_us   burst_boost: a mean run burst under this is short \(default 1000\) \(100-100000 us\)\$" -- config -h
	expect "help: show -h explains BURST(us)"	0 "" "^  BURST\(us\)     its mean run burst last period" -- show -h
	for k in capacity_mcpu reservable_mcpu reserved_mcpu overcommit_mcpu host_mem_mib host_avail_mib psi_some_avg10_bp; do
		expect "usage: config $k is read-only"	2 "^kvmschedctl: config: $k is read-only \(settable keys: period_ms, reserve_headroom_pct," "" -- config "$k=1"
	done
	expect "usage: config mem_state is read-only"	2 "mem_state is read-only" "" -- config mem_state=normal
	expect "usage: set the spec's dashed name"	2 "unknown key 'reservation-mcpu'" "" -- set 1 reservation-mcpu=5
	# Checks between keys given together, before anything is sent.
	expect "usage: set reservation_mcpu above limit_mcpu"	2 \
		"^kvmschedctl: set: reservation_mcpu: 900 exceeds limit_mcpu 500 \(accepted: 0-500 with limit_mcpu=500; limit_mcpu=0 is unlimited\)\$" "" -- \
		set 1 reservation_mcpu=900 limit_mcpu=500
	expect "usage: set limit_mcpu below reservation_mcpu (either order)"	2 \
		"reservation_mcpu: 900 exceeds limit_mcpu 500" "" -- set name:web limit_mcpu=500 reservation_mcpu=900
	expect "usage: set mem_min_mib above mem_max_mib"	2 \
		"^kvmschedctl: set: mem_min_mib: 4096 exceeds mem_max_mib 2048 \(accepted: 0-2048 with mem_max_mib=2048; mem_max_mib=0 is the guest RAM\)\$" "" -- \
		set 1 mem_min_mib=4096 mem_max_mib=2048
	expect "usage: config mem_critical_pct not below mem_low_pct"	2 \
		"^kvmschedctl: config: mem_critical_pct: 30 is not below mem_low_pct 30 \(accepted: 0-29 with mem_low_pct=30\)\$" "" -- \
		config mem_low_pct=30 mem_critical_pct=30
	expect "usage: config mem_low_pct + mem_hysteresis_pct above 95"	2 \
		"^kvmschedctl: config: mem_hysteresis_pct: 10 plus mem_low_pct 90 exceeds 95 \(accepted: 0-5 with mem_low_pct=90\)\$" "" -- \
		config mem_low_pct=90 mem_hysteresis_pct=10
	expect "usage: a cross-check error shows the synopsis"	2 "^Usage: kvmschedctl \[-j\] set" "" -- \
		set 1 reservation_mcpu=2 limit_mcpu=1

	expect "help: --help"	0 "" "^Usage: kvmschedctl" -- --help
	expect "help: help"	0 "" "^Usage: kvmschedctl" -- help
	expect "help: -V"	0 "" "version 1" -- -V
	for c in list show set config watch top metrics latency; do
		expect "help: $c --help"	0 "" "^Usage: kvmschedctl .*$c" -- $c --help
		expect "help: help $c"		0 "" "^Usage: kvmschedctl .*$c" -- help $c
	done
	expect "help: set lists its keys"	0 "" "^  name  " -- set -h
	expect "help: set lists weight"		0 "" "^  weight .*\(1-10000\)" -- set -h
	expect "help: set lists class"		0 "" "^  class .*\(shares\|background\|realtime\|latency\)" -- set -h
	expect "help: set lists latency_us"	0 "" "^  latency_us +latency class: deadline period of the vCPU threads \(default 5000\) \(1000-10000 us\)$" -- set -h
	expect "help: set lists rt_priority"	0 "" "^  rt_priority .*\(1-99\)$" -- set -h
	expect "help: set lists rr_quantum_ms"	0 "" "^  rr_quantum_ms .*\(0-1000 ms\)$" -- set -h
	expect "help: config lists rt_throttled_periods"	0 "" "^  rt_throttled_periods " -- config -h
	expect "help: list explains -l"		0 "" "^With -l, --long" -- list -h
	expect "help: list explains CLASS"	0 "" "^  CLASS " -- list -h
	expect "help: show explains POLICY"	0 "" "^  POLICY, NICE " -- show -h
	expect "help: top explains ENT%"	0 "" "^  ENT% " -- top -h
	expect "help: config lists its keys"	0 "" "^  period_ms  .*10-1000 ms" -- config -h
	expect "help: set lists reservation_mcpu"	0 "" "^  reservation_mcpu .*\(0-1024000 mcpu\)$" -- set -h
	expect "help: set lists limit_mcpu"	0 "" "^  limit_mcpu  .*unlimited.*\(0-1024000 mcpu\)$" -- set -h
	expect "help: set lists mem_shares"	0 "" "^  mem_shares  .*\(1-10000\)$" -- set -h
	expect "help: set lists mem_min_mib"	0 "" "^  mem_min_mib  .*\(0-16777216 MiB\)$" -- set -h
	expect "help: set lists mem_max_mib"	0 "" "^  mem_max_mib  .*guest RAM.*\(0-16777216 MiB\)$" -- set -h
	expect "help: set explains EBUSY"	0 "" "reservable_mcpu \(EBUSY" -- set -h
	for k in "reserve_headroom_pct .*0-50 %" "mem_low_pct .*1-90 %" "mem_critical_pct .*0-89 %" \
		 "mem_hysteresis_pct .*0-50 %" "balloon_step_pct .*1-100 %" "balloon_min_step_bp .*0-10000 bp" \
		 "idle_tax_pct .*0-99 %" "balloon_max_pct .*0-90 %" "balloon_period_ms .*100-600000 ms" \
		 "mem_psi_reclaim_bp .*0-10000 bp" "capacity_mcpu " "reservable_mcpu " "reserved_mcpu " \
		 "overcommit_mcpu " "mem_state .*normal, reclaim or critical" "host_mem_mib " "host_avail_mib " \
		 "psi_some_avg10_bp "; do
		expect "help: config lists ${k%% *}"	0 "" "^  $k" -- config -h
	done
	expect "help: list explains RES(mcpu)"	0 "" "^  RES\(mcpu\) " -- list -h
	expect "help: list explains BOUND"	0 "" "^  BOUND " -- list -h
	expect "help: list explains TARGET(MiB)" 0 "" "^  TARGET\(MiB\) " -- list -h
	expect "help: show explains cpu bounds"	0 "" "^  cpu bounds: " -- show -h
	expect "help: show explains balloon"	0 "" "^  balloon: " -- show -h
	expect "help: watch explains balloon-target" 0 "" "balloon-target id=3 target_mib=768 reason=inflate" -- watch -h
	expect "help: watch explains overcommit" 0 "" "overcommit reserved_mcpu=" -- watch -h
	expect "help: top explains RES% and LIM%" 0 "" "^  LIM% " -- top -h
else
	nok "kvmschedctl binary tests (not built)"
fi

# --- 4. man page -----------------------------------------------------------------
MAN=userspace/kvmschedctl.8
if [ ! -f $MAN ]; then
	nok "man page $MAN exists"
elif ! command -v groff > /dev/null; then
	skip "man page renders cleanly" "groff not installed"
else
	out=$(LC_ALL=C groff -man -Tutf8 -ww -z $MAN 2>&1)
	if [ -z "$out" ]; then ok "man page renders without groff warnings"
	else nok "man page renders without groff warnings" "$out"; fi
	# Lines groff hyphenated are joined again ("bal-" + "loon_actual_mib").
	text=$(LC_ALL=C MANWIDTH=200 groff -man -Tascii -P-cbou $MAN 2>/dev/null |
		sed -e ':a' -e '/[a-z]-$/{N;s/-\n *//;ba' -e '}')
	missing=""
	for w in list show set config watch top help name= class= weight= period_ms= "pid:" "name:" "id:" \
		 --json --count --timeout --long "-d" "-n" "EXIT STATUS" "CAP_NET_ADMIN" "NLM_F_DUMP_INTR" \
		 CLASS WEIGHT "ENT(mcpu)" "DEMAND(mcpu)" POLICY NICE OVERRIDES "ENT%" entitled_mcpu \
		 KVMSCHEDCTL_NO_LOCAL_CHECKS KVMSCHEDCTL_EXTRA_ATTR \
		 reservation_mcpu= limit_mcpu= mem_shares= mem_min_mib= mem_max_mib= \
		 reserve_headroom_pct= mem_low_pct= mem_critical_pct= mem_hysteresis_pct= balloon_step_pct= \
		 balloon_min_step_bp= idle_tax_pct= balloon_max_pct= balloon_period_ms= mem_psi_reclaim_bp= \
		 capacity_mcpu reservable_mcpu reserved_mcpu overcommit_mcpu mem_state host_mem_mib \
		 host_avail_mib psi_some_avg10_bp "RES(mcpu)" "LIMIT(mcpu)" BOUND "MEM(MiB)" "RSS(MiB)" \
		 "TARGET(MiB)" "RES%" "LIM%" balloon-target overcommit EBUSY throttled_ns reservation_misses \
		 guest_mem_mib rss_mib guest_free_mib guest_avail_mib balloon_actual_mib balloon_target_mib \
		 balloon_reason at-max inflate deflate at-min hold reclaim critical \
		 rules reload --config --check --dry-run --pid-file "POLICY FILES" conf.d uuid: cmdline: \
		 metrics --textfile --metrics-textfile --metrics-interval METRICS \
		 --libvirt-dir --no-libvirt "LIBVIRT DOMAIN XML" https://kvmsched.org/xmlns/policy/1 \
		 latency wake_latency_hist P99 apply_last_ns apply_max_ns \
		 burst_boost= burst_threshold_us= "BURST(us)" burst_us boost; do
		# Not a pipe: with pipefail, grep -q exiting first would fail it.
		grep -qF -- "$w" <<< "$text" || missing="$missing $w"
	done
	if [ -z "$missing" ]; then ok "man page documents every command, key, selector and option"
	else nok "man page documents every command, key, selector and option" "missing:$missing"; fi
fi

# --- 5. fuzzing -----------------------------------------------------------------
if [ "$FUZZ_RUNS" = 0 ]; then
	skip "fuzz parsers, escapers and decoders" "KVMS_FUZZ_RUNS=0"
elif ! make -s -C $HOST fuzz > "$OUT/fuzz-build.log" 2>&1; then
	skip "fuzz parsers, escapers and decoders" "clang libFuzzer unavailable ($(tail -n 1 "$OUT/fuzz-build.log"))"
else
	mkdir -p "$OUT/corpus"
	if $OUT/fuzz_parse -runs="$FUZZ_RUNS" -max_len=256 -seed=1 \
		-artifact_prefix="$OUT/" "$OUT/corpus" $HOST/fuzz-seeds > "$OUT/fuzz.log" 2>&1; then
		ok "fuzz parsers, escapers and decoders ($FUZZ_RUNS inputs, ASan+UBSan)"
	else
		nok "fuzz parsers, escapers and decoders" "$(grep -E 'ERROR|assertion|SUMMARY|artifact' "$OUT/fuzz.log" | head -n 8)"
	fi
fi

line="host: $pass passed, $fail failed"
[ "$skip" = 0 ] || line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
