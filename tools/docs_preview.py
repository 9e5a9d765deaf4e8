#!/usr/bin/env python
"""Static preview of the docs site, and a check of what a reader's browser shows, where Quarto cannot be installed.

`nbdev_docs` renders `_proc/` (the output of `nbdev_proc_nbs`) with Quarto. This renders the same processed notebooks
to static pages the way Quarto would: cell options (`#| include: false`, `echo: false`, `output: false`,
`output: asis`, nbdev's `hide`) hide what Quarto hides and are stripped from the code shown; pandoc link attributes
(`{target="_blank" ...}` after show_doc's source links) become attributes; the front matter gives title and
description; `$...$` / `$$...$$` maths becomes MathML (latex2mathml, offline; the browser draws it); images (data URIs
and `images/...` files) are kept; the sidebar comes from `sidebar.yml`; links to the published site go to local pages.

`--check` opens every page in headless Chromium (`chromium --headless --dump-dom`, after the load event) and exits 1
with one line per problem: a missing or undecodable image, an error output or traceback, an empty page, raw Quarto
directives left visible, maths left unrendered, a broken link between pages, a notebook missing from the sidebar.
`--screenshots DIR` writes 1280-px-wide PNGs of a few chapters for a person to look at.

    nbdev_proc_nbs && python tools/docs_preview.py --out _docs_preview --check --screenshots _docs_preview/_shots
"""
import argparse, base64, html, os, posixpath, re, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from string import Template
from urllib.parse import unquote

import nbformat, yaml
from latex2mathml.converter import convert as tex2mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ASSETS = Path(__file__).resolve().parent / 'docs_preview'
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')
FORMATTER = HtmlFormatter(cssclass='highlight')
IMAGE_MIMES = ('image/svg+xml', 'image/png', 'image/jpeg', 'image/gif')

def esc(text): return html.escape(ANSI.sub('', text))

def code_html(code, lang='python'):
    try: lexer = get_lexer_by_name(lang or 'text')
    except ClassNotFound: lexer = get_lexer_by_name('text')
    return highlight(code, lexer, FORMATTER)

# `\_` is an escaped underscore in TeX text mode (`\texttt{base\_size}`); latex2mathml keeps the backslash.
TEXT_ARG = re.compile(r'\\(text\w*|mathrm|operatorname)\{([^{}]*)\}')

def tex_html(tex, display):
    "MathML for one formula; one latex2mathml cannot read stays TeX text in a `math-error` span, which --check reports."
    tex = TEXT_ARG.sub(lambda m: '\\%s{%s}' % (m[1], m[2].replace('\\_', '_')), tex)
    try: return tex2mathml(tex, display='block' if display else 'inline')
    except Exception:  # latex2mathml raises assorted types on TeX it does not know; the page shows the TeX instead
        d = '$$' if display else '$'
        return f'<span class="math-error">{html.escape(d + tex + d)}</span>'

def fenced_div(renderer, tokens, idx, options, env):
    "A pandoc fenced div (`::: {.callout-note #id}`) as a <div> with its classes and id; callouts get their title."
    t = tokens[idx]
    if t.nesting != 1: return '</div>\n'
    params = t.info.strip().strip('{}')
    classes = re.findall(r'\.([\w-]+)', params) or ([params.split()[0]] if params.split() else [])
    ident = re.search(r'#([\w-]+)', params)
    kind = next((c[8:] for c in classes if c.startswith('callout-')), None)
    title = f'<div class="callout-title">{kind.capitalize()}</div>' if kind else ''
    id_attr = f' id="{ident[1]}"' if ident else ''
    return f'<div class="{" ".join(classes + (["callout"] if kind else []))}"{id_attr}>{title}\n'

