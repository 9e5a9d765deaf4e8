#!/usr/bin/env python
"""KID and FID of trained 2D diffusion runs against their real test slices, next to the floor.

  python tools/kid_runs.py RUN_DIR [RUN_DIR ...] [--n 64] [--steps K]

Each run (EMA weights) is scored by `medgen.evaluate.score_run`, the verdict of the run notebook: `--n` slices
generated on the conditions of its held-out split, against the real held-out slices of the run's own slice filter,
next to the floor (as many real training slices of that filter against the same reference). One line per run.
"""
import argparse, time
from medgen.core import get_device
from medgen.evaluate import score_run, verdict
from medgen.pipeline import Pipeline


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('runs', nargs='+'); p.add_argument('--n', type=int, default=64)
    p.add_argument('--steps', type=int, default=None, help="sampler steps (default: each run's)")
    a = p.parse_args(argv)
    for run in a.runs:
        pipe = Pipeline.from_checkpoint(run, ema=True, device=get_device('auto'))
        t0 = time.time(); scores = score_run(pipe, a.n, steps=a.steps)
        for k, d in scores.items():
            print(f"{run}: {pipe.space.name} space, {d['slices']} slices, {d['steps']} steps: {verdict(k, d)} "
                  f"({d['n_slices_generated']} vs {d['n_slices_reference']} real test slices; {time.time() - t0:.0f} s)", flush=True)


if __name__ == '__main__': main()
