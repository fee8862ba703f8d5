#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse reStructuredText files with docutils and print every problem it
reports (malformed tables, unknown targets, bad indentation, ...), one per
line.  The Sphinx-only directives and roles the documents use (toctree,
kernel-doc, :doc:, :ref:) are accepted without being checked here;
scripts/docs-check.sh checks their targets.  Exit status 1 if there was
any problem, 2 if docutils is missing.

    scripts/rst-check.py FILE.rst...
"""
import sys

try:
    from docutils import nodes
    from docutils.core import publish_doctree
    from docutils.parsers.rst import Directive, directives, roles
except ImportError:
    print("docutils is not installed (Debian: python3-docutils)")
    sys.exit(2)


class AnyOptions(dict):
    """An option_spec that accepts every option."""

    def __getitem__(self, key):
        return directives.unchanged

    def __contains__(self, key):
        return True


class Ignored(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = AnyOptions()

    def run(self):
        return []


def literal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


class Collect:
    def __init__(self):
        self.msgs = []

    def write(self, msg):
        self.msgs.append(msg)


for d in ("toctree", "kernel-doc"):
    directives.register_directive(d, Ignored)
for r in ("doc", "ref"):
    roles.register_local_role(r, literal_role)

bad = 0
for path in sys.argv[1:]:
    out = Collect()
    with open(path) as f:
        publish_doctree(f.read(), source_path=path,
                        settings_overrides={"report_level": 2, "halt_level": 5,
                                            "warning_stream": out})
    for m in out.msgs:
        print(m.rstrip())
        bad += 1
sys.exit(1 if bad else 0)
