#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the numbers of Documentation/admin-guide.rst against the netlink
spec, their one source (Documentation/netlink/specs/kvmsched.yaml, consts
NAME-min, NAME-max, NAME-default): every row of the "Tunables" table names
a tunable of the spec with its range and default, every tunable of the spec
with a default has a row, and "weight (1-10000, default 100)" in the text
matches too.  Prints "ok - ..." / "not ok - ..." lines; exit 1 on a
mismatch.

    scripts/docs-numbers.py [ROOT]
"""
import re
import sys

import yaml

ROOT = sys.argv[1] if len(sys.argv) > 1 else '.'
spec = yaml.safe_load(open(f'{ROOT}/Documentation/netlink/specs/kvmsched.yaml'))
guide = open(f'{ROOT}/Documentation/admin-guide.rst').read()
consts = {d['name']: d['value'] for d in spec['definitions'] if d['type'] == 'const'}
bad = 0


def result(cond, what):
    global bad
    print(('ok - ' if cond else 'not ok - ') + what)
    bad += not cond


def spec_range(base):
    return consts.get(base + '-min', 0), consts.get(base + '-max'), consts.get(base + '-default')


m = re.search(r'^Tunables\n=+\n(.*?)\n\n(=+ +=+ +=+ +=+)\n(.*?)\n\2\n(.*?)\n\2\n', guide,
              re.M | re.S)
if not m:
    result(False, 'admin-guide.rst: a "Tunables" section with a four-column table')
    sys.exit(1)
rows = re.findall(r'^``([a-z_]+)`` +(\d+)-(\d+) +(?:[a-z%]+ +)?(\d+) ', m.group(4), re.M)
seen = set()
for key, lo, hi, dflt in rows:
    base = key.replace('_', '-')
    seen.add(base)
    want = spec_range(base)
    result(want == (int(lo), int(hi), int(dflt)),
           f'admin-guide.rst tunable {key}: {lo}-{hi}, default {dflt} (spec: '
           f'{want[0]}-{want[1]}, default {want[2]})')
# every global tunable of the spec's config attribute set has a row
config = next(s for s in spec['attribute-sets'] if s['name'] == 'config')
for a in config['attributes']:
    if a['name'] + '-default' in consts:
        result(a['name'] in seen, f'admin-guide.rst Tunables table has {a["name"]}')
for key in ('weight',):
    lo, hi, dflt = spec_range(key)
    result(f'``{key}`` ({lo}-{hi},\ndefault {dflt})' in guide
           or f'``{key}`` ({lo}-{hi}, default {dflt})' in guide,
           f'admin-guide.rst: {key} {lo}-{hi}, default {dflt} as in the spec')
sys.exit(1 if bad else 0)
