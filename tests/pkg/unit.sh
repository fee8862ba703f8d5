#!/bin/bash
# The systemd unit of kvmschedd and the daemon's journal logging, on this
# machine (no systemd running, no module, no root needed for 1-3):
#
#   1. systemd-analyze verify of userspace/kvmschedd.service (ExecStart
#      pointed at the built userspace/kvmschedd/kvmschedd): no output at all
#   2. systemd-analyze security --offline=yes: the exposure score is at most
#      KVMS_UNIT_MAX_EXPOSURE (default 2.5 of 10), and each sandboxing
#      setting the daemon is meant to have is reported as in effect
#      (capabilities but CAP_NET_ADMIN dropped, no AF_INET, no module
#      loading, ...); the settings it must NOT have (PrivateTmp, ProtectProc,
#      PrivateNetwork) are absent, and the unit's runtime directory is the
#      one of the daemon's default --pid-file
#   3. the daemon as the unit starts it, as far as this machine allows:
#      setpriv with only CAP_NET_ADMIN in the bounding set, no new
#      privileges; stderr a file whose dev:ino is in $JOURNAL_STREAM (as
#      journald's stream): every line has a "<P>" priority and no
#      timestamp, the missing module is a warning (<4>), SIGHUP re-reads
#      the policy, SIGTERM exits 0; the same with a $JOURNAL_STREAM of
#      another file: plain timestamped lines; --log-prefix forces "<P>";
#      a bad policy at start is "<3>" and exit 2 (RestartPreventExitStatus)
#   4. every system call the daemon makes (strace: start, policy, metrics
#      textfile, SIGHUP, SIGTERM, without the module) is one the unit's
#      SystemCallFilter= lines allow (groups expanded by systemd-analyze)
#
# Prints "ok"/"not ok" lines and ends with "unit: N passed, N failed[, N
# skipped]"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
UNIT=userspace/kvmschedd.service
BIN=$PWD/userspace/kvmschedd/kvmschedd
MAX=${KVMS_UNIT_MAX_EXPOSURE:-2.5}
pass=0 fail=0 skip=0

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
nok()  { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
skip() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }
finish() {
	local line="unit: $pass passed, $fail failed"
	[ "$skip" = 0 ] || line="$line, $skip skipped"
	echo "$line"
	[ "$fail" = 0 ]
	exit
}

