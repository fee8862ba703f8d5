#!/bin/bash
# Boot the "sandbox KVM host": a Debian kernel under QEMU/TCG (nested SVM),
# load its KVM modules, run one guest script, report its exit code and the
# guest kernel log.  See /work/shared/notes/kernel.md, "The QEMU KVM-host recipe".
#
# Usage:
#   scripts/vmrun.sh --kver KVER --run GUEST_SCRIPT [--smp 2] [--mem 1024]
#                    [--timeout SECONDS] [--add SRC:DST]... [--log FILE]
#                    [--append "KERNEL ARGS"] [--no-kvm] [--qemu]
#
#   --kver KVER     kernel from $KVMS_CACHE/kernels/KVER (see scripts/deps.sh)
#   --run SCRIPT    copied to /test.sh and run as `sh /test.sh` in the guest
#   --add SRC:DST   copy host file SRC to DST inside the guest (repeatable)
#   --timeout S     whole run, boot included (default 600); the guest kills
#                   the script 30 s earlier (by its uptime) so that its dmesg
#                   still arrives
#   --log FILE      also write the (CR-stripped) serial console to FILE
#   --append ARGS   extra kernel command line
#   --bzimage       boot the compressed vmlinuz (default: the uncompressed
#                   vmlinux through its PVH entry, which saves ~6 s of TCG
#                   decompression; extracted once to $KVMS_CACHE/kernels/KVER/)
#   --no-kvm        do not insmod the KVM stack; the modules are still in
#                   /lib/modules/KVMS/ and listed in load order in
#                   /lib/modules/KVMS/order (insmod them from the script)
#   --qemu          also put this machine's qemu-system-x86_64 in the guest,
#                   at the same paths: the binary, every library ldd lists
#                   and the loader, and the firmware a "-machine pc
#                   -nodefaults" VM loads (SeaBIOS bios-256k.bin,
#                   kvmvapic.bin); an uncompressed cpio ahead of the
#                   initramfs, built once into $KVMS_CACHE (50 MiB of guest
#                   RAM, ~0.3 s more boot)
#
# Guest environment: busybox, proc, sysfs, devtmpfs, tmpfs /tmp, debugfs,
# tracefs, cgroup2; KVMS_KVER set to the kernel version.
#
# Exit status: the guest script's exit code; 124 on timeout; 125 if the guest
# never reported one (crash, panic); 126 if the script passed but the guest
# kernel log shows trouble (BUG, WARNING, Oops, lockdep, lockups, KASAN,
# UBSAN, hung tasks, RCU stalls; on a kernel with kmemleak, a leak found by
# the two scans run after the script);
# 3 if the KVM modules did not load or /dev/kvm is missing (script not run);
# 2 for usage errors; 130 if vmrun itself was interrupted.
set -uo pipefail

CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
KVER= SMP=2 MEM=1024 TIMEOUT=600 RUN= LOG= APPEND= LOADKVM=1 BZIMAGE=0 QEMU=0
ADDS=()

die() { echo "vmrun: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kver) KVER=${2:?}; shift 2 ;;
	--smp) SMP=${2:?}; shift 2 ;;
	--mem) MEM=${2:?}; shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--add) ADDS+=("${2:?}"); shift 2 ;;
	--run) RUN=${2:?}; shift 2 ;;
	--log) LOG=${2:?}; shift 2 ;;
	--append) APPEND=${2:?}; shift 2 ;;
	--no-kvm) LOADKVM=0; shift ;;
	--bzimage) BZIMAGE=1; shift ;;
	--qemu) QEMU=1; shift ;;
	-h|--help) usage 0 ;;
	*) echo "vmrun: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
[ -n "$KVER" ] && [ -n "$RUN" ] || usage 2
[ -f "$RUN" ] || die "guest script '$RUN' not found"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -gt 0 ] || die "bad --timeout '$TIMEOUT'"

ROOT=$CACHE/kernels/$KVER/root
KERNEL=$ROOT/boot/vmlinuz-$KVER
MODDIR=$ROOT/lib/modules/$KVER
[ -f "$KERNEL" ] && [ -d "$MODDIR" ] ||
	die "kernel $KVER not found in $CACHE/kernels (run scripts/deps.sh; known: $(tr '\n' ' ' < "$CACHE/kernels.list" 2>/dev/null))"
