#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh - checks of Documentation/, for make check:
#   - every ".. kernel-doc:: PATH" names a file that exists (PATH relative
#     to the top of the repository), and the kernel's own scripts/kernel-doc
#     -none -Wall reports nothing for it (from the newest linux-source-* in
#     KVMS_CACHE whose kernel-doc has -Wall: 6.12; 6.1's has no -Wall);
#   - every file of kmod/ and uapi/ with a kernel-doc comment is pulled in
#     by a ".. kernel-doc::" directive;
#   - every :doc: and toctree entry names an .rst file, every :ref: a label;
#   - every Documentation/*.rst path named in the tree exists;
#   - the admin guide's tunables table and numbers match the netlink spec,
#     their one source (scripts/docs-numbers.py);
#   - every .rst parses without a docutils warning (scripts/rst-check.py;
#     skipped without python3-docutils).
# Prints one line per check (ok N - ... / not ok N - ...), then
# "docs: N passed, N failed[, N skipped]"; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
n=0 pass=0 fail=0 skip=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
skipped() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n - $1 # SKIP $2"; }

mapfile -t rsts < <(find Documentation -name '*.rst' | sort)

# kernel-doc with -Wall (added after 6.1)
kdoc=
while read -r d; do
	[ -f "$d/scripts/kernel-doc" ] || continue
	if perl "$d/scripts/kernel-doc" -none -Wall /dev/null >/dev/null 2>&1; then
		kdoc=$d/scripts/kernel-doc
		break
	fi
done < <(ls -d "$CACHE"/linux-source-* 2>/dev/null | sort -V -r)
if [ -n "$kdoc" ]; then
	ok "kernel-doc with -Wall: $kdoc"
else
	notok "kernel-doc with -Wall: none in $CACHE/linux-source-* (make deps)"
fi

# ".. kernel-doc:: PATH" directives
mapfile -t kpaths < <(sed -n 's/^\.\. kernel-doc:: *\([^ ]*\) *$/\1/p' "${rsts[@]}" | sort -u)
[ "${#kpaths[@]}" -gt 0 ] && ok "Documentation/ has ${#kpaths[@]} kernel-doc directives" ||
	notok "no .. kernel-doc:: directive in Documentation/"
for p in "${kpaths[@]}"; do
	if [ ! -f "$p" ]; then
		notok "kernel-doc:: $p: no such file"
		continue
	fi
	[ -n "$kdoc" ] || continue
	out=$(perl "$kdoc" -none -Wall "$p" 2>&1); rc=$?
	if [ "$rc" = 0 ] && [ -z "$out" ]; then
		ok "kernel-doc -none -Wall $p: no warning"
	else
		notok "kernel-doc -none -Wall $p: exit $rc, $(echo "$out" | grep -c .) lines"
		echo "$out" | sed 's/^/#   /'
	fi
done

# every source file with kernel-doc comments is in the API reference
for f in kmod/*.[ch] uapi/linux/*.h; do
	grep -Eq '^[[:space:]]*/\*\*[[:space:]]*$' "$f" || continue
	if printf '%s\n' "${kpaths[@]}" | grep -qxF "$f"; then
		ok "$f: pulled in by a kernel-doc directive"
	else
		notok "$f has kernel-doc comments but no '.. kernel-doc:: $f' (Documentation/api.rst)"
	fi
done

# :doc: targets, toctree entries and :ref: labels
labels=$(sed -n 's/^\.\. _\([^:]*\):$/\1/p' "${rsts[@]}" | sort -u)
for r in "${rsts[@]}"; do
	dir=$(dirname "$r")
	docs=$(grep -o ':doc:`[^`]*`' "$r" | sed 's/:doc:`\(.*<\)\{0,1\}\([^>`]*\)>\{0,1\}`/\2/' | sort -u)
	toc=$(awk '/^\.\. toctree::/ { t = 1; next }
		t && NF && /^[^ ]/ { t = 0 }
		t && /^ +[^ :]/ { print $1 }' "$r")
	for d in $docs $toc; do
		if [ -f "$dir/$d.rst" ]; then
			ok "$r: document $d exists"
		else
			notok "$r: document $d: no $dir/$d.rst"
		fi
	done
	for l in $(grep -o ':ref:`[^`]*`' "$r" | sed 's/:ref:`\(.*<\)\{0,1\}\([^>`]*\)>\{0,1\}`/\2/' | sort -u); do
		if grep -qxF "$l" <<< "$labels"; then
			ok "$r: label $l defined"
		else
			notok "$r: label $l: no '.. _$l:' in Documentation/"
		fi
	done
done

# Documentation/*.rst paths named anywhere (sources, README, man page, ABI)
if files=$(git ls-files 2>/dev/null) && [ -n "$files" ]; then :; else
	files=$(find . -path ./build -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||')
fi
nrefs=0
while read -r ref; do
	f=${ref%%:*} p=${ref#*:}
	nrefs=$((nrefs + 1))
	[ -f "$p" ] || notok "$f names $p, which does not exist"
done < <(echo "$files" | grep -v '^build/' | tr '\n' '\0' |
	xargs -0 grep -oE 'Documentation/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.rst' 2>/dev/null | sort -u)
ok "$nrefs references to Documentation/*.rst in the tree looked up"

# numbers
if out=$(python3 scripts/docs-numbers.py 2>&1); then
	ok "admin-guide.rst: $(echo "$out" | grep -c '^ok') numbers match the spec"
else
	notok "admin-guide.rst: numbers differ from the spec"
	echo "$out" | grep -v '^ok' | sed 's/^/#   /'
fi

# docutils
if python3 -c 'import docutils' 2>/dev/null; then
	for r in "${rsts[@]}"; do
		if out=$(python3 scripts/rst-check.py "$r" 2>&1); then
			ok "$r parses (docutils)"
		else
			notok "$r: docutils: $(echo "$out" | head -n 1)"
			echo "$out" | sed 's/^/#   /'
		fi
	done
else
	skipped "the .rst files parse" "python3-docutils not installed"
fi

line="docs: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
