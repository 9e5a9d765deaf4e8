#!/usr/bin/env python
"""A small ablation of the training techniques (nbs/06e_techniques.ipynb): the CPU demo run (`medgen.cli.DEMO_OVERRIDES`,
bravo | seg on the phantom, RFlow) trained for the same wall time and seed with nothing on, ScoreAug v2, SDA or SAM,
then scored like the run notebook's verdict: KID / FID of 64 generated slices against the held-out split's slices of the
same filter, next to the floor, and the last validation loss. One JSON line per arm goes to stdout and to --out.

    OMP_NUM_THREADS=1 python tools/technique_ablation.py baseline scoreaug_v2 --minutes 5 --out ablation.jsonl

The learning rate is warm-up + constant (no cosine), so stopping on the clock leaves every arm at the same LR; SAM's
step costs about two ordinary ones, so in the same time it takes about half as many."""
import argparse, json, sys, time
from medgen.core import get_device
from medgen.cli import notebook_config
from medgen.train import train
from medgen.pipeline import Pipeline
from medgen.evaluate import score_run

ARMS = {                                                  # overrides on top of the demo run
    'baseline': [],
    'scoreaug_v2': ['model.omega_dim=24', 'train.score_aug.enabled=true', 'train.score_aug.v2_mode=true'],
    'sda': ['train.sda.enabled=true'],
    'sam': ['train.sam.enabled=true'],
}
COMMON = ['data.batch_size=16', 'train.scheduler=constant',   # the demo's batch when the chapter's table was measured
          'train.epochs=1000', 'train.max_steps_per_epoch=10', 'train.val_interval=1',
          'train.max_val_steps=4', 'train.figure_interval=0', 'train.n_samples=0']

class TimeBudget:
    "Stop the run at the first epoch end after `seconds` of training (a `Trainer` callback)."
    def __init__(self, seconds: float): self.seconds = seconds
    def on_fit_start(self, tr): self.t0 = time.time()
    def after_epoch(self, tr, logs):
        if time.time() - self.t0 >= self.seconds: tr.should_stop = True

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('items', nargs='*', metavar='ARM|KEY=VALUE', help=f"arms of {', '.join(ARMS)} (default: all) and config overrides")
    p.add_argument('--minutes', type=float, default=5., help='training wall time per arm (default %(default)s)')
    p.add_argument('--n', type=int, default=64, help='generated slices scored per arm (default %(default)s)')
    p.add_argument('--out', default='technique_ablation.jsonl')
    a = p.parse_args(argv)
    arms, extra = [x for x in a.items if '=' not in x] or list(ARMS), [x for x in a.items if '=' in x]
    bad = [x for x in arms if x not in ARMS]
    if bad: p.error(f"unknown arm(s) {bad}: use {', '.join(ARMS)}")
    for arm in arms:
        cfg = notebook_config('', [f'name=ablation_{arm}', *COMMON, *ARMS[arm], *extra])
        t0 = time.time()
        run_dir = train(cfg, [TimeBudget(a.minutes * 60)])
        wall = time.time() - t0
        meta = json.loads((run_dir / 'metadata.json').read_text())
        val = [h['Loss/Total_val'] for h in meta['history'] if 'Loss/Total_val' in h]
        pipe = Pipeline.from_checkpoint(run_dir, ema=True, device=get_device('cpu'))
        s = score_run(pipe, a.n, 'test_new')['bravo']
        rec = dict(arm=arm, steps=meta['step'], epochs=len(meta['history']), train_wall_s=round(wall), val_loss=round(val[-1], 5),
                   best_val_loss=round(min(val), 5), KID=s['KID_mean'], KID_std=s['KID_std'], FID=s['FID'],
                   floor_KID=s['floor']['KID_mean'], floor_FID=s['floor']['FID'], n=s['n_slices_generated'], run_dir=str(run_dir))
        print(json.dumps(rec), flush=True)
        with open(a.out, 'a') as f: f.write(json.dumps(rec) + '\n')

if __name__ == '__main__': sys.exit(main())