for t in qemu-system-x86_64 cpio gzip modinfo timeout; do
	command -v "$t" >/dev/null || die "$t not installed (run scripts/deps.sh)"
done
BUSYBOX=/bin/busybox	# from busybox-static: no shared libraries needed
[ -x "$BUSYBOX" ] || die "$BUSYBOX not installed (busybox-static)"

# The uncompressed kernel, for a PVH boot (XEN_ELFNOTE_PHYS32_ENTRY, note
# type 0x12): QEMU loads the ELF directly and the guest skips decompression.
pvh_vmlinux() {	# $1 = vmlinuz, $2 = cached output; returns 1 if not possible
	local spec tool off tmp
	[ -s "$2" ] && return 0
	tmp=$(mktemp "$2.XXXXXX") || return 1
	PVHTMP=$tmp
	for spec in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
		tool=${spec%%:*}
		command -v "$tool" >/dev/null || continue
		for off in $(LC_ALL=C grep -aboP "${spec#*:}" "$1" | cut -d: -f1); do
			tail -c +$((off + 1)) "$1" | "$tool" -dc > "$tmp" 2>/dev/null
			if LC_ALL=C readelf -n "$tmp" 2>/dev/null | grep -q 'Xen.*(0x00000012)'; then
				chmod 644 "$tmp" && mv -f "$tmp" "$2"
				return 0
			fi
		done
	done
	rm -f "$tmp"
	return 1
}
PVHTMP= TMP=
trap 'rm -rf ${PVHTMP:+"$PVHTMP"} ${TMP:+"$TMP"}' EXIT
if [ "$BZIMAGE" = 0 ]; then
	if pvh_vmlinux "$KERNEL" "$CACHE/kernels/$KVER/vmlinux.pvh"; then
		KERNEL=$CACHE/kernels/$KVER/vmlinux.pvh
	else
		echo "vmrun: no PVH vmlinux could be extracted, booting the bzImage" >&2
	fi
fi

TMP=$(mktemp -d /tmp/vmrun.XXXXXX) || die "mktemp failed"
IR=$TMP/initramfs
mkdir -p "$IR"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules/KVMS}

# --- busybox and its applets ----------------------------------------------
cp "$BUSYBOX" "$IR/bin/busybox"
for a in $("$BUSYBOX" --list-full); do
	[ "$a" = bin/busybox ] || [ -e "$IR/$a" ] || ln -s /bin/busybox "$IR/$a"
done

# --- KVM modules, dependencies first (modinfo; the tree has no modules.dep) -
declare -A MODPATH=() DONE=()
while read -r f; do
	n=${f##*/}; n=${n%%.ko*}; MODPATH[${n//-/_}]=$f
done < <(find "$MODDIR/kernel" -name '*.ko*')
ORDER=()
add_mod() {	# $1 = module name; depth-first, dependencies before dependents
	local n=${1//-/_} d f
	[ -n "${DONE[$n]:-}" ] && return
	DONE[$n]=1
	f=${MODPATH[$n]:-}
	[ -n "$f" ] || die "module $1 not found in $MODDIR"
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$d"; done
	ORDER+=("$n")
}
# ccp is only needed when kvm_amd is built with SEV (Debian's kernels); a
# kernel without SEV (the debug kernel, scripts/debug-kernel.sh) has none.
for m in irqbypass kvm ccp kvm_amd; do
	[ "$m" = ccp ] && [ -z "${MODPATH[ccp]:-}" ] && continue
	add_mod "$m"
done
for n in "${ORDER[@]}"; do
	f=${MODPATH[$n]}
	case "$f" in
	*.ko.xz) xz -dc "$f" ;;
	*.ko.zst) zstd -qdc "$f" ;;
	*.ko.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac > "$IR/lib/modules/KVMS/$n.ko" || die "cannot unpack $f"
	echo "$n" >> "$IR/lib/modules/KVMS/order"
done

