#!/bin/bash
# Packaging test: the Debian packages and DKMS, on this machine, as an admin
# would use them. Needs root (dpkg -i); this machine's own kernel cannot load
# modules, but DKMS can build for the Debian kernels whose headers are here.
#
#   1. versions agree: kmod/version.h, dkms.conf, debian/changelog
#   2. make deb builds kvmsched-dkms (all) and kvmsched (any) into build/deb/;
#      the -dkms package ships every source kmod/Kbuild names and no tests,
#      the kvmsched package kvmschedctl, kvmschedd, their man pages and the
#      kvmschedd unit (no kvmsched-balloond.service file: an Alias=)
#   3. lintian: no errors (warnings and info are listed)
#   4. dpkg -i both; the postinst has DKMS build and install the module
#   5. for each of the two stock kernels of $KVMS_CACHE/kernels.list:
#      dkms remove, dkms build -k KVER, dkms install -k KVER; the installed
#      kvmsched.ko has vermagic equal to that kernel's own kvm.ko (from the
#      extracted image) and version VERSION; depmod finds it; no compiler
#      warnings in DKMS's make.log; DKMS signed it with its MOK
#   6. kvmschedctl --version and kvmschedd --version print the .deb's
#      version, man -w for both, the unit's ExecStart, systemd-analyze verify
#      of the installed unit (man pages and binary found), the unit not
#      enabled; tests/pkg/unit.sh checks the unit's sandbox and the journal
#      logging
#   7. dpkg --purge: no dkms entry, no /usr/src/kvmsched-*, no module file,
#      no package file, no dpkg state left
#   8. make install / make install-dkms / make uninstall with DESTDIR, in a
#      copy of the tree, in the background during 4-7: the expected files,
#      with the expected paths inside
#
# Prints "ok"/"not ok" lines and ends with "pkg: N passed, N failed[, N
# skipped]"; exits 1 on any failure. Any kvmsched package or DKMS entry
# installed before the run is purged first (this is a test machine).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
OUT=build/deb
T0=$(date +%s)
pass=0 fail=0 skip=0 locked=

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
nok()  { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
skip() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }
# check NAME CMD...: ok if CMD succeeds, else not ok with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else nok "$name" "$(printf '%s\n' "$out" | tail -n 20)"; fi
}
finish() {
	local line="pkg: $pass passed, $fail failed" p n
	if [ -n "${mi_pid:-}" ]; then
		wait "$mi_pid"
		cat "$tmp/make-install.log"
		n=$(grep -c '^ok - ' "$tmp/make-install.log"); pass=$((pass + n))
		n=$(grep -c '^not ok - ' "$tmp/make-install.log"); fail=$((fail + n))
		grep -q '^ok - make uninstall\|^not ok - ' "$tmp/make-install.log" ||
			nok "make install test: no result (killed?)" "$(tail -n 5 "$tmp/make-install.log")"
		line="pkg: $pass passed, $fail failed"
	fi
	# A run that stopped early must not leave its packages behind (only a
	# run that holds the lock touches them).
	for p in kvmsched kvmsched-dkms; do
		if [ -n "$locked" ] && known $p; then
			echo "# cleanup: purging $p"
			dpkg_retry --purge $p >/dev/null
		fi
	done
	[ "$skip" = 0 ] || line="$line, $skip skipped"
	echo "# pkg took $(($(date +%s) - T0)) s"
	echo "$line"
	[ "$fail" = 0 ]
	exit
}
elapsed() { echo $(($(date +%s) - $1)); }
# dpkg_retry ARGS...: dpkg, waiting up to 2 min for a lock another
# process (apt, another helper) holds.
dpkg_retry() {
	local out rc
	for _ in $(seq 1 60); do
		out=$(DEBIAN_FRONTEND=noninteractive nice -n 10 dpkg "$@" 2>&1); rc=$?
		grep -q -- 'dpkg frontend lock\|dpkg status database is locked' <<< "$out" || break
		sleep 2
	done
	printf '%s\n' "$out"
	return $rc
}
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^.[iUFHWt]'; }
known()     { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -qv '^.n'; }

if [ "$(id -u)" != 0 ]; then
	skip "Debian packages and DKMS" "needs root (dpkg -i)"
	finish