tmp=$(mktemp -d /tmp/kvms-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if out=$(nice -n 10 make -s -C userspace 2>&1) && [ -x "$BIN" ]; then
	ok "build userspace/kvmschedd/kvmschedd"
else
	nok "build userspace/kvmschedd/kvmschedd" "$out"
	finish
fi

# --- 1. verify ----------------------------------------------------------------
if ! command -v systemd-analyze >/dev/null; then
	skip "systemd-analyze verify and security" "no systemd-analyze (apt-get install systemd)"
else
	# The unit as installed, with ExecStart at the built binary (verify
	# checks that it exists); man pages need not be installed here
	# (tests/pkg/run.sh verifies the installed unit with them).
	u=$tmp/kvmschedd.service
	sed "s|/usr/local/sbin/kvmschedd|$BIN|" "$UNIT" > "$u"
	out=$(cd "$tmp" && systemd-analyze verify --man=no kvmschedd.service 2>&1); rc=$?
	if [ "$rc" = 0 ] && [ -z "$out" ]; then
		ok "systemd-analyze verify $UNIT: clean"
	else
		nok "systemd-analyze verify $UNIT (exit $rc)" "$out"
	fi

	# --- 2. security --------------------------------------------------------
	sec=$(cd "$tmp" && systemd-analyze security --offline=yes kvmschedd.service 2>&1)
	score=$(printf '%s\n' "$sec" | sed -n 's/^→ Overall exposure level for kvmschedd.service: \([0-9.]*\) .*/\1/p')
	if [ -n "$score" ] && awk -v s="$score" -v m="$MAX" 'BEGIN { exit !(s <= m) }'; then
		ok "systemd-analyze security --offline=yes: exposure $score <= $MAX ($(printf '%s\n' "$sec" | tail -n 1 | sed 's/.*: [0-9.]* //'))"
	else
		nok "systemd-analyze security: exposure '$score' <= $MAX" "$(printf '%s\n' "$sec" | grep '✗')"
	fi
	# What the sandbox must take away: each of these reported as in effect.
	miss=
	for w in 'CapabilityBoundingSet=~CAP_SYS_ADMIN' 'CapabilityBoundingSet=~CAP_SYS_PTRACE' \
		 'CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)' 'CapabilityBoundingSet=~CAP_SYS_MODULE' \
		 'CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)' 'NoNewPrivileges=' 'ProtectSystem=' \
		 'PrivateDevices=' 'ProtectKernelModules=' 'ProtectKernelLogs=' 'ProtectKernelTunables=' \
		 'ProtectClock=' 'ProtectHostname=' 'RestrictNamespaces=~user' 'RestrictRealtime=' \
		 'LockPersonality=' 'MemoryDenyWriteExecute=' 'SystemCallArchitectures=' \
		 'RestrictAddressFamilies=~AF_(INET|INET6)' 'RestrictAddressFamilies=~AF_PACKET' \
		 'SystemCallFilter=~@mount' 'SystemCallFilter=~@module' 'SystemCallFilter=~@reboot' \
		 'SystemCallFilter=~@privileged' 'SystemCallFilter=~@raw-io' 'AmbientCapabilities='; do
		grep -qF -- "✓ $w " <<< "$sec" || miss="$miss $w"
	done
	if [ -z "$miss" ]; then
		ok "security: capabilities but CAP_NET_ADMIN dropped, none ambient, no new privileges, no IP sockets, read-only system, no devices, modules, kernel logs, clock, realtime, namespaces, W^X"
	else
		nok "security: sandboxing in effect" "not reported as in effect:$miss"
	fi
fi

# The unit's own lines: what systemd-analyze does not judge.
val() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }
bad=
[ "$(val CapabilityBoundingSet)" = CAP_NET_ADMIN ] || bad="$bad CapabilityBoundingSet='$(val CapabilityBoundingSet)'"
[ "$(val User)" = root ] || bad="$bad User='$(val User)'"
[ "$(val ProtectSystem)" = strict ] || bad="$bad ProtectSystem='$(val ProtectSystem)'"
[ "$(val ProtectHome)" = read-only ] || bad="$bad ProtectHome='$(val ProtectHome)'"
# QMP sockets may live in /tmp, VMMs' /proc/PID/cmdline must be readable,
# the kvmsched family is in the host's network namespace.
[ "$(val PrivateTmp)" != yes ] || bad="$bad PrivateTmp=yes"
[ -z "$(val ProtectProc)" ] || bad="$bad ProtectProc='$(val ProtectProc)'"
[ -z "$(val ProcSubset)" ] || bad="$bad ProcSubset='$(val ProcSubset)'"
[ "$(val PrivateNetwork)" != yes ] || bad="$bad PrivateNetwork=yes"
[ "$(val RestrictAddressFamilies)" = "AF_UNIX AF_NETLINK" ] || bad="$bad RestrictAddressFamilies='$(val RestrictAddressFamilies)'"
[ "$(val ExecReload)" = '/bin/kill -HUP $MAINPID' ] || bad="$bad ExecReload='$(val ExecReload)'"
[ "$(val RestartPreventExitStatus)" = 2 ] || bad="$bad RestartPreventExitStatus='$(val RestartPreventExitStatus)'"
[ "$(val Alias)" = kvmsched-balloond.service ] || bad="$bad Alias='$(val Alias)'"
grep -qx 'ReadOnlyPaths=-/etc/kvmsched' "$UNIT" || bad="$bad (no ReadOnlyPaths=-/etc/kvmsched)"
grep -qx 'ReadWritePaths=-/var/lib/prometheus/node-exporter' "$UNIT" || bad="$bad (no ReadWritePaths for the textfile directory)"
# kvmschedctl reload finds the daemon by the default --pid-file, which
# must be in the unit's RuntimeDirectory (the only writable /run path).
pidf=$(sed -n 's/^#define DEFAULT_PID_FILE "\(.*\)"$/\1/p' userspace/kvmschedd/balloond.h)
[ "${pidf%/*}" = "/run/$(val RuntimeDirectory)" ] || bad="$bad (default --pid-file $pidf not in RuntimeDirectory=$(val RuntimeDirectory))"
if [ -z "$bad" ]; then
	ok "unit: root with CAP_NET_ADMIN only, strict/read-only home, no PrivateTmp/ProtectProc/PrivateNetwork, AF_UNIX AF_NETLINK, reload SIGHUP, exit 2 not restarted, Alias, --pid-file $pidf in RuntimeDirectory"
