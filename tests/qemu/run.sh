#!/bin/bash
# kvmschedctl balloon and balloond against real QEMU (TCG, no KVM, no module).
#
#   1. tests/qemu/test_qmp: QMP client against a fake server, socket
#      discovery from VMM command lines, balloond's map and targets lines
#      (ASan+UBSan)
#   2. a tiny guest: Debian kernel + busybox initramfs that loads
#      virtio_balloon (and its dependencies, from modinfo) and idles; booted
#      as qemu-system-x86_64 -accel tcg -smp 1 -m 512 -device
#      virtio-balloon-pci -qmp unix:SOCK,server=on,wait=off (plus a second
#      -qmp socket to observe while balloond holds the first one)
#   3. kvmschedctl balloon: handshake + query-balloon, pid: discovery, JSON,
#      guest stats after setting the polling interval, balloon --wait moves
#      actual to the target; a QEMU without balloon device: DeviceNotActive
#   4. balloond --targets: applies the targets (SOCKET and pid: lines; the
#      second QEMU uses -chardev socket + -mon mode=control), reads guest
#      stats, skips the VM without balloon and lives on, logs and survives
#      QEMU being killed, reconnects and re-applies after QEMU restarts on the
#      same socket, follows a changed targets file, re-applies the target
#      when someone else ballooned the VM (drift), exits 0 on SIGTERM;
#      without --targets and without the module: waits and retries
#
# Prints "ok"/"not ok" lines and "qemu: N passed, N failed[, N skipped]";
# exits 1 on failure. KVMS_QEMU_KVER picks the kernel (default: the first
# of $KVMS_CACHE/kernels.list); KVMS_QEMU_KEEP=1 keeps the logs (balloond.log,
# serial consoles) in /tmp/kvms-qemu.*.
set -uo pipefail
cd "$(dirname "$0")/../.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
BIN=$PWD/userspace/kvmschedctl
pass=0 fail=0 skip=0
T0=$(date +%s)

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
nok()  { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
skip() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }
check() {	# check NAME CONDITION_RC [DETAIL]
	if [ "$2" = 0 ]; then ok "$1"; else nok "$1" "${3:-}"; fi
}
finish() {
	local line="qemu: $pass passed, $fail failed"
	[ "$skip" = 0 ] || line="$line, $skip skipped"
	echo "# took $(($(date +%s) - T0)) s"
	echo "$line"
	[ "$fail" = 0 ]
	exit $?
}

D=$(mktemp -d /tmp/kvms-qemu.XXXXXX)	# short: socket paths < 108 bytes
QPIDS=() BDPID=
cleanup() {
	local p
	[ -n "$BDPID" ] && kill -9 "$BDPID" 2>/dev/null
	for p in "${QPIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ -n "${KVMS_QEMU_KEEP:-}" ]; then echo "# kept $D"; else rm -rf "$D"; fi
}
trap cleanup EXIT

# --- 1. build and unit tests ---------------------------------------------------
if out=$(make -s -C userspace 2>&1); then
	ok "build userspace/kvmschedctl with balloond and balloon (-Werror)"
else
	nok "build userspace/kvmschedctl" "$out"
	finish
