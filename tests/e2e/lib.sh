# Shared helpers for the guest-side e2e scripts (busybox sh).
# Output is KTAP-like: "ok N - desc" / "not ok N - desc" / "ok N - desc # SKIP why";
# the host side (tests/e2e/run.sh) counts these lines.

KVMS=/sys/kernel/kvmsched
T=0
FAILED=0

ok()   { T=$((T + 1)); echo "ok $T - $*"; }
nok()  { T=$((T + 1)); echo "not ok $T - $*"; FAILED=1; }
skip() { T=$((T + 1)); echo "ok $T - $1 # SKIP $2"; }
info() { echo "# $*"; }

# check DESC CMD...: one test point from a command's exit status.
check() { local _desc=$1; shift; if "$@"; then ok "$_desc"; else nok "$_desc"; fi; }

# Monotonic time in centiseconds (from /proc/uptime).
now_cs() { local _up _x; read -r _up _x < /proc/uptime; echo $((${_up%.*} * 100 + 1${_up#*.} - 100)); }

# wait_until CS CMD...: poll CMD every 20 ms for up to CS centiseconds.
# Prints the centiseconds it took; fails on time-out.
wait_until() {
	local _lim=$1 _t0
	shift
	_t0=$(now_cs)
	while :; do
		if "$@"; then echo $(($(now_cs) - _t0)); return 0; fi
		[ $(($(now_cs) - _t0)) -ge "$_lim" ] && { echo "$_lim"; return 1; }
		usleep 20000
	done
}

# The sysfs directory of the VM whose VMM has pid $1 (empty if none).
vm_dir() {
	local _d
	for _d in "$KVMS"/vms/*; do
		[ -f "$_d/pid" ] && [ "$(cat "$_d/pid")" = "$1" ] && { echo "$_d"; return 0; }
	done
	return 1
}
vm_present() { vm_dir "$1" >/dev/null; }
vm_absent()  { ! vm_dir "$1" >/dev/null; }

# JSON field helpers for kvmtest's one-object-per-line output.
jnum() { echo "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
jlist() { echo "$1" | sed -n "s/.*\"$2\":\[\([0-9,]*\)\].*/\1/p" | tr , ' '; }

# wait_ready FILE N: wait (up to 60 s) until FILE has N "ready" lines.
wait_ready() {
	local _i=0
	while [ "$(grep -c '"event":"ready"' "$1" 2>/dev/null)" -lt "$2" ]; do
		_i=$((_i + 1)); [ $_i -gt 3000 ] && return 1
		usleep 20000
	done
}

# Absolute difference of $1 and $2 within $3 percent of $2.
within_pct() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d;
		exit !(b > 0 && d * 100 <= p * b) }'
}

load_kvmsched() { insmod /kvmsched/kvmsched.ko "$@"; }
