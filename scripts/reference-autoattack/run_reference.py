#!/usr/bin/env python3
"""Runs the reference AutoAttack (fra31/auto-attack, PyTorch, CPU) on the bundle's CIFAR ResNet-20,
for the side-by-side timing of `npm run bench:attack` (packages/attacks/bench/reference.ts). Never
part of the tests; nothing is downloaded.

Input: a directory written by the bench with
  model.json + model.bin   the ONNX model's Conv nodes in graph order (weight/bias shapes, strides,
                           pads: batch norm is folded into the convolutions), the input mean/std
                           and the final linear layer, as float32 little-endian
  images.bin               N x 3 x 32 x 32 float32 in [0, 1]; labels.json: N labels
  logits.bin               onnxruntime's clean logits (N x 10), to check the rebuilt model
`model.json`'s kind 'chain' (MobileNet v1) lists the nodes of a plain chain instead (see Chain).
Otherwise rebuilds akamaster/pytorch_resnet_cifar10's resnet20 (3 stages x 3 BasicBlocks, 16/32/64 channels,
option-A shortcuts: x[:, :, ::2, ::2] zero-padded by planes // 4 channels on each side), with the
folded conv weights and biases from the ONNX initializers, then runs
AutoAttack(model, norm='Linf', eps, version='standard', seed=0).run_standard_evaluation(x, y, bs).

Usage: /usr/bin/python3 run_reference.py --data DIR --eps 0.5/255 --autoattack SRC [--bs 32]
  SRC is a directory holding the `autoattack` package, e.g. its Python files extracted from the
  mirror that the search tool's fetch brought (github:fra31/auto-attack, commit a392200):
    M=/work/.mirror/fra31+auto-attack/repo; D=/work/.mirror/fra31-auto-attack; mkdir -p $D/autoattack
    for f in $(git -C $M ls-tree --name-only HEAD autoattack/ | grep '[.]py$'); do git -C $M show HEAD:$f > $D/$f; done
Prints one JSON line: clean and per-stage robust accuracy, per-stage wall and CPU seconds, robust
flags, the load average at the end.
"""
import argparse
import contextlib
import io
import json
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c1, c2, stride, planes):
        super().__init__()
        self.c1, self.c2, self.stride, self.planes = c1, c2, stride, planes

    def forward(self, x):
        out = F.relu(self.c1(x))
        out = self.c2(out)
        if self.stride != 1:
            p = self.planes // 4
            sc = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, p, p), 'constant', 0)
        else:
            sc = x
        return F.relu(out + sc)


