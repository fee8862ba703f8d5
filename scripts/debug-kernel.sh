#!/bin/bash
# Build (or reuse) the debug kernel for the sandbox KVM host and print its
# version: Debian's own linux-source-6.12 (the same version as the tested
# Debian 6.12 image), configured as x86_64_defconfig + scripts/debug-kernel.config
# (KASAN, lockdep, PROVE_RCU, kmemleak, UBSAN, KFENCE, debug objects, ...).
#
# Usage: scripts/debug-kernel.sh [--rebuild]
#
# Prints the kernel release (KVER, <source version>-kvmsdbg) on stdout,
# everything else on stderr. The result is laid out like the extracted
# Debian kernels, so that `scripts/vmrun.sh --kver KVER` boots it and
# `scripts/build-all.sh KVER` builds the module against it:
#   $KVMS_CACHE/kernels/KVER/root/boot/vmlinuz-KVER     bzImage
#   $KVMS_CACHE/kernels/KVER/root/lib/modules/KVER/     modules (KVM stack)
#   $KVMS_CACHE/kernels/KVER/vmlinux.pvh                for vmrun's PVH boot
#   $KVMS_CACHE/kernels/KVER/build/                     O= build tree (KDIR)
# The cache key is a hash of the source package version, the fragment, this
# script and the compiler, kept in $KVMS_CACHE/kernels/KVER/.done: the
# kernel is built again only when the key changes (or with --rebuild), and
# then incrementally in the same build tree, so an interrupted build resumes
# and a change to this script alone costs a relink, not a cold build.
# The build runs `nice -n 10 make -j2` (KVMS_DEBUG_JOBS to change -j); its
# wall and CPU time are printed and kept in $KVMS_CACHE/kernels/KVER/build-time.
set -uo pipefail
SELF=$(readlink -f "$0")
cd "$(dirname "$SELF")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
FRAG=$PWD/scripts/debug-kernel.config
TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC=$CACHE/linux-source-6.12
JOBS=${KVMS_DEBUG_JOBS:-2}
REBUILD=0

die() { echo "debug-kernel: $*" >&2; exit 1; }
say() { echo "debug-kernel: $*" >&2; }

case "${1:-}" in
--rebuild) REBUILD=1 ;;
"") ;;
*) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$SELF" >&2; exit 2 ;;
esac

PKGVER=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/deps.sh)"
[ -f "$TARBALL" ] || die "$TARBALL missing (run scripts/deps.sh)"
command -v gcc >/dev/null || die "gcc missing (run scripts/deps.sh)"

# One builder at a time (the lead's make check and a helper may race).
mkdir -p "$CACHE/kernels"
exec 9> "$CACHE/debug-kernel.lock"
flock 9 || die "cannot lock $CACHE/debug-kernel.lock"

# The tree deps.sh unpacks (shared read-only with ynl-gen): unpack it here
# too if missing, so that this script works on its own.
if [ ! -f "$SRC/.done" ]; then
	say "unpacking $TARBALL into $SRC"
	rm -rf "$SRC" && mkdir -p "$SRC" &&
		tar -C "$SRC" --strip-components=1 -xaf "$TARBALL" && touch "$SRC/.done" ||
		die "cannot unpack $TARBALL"
fi
SRCVER=$(make -s -C "$SRC" kernelversion 2>/dev/null) || die "cannot read the version of $SRC"

