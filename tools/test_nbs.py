#!/usr/bin/env python
"""Run `nbdev_test` over nbs/ and close with a line `N passed, N failed` (notebooks counted).

Arguments are passed to nbdev_test (e.g. `--flags slow`, `--path nbs/00_core.ipynb`); the exit code is nbdev_test's.
"""
import os, re, subprocess, sys
from pathlib import Path

def notebooks(path):
    from nbdev.doclinks import nbglob
    p = Path(path)
    if p.is_file(): return [p]
    return [Path(f) for f in nbglob(p, skip_file_re=r'^[_.]', skip_folder_re=r'^[_.]')]

def main(argv=sys.argv[1:]):
    path = argv[argv.index('--path') + 1] if '--path' in argv else 'nbs'
    nbs = notebooks(path)
    # nbdev_test runs notebooks in parallel, one per core: torch threads per notebook would only fight over the cores
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '1'))
    proc = subprocess.Popen(['nbdev_test', '--timing', *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out = []
    for line in proc.stdout: sys.stdout.write(line); sys.stdout.flush(); out.append(line)
    rc = proc.wait()
    text = ''.join(out)
    failed = set()
    if 'nbdev Tests Failed On The Following Notebooks' in text:
        tail = text.split('nbdev Tests Failed On The Following Notebooks')[1]
        failed = {m.strip() for m in re.findall(r'^\t(.+\.ipynb)\s*$', tail, re.M)}
    if rc and not failed: failed = {'(nbdev_test itself)'}
    print(f"{max(len(nbs) - len(failed), 0)} passed, {len(failed)} failed")
    return rc

if __name__ == '__main__': sys.exit(main())
