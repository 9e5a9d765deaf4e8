#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (markdown cells as they are, visible code cells as ```python blocks).

nbdev's own `nbdev_readme` renders through Quarto, which cannot be installed on our machines; this keeps the README
in step with the home page without it. `--check` exits 1 when README.md differs from what would be written.
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def render(nb_path=ROOT / 'nbs' / 'index.ipynb') -> str:
    nb = json.loads(Path(nb_path).read_text())
    parts = ['<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->']
    for c in nb['cells']:
        src = ''.join(c['source']).strip()
        if not src or src.startswith('#| hide'): continue
        if c['cell_type'] == 'markdown': parts.append(src.replace('](images/', '](nbs/images/'))
        elif c['cell_type'] == 'code': parts.append(f"```python\n{src}\n```")
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = render(), ROOT / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit('README.md is out of step with nbs/index.ipynb: run python tools/make_readme.py')
        print('README.md is in step with nbs/index.ipynb')
    else: readme.write_text(text); print(f'wrote {readme}')