# --- user files --------------------------------------------------------------
cp "$RUN" "$IR/test.sh"
for a in "${ADDS[@]}"; do
	src=${a%%:*} dst=${a#*:}
	[ "$src" != "$a" ] && [ "${dst#/}" != "$dst" ] || die "bad --add '$a' (want SRC:/DST)"
	[ -f "$src" ] || die "--add: '$src' not found"
	mkdir -p "$IR$(dirname "$dst")" && cp -L "$src" "$IR$dst" || die "--add '$a' failed"
done

# Guest-side deadline, so a hung script still yields KVMS-EXIT and dmesg:
# counted in guest uptime, so a slow boot (the debug kernel takes 15-35 s
# under TCG) is not added on top of it.
GUEST_TIMEOUT=$(( TIMEOUT > 60 ? TIMEOUT - 30 : TIMEOUT * 2 / 3 ))

cat > "$IR/init" <<EOF
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/ KVMS_KVER=\$(uname -r)
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mkdir -p /dev/pts /dev/shm
ln -sf /proc/self/fd /dev/fd 2>/dev/null
hostname kvms-guest
rc=0
if [ $LOADKVM = 1 ]; then
	for m in \$(cat /lib/modules/KVMS/order); do
		insmod /lib/modules/KVMS/\$m.ko || { echo "vmrun-init: ERROR: insmod \$m failed"; rc=3; }
	done
	if [ ! -c /dev/kvm ]; then
		echo "vmrun-init: ERROR: /dev/kvm missing after loading the KVM modules (no SVM in the guest CPU?)"
		rc=3
	fi
fi
if [ \$rc = 0 ]; then
	echo "vmrun-init: running test.sh on \$KVMS_KVER, \$(nproc) CPUs, uptime \$(cut -d' ' -f1 /proc/uptime) s"
	setsid sh /test.sh </dev/null &
	tpid=\$!
	up=\$(cut -d. -f1 /proc/uptime)
	left=\$(($GUEST_TIMEOUT - up))
	[ \$left -ge 10 ] || left=10
	( sleep \$left
	  echo "vmrun-init: test.sh still running at uptime $GUEST_TIMEOUT s, killing it"
	  touch /tmp/.kvms-timeout; ps | grep -v ' \\[.*\\]\$'; kill -KILL -\$tpid ) &
	wpid=\$!
	wait \$tpid
	rc=\$?
	kill \$wpid 2>/dev/null
	[ -e /tmp/.kvms-timeout ] && rc=124
fi
echo "KVMS-EXIT \$rc"
# Kernels with kmemleak (the debug kernel): two scans (a leak is reported
# once it stays unreferenced for 5 s), each leak then printed to the kernel
# log with its backtrace ("unreferenced object ..."), so the scan below sees it.
# Not after a timeout: what is left must still fit before QEMU is killed.
if [ -w /sys/kernel/debug/kmemleak ] && [ \$rc != 124 ]; then
	echo 1 > /sys/module/kmemleak/parameters/verbose 2>/dev/null
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
fi
echo "KVMS-DMESG-BEGIN"
dmesg
echo "KVMS-DMESG-END"
poweroff -f
EOF
chmod 755 "$IR/init" "$IR/test.sh"

# --- the host's QEMU (--qemu) ------------------------------------------------
# Copied rather than 9p-shared: no virtio/9p modules to load, nothing to
# mount, the same on every kernel. An uncompressed archive first, the
# gzipped one after it (the kernel unpacks concatenated archives, but stops
# silently after a gzip member): gunzip of 50 MiB under TCG would cost more
# boot time than QEMU's loading of the raw bytes. The firmware list is what
# strace shows QEMU 7.2 opening for "-machine pc -nodefaults"; a PCI NIC
# would add its option ROM (efi-*.rom), which the tests do not use.
if [ "$QEMU" = 1 ]; then
	qbin=$(command -v qemu-system-x86_64)
	qfiles=("$qbin" /usr/share/seabios/bios-256k.bin /usr/share/qemu/kvmvapic.bin)
	# ldd lines: "libX.so => /path (0x...)", and the loader as "/path (0x...)".
	mapfile -t -O ${#qfiles[@]} qfiles < <(ldd "$qbin" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	[ ${#qfiles[@]} -gt 4 ] || die "--qemu: ldd $qbin listed no libraries"
	# Built once per set of files (paths, sizes, mtimes) into the cache.
	qkey=$(stat -L -c '%n %s %Y' "${qfiles[@]}" | md5sum | cut -c1-16) ||
		die "--qemu: a file ldd lists is missing"
	QCPIO=$CACHE/qemu-guest-$qkey.cpio
	if [ ! -s "$QCPIO" ]; then
		QF=$TMP/qemufs
		for f in "${qfiles[@]}"; do
			d=$f
			[ "$f" = "$qbin" ] && d=/usr/bin/qemu-system-x86_64
			mkdir -p "$QF$(dirname "$d")" && cp -L "$f" "$QF$d" || die "--qemu: cannot copy $f"
		done
		(cd "$QF" && find . | cpio -o -H newc -R 0:0 --quiet) > "$QCPIO.$$" &&
			mv -f "$QCPIO.$$" "$QCPIO" || { rm -f "$QCPIO.$$"; die "--qemu: cannot build $QCPIO"; }
		rm -rf "$QF"
		find "$CACHE" -maxdepth 1 -name 'qemu-guest-*.cpio' ! -name "${QCPIO##*/}" -delete
	fi
	cp "$QCPIO" "$TMP/initrd" || die "--qemu: cannot read $QCPIO"
fi

(cd "$IR" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >> "$TMP/initrd" ||
	die "cannot build the initramfs"

# --- boot --------------------------------------------------------------------
CMDLINE="console=ttyS0 quiet panic=-1 softlockup_panic=1 mitigations=off $APPEND"
[ -n "$LOG" ] && : > "$LOG"
START=$(date +%s%3N)
# If vmrun itself is stopped, stop QEMU too (timeout forwards the signal).
trap 'kill "$(cat "$TMP/qemu.pid" 2>/dev/null)" 2>/dev/null; exit 130' INT TERM HUP
( echo "$BASHPID" > "$TMP/qemu.pid"
  exec timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single -cpu max \
	-smp "$SMP" -m "$MEM" -nographic -no-reboot -nic none \
	-fw_cfg name=etc/sercon-port,string=0 \
	-kernel "$KERNEL" -initrd "$TMP/initrd" -append "$CMDLINE" \
	</dev/null 2>"$TMP/qemu.err" ) |
	sed -u 's/\r$//' | tee "$TMP/console.log" ${LOG:+"$LOG"}
QRC=${PIPESTATUS[0]}
ELAPSED=$(( $(date +%s%3N) - START ))

# BUG: covers KASAN, KFENCE, "sleeping function called from invalid context"
# and workqueue lockups; WARNING: covers debug-objects (ODEBUG), list
# corruption and "suspicious RCU usage"; the rest are the reports that start
# with neither (UBSAN, kmemleak, hung tasks, RCU stalls, lockups, lockdep
# turning itself off). Not "lockdep" alone: a lockdep kernel says
# "RCU lockdep checking is enabled" at every boot.
TROUBLE='BUG:|WARNING:|Oops|UBSAN:|unreferenced object|suspected memory leak|lockdep is turned off|DEBUG_LOCKS_WARN_ON|possible recursive locking|circular locking|suspicious RCU usage|INFO: task .* blocked for more than|detected stalls|self-detected stall|rcu: INFO|soft lockup|hard LOCKUP|general protection|[Kk]ernel panic|Call Trace'
EXITLINE=$(grep -aoE 'KVMS-EXIT [0-9]+' "$TMP/console.log" | tail -n 1)
if [ -z "$EXITLINE" ]; then
	if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
		echo "vmrun: timeout after $TIMEOUT s (no KVMS-EXIT from the guest)" >&2
		RC=124
	else
		echo "vmrun: guest ended without KVMS-EXIT (crash or panic?), qemu rc $QRC" >&2
		grep -v 'fw_cfg item names should be prefixed' "$TMP/qemu.err" | sed 's/^/qemu: /' >&2
		RC=125
	fi
	grep -aE "$TROUBLE" "$TMP/console.log" | sed 's/^/  /' >&2
	exit $RC
fi
RC=${EXITLINE#KVMS-EXIT } SRC=$RC
# Only the kernel log between the markers is searched, never our own lines.
awk '/^KVMS-DMESG-END/ { p = 0 } p { print } /^KVMS-DMESG-BEGIN/ { p = 1 }' \
	"$TMP/console.log" > "$TMP/dmesg.txt"
grep -q . "$TMP/dmesg.txt" || echo "vmrun: warning: guest dmesg section is empty" >&2
if grep -aqE "$TROUBLE" "$TMP/dmesg.txt"; then
	{ echo "vmrun: kernel trouble in guest dmesg:"
	  grep -aE "$TROUBLE" "$TMP/dmesg.txt"; } >&2
	[ "$RC" = 0 ] && RC=126
fi
echo "vmrun: $KVER: guest script exit $SRC, vmrun exit $RC, $((ELAPSED / 1000)).$(printf %03d $((ELAPSED % 1000))) s wall" >&2
exit "$RC"
