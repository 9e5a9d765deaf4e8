#!/usr/bin/env python
"""Edit notebook cells from the shell (keeps nbformat, ids, tags).

  nb.py ls NB                       list cells: id, type, first line
  nb.py show NB ID                  print one cell's source
  nb.py set NB ID [FILE|-]          replace a cell's source (stdin by default)
  nb.py add NB AFTER_ID TYPE [FILE|-]   insert a new cell (TYPE code|markdown) after AFTER_ID ('^' = at the top); prints its id
  nb.py rm NB ID [ID...]            delete cells
  nb.py new NB TITLE SUMMARY EXP    create a notebook with title, `#| default_exp EXP` and a hidden export cell
"""
import json, secrets, sys
from pathlib import Path

def load(p): return json.load(open(p))
def save(p, nb): Path(p).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
def src(text): return text.splitlines(keepends=True)
def find(nb, cid):
    for i, c in enumerate(nb['cells']):
        if c.get('id') == cid: return i
    sys.exit(f'no cell {cid!r}')
def read(arg): return sys.stdin.read() if arg in (None, '-') else Path(arg).read_text()
def cell(kind, text):
    c = dict(cell_type=kind, id=secrets.token_hex(4), metadata={}, source=src(text.rstrip('\n')))
    if kind == 'code': c.update(execution_count=None, outputs=[])
    return c

def main(a):
    cmd, p = a[0], a[1]
    if cmd == 'new':
        title, summary, exp = a[2:5]
        nb = dict(cells=[cell('markdown', f'# {title}\n\n> {summary}'), cell('code', f'#| default_exp {exp}'),
                         cell('code', '#| hide\nimport nbdev; nbdev.nbdev_export()')],
                  metadata={'jupytext': {'cell_metadata_filter': '-all', 'main_language': 'python', 'notebook_metadata_filter': '-all'}},
                  nbformat=4, nbformat_minor=5)
        save(p, nb); return
    nb = load(p)
    if cmd == 'ls':
        for c in nb['cells']:
            s = ''.join(c['source']); first = s.split('\n', 1)[0]
            if first.startswith('#|') and '\n' in s: first += ' | ' + s.split('\n')[1]
            print(c.get('id'), c['cell_type'][:2], first[:110])
    elif cmd == 'show': print(''.join(nb['cells'][find(nb, a[2])]['source']))
    elif cmd == 'set':
        c = nb['cells'][find(nb, a[2])]; c['source'] = src(read(a[3] if len(a) > 3 else None).rstrip('\n'))
        if c['cell_type'] == 'code': c['outputs'], c['execution_count'] = [], None
        save(p, nb)
    elif cmd == 'add':
        i = -1 if a[2] == '^' else find(nb, a[2])
        c = cell(a[3], read(a[4] if len(a) > 4 else None)); nb['cells'].insert(i + 1, c); save(p, nb); print(c['id'])
    elif cmd == 'rm':
        for cid in a[2:]: del nb['cells'][find(nb, cid)]
        save(p, nb)
    else: sys.exit(__doc__)

if __name__ == '__main__': main(sys.argv[1:])