def cell_options(src):
    "Quarto/nbdev cell options (`#| key: value`, `#| flag` lines at the top of a cell) and the code after them."
    lines, opts, i = src.splitlines(), {}, 0
    while i < len(lines) and lines[i].startswith('#|'):
        key, sep, value = lines[i][2:].strip().partition(':')
        if sep:
            try: opts[key.strip()] = yaml.safe_load(value) if value.strip() else None
            except yaml.YAMLError: opts[key.strip()] = value.strip()
        else: opts.update(dict.fromkeys(key.split(), True))
        i += 1
    return opts, '\n'.join(lines[i:]).strip('\n')

def front_matter(nb):
    "Title and description: the raw front-matter cell nbdev_proc_nbs writes, else a `# Title` / `> description` cell."
    for c in nb.cells:
        m = re.match(r'\s*---\n(.*?)\n---', c.source, re.S) if c.cell_type == 'raw' else None
        if m: return yaml.safe_load(m[1]) or {}
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        m = re.match(r'\s*#\s+(.+)\n*(?:>\s*(.+)\n?)?', c.source)
        if m: c.source = c.source[m.end():]; return {'title': m[1].strip(), 'description': m[2] or ''}
        break
    return {}

def sidebar_entries(items, section=None):
    "(section, notebook path) for each page sidebar.yml lists, in order."
    for it in items or []:
        if isinstance(it, str): yield section, it
        elif 'section' in it: yield from sidebar_entries(it.get('contents'), it['section'])
        elif 'href' in it: yield section, it['href']

class Site:
    "The processed notebooks (`proc`), their output pages (`pages`: notebook path -> html path), the sidebar."
    def __init__(self, proc, out):
        self.proc, self.out = Path(proc), Path(out)
        skip = re.compile(r'^[_.]')  # nbdev's defaults: no _* / .* files or folders
        paths = sorted(p.relative_to(self.proc).as_posix() for p in self.proc.rglob('*.ipynb')
                       if not any(skip.match(part) for part in p.relative_to(self.proc).parts))
        self.nbs = {p: nbformat.read(self.proc / p, as_version=4) for p in paths}
        self.meta = {p: front_matter(nb) for p, nb in self.nbs.items()}
        self.pages = {p: posixpath.join(posixpath.dirname(p), self.meta[p].get('output-file') or Path(p).stem + '.html')
                      for p in paths}
        cfg = yaml.safe_load((self.proc / 'nbdev.yml').read_text()) if (self.proc / 'nbdev.yml').exists() else {}
        site = (cfg or {}).get('website', {})
        self.title, self.url = site.get('title', 'docs'), site.get('site-url', '').rstrip('/')
        sb = self.proc / 'sidebar.yml'
        items = yaml.safe_load(sb.read_text())['website']['sidebar']['contents'] if sb.exists() else []
        self.sidebar = list(sidebar_entries(items))
        listed = {p for _, p in self.sidebar}
        self.problems = [f'sidebar.yml: {p} is not a notebook in {proc}' for p in listed if p not in self.nbs]
        self.problems += [f'{self.pages[p]}: {p} is not in sidebar.yml' for p in paths if p not in listed]

    def href(self, url, page):
        "A link as the preview page `page` needs it: the published site and notebooks point at local pages."
        if not url or url.startswith(('#', 'mailto:', 'data:')): return url
        if self.url and (url + '/').startswith(self.url + '/'): target = url[len(self.url) + 1:] or 'index.html'
        elif '://' in url: return url
        else: target = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
        path, _, frag = target.partition('#')
        path = self.pages.get(path, path)
        return posixpath.relpath(path or 'index.html', posixpath.dirname(page) or '.') + (f'#{frag}' if frag else '')

    def asset(self, src, page):
        "Copies a file an image refers to (relative to its notebook) into the preview, at the same relative place."
        if not src or src.startswith('data:') or '://' in src: return src
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(src)))
        if not rel.startswith('..') and (self.proc / rel).is_file():
            (self.out / rel).parent.mkdir(parents=True, exist_ok=True); shutil.copyfile(self.proc / rel, self.out / rel)
        return src

    def nav(self, page):
        root, parts, section = posixpath.relpath('.', posixpath.dirname(page) or '.'), [], object()
        for sec, nb in self.sidebar:
            if nb not in self.nbs: continue
            if sec != section:
                if parts: parts.append('</ul>')
                parts.append(f'<div class="section">{esc(sec)}</div><ul>' if sec else '<ul>'); section = sec
            target, title = self.pages[nb], esc(self.meta[nb].get('title') or Path(nb).stem)
            active, href = ' class="active"' if target == page else '', target if root == '.' else f'{root}/{target}'
            parts.append(f'<li><a{active} href="{href}">{title}</a></li>')
        return '\n'.join(parts + ['</ul>'] if parts else [])

