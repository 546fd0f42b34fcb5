#!/usr/bin/python3
"""The README's quick start names the packages tools/setup installs: the list
in README.md (the sentence "`tools/setup` installs `...` with apt") is the
same set as CLEAN_APT_PACKAGES in tools/deps.sh (on amd64), and the
sanitizer stages' list is the same as CLEAN_APT_RELIABILITY_PACKAGES."""
import os
import re
import subprocess
import sys

ROOT = os.environ.get('CLEAN_ROOT') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def deps(var):
    out = subprocess.run(
        ['bash', '-c', f'. "{ROOT}/tools/deps.sh" && echo "${var}"'],
        capture_output=True, text=True, check=True).stdout.split()
    # On machines other than amd64 deps.sh asks for Vectorscan instead.
    return {p.replace('libvectorscan-dev', 'libhyperscan-dev') for p in out}


def readme_list(after, before):
    text = open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read()
    m = re.search(re.escape(after) + r'\s*`([^`]+)`\s*' + re.escape(before), text)
    if not m:
        sys.exit(f'FAIL: README.md has no "{after} `...` {before}" sentence')
    return set(m.group(1).split())


failures = []
for after, before, var in (('`tools/setup` installs', 'with apt', 'CLEAN_APT_PACKAGES'),
                           ('install', 'themselves', 'CLEAN_APT_RELIABILITY_PACKAGES')):
    readme, script = readme_list(after, before), deps(var)
    if readme != script:
        failures.append(f'{var}: README lacks {sorted(script - readme)}, '
                        f'has extra {sorted(readme - script)}')
for f in failures:
    print('FAIL: ' + f, file=sys.stderr)
sys.exit(1 if failures else 0)
