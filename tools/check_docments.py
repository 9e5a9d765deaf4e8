#!/usr/bin/env python
"""List exported functions with more than four parameters whose parameters are not all documented inline (docments).

`python tools/check_docments.py` exits 1 and names them; a parameter counts as documented when its line in the
signature carries a `#` comment (fastcore's docments), or when it shares the line of a documented neighbour.
"""
import ast, sys
from pathlib import Path

def undocumented(path):
    src = Path(path).read_text(); lines = src.splitlines()
    names = None
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', '') == '__all__' for t in node.targets):
            names = {e.value for e in node.value.elts}
    for node in ast.walk(ast.parse(src)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
        args = [a for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs if a.arg not in ('self', 'cls')]
        if len(args) <= 4 or node.name.startswith('_') or (names is not None and node.name not in names and
                                                           not any(isinstance(p, ast.ClassDef) for p in ast.walk(ast.parse(src)))): continue
        missing = [a.arg for a in args if '#' not in lines[a.lineno - 1]]
        if missing: yield f'{path}:{node.lineno} {node.name}: {", ".join(missing)}'

if __name__ == '__main__':
    bad = [m for f in sorted(Path('medgen').glob('*.py')) if f.name != '_modidx.py' for m in undocumented(f)]
    print('\n'.join(bad) or 'every exported function with > 4 parameters documents them inline')
    sys.exit(1 if bad else 0)