class Page:
    "One notebook rendered to HTML: markdown-it with maths, pandoc attributes and pandoc's heading ids."
    def __init__(self, site, nb_path):
        self.site, self.nb_path, self.page, self.n_math, self.ids = site, nb_path, site.pages[nb_path], 0, set()
        md = MarkdownIt('commonmark', {'html': True}).enable(['table', 'strikethrough'])
        attrs_plugin(md, spans=True)  # `[source](url){target="_blank" ...}`, `[text]{.class}`
        container_plugin(md, 'div', validate=lambda params, *_: True, render=fenced_div)  # `::: {.callout-note}`
        dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)  # pandoc's `$` rules
        def math(_renderer, tokens, idx, options, env):
            self.n_math += 1
            return tex_html(tokens[idx].content, tokens[idx].type != 'math_inline')
        for name in ('math_inline', 'math_inline_double', 'math_block'): md.add_render_rule(name, math)
        md.add_render_rule('fence', lambda _r, tokens, idx, options, env:
                           code_html(tokens[idx].content, tokens[idx].info.split()[0] if tokens[idx].info else ''))
        self.md = md

    def slug(self, text):
        "Pandoc's auto identifier (Quarto's heading ids), made unique within the page."
        s = re.sub(r'\s+', '-', re.sub(r'[^\w\s.-]', '', text.lower()).strip())
        s = re.sub(r'^[^a-z]+', '', s) or 'section'
        base, n = s, 0
        while s in self.ids: n += 1; s = f'{base}-{n}'
        self.ids.add(s); return s

    def markdown(self, text):
        tokens = self.md.parse(text)
        for i, t in enumerate(tokens):
            if t.type == 'heading_open' and not t.attrGet('id'):
                t.attrSet('id', self.slug(''.join(c.content for c in tokens[i + 1].children or [])))
            if t.type == 'html_block': t.content = self.raw_html(t.content)
            for c in t.children or []:
                if c.type == 'link_open': c.attrSet('href', self.site.href(c.attrGet('href'), self.page))
                elif c.type == 'image': c.attrSet('src', self.site.asset(c.attrGet('src'), self.page))
                elif c.type == 'html_inline': c.content = self.raw_html(c.content)
        return self.md.renderer.render(tokens, self.md.options, {})

    def raw_html(self, text):
        return re.sub(r'(<img\b[^>]*?\bsrc=")([^"]*)', lambda m: m[1] + self.site.asset(m[2], self.page), text)

    def output(self, o, asis):
        if o.output_type == 'stream':
            return f'<div class="cell-output cell-output-{o.name}"><pre>{esc(o.text)}</pre></div>'
        if o.output_type == 'error':
            trace = '\n'.join(o.traceback) or f'{o.ename}: {o.evalue}'
            return f'<div class="cell-output cell-output-error"><pre>{esc(trace)}</pre></div>'
        data, wrap = o.get('data', {}), '<div class="cell-output cell-output-display">{}</div>'
        if 'application/vnd.jupyter.widget-view+json' in data:
            return wrap.format('<p class="widget-note">(an interactive widget: it shows in a live notebook)</p>'
                               f'<pre>{esc(data.get("text/plain", ""))}</pre>')
        if 'text/html' in data: return wrap.format(self.raw_html(data['text/html']))
        for mime in IMAGE_MIMES:
            if mime in data:
                payload = data[mime] if mime != 'image/svg+xml' else base64.b64encode(data[mime].encode()).decode()
                return wrap.format(f'<img src="data:{mime};base64,{"".join(payload.split())}" alt="">')
        if 'text/markdown' in data:
            return self.markdown(data['text/markdown']) if asis else wrap.format(self.markdown(data['text/markdown']))
        if 'text/latex' in data: return wrap.format(self.markdown(data['text/latex']))
        return wrap.format(f'<pre>{esc(data.get("text/plain", ""))}</pre>')

    def cell(self, c):
        if c.cell_type == 'markdown': return self.markdown(c.source)
        if c.cell_type != 'code': return ''  # raw cells: the front matter, or text for other formats
        opts, code = cell_options(c.source)
        if opts.get('include') is False or opts.get('hide'): return ''
        parts = []
        if code.strip() and opts.get('echo', True) is not False and not opts.get('hide_input'):
            parts.append(f'<div class="cell-code">{code_html(code)}</div>')
        if opts.get('output', True) is not False and not opts.get('hide_output'):
            parts += [self.output(o, opts.get('output') == 'asis') for o in c.get('outputs', [])]
        return f'<div class="cell">\n{"".join(parts)}\n</div>' if parts else ''

    def render(self, template):
        meta = self.site.meta[self.nb_path]
        body = '\n'.join(filter(None, (self.cell(c) for c in self.site.nbs[self.nb_path].cells)))
        desc = meta.get('description')
        subtitle = f'<p class="subtitle">{self.md.renderInline(str(desc))}</p>' if desc else ''
        root = posixpath.relpath('.', posixpath.dirname(self.page) or '.')
        return template.substitute(
            title=esc(str(meta.get('title') or Path(self.nb_path).stem)), site=esc(self.site.title),
            root='' if root == '.' else root + '/', nav=self.site.nav(self.page), n_math=self.n_math,
            subtitle=subtitle, body=body)