fi
if out=$(make -s -C tests/qemu 2>&1); then
	out=$(tests/qemu/build/test_qmp 2>&1); rc=$?
	printf '%s\n' "$out" | grep -v '^test_qmp: ' || true
	sum=$(printf '%s\n' "$out" | sed -n 's/^test_qmp: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	if [ -n "$sum" ]; then
		set -- $sum
		pass=$((pass + $1)); fail=$((fail + $2))
		echo "# test_qmp: $1 passed, $2 failed"
		[ "$rc" = 0 ] || [ "$2" != 0 ] || nok "test_qmp exit status $rc"
	else
		nok "test_qmp: no summary (crashed? exit $rc)" "$(printf '%s\n' "$out" | tail -n 20)"
	fi
else
	nok "build tests/qemu/test_qmp (ASan+UBSan)" "$out"
fi

# balloond's command line, before any QEMU
expect_rc() {	# NAME RC STDERR_REGEX -- ARGS...
	local name=$1 want=$2 re=$3 out rc
	shift 4
	out=$("$BIN" "$@" 2>&1 > /dev/null); rc=$?
	check "$name" $([ "$rc" = "$want" ] && printf '%s\n' "$out" | grep -qE -- "$re"; echo $?) "rc $rc: $out"
}
expect_rc "balloond --interval-ms 5: usage error, exit 2" 2 "balloond: --interval-ms: '5' is not a number 100-3600000" -- balloond --interval-ms 5
expect_rc "balloond --targets missing file: exit 1" 1 "balloond: --targets $D/none: No such file or directory" -- balloond --targets "$D/none"
expect_rc "balloond x: unexpected argument, exit 2" 2 "unexpected argument 'x'" -- balloond x
expect_rc "balloon 0 MiB: usage error, exit 2" 2 "TARGET_MIB: '0' is not a number of MiB" -- balloon /x 0
out=$("$BIN" balloond --help 2>&1); rc=$?
check "balloond --help documents --targets and --map" \
	$([ "$rc" = 0 ] && grep -q -- "--targets FILE" <<< "$out" && grep -q -- "--map FILE" <<< "$out"; echo $?) "$out"

# --- 2. the guest ------------------------------------------------------------------
KVER=${KVMS_QEMU_KVER:-$(head -n 1 "$CACHE/kernels.list" 2>/dev/null)}
ROOT=$CACHE/kernels/$KVER/root
MODDIR=$ROOT/lib/modules/$KVER
KERNEL=$CACHE/kernels/$KVER/vmlinux.pvh	# scripts/vmrun.sh extracts it
[ -s "$KERNEL" ] || KERNEL=$ROOT/boot/vmlinuz-$KVER
missing=""
for t in qemu-system-x86_64 cpio gzip modinfo xz; do
	command -v "$t" > /dev/null || missing="$missing $t"
done
[ -x /bin/busybox ] || missing="$missing busybox-static"
if [ -z "$KVER" ] || [ ! -f "$KERNEL" ] || [ ! -d "$MODDIR" ] || [ -n "$missing" ]; then
	skip "QEMU checks" "no kernel in $CACHE or missing:$missing (run scripts/deps.sh)"
	finish
fi

IR=$D/ir
mkdir -p "$IR"/{bin,proc,sys,dev,lib/modules}
cp /bin/busybox "$IR/bin/busybox"
for a in sh mount insmod sleep cat echo grep; do ln -s busybox "$IR/bin/$a"; done
declare -A MODPATH=() DONE=()
while read -r f; do
	n=${f##*/}; n=${n%%.ko*}; MODPATH[${n//-/_}]=$f
done < <(find "$MODDIR/kernel/drivers/virtio" -name '*.ko*')
ORDER=()
add_mod() {	# dependencies first; a module built in has no file: skipped
	local n=${1//-/_} d f
	[ -n "${DONE[$n]:-}" ] && return
	DONE[$n]=1
	f=${MODPATH[$n]:-}
	[ -n "$f" ] || return 0
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$d"; done
	ORDER+=("$n")
}
add_mod virtio_balloon
add_mod virtio_pci
for n in "${ORDER[@]}"; do
	f=${MODPATH[$n]}
	case "$f" in
	*.ko.xz) xz -dc "$f" ;;
	*.ko.zst) zstd -qdc "$f" ;;
	*.ko.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac > "$IR/lib/modules/$n.ko"
	echo "$n" >> "$IR/lib/modules/order"
done
cat > "$IR/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order 2>/dev/null); do insmod /lib/modules/$m.ko; done
if [ -d /sys/bus/virtio/drivers/virtio_balloon ]; then
	echo KVMS-BALLOON-DRIVER
fi
echo KVMS-READY
while :; do sleep 3600; done
EOF
chmod 755 "$IR/init"
(cd "$IR" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$D/initrd.gz"
echo "# guest: $KVER, modules: ${ORDER[*]:-none (built in)}"

QEMU_PID=
qemu_start() {	# NAME QMP_ARGS... (sets QEMU_PID; serial to $D/NAME.log)
	local name=$1
	shift
	: > "$D/$name.log"
	qemu-system-x86_64 -accel tcg -smp 1 -m 512 -nodefaults -no-user-config \
		-display none -serial "file:$D/$name.log" -no-reboot \
		-kernel "$KERNEL" -initrd "$D/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 rdinit=/init" \
		"$@" > "$D/$name.qemu.out" 2>&1 &
	QEMU_PID=$!
	QPIDS+=("$QEMU_PID")
}
wait_for() {	# SECONDS COMMAND...: poll every 0.2 s
	local end=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}
booted() { grep -q KVMS-READY "$D/$1.log"; }
has_sock() { [ -S "$1" ]; }
actual_of() {	# SOCKET -> actual MiB (on stdout), via kvmschedctl balloon
	"$BIN" -j balloon "$1" 2>/dev/null | sed -n 's/.*"actual_mib":\([0-9]*\).*/\1/p'
}
actual_is() { [ "$(actual_of "$1")" = "$2" ]; }
logged() { grep -qE -- "$2" "$1"; }

S1=$D/q1.sock S1O=$D/q1.obs S2=$D/q2.sock
Q1_ARGS=(-device virtio-balloon-pci -qmp "unix:$S1,server=on,wait=off"
	 -qmp "unix:$S1O,server=on,wait=off")
qemu_start q1 "${Q1_ARGS[@]}"; Q1=$QEMU_PID
# q2: no balloon device, QMP through -chardev + -mon (found from its cmdline)
qemu_start q2 -chardev "socket,id=mon0,path=$S2,server=on,wait=off" \
	-mon chardev=mon0,mode=control
Q2=$QEMU_PID
if wait_for 90 booted q1 && grep -q KVMS-BALLOON-DRIVER "$D/q1.log"; then
	ok "guest boots under TCG and binds virtio_balloon ($(($(date +%s) - T0)) s)"
else
	nok "guest boots under TCG and binds virtio_balloon" "$(tail -n 20 "$D/q1.log" "$D/q1.qemu.out")"
	finish
fi
wait_for 10 has_sock "$S2"

# --- 3. kvmschedctl balloon ----------------------------------------------------------
out=$("$BIN" balloon "$S1" 2>&1); rc=$?
check "balloon SOCKET: QMP handshake, query-balloon says actual 512 MiB" \
	$([ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qE '^actual +512 MiB$'; echo $?) "$out"
out=$("$BIN" -j balloon "pid:$Q1" 2>&1); rc=$?
check "balloon pid:PID: socket from /proc/PID/cmdline (-qmp unix:), JSON output" \
	$([ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qF "{\"socket\":\"$S1\",\"qemu\":" &&
	  printf '%s\n' "$out" | grep -q '"device":"/machine/peripheral-anon/device\[0\]","actual_mib":512'; echo $?) "$out"
out=$("$BIN" -j balloon -s 1 -t 20 "$S1" 2>&1); rc=$?
free=$(printf '%s\n' "$out" | sed -n 's/.*"free_mib":\([0-9]*\).*/\1/p')
total=$(printf '%s\n' "$out" | sed -n 's/.*"total_mib":\([0-9]*\).*/\1/p')
check "balloon -s 1: guest stats after the polling interval is set (free ${free:-?}, total ${total:-?} MiB)" \
	$([ "$rc" = 0 ] && [ "${free:-0}" -gt 0 ] && [ "${total:-0}" -gt 0 ] &&
	  [ "$free" -le "$total" ]; echo $?) "$out"
t=$(date +%s%N)
out=$("$BIN" balloon --wait -t 90 "$S1" 256 2>&1); rc=$?
ms=$((($(date +%s%N) - t) / 1000000))
check "balloon --wait SOCKET 256: actual reaches 256 MiB (${ms} ms)" \
	$([ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qE '^balloon 512 -> 256 MiB: actual 25[5-7] MiB$'; echo $?) "$out"
check "balloon: the observer socket agrees (actual 256 MiB)" \
	$(actual_is "$S1O" 256; echo $?) "$(actual_of "$S1O")"
out=$("$BIN" balloon "$S2" 2>&1); rc=$?
check "balloon on a QEMU without balloon device: DeviceNotActive, exit 1" \
	$([ "$rc" = 1 ] && [ "$out" = "kvmschedctl: balloon: $S2: query-balloon: QMP error DeviceNotActive: No balloon device has been activated" ]; echo $?) "$out"
out=$("$BIN" balloon "pid:$Q2" 2>&1); rc=$?
check "balloon pid:PID finds -chardev socket + -mon mode=control" \
	$([ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "$S2: query-balloon: QMP error DeviceNotActive"; echo $?) "$out"
out=$("$BIN" balloon "pid:$$" 2>&1); rc=$?
check "balloon pid:PID of a process without QMP: clear error, exit 1" \
	$([ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "no QMP socket: no -qmp unix:PATH"; echo $?) "$out"
out=$("$BIN" balloon --wait "$S1" 2>&1); rc=$?
check "balloon --wait without TARGET_MIB: usage error, exit 2" \
	$([ "$rc" = 2 ] && printf '%s\n' "$out" | grep -q "needs TARGET_MIB"; echo $?) "$out"

# --- 4. balloond --targets ----------------------------------------------------------------
TG=$D/targets BL=$D/balloond.log MAP=$D/map
printf '# static targets\n%s 384\npid:%s 200\n' "$S1" "$Q2" > "$TG"
printf '# not these VMs\nname:web /nonexistent.sock\nbogus line\n' > "$MAP"
"$BIN" balloond -v --targets "$TG" --map "$MAP" --interval-ms 500 --reapply-ms 2000 > "$D/balloond.out" 2> "$BL" &
BDPID=$!
R1="vm $S1: balloon 256 -> 384 MiB \(targets file\)"
check "balloond --targets: applies SOCKET 384 (log: balloon 256 -> 384 MiB)" \
	$(wait_for 20 logged "$BL" "$R1"; echo $?) "$(tail -n 20 "$BL")"
check "balloond: actual reaches 384 MiB (observer socket)" \
	$(wait_for 60 actual_is "$S1O" 384; echo $?) "$(actual_of "$S1O"); $(tail -n 5 "$BL")"
check "balloond: guest stats read and logged (-v)" \
	$(wait_for 20 logged "$BL" "vm $S1: actual 38[3-5] MiB, guest free [1-9][0-9]*, available [0-9-]*, total [1-9][0-9]* MiB"; echo $?) "$(tail -n 10 "$BL")"
check "balloond: pid: line, -chardev/-mon socket, no balloon device: DeviceNotActive logged once, skipped" \
	$(wait_for 10 logged "$BL" "vm pid:$Q2: QMP error DeviceNotActive: No balloon device has been activated; skipped" &&
	  sleep 1.5 && [ "$(grep -c 'DeviceNotActive' "$BL")" = 1 ]; echo $?) "$(grep "pid:$Q2" "$BL" | head -n 5)"
check "balloond: host memory PSI parsed (-v)" \
	$(if [ -r /proc/pressure/memory ]; then logged "$BL" "host memory PSI some avg10 [0-9]+\.[0-9]{2} % \([0-9]+ bp\)"
	  else logged "$BL" "host PSI: cannot read"; fi; echo $?) "$(grep -i psi "$BL" | head -n 3)"

check "balloond --map: a bad line is logged with its number and ignored" \
	$(logged "$BL" "$MAP:3: 'bogus' is not pid:PID, name:NAME or an absolute socket path; line ignored"; echo $?) "$(grep -F "$MAP" "$BL")"
printf 'pid:1 /nonexistent.sock\nname:web /nonexistent.sock\n' > "$MAP"
kill -HUP "$BDPID"
check "balloond re-reads --map on SIGHUP (2 entries) and lives on" \
	$(wait_for 5 logged "$BL" "--map $MAP: 2 entries \(reloaded\)" && kill -0 "$BDPID"; echo $?) "$(tail -n 5 "$BL")"

kill -9 "$Q1"; wait "$Q1" 2>/dev/null
check "QEMU killed mid-session: balloond logs the lost session" \
	$(wait_for 10 logged "$BL" "vm $S1: QMP session lost during .*; reconnecting in 0.5 s"; echo $?) "$(tail -n 8 "$BL")"
sleep 1.5
check "QEMU killed: balloond keeps running and retries with backoff" \
	$(kill -0 "$BDPID" 2>/dev/null && logged "$BL" "vm $S1: cannot open QMP session: connect $S1: (Connection refused|No such file or directory); retrying in [12]\.0 s"; echo $?) \
	"$(tail -n 8 "$BL")"
rm -f "$S1" "$S1O"
qemu_start q1b "${Q1_ARGS[@]}"; Q1=$QEMU_PID
check "QEMU restarted on the same socket: balloond reconnects" \
	$(wait_for 30 logged "$BL" "vm $S1: QMP reconnected to $S1"; echo $?) "$(tail -n 8 "$BL")"
check "... and re-applies the target (balloon 512 -> 384 MiB, new QMP session)" \
	$(wait_for 10 logged "$BL" "vm $S1: balloon 512 -> 384 MiB \(targets file; new QMP session\)"; echo $?) "$(tail -n 8 "$BL")"
check "... and the restarted guest's actual reaches 384 MiB" \
	$(wait_for 90 actual_is "$S1O" 384; echo $?) "$(actual_of "$S1O"); $(tail -n 5 "$BL")"
printf '%s 320\npid:%s 200\n' "$S1" "$Q2" > "$TG"
check "targets file changed: balloond applies 384 -> 320 MiB" \
	$(wait_for 10 logged "$BL" "vm $S1: balloon 38[3-5] -> 320 MiB \(targets file\)"; echo $?) "$(tail -n 8 "$BL")"
check "... and the actual reaches 320 MiB" \
	$(wait_for 60 actual_is "$S1O" 320; echo $?) "$(actual_of "$S1O"); $(tail -n 5 "$BL")"
out=$("$BIN" balloon "$S1O" 448 2>&1)
check "someone else balloons the VM to 448 MiB: balloond sees the drift and re-applies 320 MiB" \
	$(wait_for 30 logged "$BL" "vm $S1: actual [0-9]+ MiB drifted away from the target 320 MiB" &&
	  wait_for 10 logged "$BL" "vm $S1: balloon [0-9]+ -> 320 MiB \(targets file; actual drifted\)"; echo $?) \
	"$out; $(tail -n 8 "$BL")"
check "... and the actual is back at 320 MiB" \
	$(wait_for 60 actual_is "$S1O" 320; echo $?) "$(actual_of "$S1O"); $(tail -n 5 "$BL")"
kill -TERM "$BDPID"; wait "$BDPID"; rc=$?; BDPID=
check "balloond exits 0 on SIGTERM (log: exiting on SIGTERM)" \
	$([ "$rc" = 0 ] && logged "$BL" "balloond: exiting on SIGTERM$"; echo $?) "rc $rc; $(tail -n 3 "$BL")"
check "balloond log lines are timestamped, one per line" \
	$(! grep -vqE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} balloond: ' "$BL"; echo $?) \
	"$(grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} balloond: ' "$BL" | head -n 3)"

# Without --targets and without the module: wait, retry, exit cleanly.
if [ -e /sys/module/kvmsched ]; then
	skip "balloond without the module waits for it" "kvmsched is loaded here"
else
	"$BIN" balloond --interval-ms 200 2> "$D/nomod.log" &
	BDPID=$!
	wait_for 5 logged "$D/nomod.log" "kvmsched: module not loaded"
	sleep 0.5
	kill -INT "$BDPID"; wait "$BDPID"; rc=$?; BDPID=
	check "balloond without the module: logs it once, waits, exits 0 on SIGINT" \
		$([ "$rc" = 0 ] && [ "$(grep -c 'module not loaded' "$D/nomod.log")" = 1 ] &&
		  logged "$D/nomod.log" "exiting on SIGINT"; echo $?) "rc $rc; $(cat "$D/nomod.log")"
fi
finish