class ResNet20(nn.Module):
    def __init__(self, spec, blob):
        super().__init__()
        def tensor(entry):
            a = np.frombuffer(blob, dtype='<f4', count=int(np.prod(entry['shape'])), offset=entry['offset'])
            return torch.from_numpy(a.copy()).reshape(entry['shape'])
        self.register_buffer('mean', tensor(spec['mean']))
        self.register_buffer('std', tensor(spec['std']))
        convs = []
        for c in spec['convs']:
            w = tensor(c['weight'])
            conv = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], stride=c['strides'][0], padding=c['pads'][0], bias=True)
            conv.weight.data.copy_(w)
            conv.bias.data.copy_(tensor(c['bias']))
            convs.append(conv)
        if len(convs) != 19:
            raise SystemExit(f'expected the 19 convolutions of a ResNet-20, got {len(convs)}')
        self.conv1 = convs[0]
        blocks = []
        i = 1
        for planes in (16, 32, 64):
            for b in range(3):
                c1, c2 = convs[i], convs[i + 1]
                i += 2
                blocks.append(Block(c1, c2, c1.stride[0], planes))
        self.blocks = nn.Sequential(*blocks)
        lw = tensor(spec['linear']['weight'])
        self.linear = nn.Linear(lw.shape[1], lw.shape[0])
        self.linear.weight.data.copy_(lw)
        self.linear.bias.data.copy_(tensor(spec['linear']['bias']))

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.relu(self.conv1(x))
        x = self.blocks(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.linear(x)


class Chain(nn.Module):
    """A plain chain of ONNX nodes (MobileNet v1): each op takes the previous output; its other
    inputs are the initializers in `consts`. ONNX Conv pads are [top, left, bottom, right]."""

    def __init__(self, spec, blob):
        super().__init__()
        def tensor(entry):
            a = np.frombuffer(blob, dtype='<f4', count=int(np.prod(entry['shape'])), offset=entry['offset'])
            return torch.from_numpy(a.copy()).reshape(entry['shape'])
        self.ops = spec['ops']
        self.consts = [[tensor(c) for c in op['consts']] for op in self.ops]

    def forward(self, x):
        for op, c in zip(self.ops, self.consts):
            t = op['op']
            if t == 'Mul':
                x = x * c[0]
            elif t == 'Sub':
                x = x - c[0]
            elif t == 'Div':
                x = x / c[0]
            elif t == 'Add':
                x = x + c[0]
            elif t == 'Conv':
                top, left, bottom, right = op['pads']
                if (top, left) != (bottom, right):
                    x = F.pad(x, (left, right, top, bottom))
                    pad = 0
                else:
                    pad = (top, left)
                x = F.conv2d(x, c[0], c[1] if len(c) > 1 else None, stride=tuple(op['strides']),
                             padding=pad, dilation=tuple(op['dilations']), groups=op['group'])
            elif t == 'Clip':
                x = torch.clamp(x, float(c[0]) if len(c) > 0 else None, float(c[1]) if len(c) > 1 else None)
            elif t == 'Relu':
                x = F.relu(x)
            elif t == 'GlobalAveragePool':
                x = F.adaptive_avg_pool2d(x, 1)
            elif t == 'Flatten':
                x = x.flatten(1)
            elif t == 'Gemm':
                x = F.linear(x, c[0], c[1] if len(c) > 1 else None)
            else:
                raise SystemExit(f'unsupported op {t}')
        return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--eps', required=True)
    ap.add_argument('--autoattack', required=True)
    ap.add_argument('--bs', type=int, default=32)
    ap.add_argument('--threads', type=int, default=os.cpu_count(),
                    help='torch intra-op threads (default: all cores, as onnxruntime uses)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sys.path.insert(0, args.autoattack)
    from autoattack import AutoAttack

    num, _, den = args.eps.partition('/')
    eps = float(num) / (float(den) if den else 1.0)
    spec = json.load(open(os.path.join(args.data, 'model.json')))
    blob = open(os.path.join(args.data, 'model.bin'), 'rb').read()
    kind = spec.get('kind', 'resnet20')
    model = (ResNet20(spec, blob) if kind == 'resnet20' else Chain(spec, blob)).eval()
    labels = json.load(open(os.path.join(args.data, 'labels.json')))
    n = len(labels)
    shape = spec.get('inputShape', [3, 32, 32])
    x = torch.from_numpy(np.fromfile(os.path.join(args.data, 'images.bin'), dtype='<f4').reshape(n, *shape).copy())
    y = torch.tensor(labels, dtype=torch.long)
    want = np.fromfile(os.path.join(args.data, 'logits.bin'), dtype='<f4').reshape(n, -1)
    with torch.no_grad():
        got = model(x).numpy()
    logit_diff = float(np.abs(got - want).max())

    adversary = AutoAttack(model, norm='Linf', eps=eps, version='standard', seed=0, verbose=True, device='cpu')
    # CPU seconds (all threads of this process) per stage: on a shared machine they mean more than
    # wall seconds. Each stage calls perturb on its own attack object (apgd-ce: apgd, apgd-t:
    # apgd_targeted, fab-t: fab, square: square in version 'standard').
    cpu = {}

    def timed(name, perturb):
        def run(*a, **k):
            c0 = time.process_time()
            try:
                return perturb(*a, **k)
            finally:
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - c0
        return run

    for name, attr in (('apgd-ce', 'apgd'), ('apgd-t', 'apgd_targeted'), ('fab-t', 'fab'), ('square', 'square')):
        obj = getattr(adversary, attr)
        obj.perturb = timed(name, obj.perturb)
    buf = io.StringIO()
    t0 = time.time()
    c0 = time.process_time()
    with contextlib.redirect_stdout(buf):
        x_adv = adversary.run_standard_evaluation(x, y, bs=args.bs)
    seconds = time.time() - t0
    cpu_seconds = time.process_time() - c0
    log = buf.getvalue()
    stages = []
    prev = None
    for m in re.finditer(r'robust accuracy after (\S+): ([\d.]+)% \(total time ([\d.]+) s\)', log):
        total = float(m.group(3))
        stages.append({'attack': m.group(1).lower(), 'robustAccuracy': float(m.group(2)) / 100,
                       'seconds': total - (prev if prev is not None else 0.0), 'totalSeconds': total,
                       'cpuSeconds': cpu.get(m.group(1).lower())})
        prev = total
    clean = re.search(r'initial accuracy: ([\d.]+)%', log)
    with torch.no_grad():
        robust = (model(x_adv).argmax(1) == y).tolist()
    print(json.dumps({
        'source': 'fra31/auto-attack (PyTorch %s, %d threads)' % (torch.__version__, torch.get_num_threads()),
        'eps': args.eps, 'n': n, 'batchSize': args.bs, 'maxLogitDifferenceToOnnxruntime': logit_diff,
        'cleanAccuracy': float(clean.group(1)) / 100 if clean else None,
        'stages': stages, 'robustFlags': ''.join('1' if r else '0' for r in robust), 'seconds': seconds,
        'cpuSeconds': cpu_seconds, 'loadAverage': list(os.getloadavg()),
    }))


if __name__ == '__main__':
    main()
