#!/usr/bin/env python
"""Measure candidate demo settings: train each on the phantom with the CPU demo's overrides plus its own, then score it.

  python tools/demo_sweep.py OUT.jsonl NAME='override override ...' [NAME='...' ...] [--n 64]

Each candidate starts from `medgen.cli.DEMO_OVERRIDES` (brain slices, RFlow, small UNet), adds its overrides, trains a
new run (wall time measured), and is scored by `medgen.evaluate.score_run` on the EMA weights: KID ± std and FID of
`--n` generated held-out slices against the real held-out slices of the same filter, next to the real-data floor.
One JSON line per candidate is appended to OUT (the table in the benchmarks chapter is read from it).
"""
import argparse, json, shlex, time
from pathlib import Path
import torch
from medgen.cli import DEMO_OVERRIDES
from medgen.core import load_config
from medgen.evaluate import score_run, verdict
from medgen.pipeline import Pipeline
from medgen.train import train


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out'); p.add_argument('candidates', nargs='+', help="NAME='override ...'")
    p.add_argument('--n', type=int, default=64); p.add_argument('--runs-dir', default='runs/demo_sweep')
    a = p.parse_args(argv)
    for c in a.candidates:
        name, _, ov = c.partition('=')
        overrides = [*DEMO_OVERRIDES, f'name=sweep_{name}', f'runs_dir={a.runs_dir}', *shlex.split(ov)]
        t0 = time.time(); run = train(load_config(None, overrides)); wall = time.time() - t0
        pipe = Pipeline.from_checkpoint(run, ema=True)
        t1 = time.time(); s = score_run(pipe, a.n); score_s = time.time() - t1
        k = pipe.mode.target_keys[0]; meta = json.loads((Path(run) / 'metadata.json').read_text())
        row = dict(name=name, overrides=shlex.split(ov), train_s=round(wall), score_s=round(score_s), run=str(run),
                   steps=meta['step'], params=meta['n_params'], best_val=meta.get('best_val_loss'),
                   threads=torch.get_num_threads(), **{f'{k}_{m}': v for m, v in s[k].items() if not isinstance(v, dict)},
                   floor=s[k]['floor'])
        with open(a.out, 'a') as f: f.write(json.dumps(row, default=float) + '\n')
        print(f"{name}: train {wall:.0f} s, {meta['step']} steps, {meta['n_params']} params -> {verdict(k, s[k])}", flush=True)


if __name__ == '__main__': main()
