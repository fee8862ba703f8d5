#!/bin/bash
# Generate (or, with --check, verify) the files derived from the netlink
# spec Documentation/netlink/specs/kvmsched.yaml with the kernel's own
# generator (tools/net/ynl/ynl-gen-c.py from Debian's linux-source-6.12):
#   uapi/linux/kvmsched.h        (--mode uapi)
#   kmod/kvmsched-nl-gen.h/.c    (--mode kernel: policies and ops table)
# config-get takes no attribute. The 6.12 generator cannot emit a per-op
# entry without a request policy (it crashes, and its --exclude-op leaves the
# op half in), so the kernel-mode run reads a copy of the spec without
# config-get and its notifications; kmod/netlink.c registers config-get by hand
# as a small op without a policy, which the kernel turns into "reject every
# attribute" (genl_op_fill_in_reject_policy, 6.1 and later). The uapi header,
# which fixes every number, is generated from the whole spec.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${KVMS_CACHE:-$HOME/.cache/kvmsched}
YNL=$CACHE/linux-source-6.12/tools/net/ynl
[ -f "$YNL/ynl-gen-c.py" ] || { echo "ynl-gen: $YNL missing (run make deps)" >&2; exit 1; }
check=0; [ "${1:-}" = --check ] && check=1

# The generator finds its schema two directories above the spec and stops
# walking up at a directory holding MAINTAINERS: give it that layout.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/Documentation/netlink/specs" "$tmp/out/uapi/linux" "$tmp/out/kmod"
cp "$CACHE"/linux-source-6.12/Documentation/netlink/genetlink-legacy.yaml "$tmp/Documentation/netlink/"
cp Documentation/netlink/specs/kvmsched.yaml "$tmp/Documentation/netlink/specs/"
touch "$tmp/MAINTAINERS"
spec=$tmp/Documentation/netlink/specs/kvmsched.yaml
kspec=$tmp/Documentation/netlink/specs/kvmsched-kernel.yaml
python3 - "$spec" "$kspec" <<'PY'
import sys, yaml
src = open(sys.argv[1]).read()
d = yaml.safe_load(src)
drop = {'config-get', 'config-change-ntf', 'overcommit-ntf'}
d['operations']['list'] = [o for o in d['operations']['list'] if o['name'] not in drop]
with open(sys.argv[2], 'w') as f:
    f.write(src.splitlines()[0] + '\n')	# the SPDX line the generator wants
    yaml.safe_dump(d, f, sort_keys=False)
PY
gen() { (cd "$tmp" && python3 "$YNL/ynl-gen-c.py" "$@"); }
gen --spec "$spec" --mode uapi --header -o "$tmp/out/uapi/linux/kvmsched.h"
gen --spec "$kspec" --mode kernel --header -o "$tmp/out/kmod/kvmsched-nl-gen.h"
gen --spec "$kspec" --mode kernel --source -o "$tmp/out/kmod/kvmsched-nl-gen.c"
sed -i 's|kvmsched-kernel.yaml|kvmsched.yaml|' "$tmp/out/kmod/kvmsched-nl-gen."[ch]
# Without a generated family struct the multicast group table would be an
# unused static; export it for kmod/netlink.c, which builds the family.
sed -i 's|^static const struct genl_multicast_group kvmsched_nl_mcgrps\[\]|const struct genl_multicast_group kvmsched_nl_mcgrps[1]|' \
	"$tmp/out/kmod/kvmsched-nl-gen.c"
sed -i 's|^#endif /\* _LINUX_KVMSCHED_GEN_H \*/|extern const struct genl_multicast_group kvmsched_nl_mcgrps[1];\n\n&|' \
	"$tmp/out/kmod/kvmsched-nl-gen.h"
# 6.1's struct nla_policy points at a non-const range (const from 6.2 on):
# the range tables must be writable-typed to build warning-free on both.
sed -i 's|^static const struct netlink_range_validation |static struct netlink_range_validation |' \
	"$tmp/out/kmod/kvmsched-nl-gen.c"
# Keep checkpatch's 100 columns: break long policy entries after "=" and
# long declarations after their type.
python3 - "$tmp/out/kmod/kvmsched-nl-gen.c" "$tmp/out/kmod/kvmsched-nl-gen.h" <<'PY'
import re, sys
for f in sys.argv[1:]:
    out = []
    for line in open(f).read().split('\n'):
        if len(line.expandtabs(8)) > 100:
            m = re.match(r'^(\t\[\w+\] =) (.*)$', line)
            d = re.match(r'^((?:extern )?const struct nla_policy) (.*)$', line)
            if m:
                line = m.group(1) + '\n\t\t' + m.group(2)
            elif d:
                line = d.group(1) + '\n' + d.group(2)
        out.append(line)
    open(f, 'w').write('\n'.join(out))
PY
# The generated source includes the uapi header by its installed path.
sed -i 's|#include <uapi/linux/kvmsched.h>|#include "../uapi/linux/kvmsched.h"|' "$tmp/out/kmod/kvmsched-nl-gen."[ch]
# The generator names the spec by its path; keep the in-repo path.
sed -i "s|$tmp/||" "$tmp/out/uapi/linux/kvmsched.h" "$tmp/out/kmod/kvmsched-nl-gen."[ch]

rc=0
for f in uapi/linux/kvmsched.h kmod/kvmsched-nl-gen.h kmod/kvmsched-nl-gen.c; do
	if [ $check = 1 ]; then
		if ! cmp -s "$tmp/out/$f" "$f"; then
			echo "ynl-gen: $f differs from what the spec generates:" >&2
			diff -u "$f" "$tmp/out/$f" >&2 || true
			rc=1
		fi
	else
		mkdir -p "$(dirname "$f")"
		cmp -s "$tmp/out/$f" "$f" 2>/dev/null || cp "$tmp/out/$f" "$f"
	fi
done
[ $check = 1 ] && [ $rc = 0 ] && echo "ynl-gen: generated files match the spec"
exit $rc