else
	nok "unit settings" "$bad"
fi

# --- 3. the daemon, sandboxed as far as possible here -------------------------
# run_daemon LOG JOURNAL_STREAM ARGS...: start it in the background, stderr
# to LOG, with only CAP_NET_ADMIN (when root) and no new privileges; pid in $dpid.
run_daemon() {
	local log=$1 js=$2 pre=()
	shift 2
	: > "$log"
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		pre=(setpriv --no-new-privs --bounding-set=-all,+net_admin --inh-caps=-all)
	fi
	if [ "$js" = auto ]; then
		js=$(stat -c '%d:%i' "$log")
	fi
	JOURNAL_STREAM=$js ${pre[@]+"${pre[@]}"} "$BIN" --pid-file "$tmp/run/kvmschedd.pid" \
		--config userspace/kvmsched.conf.example --interval-ms 200 "$@" 2>> "$log" &
	dpid=$!
}
# wait_for FILE REGEX: up to 5 s
wait_for() {
	local i
	for i in $(seq 1 50); do
		grep -qE -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	how="with only CAP_NET_ADMIN in the bounding set, no_new_privs"
else
	how="unprivileged"
fi
J=$tmp/journal.log
run_daemon "$J" auto
wait_for "$J" 'policy: .*rules' && wait_for "$J" 'module not loaded|connected to the module'
capb=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/$dpid/status 2>/dev/null)
nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/$dpid/status 2>/dev/null)
pf=$(cat "$tmp/run/kvmschedd.pid" 2>/dev/null)
kill -HUP "$dpid" 2>/dev/null
wait_for "$J" 'policy: reloaded'
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"; rc=$?
bad=
[ "$rc" = 0 ] || bad="$bad exit $rc;"
[ -s "$J" ] || bad="$bad no lines;"
grep -vqE '^<[3467]>[^<0-9]' "$J" && bad="$bad a line without a priority prefix: $(grep -vE '^<[3467]>[^<0-9]' "$J" | head -n 1);"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T|^<[0-9]>[0-9]{4}-' "$J" && bad="$bad a timestamp;"
grep -qE '^<6>started ' "$J" || bad="$bad no '<6>started';"
grep -qE '^<6>policy: userspace/kvmsched.conf.example: [0-9]+ rules' "$J" || bad="$bad no '<6>policy: ... rules';"
if ! [ -e /sys/kernel/kvmsched ]; then
	grep -qE '^<4>kvmsched: module not loaded' "$J" || bad="$bad no '<4>kvmsched: module not loaded';"
fi
grep -qE '^<6>SIGHUP: re-reading' "$J" || bad="$bad no '<6>SIGHUP';"
grep -qE '^<6>exiting on SIGTERM$' "$J" || bad="$bad no '<6>exiting on SIGTERM';"
[ "$pf" = "$dpid" ] || bad="$bad pid file '$pf', pid $dpid;"
[ ! -e "$tmp/run/kvmschedd.pid" ] || bad="$bad pid file left;"
if [ "$how" != unprivileged ]; then
	[ "$capb" = 0000000000001000 ] || bad="$bad CapBnd $capb, want 0000000000001000 (CAP_NET_ADMIN);"
	[ "$nnp" = 1 ] || bad="$bad NoNewPrivs '$nnp';"
