#!/usr/bin/env python
"""Measure candidate settings of the CPU demo (`medgen.cli.DEMO_OVERRIDES`): train each, then score 64 generated slices
against the held-out split's slices of the same filter, next to the floor (the run notebook's verdict, `score_run`),
with the EMA and raw weights and a few sampler settings (steps, Heun, time shift). One JSON line per score goes to
stdout and to --out.

    OMP_NUM_THREADS=1 python tools/demo_sweep.py base L4 L4att --out sweep.jsonl   # ~15 min per trial on a 2-core CPU

The trials except `demo` see the same number of training images (30 x 640; the demo 30 x 480); `--cost` prints the
CPU time per step at batch 16. The table in nbs/13_cli.ipynb says which of its rows were measured with this script."""
import argparse, json, sys, time
import torch
from medgen.core import get_device
from medgen.cli import notebook_config
from medgen.train import train
from medgen.pipeline import Pipeline
from medgen.evaluate import score_run, real_features

B16 = ['data.batch_size=16', 'train.max_steps_per_epoch=40', 'train.max_val_steps=4']   # the demo's batch until 2026-12-01
L4 = B16 + ['model.unet.channels=[16,32,64,128]', 'model.unet.attention_levels=[false,false,false,false]']
B4 = ['data.batch_size=4', 'train.max_steps_per_epoch=160', 'train.max_val_steps=4']     # as many images in four times the updates
TRIALS = {                                    # overrides on top of DEMO_OVERRIDES (the demo itself: 'demo')
    'demo': [],
    'base': B16,                              # batch 16 x 40 steps, 3 levels (16,32,64): the 64² slice reaches a 16² bottleneck
    'L4': L4,                                 # a 4th level (128 channels at 8²): a wider receptive field at the same cost
    'L4att': B16 + ['model.unet.channels=[16,32,64,128]', 'model.unet.attention_levels=[false,false,false,true]'],  # + attention at 8²
    'L4_lr2e-3': L4 + ['train.lr=2e-3'],      # a larger step size for a short run
    'L4_bs8': L4 + ['data.batch_size=8', 'train.max_steps_per_epoch=80'],   # twice the updates on the same images
    'uniform': B16 + ['strategy.rflow.sample_method=uniform'],   # training times uniform in [0, 1] before the shift, not logit-normal
    'uniform_noshift': B16 + ['strategy.rflow.sample_method=uniform', 'strategy.rflow.use_timestep_transform=false'],  # and no shift
    's2d_bs8': B16 + ['space.name=space_to_depth', 'model.unet.channels=[32,64,128]', 'data.batch_size=8', 'train.max_steps_per_epoch=80'],
    'bs4': B4,                                # the demo's UNet, four times the updates on the same images
    'bs4_ema995': B4 + ['train.ema_decay=0.995'],   # an EMA horizon of 200 updates
    'bs4_L4': B4 + ['model.unet.channels=[16,32,64,128]', 'model.unet.attention_levels=[false,false,false,false]'],
    'bs4_lr5e-4': B4 + ['train.lr=5e-4'],      # a smaller step for the noisier small-batch gradient
    'bs2': ['data.batch_size=2', 'train.max_steps_per_epoch=320', 'train.max_val_steps=4'],   # eight times the updates
}
SAMPLING = ((True, 20, None, None), (True, 20, None, 1.0), (True, 20, None, 2.0), (True, 50, None, None), (True, 20, 'heun', None),
            (False, 20, None, None))   # (EMA weights, steps, sampler, shift)

def cost(names):
    "Seconds of CPU time per training step of each trial's network (batch 16, 64²), the budget check behind equal steps."
    from monai.networks.nets import DiffusionModelUNet
    for name in names:
        cfg = notebook_config('', TRIALS[name]); u = cfg.model.unet
        m = DiffusionModelUNet(spatial_dims=2, in_channels=2, out_channels=1, channels=u.channels, attention_levels=u.attention_levels,
                               num_res_blocks=u.num_res_blocks, norm_num_groups=u.norm_num_groups, num_head_channels=u.num_head_channels)
        opt, x, t = torch.optim.AdamW(m.parameters(), 1e-3), torch.randn(16, 2, 64, 64), torch.rand(16) * 1000
        for i in range(8):
            if i == 3: c0 = time.process_time()
            loss = (m(x, t) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
        print(f'{name}: {(time.process_time() - c0) / 5 * 1000:.0f} ms CPU per step, {sum(p.numel() for p in m.parameters()) / 1e6:.2f}M parameters')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('trials', nargs='*', default=list(TRIALS), help=f"of {', '.join(TRIALS)}")
    p.add_argument('--out', default='demo_sweep.jsonl'); p.add_argument('--cost', action='store_true', help='only the per-step cost')
    a = p.parse_args(argv)
    if a.cost: return cost(a.trials)
    for name in a.trials:
        t0, c0 = time.time(), time.process_time()
        run_dir = train(notebook_config('', [f'name=sweep_{name}', 'train.figure_interval=100'] + TRIALS[name]))
        wall, cpu = time.time() - t0, time.process_time() - c0
        real = None
        for ema, steps, sampler, shift in SAMPLING:
            pipe = Pipeline.from_checkpoint(run_dir, ema=ema, device=get_device('cpu'))
            real = real or real_features(pipe, 64, 'test_new')
            s = score_run(pipe, 64, 'test_new', steps=steps, sampler=sampler, shift=shift, real=real)['bravo']
            rec = dict(trial=name, ema=ema, steps=steps, sampler=sampler or 'euler', shift=shift or 'run', KID=s['KID_mean'], KID_std=s['KID_std'], FID=s['FID'],
                       floor_KID=s['floor']['KID_mean'], floor_FID=s['floor']['FID'], train_wall_s=round(wall), train_cpu_s=round(cpu), run_dir=str(run_dir))
            print(json.dumps(rec), flush=True)
            with open(a.out, 'a') as f: f.write(json.dumps(rec) + '\n')

if __name__ == '__main__': sys.exit(main())
