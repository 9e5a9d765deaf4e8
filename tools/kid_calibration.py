#!/usr/bin/env python
"""What a KID of the demo's verdict means: real training slices of the demo's filter, degraded on purpose (Gaussian blur,
noise inside the head, down- and up-sampling), scored like generated slices (`medgen.evaluate.score_features`: 64 slices
against the held-out split's slices, the run's extractor). One JSON line per degradation; the table in nbs/13_cli.ipynb.

    python tools/kid_calibration.py                  # about a minute on a 2-core CPU
    python tools/kid_calibration.py data.slices=all  # KEY=VALUE overrides of the demo's config"""
import json, sys
from types import SimpleNamespace
import torch, torch.nn.functional as F
from monai.transforms import GaussianSmooth
from medgen.cli import notebook_config
from medgen.core import MODES
from medgen.evaluate import _real_targets, score_features
from medgen.metrics import build_extractor, features

def blur(s): return lambda x: torch.stack([GaussianSmooth(s)(i) for i in x])
def noise(s): return lambda x: (x + s * torch.randn_like(x) * (x > 0.01)).clamp(0, 1)
def down(f): return lambda x: F.interpolate(F.interpolate(x, scale_factor=1 / f, mode='area'), scale_factor=f, mode='bilinear')
DEGRADATIONS = {'none': lambda x: x, **{f'blur σ={s} px': blur(s) for s in (0.5, 1.0, 1.5, 2.0)},
                **{f'noise σ={s}': noise(s) for s in (0.02, 0.05, 0.1)}, **{f'down/up ×{f}': down(f) for f in (2, 4)}}

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if any(a in ('-h', '--help') for a in argv): return print(__doc__)
    cfg = notebook_config('', argv)
    run = SimpleNamespace(cfg=cfg, mode=MODES[cfg.mode.name](cfg))   # what _real_targets reads
    test, _ = _real_targets(run, 'test_new', cfg.metrics.n_reference)
    train, _ = _real_targets(run, 'train', 64)      # the 64 training slices of the verdict's floor (`real_features`)
    fx = build_extractor(cfg.metrics.extractor, cfg.metrics)
    for key, ref in test.items():
        r, x = features(ref, fx), train[key]
        for name, fn in DEGRADATIONS.items():
            torch.manual_seed(0)
            s = score_features((features(fn(x.clone()), fx), None), (r, None), None, cfg.metrics)
            print(json.dumps(dict(key=key, degradation=name, KID=round(s['KID_mean'], 4), KID_std=round(s['KID_std'], 4), FID=round(s['FID'], 1)),
                             ensure_ascii=False), flush=True)

if __name__ == '__main__': sys.exit(main())