fi
if [ -z "$bad" ]; then
	ok "stderr is the journal (JOURNAL_STREAM dev:ino), $how: $(wc -l < "$J") lines '<P>message', no timestamp, module missing <4>, SIGHUP, SIGTERM exit 0, pid file created and removed"
else
	nok "stderr is the journal: priority-prefixed lines" "$bad
$(head -n 12 "$J")"
fi

# A second daemon with the same pid file refuses to start (the file is
# flock()ed for the first one's life) and leaves the first one's pid there.
A=$tmp/first.log
run_daemon "$A" ""
wait_for "$A" 'policy: .*rules'
B=$tmp/second.log
JOURNAL_STREAM= timeout 20 "$BIN" --pid-file "$tmp/run/kvmschedd.pid" \
	--config userspace/kvmsched.conf.example 2> "$B"; rc=$?
pf=$(cat "$tmp/run/kvmschedd.pid" 2>/dev/null)
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"
if [ "$rc" = 2 ] && grep -q "another kvmschedd (pid $dpid) is running; exiting" "$B" &&
   [ "$pf" = "$dpid" ] && [ ! -e "$tmp/run/kvmschedd.pid" ]; then
	ok "a second daemon on the same pid file exits 2 naming the first (pid $dpid), which keeps the file until it exits"
else
	nok "a second daemon on the same pid file exits 2 (exit $rc, pid file '$pf', first $dpid)" "$(cat "$B")"
fi

# Another stream in $JOURNAL_STREAM (stderr redirected since): plain lines.
P=$tmp/plain.log
run_daemon "$P" "$(stat -c '%d:%i' "$J")"
wait_for "$P" 'policy: .*rules'
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"; rc=$?
re='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} kvmschedd: '
if [ "$rc" = 0 ] && [ -s "$P" ] && ! grep -vqE "$re" "$P" && ! grep -q '^<' "$P"; then
	ok "JOURNAL_STREAM of another file: $(wc -l < "$P") plain timestamped 'kvmschedd:' lines"
else
	nok "JOURNAL_STREAM of another file: plain lines (exit $rc)" "$(head -n 5 "$P")"
fi

# --log-prefix without the journal, and the alias kvmschedctl balloond.
L=$tmp/prefix.log
run_daemon "$L" "" --log-prefix
wait_for "$L" 'policy: .*rules'
kill -INT "$dpid" 2>/dev/null
wait "$dpid"; rc=$?
if [ "$rc" = 0 ] && grep -q '^<6>exiting on SIGINT$' "$L" && ! grep -vqE '^<[3467]>' "$L"; then
	ok "--log-prefix: '<P>' lines without the journal, SIGINT exit 0"
else
	nok "--log-prefix: '<P>' lines (exit $rc)" "$(head -n 5 "$L")"
fi

# A bad policy at start: an error (<3>), exit 2, which the unit does not restart.
printf 'rules:\n  - name: x\n    set: { wieght: 1 }\n' > "$tmp/bad.conf"
B=$tmp/bad.log
JOURNAL_STREAM= "$BIN" --log-prefix --pid-file '' --config "$tmp/bad.conf" 2> "$B"; rc=$?
if [ "$rc" = 2 ] && grep -qE "^<3>policy: $tmp/bad.conf:3:[0-9]+: .*wieght.*; not starting$" "$B"; then
	ok "bad policy at start: '<3>policy: FILE:3:COL: ... not starting', exit 2"
else
	nok "bad policy at start: <3> and exit 2 (exit $rc)" "$(cat "$B")"
fi

# The alias: the same daemon, plain lines tagged balloond as before.
A=$tmp/alias.log
JOURNAL_STREAM= userspace/kvmschedctl balloond --pid-file '' --config "$tmp/bad.conf" 2> "$A"; rc=$?
if [ "$rc" = 2 ] && grep -qE '^[0-9]{4}-[0-9-]+T[0-9:.]+[+-][0-9]{4} balloond: policy: .*not starting$' "$A"; then
	ok "kvmschedctl balloond is the same daemon (same refusal, exit 2, 'balloond:' lines)"
else
	nok "kvmschedctl balloond alias (exit $rc)" "$(cat "$A")"
