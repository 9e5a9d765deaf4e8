#!/usr/bin/env python
"""Execute notebooks in place, keeping their outputs, the way `nbdev_test` runs them (cells flagged `slow`/`gpu` skipped).

`python tools/run_nb.py nbs/10_train.ipynb ...`, then `nbdev_clean`: chapters keep the outputs of a tiny run.
"""
import os, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

SKIP = {'slow', 'gpu'}

def flags(src: str) -> set:
    return {l[3:].split()[0] for l in src.splitlines() if l.startswith('#| ') and l[3:].strip()}

def run(fn):
    p = Path(fn).resolve(); nb = read_nb(p)
    def skip(cell):
        if cell.cell_type != 'code': return True
        if 'nbdev_export(' in cell.source: return True
        if flags(cell.source) & SKIP: cell.outputs = []; return True
    os.environ.setdefault('IN_TEST', '1')
    with working_directory(p.parent): CaptureShell(p).run_all(nb, exc_stop=True, preproc=skip)
    write_nb(nb, p)

if __name__ == '__main__':
    for f in sys.argv[1:]: run(f); print(f'executed {f}')
