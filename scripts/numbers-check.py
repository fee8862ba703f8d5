#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One source for every number and name: check the places that cannot
include the uapi header against the netlink spec.

The spec (Documentation/netlink/specs/kvmsched.yaml) holds every tunable's
and setting's range and default as a const (NAME-min, NAME-max,
NAME-default) and every enum's names. The module and kvmschedctl use the
generated uapi header; what is left to check is text:

1. ranges and defaults: the man page paragraph of each `config`/`set` key
   and the sysfs ABI entry of each global tunable say "MIN-MAX" and
   "default DEFAULT" with the spec's numbers;
2. enum names: kmod/names.c and userspace/lib/names.c name every entry of
   the spec's enums, with the spec's names, and nothing else;
3. the sysfs mirror: every attribute of the spec's vm, vcpu and config
   sets is a sysfs file (and every sysfs file an attribute), except for the
   exceptions listed below, and every sysfs file has an ABI entry.

Prints one line per problem and "numbers-check: N checked, M problems";
exits 1 on any problem.
"""
import re
import sys

import yaml

ROOT = sys.argv[1] if len(sys.argv) > 1 else '.'
spec = yaml.safe_load(open(f'{ROOT}/Documentation/netlink/specs/kvmsched.yaml'))
man = open(f'{ROOT}/userspace/kvmschedctl.8').read()
abi = open(f'{ROOT}/Documentation/ABI/testing/sysfs-kernel-kvmsched').read()
sysfs_c = open(f'{ROOT}/kmod/sysfs.c').read()
kmod_names = open(f'{ROOT}/kmod/names.c').read()
user_names = open(f'{ROOT}/userspace/lib/names.c').read()

problems = []
checked = 0


def problem(msg):
    problems.append(msg)


consts = {d['name']: d['value'] for d in spec['definitions'] if d['type'] == 'const'}
enums = {d['name']: [e['name'] if isinstance(e, dict) else e for e in d['entries']]
         for d in spec['definitions'] if d['type'] == 'enum'}


# -- 1. ranges and defaults in the text ------------------------------------------
def man_paragraph(key):
    m = re.search(r'^\.BI %s= \S+\n(.*?)(?=^\.(?:TP|PP|SH))' % re.escape(key), man, re.M | re.S)
    return m.group(1) if m else None


def abi_entry(path):
    m = re.search(r'^What:\t+%s\n(.*?)(?=^What:|\Z)' % re.escape(path), abi, re.M | re.S)
    return m.group(1) if m else None


def flat(text):
    return re.sub(r'\s+', ' ', text.replace('\\-', '-'))


for base in sorted({n[:-len('-default')] for n in consts if n.endswith('-default')}):
    lo = consts.get(base + '-min', 0)
    hi = consts.get(base + '-max')
    dflt = consts[base + '-default']
    key = base.replace('-', '_')
    if hi is None:
        continue
    texts = []
    para = man_paragraph(key)
    if para is not None:
        texts.append(('kvmschedctl.8 ' + key + '=', flat(para)))
    entry = abi_entry('/sys/kernel/kvmsched/' + key)
    if entry is not None:
        texts.append(('sysfs ABI ' + key, flat(entry)))
    if not texts:
        problem(f'{key}: range {lo}-{hi}, default {dflt} is documented nowhere (man page, ABI)')
    for where, t in texts:
        checked += 1
        if not re.search(r'(?<![\d.])%d-%d(?!\d)' % (lo, hi), t):
            problem(f'{where}: the range {lo}-{hi} (spec {base}-min/-max) is not in "{t[:90]}..."')
        if not re.search(r'default %d(?!\d)' % dflt, t):
            problem(f'{where}: "default {dflt}" (spec {base}-default) is not in "{t[:90]}..."')


# -- 2. enum names -------------------------------------------------------------------
def kmod_table(name):
    m = re.search(r'kvms_%s_names\[\] = \{(.*?)\};' % name, kmod_names, re.S)
    return re.findall(r'\] = "([^"]+)"', m.group(1)) if m else None


def user_table(name):
    m = re.search(r'%s_names\[\] = \{(.*?)\};' % name, user_names, re.S)
    return re.findall(r'\{ "([^"]+)"', m.group(1)) if m else None


for enum, names in sorted(enums.items()):
    c = enum.replace('-', '_')
    for side, table in (('kmod/names.c', kmod_table(c)), ('userspace/lib/names.c', user_table(c))):
        checked += 1
        if table is None:
            problem(f'{side}: no table for the spec enum {enum}')
        elif sorted(table) != sorted(names):
            problem(f'{side}: {c} names {table}, the spec has {names}')

# -- 3. the sysfs mirror ---------------------------------------------------------
# Attributes that are not a file of their own, and files under another name.
NOT_FILES = {('vcpu', 'vm-id'), ('vcpu', 'pad'), ('vm', 'pad'), ('config', 'pad')}
RENAMED = {('vcpu', 'policy'): 'sched_policy'}
# Files that are no attribute: the module version.
SYSFS_ONLY = {('config', 'version')}
files = {
    'vm': set(re.findall(r'^KVMS_VM_(?:ATTR|STAT|LAT)\((\w+)', sysfs_c, re.M)) |
          set(re.findall(r'vm_attr_(\w+) =\s*__ATTR', sysfs_c)),
    'vcpu': set(re.findall(r'^KVMS_VCPU_ATTR\((\w+)', sysfs_c, re.M)),
    'config': set(re.findall(r'^KVMS_ROOT_ATTR\((\w+)', sysfs_c, re.M)) |
              set(re.findall(r'kvms_attr_(\w+) = __ATTR_RO', sysfs_c)),
}
abi_dir = {'vm': '/sys/kernel/kvmsched/vms/<id>/',
           'vcpu': '/sys/kernel/kvmsched/vms/<id>/vcpus/<vcpu_id>/',
           'config': '/sys/kernel/kvmsched/'}
abi_whats = set(re.findall(r'^What:\t+(\S+)', abi, re.M))
for aset in spec['attribute-sets']:
    kind = aset['name']
    if kind not in files:
        continue
    attrs = set()
    for a in aset['attributes']:
        if (kind, a['name']) in NOT_FILES:
            continue
        f = RENAMED.get((kind, a['name']), a['name'].replace('-', '_'))
        attrs.add(f)
        checked += 1
        if f not in files[kind]:
            problem(f'sysfs: the {kind} attribute {a["name"]} has no file {f} (kmod/sysfs.c)')
    for f in sorted(files[kind]):
        checked += 1
        if f not in attrs and (kind, f) not in SYSFS_ONLY:
            problem(f'sysfs: the {kind} file {f} is no attribute of the spec set {kind}')
        if abi_dir[kind] + f not in abi_whats:
            problem(f'sysfs ABI: no "What: {abi_dir[kind]}{f}" entry')

for p in problems:
    print('numbers-check: ' + p)
print(f'numbers-check: {checked} checked, {len(problems)} problems')
sys.exit(1 if problems else 0)