fi

# --- 4. system calls against the unit's filter -------------------------------
if ! command -v strace >/dev/null || ! command -v systemd-analyze >/dev/null; then
	skip "the daemon's system calls pass the unit's SystemCallFilter" "no strace or systemd-analyze"
else
	T=$tmp/strace.out
	: > "$tmp/st.log"
	strace -f -qq -o "$T" "$BIN" --pid-file "$tmp/run/kvmschedd.pid" --log-prefix \
		--config userspace/kvmsched.conf.example --interval-ms 200 \
		--metrics-textfile "$tmp/k.prom" --metrics-interval 1 2> "$tmp/st.log" &
	spid=$!
	wait_for "$tmp/st.log" 'policy: .*rules'
	sleep 1.5
	# Signals to the daemon, not to strace ($spid).
	tpid=$(cat "$tmp/run/kvmschedd.pid" 2>/dev/null)
	[ -n "$tpid" ] && kill -HUP "$tpid"
	wait_for "$tmp/st.log" 'policy: reloaded'
	[ -n "$tpid" ] && kill -TERM "$tpid"
	wait_for "$tmp/st.log" 'exiting on' || kill "$spid"
	wait "$spid"
	systemd-analyze syscall-filter > "$tmp/groups" 2>/dev/null
	out=$(python3 - "$T" "$tmp/groups" "$UNIT" <<'PY'
import re, sys
trace, groups_file, unit = sys.argv[1:4]
groups, cur = {}, None
for l in open(groups_file):
    if l.startswith('@'):
        cur = l.split()[0]
        groups[cur] = []
    elif l.startswith('    ') and cur and l.strip() and not l.strip().startswith('#'):
        groups[cur].append(l.strip())
def expand(names):
    out = set()
    for n in names:
        out |= expand(groups.get(n, [])) if n.startswith('@') else {n}
    return out
allow, deny = set(), set()
for l in open(unit):
    m = re.match(r'SystemCallFilter=(~?)(.*)', l.strip())
    if m:
        (deny if m.group(1) else allow).update(expand(m.group(2).split()))
used = set()
for l in open(trace):
    m = re.match(r'\d+\s+([a-z_0-9]+)\(', l)
    if m:
        used.add(m.group(1))
# execve is the service manager's, before the filter applies.
used.discard('execve')
bad = sorted(c for c in used if c not in allow or c in deny)
print(len(used), ' '.join(bad))
PY
)
	n=${out%% *} bad=${out#* }
	[ "$bad" != "$out" ] || bad=
	if [ -n "$n" ] && [ "$n" -gt 10 ] && [ -z "$bad" ] && grep -q '^<6>exiting on SIGTERM$' "$tmp/st.log"; then
		ok "the daemon's $n distinct system calls (start, policy, metrics textfile, SIGHUP, SIGTERM) pass the unit's SystemCallFilter"
	else
		nok "the daemon's system calls pass the unit's SystemCallFilter" "calls: '$n'; refused: $bad; $(tail -n 3 "$tmp/st.log")"
	fi
fi

# --version: the package version (kmod/version.h) and the family version.
V=$(sed -n 's/^#define KVMSCHED_VERSION "\(.*\)"$/\1/p' kmod/version.h)
FV=$(sed -n 's/^#define KVMSCHED_FAMILY_VERSION[[:space:]]*\([0-9]*\)$/\1/p' uapi/linux/kvmsched.h)
bad=
for c in "$BIN" "userspace/kvmschedctl" "userspace/kvmschedctl balloond"; do
	n=${c##*/}; n=${n%% *}
	out=$($c --version 2>&1); rc=$?
	[ "$rc" = 0 ] && [ "$out" = "$n $V (kvmsched generic netlink family, version $FV)" ] ||
		bad="$bad [$c: exit $rc, '$out']"
done
if [ -z "$bad" ]; then
	ok "--version of kvmschedd, kvmschedctl, kvmschedctl balloond: '<prog> $V (kvmsched generic netlink family, version $FV)'"
else
	nok "--version" "$bad"
fi

finish