fi
# One run at a time on a machine: a second run would purge the first's
# packages under it. (The lock is released when this shell exits.)
LOCK=/run/lock/kvmsched-tests-pkg.lock
exec 9>"$LOCK"
if ! flock -n 9; then
	echo "# waiting for another tests/pkg run (lock $LOCK)"
	if ! flock -w 900 9; then
		nok "another tests/pkg run still holds $LOCK after 15 min"
		finish
	fi
fi
locked=1
missing=
for c in dpkg-buildpackage dh dh_dkms dkms lintian modinfo rsync; do
	command -v $c >/dev/null || missing="$missing $c"
done
if [ -n "$missing" ]; then
	nok "tools present (make deps installs them)" "missing:$missing"
	finish
fi
mapfile -t kvers < <(head -n 2 "$CACHE/kernels.list" 2>/dev/null)
if [ ${#kvers[@]} != 2 ]; then
	nok "two stock kernels in $CACHE/kernels.list (make deps)"
	finish
fi

# --- 1. versions ------------------------------------------------------------
V=$(sed -n 's/^#define KVMSCHED_VERSION "\(.*\)"$/\1/p' kmod/version.h)
VD=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
VC=$(dpkg-parsechangelog -l debian/changelog -SVersion 2>/dev/null)
if [ -n "$V" ] && [ "$V" = "$VD" ] && [ "$V" = "$VC" ]; then
	ok "version $V in kmod/version.h, dkms.conf and debian/changelog"
else
	nok "versions agree" "version.h '$V', dkms.conf '$VD', debian/changelog '$VC'"
	finish
fi
NAME=kvmsched/$V

# dkms.conf's BUILD_EXCLUSIVE_KERNEL, as dkms applies it ([[ =~ ]]): the
# Debian kernels and later ones build, older ones are skipped.
bad=
for kv in "${kvers[@]}" 6.1.0-1-amd64 6.9.3 6.10.0 6.16.2-amd64 7.0.0-rc1 10.2.0 \
	  '!5.10.0-30-amd64' '!6.0.12-amd64' '!4.19.0-27-amd64' '!3.10.0' '!2.6.32'; do
	want=y
	[ "${kv#!}" = "$kv" ] || { want=n; kv=${kv#!}; }
	got=$(bash -c '. ./dkms.conf; [[ $1 =~ $BUILD_EXCLUSIVE_KERNEL ]] && echo y || echo n' - "$kv")
	[ "$got" = "$want" ] || bad="$bad $kv(want $want, got $got)"
done
if [ -z "$bad" ]; then
	ok "dkms.conf BUILD_EXCLUSIVE_KERNEL takes 6.1+ and both Debian kernels, skips 4.x, 5.x, 6.0"
else
	nok "dkms.conf BUILD_EXCLUSIVE_KERNEL" "wrong for:$bad"
fi
SRC=/usr/src/kvmsched-$V

# Leftovers of an earlier run or an admin's install would hide what this
# run's packages do.
for p in kvmsched kvmsched-dkms; do
	if known $p; then
		echo "# purging an already installed $p"
		dpkg_retry --purge $p >/dev/null
	fi
done
if dkms status kvmsched 2>/dev/null | grep -q .; then
	echo "# removing a DKMS entry left outside the packages: $(dkms status kvmsched | tr '\n' ' ')"
	dkms remove "$NAME" --all >/dev/null 2>&1
fi

# --- 2. make deb ------------------------------------------------------------
t=$(date +%s)
if out=$(nice -n 10 make -s deb 2>&1); then
	ok "make deb ($(elapsed "$t") s)"
else
	nok "make deb" "$out"
	finish
fi
DKMS_DEB=$OUT/kvmsched-dkms_${V}_all.deb
arch=$(dpkg --print-architecture)
CTL_DEB=$OUT/kvmsched_${V}_$arch.deb
for d in "$DKMS_DEB" "$CTL_DEB"; do
	if [ -f "$d" ]; then
		ok "$(basename "$d"): $(stat -c %s "$d") bytes, installed size $(dpkg-deb -f "$d" Installed-Size) KiB"
	else
		nok "$d built" "$(ls -l $OUT)"
		finish
	fi
done

# The -dkms package: the sources kmod/Kbuild names, dkms.conf, no tests.
# (Lists are searched with here-strings: under pipefail, printf | grep -q
# fails when grep exits before printf has written everything.)
files=$(dpkg-deb -c "$DKMS_DEB" | awk '{ print $6 }' | sed 's|^\./|/|')
want="$SRC/dkms.conf $SRC/Kbuild $SRC/kmod/Kbuild $SRC/kmod/compat.mk $SRC/uapi/linux/kvmsched.h"
for o in $(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' kmod/Kbuild | sed -n 's/^kvmsched-y[[:space:]]*[:+]*=//p'); do
	want="$want $SRC/kmod/${o%.o}.c"
done
miss=
for f in $want; do
	grep -qxF -- "$f" <<< "$files" || miss="$miss $f"
done
if [ -z "$miss" ]; then
	ok "kvmsched-dkms ships the $(echo "$want" | wc -w) files DKMS needs: dkms.conf, Kbuilds, compat.mk, uapi header, every source kmod/Kbuild names"
else
	nok "kvmsched-dkms ships the module sources" "missing:$miss"
fi
extra=$(printf '%s\n' "$files" | grep -E '^/usr/src/.*/(tests|scripts|userspace|debian)/|\.(o|ko|cmd|mod|mod\.c)$')
if [ -z "$extra" ]; then ok "kvmsched-dkms ships no tests, scripts or objects"; else nok "kvmsched-dkms ships only module sources" "$extra"; fi
files=$(dpkg-deb -c "$CTL_DEB" | awk '{ print $6 }' | sed 's|^\./|/|')
miss=
for f in /usr/sbin/kvmschedctl /usr/sbin/kvmschedd /usr/share/man/man8/kvmschedctl.8.gz \
	 /usr/share/man/man8/kvmschedd.8.gz /lib/systemd/system/kvmschedd.service; do
	grep -qxF -- "$f" <<< "$files" || miss="$miss $f"
done
old=$(printf '%s\n' "$files" | grep 'kvmsched-balloond')
[ -z "$old" ] || miss="$miss (the old unit: $old)"
# Examples (userspace/X.example) go to the doc directory, never to /etc.
for e in userspace/*.example; do
	[ -f "$e" ] || continue
	e=${e##*/}
	grep -qE -- "^/usr/share/doc/kvmsched/examples/${e%.example}(\.gz)?\$" <<< "$files" ||
		miss="$miss /usr/share/doc/kvmsched/examples/${e%.example}"
done
etc=$(printf '%s\n' "$files" | grep '^/etc/.')
[ -z "$etc" ] || miss="$miss (files in /etc: $etc)"
if [ -z "$miss" ]; then
	ok "kvmsched ships kvmschedctl, kvmschedd, their man pages, kvmschedd.service, $(ls userspace/*.example 2>/dev/null | wc -l) example(s), nothing in /etc"
else
	nok "kvmsched package contents" "missing:$miss"
fi

# --- 3. lintian -----------------------------------------------------------------
t=$(date +%s)
lout=$(cd $OUT && lintian --pedantic --display-info --fail-on error "kvmsched_${V}_$arch.changes" 2>&1); lrc=$?
lint_e=$(printf '%s\n' "$lout" | grep -c '^E: ')
lint_w=$(printf '%s\n' "$lout" | grep -c '^W: ')
lint_i=$(printf '%s\n' "$lout" | grep -c '^[IPX]: ')
printf '%s\n' "$lout" | grep -E '^[EWIPX]: ' | sed 's/^/#   lintian: /'
if [ "$lrc" = 0 ] && [ "$lint_e" = 0 ]; then
	ok "lintian: 0 errors, $lint_w warnings, $lint_i info/pedantic ($(elapsed "$t") s)"
else
	nok "lintian: no errors (exit $lrc, $lint_e errors)" "$(printf '%s\n' "$lout" | grep -v '^[WIPXN]: ' | tail -n 20)"
fi

# --- 8. make install with DESTDIR -------------------------------------------
# In a copy of the tree: the module objects go to the copy's kmod/, not the
# shared work tree's.
# It runs in the background during steps 4-7 (dpkg and DKMS wait on depmod
# and the disk much of the time); finish collects its lines.
make_install_test() {
	local t k dest out rc miss ko vm junk ex left f
	t=$(date +%s)
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod*' \
		--exclude=/userspace/build/ --exclude=/userspace/kvmschedctl \
		--exclude=/userspace/kvmschedd/kvmschedd \
		Kbuild Makefile dkms.conf kmod uapi userspace "$tmp/src/"
	k=${kvers[0]}
	dest=$tmp/dest
	# install-dkms after the module build, in its own make: it must still ship
	# sources only, not the objects the build left in kmod/.
	out=$(nice -n 10 make -s -C "$tmp/src" install DESTDIR="$dest" \
		KDIR="/usr/src/linux-headers-$k" 2>&1 &&
	      make -s -C "$tmp/src" install-dkms DESTDIR="$dest" 2>&1); rc=$?
	if [ "$rc" = 0 ]; then
		ok "make install, make install-dkms, DESTDIR=... KDIR=<$k headers> ($(elapsed "$t") s)"
		miss=
		for f in usr/local/sbin/kvmschedctl usr/local/share/man/man8/kvmschedctl.8 \
			 usr/local/sbin/kvmschedd usr/local/share/man/man8/kvmschedd.8 \
			 usr/local/lib/systemd/system/kvmschedd.service \
			 "usr/src/kvmsched-$V/dkms.conf" "usr/src/kvmsched-$V/kmod/main.c"; do
			[ -e "$dest/$f" ] || miss="$miss $f"
		done
		for f in userspace/*.example; do
			[ -f "$f" ] || continue
			f=${f##*/}
			f=usr/local/share/doc/kvmsched/examples/${f%.example}
			[ -e "$dest/$f" ] || miss="$miss $f"
		done
		# modules_install puts an external module under extra/ (6.1) or
		# updates/ (6.12), in a kmod/ subdirectory (obj-m := kmod/).
		ko=$(find "$dest/lib/modules/$k" -name 'kvmsched.ko*' 2>/dev/null | head -n 1)
		if [ -z "$ko" ]; then
			miss="$miss lib/modules/$k/*/kvmsched.ko"
		else
			vm=$(modinfo -F vermagic "$ko" 2>&1)
			[ "${vm%% *}" = "$k" ] || miss="$miss (vermagic of ${ko#"$dest"/} is '$vm')"
		fi
		junk=$(cd "$dest/usr/src" 2>/dev/null && find . -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd')
		[ -z "$junk" ] || miss="$miss (build objects in usr/src: $(echo "$junk" | tr '\n' ' '))"
		if [ -z "$miss" ]; then ok "make install: module, kvmschedctl, kvmschedd, man pages, unit, examples, DKMS sources under DESTDIR"; else nok "make install files" "missing:$miss; have: $(cd "$dest" && find . -type f | head -n 30)"; fi
		ex=$(sed -n 's/^ExecStart=//p' "$dest/usr/local/lib/systemd/system/kvmschedd.service" 2>/dev/null)
		if [ "${ex%% *}" = /usr/local/sbin/kvmschedd ]; then ok "make install: unit ExecStart follows PREFIX ($ex)"; else nok "make install: unit ExecStart follows PREFIX" "'$ex'"; fi
		out=$(make -s -C "$tmp/src" uninstall DESTDIR="$dest" 2>&1); rc=$?
		left=$(cd "$dest" && find . -type f -not -path './lib/modules/*')
		if [ "$rc" = 0 ] && [ -z "$left" ]; then ok "make uninstall removes kvmschedctl, kvmschedd, man pages, unit, examples, DKMS sources"; else nok "make uninstall (exit $rc)" "$out $left"; fi
	else
		nok "make install install-dkms DESTDIR=... (exit $rc)" "$(printf '%s\n' "$out" | tail -n 20)"
	fi
}

tmp=$(mktemp -d /tmp/kvms-pkg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make_install_test > "$tmp/make-install.log" 2>&1 &
mi_pid=$!

# --- 4. install ---------------------------------------------------------------
t=$(date +%s)
out=$(dpkg_retry -i "$DKMS_DEB" "$CTL_DEB"); rc=$?
if [ "$rc" = 0 ] && installed kvmsched-dkms && installed kvmsched; then
	ok "dpkg -i kvmsched-dkms kvmsched ($(elapsed "$t") s, including the postinst's DKMS builds)"
else
	nok "dpkg -i kvmsched-dkms kvmsched (exit $rc)" "$(printf '%s\n' "$out" | tail -n 30)"
	finish
fi
check "the postinst added $NAME to DKMS, sources in $SRC" test -f "$SRC/dkms.conf" -a -d "/var/lib/dkms/kvmsched/$V"

# --- 5. DKMS for each stock kernel ---------------------------------------------
for k in "${kvers[@]}"; do
	if [ ! -f "/usr/src/linux-headers-$k/Makefile" ]; then
		nok "$k: headers /usr/src/linux-headers-$k installed (make deps)"
		continue
	fi
	st=$(dkms status "$NAME" -k "$k" 2>/dev/null)
	echo "# after the postinst: ${st:-(no entry for $k)}"
	dkms remove "$NAME" -k "$k" >/dev/null 2>&1
	t=$(date +%s)
	out=$(nice -n 10 dkms build "$NAME" -k "$k" 2>&1); rc=$?
	if [ "$rc" = 0 ] && dkms status "$NAME" -k "$k" 2>/dev/null | grep -q ': built'; then
		ok "$k: dkms build ($(elapsed "$t") s)"
	else
		nok "$k: dkms build (exit $rc)" "$(printf '%s\n' "$out" | tail -n 20; tail -n 30 "/var/lib/dkms/kvmsched/$V/build/make.log" 2>/dev/null)"
		continue
	fi
	log=/var/lib/dkms/kvmsched/$V/$k/$(uname -m)/log/make.log
	[ -f "$log" ] || log=/var/lib/dkms/kvmsched/$V/build/make.log
	w=$(grep -E 'warning:|error:' "$log" 2>/dev/null | grep -v 'Skipping BTF')
	if [ -f "$log" ] && [ -z "$w" ]; then ok "$k: no compiler warnings in DKMS's make.log"; else nok "$k: no compiler warnings in DKMS's make.log ($log)" "$w"; fi
	out=$(dkms install "$NAME" -k "$k" 2>&1); rc=$?
	ko=$(ls /lib/modules/"$k"/updates/dkms/kvmsched.ko* 2>/dev/null | head -n 1)
	if [ "$rc" = 0 ] && [ -n "$ko" ] && dkms status "$NAME" -k "$k" 2>/dev/null | grep -q ': installed'; then
		ok "$k: dkms install -> $ko"
	else
		nok "$k: dkms install (exit $rc)" "$(printf '%s\n' "$out" | tail -n 20)"
		continue
	fi
	vm=$(modinfo -F vermagic "$ko" 2>&1)
	stock=$(find "$CACHE/kernels/$k/root/lib/modules/$k/kernel/arch/x86/kvm" -name 'kvm.ko*' 2>/dev/null | head -n 1)
	if [ -n "$stock" ]; then
		svm=$(modinfo -F vermagic "$stock")
		if [ "$vm" = "$svm" ]; then
			ok "$k: vermagic '$vm' equals the kernel's own kvm.ko"
		else
			nok "$k: vermagic equals the kernel's own kvm.ko" "kvmsched.ko: '$vm'; kvm.ko: '$svm'"
		fi
	elif [ "${vm%% *}" = "$k" ]; then
		ok "$k: vermagic '$vm' (no extracted image to compare with)"
	else
		nok "$k: vermagic names $k" "'$vm'"
	fi
	# Secure Boot: DKMS signs with its MOK (/var/lib/dkms/mok.key), which
	# the admin enrolls (README).
	sg=$(modinfo -F signer "$ko" 2>/dev/null)
	if [ -n "$sg" ] && [ -f /var/lib/dkms/mok.pub ]; then ok "$k: signed by '$sg' (/var/lib/dkms/mok.pub)"; else nok "$k: DKMS signed the module" "signer '$sg'"; fi
	mv=$(modinfo -F version "$ko")
	if [ "$mv" = "$V" ]; then ok "$k: module version $mv"; else nok "$k: module version is $V" "'$mv'"; fi
	dp=$(modinfo -k "$k" -n kvmsched 2>&1)
	if [ "$dp" = "$ko" ]; then ok "$k: depmod indexed it (modinfo -k $k kvmsched)"; else nok "$k: depmod indexed it" "modinfo -k $k -n kvmsched: '$dp'"; fi
done

# --- 6. the controller and the daemon -------------------------------------------
DV=$(dpkg-deb -f "$CTL_DEB" Version)
FV=$(sed -n 's/^#define KVMSCHED_FAMILY_VERSION[[:space:]]*\([0-9]*\)$/\1/p' uapi/linux/kvmsched.h)
for p in kvmschedctl kvmschedd; do
	vout=$($p --version 2>&1); rc=$?
	if [ "$rc" = 0 ] && [ "$(command -v $p)" = /usr/sbin/$p ] &&
	   [ "$vout" = "$p $DV (kvmsched generic netlink family, version $FV)" ]; then
		ok "/usr/sbin/$p --version: $vout (the .deb's version $DV)"
	else
		nok "/usr/sbin/$p --version prints the .deb's version $DV (exit $rc, found '$(command -v $p)')" "$vout"
	fi
	mp=$(man -w $p 2>&1)
	# grep -c, not -q: with pipefail, a zcat cut short by grep -q fails the test.
	if [ "$mp" = /usr/share/man/man8/$p.8.gz ] && [ "$(zcat "$mp" | grep -c '^\.TH')" = 1 ]; then
		ok "man -w $p: $mp"
	else
		nok "$p man page installed" "man -w: '$mp'"
	fi
done
out=$(kvmschedctl balloond --version 2>&1)
if [ "$out" = "kvmschedctl $DV (kvmsched generic netlink family, version $FV)" ]; then ok "kvmschedctl balloond (the alias) runs the daemon: --version $out"; else nok "kvmschedctl balloond --version" "$out"; fi
unit=/lib/systemd/system/kvmschedd.service
ex=$(sed -n 's/^ExecStart=//p' "$unit" 2>/dev/null)
if [ "${ex%% *}" = /usr/sbin/kvmschedd ]; then ok "unit ExecStart=$ex"; else nok "unit runs /usr/sbin/kvmschedd" "ExecStart='$ex'"; fi
# The installed unit as systemd reads it: binary and man pages present.
out=$(systemd-analyze verify "$unit" 2>&1); rc=$?
if [ "$rc" = 0 ] && [ -z "$out" ]; then ok "systemd-analyze verify $unit: clean"; else nok "systemd-analyze verify $unit (exit $rc)" "$out"; fi
en=$(find /etc/systemd/system -name 'kvmschedd.service' -o -name 'kvmsched-balloond.service' 2>/dev/null)
if [ -z "$en" ]; then ok "kvmschedd is not enabled by the package"; else nok "kvmschedd not enabled by the package" "$en"; fi

# --- 7. purge -----------------------------------------------------------------
t=$(date +%s)
out=$(dpkg_retry --purge kvmsched kvmsched-dkms); rc=$?
if [ "$rc" = 0 ]; then ok "dpkg --purge kvmsched kvmsched-dkms ($(elapsed "$t") s)"; else nok "dpkg --purge (exit $rc)" "$(printf '%s\n' "$out" | tail -n 20)"; fi
left=
for p in kvmsched kvmsched-dkms; do known $p && left="$left dpkg:$p"; done
st=$(dkms status kvmsched 2>/dev/null)
[ -z "$st" ] || left="$left dkms:[$st]"
[ ! -e /var/lib/dkms/kvmsched ] || left="$left /var/lib/dkms/kvmsched"
for f in /usr/src/kvmsched-* /lib/modules/*/updates/dkms/kvmsched.ko* /usr/sbin/kvmschedctl \
	 /usr/sbin/kvmschedd /usr/share/man/man8/kvmschedctl.8* /usr/share/man/man8/kvmschedd.8* \
	 $unit /usr/share/doc/kvmsched /usr/share/doc/kvmsched-dkms; do
	[ ! -e "$f" ] || left="$left $f"
done
for k in "${kvers[@]}"; do
	modinfo -k "$k" -n kvmsched >/dev/null 2>&1 && left="$left modules.dep($k)"
done
if [ -z "$left" ]; then
	ok "nothing left: no dpkg state, dkms status empty, no sources, modules, depmod entries or files"
else
	nok "nothing left after purge" "left:$left"
fi

finish