def build(proc, out):
    "Writes one page per processed notebook, the assets they use and the stylesheets; returns the Site."
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / '_preview' / 'preview.css').exists():
            sys.exit(f'{out} exists and is not a docs preview: not overwriting it')
        shutil.rmtree(out)
    site = Site(proc, out)
    (out / '_preview').mkdir(parents=True)
    shutil.copyfile(ASSETS / 'preview.css', out / '_preview' / 'preview.css')
    (out / '_preview' / 'pygments.css').write_text(FORMATTER.get_style_defs('.highlight'))
    if (site.proc / 'styles.css').exists(): shutil.copyfile(site.proc / 'styles.css', out / 'styles.css')
    else: (out / 'styles.css').write_text('')
    template = Template((ASSETS / 'page.html').read_text())
    for nb_path, page in site.pages.items():
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text(Page(site, nb_path).render(template))
    return site

class Dom(HTMLParser):
    "What a reader sees on one dumped page: text by kind (prose, code, maths, error output), images, ids, links."
    VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
    HIDDEN = {'script', 'style', 'head', 'title', 'nav', 'svg'}
    BLOCK = {'p', 'div', 'li', 'pre', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'blockquote', 'header'}
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.prose, self.code, self.errors, self.links, self.imgs = [], [], [], [], [], []
        self.maths, self.math_widths, self.math_errors = [], [], []
        self.ids, self.body, self.main, self.n_text = set(), {}, {}, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'img': self.imgs.append(a)
        if tag == 'a' and a.get('href'): self.links.append(a['href'])
        if tag == 'body': self.body = a
        if tag == 'main': self.main = a
        if tag == 'math': self.math_widths.append(a.get('data-width')); self.maths.append('')
        if tag in self.BLOCK: self.prose.append('\n')
        if tag == 'pre': self.code.append('')
        if 'cell-output-error' in (a.get('class') or ''): self.errors.append('')
        if 'math-error' in (a.get('class') or ''): self.math_errors.append('')
        if tag not in self.VOID: self.stack.append((tag, a.get('class') or ''))
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag: break
    def handle_data(self, data):
        tags = {t for t, _ in self.stack}; classes = ' '.join(c for _, c in self.stack)
        if tags & self.HIDDEN: return
        if 'header' not in tags: self.n_text += len(data.strip())
        if 'cell-output-error' in classes: self.errors[-1] += data
        if 'math-error' in classes: self.math_errors[-1] += data
        if 'math' in tags: self.maths[-1] += data
        elif 'pre' in tags: self.code[-1] += data
        elif 'code' not in tags: self.prose.append(data)

