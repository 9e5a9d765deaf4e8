#!/usr/bin/env python
"""KID and FID of trained 2D diffusion runs against their real test slices, next to the floor.

  python tools/kid_runs.py RUN_DIR [RUN_DIR ...] [--per-condition 2] [--subset 50]

Each run samples (EMA weights, seed 1) conditioned on every slice of its own test split, read with the run's data
settings (same slice filter and size), `--per-condition` samples per slice; the reference is those real test slices.
The floor is as many real *training* slices of the same filter against the same reference. Features: the offline
EfficientNet-Lite0 ImageNet weights (`medgen.metrics`). One line per run, then the floor.
"""
import argparse, time
import torch
from medgen.core import MetricsConfig, get_device
from medgen.data import make_loader
from medgen.metrics import build_extractor, features, kid, fid
from medgen.pipeline import Pipeline


def slices_of(pipe, split, key):
    "Real `key` slices of `split` and the loader's batches (no shuffling, no augmentation)."
    batches = list(make_loader(pipe.cfg, split, shuffle=False, augment=False, **pipe.mode.data_kwargs))
    return torch.cat([b[key] for b in batches]).float(), batches


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('runs', nargs='+'); p.add_argument('--per-condition', type=int, default=2)
    p.add_argument('--subset', type=int, default=50)
    a = p.parse_args(argv)
    fx, floor = build_extractor('efficientnet_lite0', MetricsConfig()), None
    for run in a.runs:
        pipe = Pipeline.from_checkpoint(run, ema=True, device=get_device('auto'))
        key = pipe.mode.target_keys[0]
        real, batches = slices_of(pipe, 'test_new', key)
        t0, fake = time.time(), []
        for r in range(a.per_condition):
            first = r * len(real)
            for b in batches:
                fake.append(pipe.sample(b, seed=1, first=first)[key]); first += len(b[key])
        fake = torch.cat(fake)
        fr, ff = features(real, fx), features(fake, fx)
        k, s = kid(fr, ff, subset_size=a.subset)
        print(f"{run}: {pipe.space.name} space, {len(fake)} samples vs {len(real)} real test slices: "
              f"KID {k:.3f} ± {s:.3f}, FID {fid(fr, ff):.1f} (sampling {time.time() - t0:.0f} s)", flush=True)
        if floor is None:
            train, _ = slices_of(pipe, 'train', key)
            ft = features(train[torch.randperm(len(train), generator=torch.Generator().manual_seed(0))[:len(real)]], fx)
            k, s = kid(fr, ft, subset_size=a.subset); floor = f"floor: {len(real)} real training slices vs the same reference: KID {k:.3f} ± {s:.3f}, FID {fid(fr, ft):.1f}"
    print(floor)


if __name__ == '__main__': main()
