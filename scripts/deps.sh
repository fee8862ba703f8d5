#!/bin/bash
# Install every Debian package kvmsched needs, and extract the two Debian
# kernels the end-to-end tests boot into the cache directory (outside git).
# Idempotent and quiet when everything is present.
#
# Usage: scripts/deps.sh            (uses $KVMS_CACHE, default ~/.cache/kvmsched)
set -euo pipefail

CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
mkdir -p "$CACHE"

# Resolve the newest ABI of each kernel series from the archive's metapackages,
# so the script keeps working when Debian moves to a new ABI number.
resolve() {	# $1 = metapackage, $2 = pattern of the versioned dependency
	apt-cache depends "$1" 2>/dev/null | sed -n "s/^ *Depends: \($2\)\$/\1/p" | head -n 1
}

need_update=0
apt_cache_ok() { apt-cache policy linux-headers-amd64 2>/dev/null | grep -q Candidate:; }
if ! apt_cache_ok; then need_update=1; fi
if [ "$need_update" = 1 ]; then
	apt-get update -qq >/dev/null
fi

K61=$(resolve linux-image-amd64 'linux-image-6\.1\.0-[0-9]*-amd64')
K612=$(resolve linux-image-6.12-amd64 'linux-image-6\.12\.[0-9]*+deb12-amd64')
if [ -z "$K61" ] || [ -z "$K612" ]; then
	apt-get update -qq >/dev/null
	K61=$(resolve linux-image-amd64 'linux-image-6\.1\.0-[0-9]*-amd64')
	K612=$(resolve linux-image-6.12-amd64 'linux-image-6\.12\.[0-9]*+deb12-amd64')
fi
[ -n "$K61" ] && [ -n "$K612" ] || { echo "deps: cannot resolve Debian 6.1/6.12 kernel packages" >&2; exit 1; }
V61=${K61#linux-image-}
V612=${K612#linux-image-}

PKGS="build-essential bc bison flex libelf-dev libssl-dev kmod cpio python3 python3-yaml
      python3-jsonschema python3-docutils gzip xz-utils perl rsync qemu-system-x86 busybox-static
      libnl-3-dev libnl-genl-3-dev libjson-c-dev libyaml-dev libexpat1-dev pkg-config clang groff-base
      debhelper dh-dkms dkms lintian fakeroot man-db prometheus strace
      linux-headers-$V61 linux-headers-$V612 linux-source-6.1 linux-source-6.12"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ apt-get update -qq >/dev/null &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
fi

# Kernel images: downloaded and extracted, never installed on this machine.
for v in "$V61" "$V612"; do
	d="$CACHE/kernels/$v"
	[ -f "$d/.done" ] && continue
	echo "deps: extracting linux-image-$v into $d"
	rm -rf "$d" && mkdir -p "$d"
	(cd "$d" && apt-get download -q "linux-image-$v" >/dev/null 2>&1 &&
	 dpkg -x linux-image-"$v"_*.deb root && rm -f linux-image-"$v"_*.deb)
	touch "$d/.done"
done

# Kernel source trees for KUnit (UML) and the ynl generator, unpacked once.
for s in 6.1 6.12; do
	d="$CACHE/linux-source-$s"
	[ -f "$d/.done" ] && continue
	echo "deps: unpacking linux-source-$s into $d"
	rm -rf "$d" && mkdir -p "$d"
	tar -C "$d" --strip-components=1 -xaf /usr/src/linux-source-$s.tar.xz
	touch "$d/.done"
done

printf '%s\n%s\n' "$V61" "$V612" > "$CACHE/kernels.list"