RAW_MATH = re.compile(r'(?<![\w$])\$\$?[^$\n]+?\$|\\\(.+?\\\)|\\\[.+?\\\]')  # `$..$`, `\(..\)`, `\[..\]` text
TEX_LIKE = re.compile(r'\\[A-Za-z]+|[_^{}]')

def page_problems(dom, page, out):
    "Problems a reader would see on one page, from its DOM after the load event."
    p = []
    if dom.body.get('data-loaded') != 'yes': p.append('the page did not finish loading (no load event)')
    for img in dom.imgs:
        src, nw = img.get('src', ''), img.get('data-natural-width')
        if src.startswith('data:'):
            if not src.partition(',')[2].strip(): p.append('image with an empty data URI')
            elif nw == '0': p.append('image (data URI) does not decode')
        elif '://' not in src:
            path = (out / posixpath.dirname(page) / unquote(src.partition('#')[0])).resolve()
            if not src or not path.is_file(): p.append(f'missing image {src!r}')
            elif nw == '0': p.append(f'image {src!r} does not decode')
    for e in dom.errors: p.append(f'error output: {(e.strip().splitlines() or ["(empty)"])[-1][:120]}')
    prose, code = ''.join(dom.prose), '\n'.join(dom.code)
    if not dom.errors and 'Traceback (most recent call last)' in prose + code: p.append('a traceback is shown')
    if dom.n_text < 40: p.append(f'empty page: {dom.n_text} characters of text besides the title and navigation')
    for line in code.splitlines():
        if line.lstrip().startswith('#|'): p.append(f'raw cell option in shown code: {line.strip()[:80]}')
    for what, pat in (('raw link attributes', r'\{target='), ('raw Quarto shortcode', r'\{\{<'),
                      ('raw Quarto div', r'(?m)^\s*:::')):
        for m in re.finditer(pat, prose): p.append(f'{what} shown: {prose[m.start():].strip().splitlines()[0][:60]!r}')
    for m in RAW_MATH.finditer(prose):
        if TEX_LIKE.search(m[0]): p.append(f'unrendered maths: {m[0][:80]!r}')
    for e in dom.math_errors: p.append(f'maths latex2mathml cannot convert: {e[:80]!r}')
    for t in dom.maths:
        if re.search(r'\\[A-Za-z]+', t): p.append(f'unknown TeX command left in a formula: {t.strip()[:80]!r}')
    expected = int(dom.main.get('data-math-source', 0))
    if len(dom.maths) < expected: p.append(f'{expected - len(dom.maths)} of {expected} formulas not rendered as MathML')
    zero = sum(w == '0' for w in dom.math_widths)
    if zero: p.append(f'{zero} formulas drawn with zero width (MathML not laid out)')
    return p

def link_problems(doms, out):
    "Links between preview pages: the target page exists and holds the anchor."
    p = []
    for page, dom in doms.items():
        for href in dict.fromkeys(dom.links):
            if '://' in href or href.startswith(('mailto:', 'javascript:', 'data:')): continue
            path, _, frag = href.partition('#')
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) if path else page
            if target in doms:
                if frag and frag not in doms[target].ids: p.append(f'{page}: link to a missing anchor {href}')
            elif not (out / target).exists(): p.append(f'{page}: broken link {href}')
    return p