KEY=$( { echo "$PKGVER"; cat "$FRAG" "$SELF"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
KVER=$SRCVER-kvmsdbg
D=$CACHE/kernels/$KVER
B=$D/build

if [ "$REBUILD" = 0 ] && [ "$(cat "$D/.done" 2>/dev/null)" = "$KEY" ]; then
	say "$KVER is cached, key $KEY ($(cat "$D/build-time" 2>/dev/null))"
	echo "$KVER"
	exit 0
fi

# Other debug kernels (an older source version, older naming) only take space.
for old in "$CACHE"/kernels/*-kvmsdbg*; do
	[ -d "$old" ] && [ "$old" != "$D" ] && { say "removing stale ${old##*/}"; rm -rf "$old"; }
done

COLD=cold
[ -f "$B/vmlinux" ] && COLD=incremental
say "building $KVER ($COLD; linux-source-6.12 $PKGVER, key $KEY) in $B"
START=$(date +%s)
# The build tree stays (make only redoes what the new key changes).
rm -rf "$D/root" "$D/vmlinux.pvh" "$D/.done" && mkdir -p "$B" "$D/root/boot" ||
	die "cannot create $D"
LOG=$D/build.log
: > "$LOG"
# LOCALVERSION= (set, empty): no "+" from setlocalversion even if the cache
# sits inside a git work tree.
kmake() { make -C "$SRC" O="$B" LOCALVERSION= "$@" >> "$LOG" 2>&1; }
fail() { tail -n 60 "$LOG" >&2; die "$* (full log: $LOG)"; }

kmake x86_64_defconfig || fail "defconfig failed"
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "$FRAG" >> "$LOG" 2>&1 ||
	fail "merge_config failed"
"$SRC/scripts/config" --file "$B/.config" --set-str LOCALVERSION "-kvmsdbg" ||
	fail "cannot set LOCALVERSION"
kmake olddefconfig || fail "olddefconfig failed"

# Every line of the fragment must have survived olddefconfig: a symbol whose
# dependencies are missing is dropped silently otherwise.
bad=0
while IFS= read -r line; do
	case $line in
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		if grep -qE "^$sym=[ym]\$" "$B/.config"; then
			say "fragment: $sym should be off, is $(grep -E "^$sym=" "$B/.config")"; bad=1
		fi ;;
	CONFIG_*=*)
		grep -qxF -- "$line" "$B/.config" || {
			say "fragment: want $line, got '$(grep -E "^${line%%=*}=|^# ${line%%=*} is not set" "$B/.config")'"
			bad=1; } ;;
	esac
done < "$FRAG"
[ "$bad" = 0 ] || die "the config fragment did not apply (see above; $B/.config)"

say "compiling with nice -n 10 make -j$JOBS (log: $LOG)"
nice -n 10 make -C "$SRC" O="$B" LOCALVERSION= -j"$JOBS" bzImage modules >> "$LOG" 2>&1 ||
	fail "kernel build failed"
got=$(cat "$B/include/config/kernel.release" 2>/dev/null)
[ "$got" = "$KVER" ] || die "kernel release is '$got', expected '$KVER'"
kmake INSTALL_MOD_PATH="$D/root" INSTALL_MOD_STRIP=1 modules_install ||
	fail "modules_install failed"
rm -f "$D/root/lib/modules/$KVER/build" "$D/root/lib/modules/$KVER/source"
cp "$B/arch/x86/boot/bzImage" "$D/root/boot/vmlinuz-$KVER" &&
	cp "$B/.config" "$D/root/boot/config-$KVER" &&
	cp "$B/System.map" "$D/root/boot/System.map-$KVER" &&
	strip -o "$D/vmlinux.pvh" "$B/vmlinux" || die "cannot install the kernel into $D"
readelf -n "$D/vmlinux.pvh" | grep -q 'Xen.*(0x00000012)' ||
	die "vmlinux has no PVH entry note (CONFIG_PVH?)"
ELAPSED=$(($(date +%s) - START))
# CPU time of every child this shell waited for (the whole build), fields
# cutime and cstime of /proc/self/stat, in clock ticks.
read -r -a st < "/proc/$$/stat"
CPU=$(( (st[15] + st[16]) / $(getconf CLK_TCK) ))
TIMES="$COLD build: $ELAPSED s wall ($((ELAPSED / 60)) min $((ELAPSED % 60)) s), $CPU s CPU"
echo "$TIMES" > "$D/build-time"
echo "$KEY" > "$D/.done"
say "built $KVER: $TIMES"
echo "$KVER"