def chromium():
    found = next(filter(None, map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome'))), None)
    if not found: sys.exit('docs_preview --check needs Chromium: apt-get install -y chromium')
    return found

def browse(browser, path, *args, budget_ms=5000):
    "Runs headless Chromium on one file with its own throwaway profile; returns stdout."
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
               '--hide-scrollbars', '--no-first-run', f'--user-data-dir={profile}',
               f'--virtual-time-budget={budget_ms}', *args, Path(path).resolve().as_uri()]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if r.returncode: raise RuntimeError(f'chromium exited {r.returncode} on {path}: {r.stderr[-500:]}')
    return r.stdout

def check(site, jobs):
    "Opens every page in headless Chromium; returns (problems, warnings about links between pages, {page: Dom})."
    browser, pages = chromium(), sorted(site.pages.values())
    def one(page):
        dom = Dom(); dom.feed(browse(browser, site.out / page, '--dump-dom')); dom.close(); return page, dom
    with ThreadPoolExecutor(jobs) as ex: doms = dict(ex.map(one, pages))
    problems = list(site.problems)
    for page in pages: problems += [f'{page}: {msg}' for msg in page_problems(doms[page], page, site.out)]
    return problems, link_problems(doms, site.out), doms

def screenshots(site, names, folder, doms):
    "Full-page PNGs, 1280 px wide (at most 12000 px tall), of the chapters whose notebook stem or page is in `names`."
    browser, folder = chromium(), Path(folder); folder.mkdir(parents=True, exist_ok=True)
    for nb, page in site.pages.items():
        if Path(nb).stem not in names and page not in names: continue
        if page not in doms: doms[page] = Dom(); doms[page].feed(browse(browser, site.out / page, '--dump-dom'))
        height = min(int(doms[page].body.get('data-height') or 2000), 12000)
        png = folder / (Path(nb).stem + '.png')
        browse(browser, site.out / page, f'--window-size=1280,{height}', f'--screenshot={png.resolve()}')
        print(f'screenshot {png} (1280x{height})')

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--proc', default='_proc', help='processed notebooks (nbdev_proc_nbs output)')
    ap.add_argument('--out', default='_docs_preview', help='folder for the pages (replaced)')
    ap.add_argument('--check', action='store_true', help='open every page in headless Chromium; exit 1 on problems')
    ap.add_argument('--screenshots', metavar='DIR', help='write PNG screenshots of the --pages chapters here')
    ap.add_argument('--pages', nargs='+', default=['08_metrics', '10_train'], help='chapters to screenshot')
    ap.add_argument('--strict-links', action='store_true', help='broken links between pages fail --check too')
    ap.add_argument('--jobs', type=int, default=min(4, os.cpu_count() or 1), help='browsers at once')
    a = ap.parse_args(argv)
    if not (Path(a.proc) / 'index.ipynb').exists():
        sys.exit(f'{a.proc}/index.ipynb not found: run nbdev_proc_nbs first')
    t = time.time(); site = build(a.proc, a.out)
    print(f'built {len(site.pages)} pages into {a.out}/ in {time.time() - t:.1f}s (open {a.out}/index.html)')
    doms, problems = {}, []
    if a.check:
        t = time.time(); problems, links, doms = check(site, a.jobs)
        if a.strict_links: problems, links = problems + links, []
        print(f'checked {len(site.pages)} pages in headless Chromium in {time.time() - t:.1f}s: '
              f'{len(problems)} problems' + (f', {len(links)} warnings' if links else ''))
        for p in problems: print(p)
        for w in links: print(f'warning: {w}')
    if a.screenshots: screenshots(site, a.pages, a.screenshots, doms)
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
