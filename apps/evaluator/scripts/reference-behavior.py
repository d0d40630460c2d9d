#!/usr/bin/env python3
"""Reference numbers for the behavioral golden values in the evaluator's tests (issue 17 item 6).

Independent of the TypeScript code: Python's csv module and plain arithmetic, following
model-vs-human (bethgelab/model-vs-human, modelvshuman/evaluation/metrics.py) and Geirhos et al.:
  * shape bias = shape decisions / (shape + texture decisions) over cue-conflict images whose shape
    and texture categories differ (the stimulus name is "<shape><i>-<texture><j>.png");
  * error consistency of two observers on the same images: c_obs = share of images both got right
    or both got wrong, c_exp = p1 p2 + (1 - p1)(1 - p2) with p the accuracies,
    kappa = (c_obs - c_exp) / (1 - c_exp); a model's value is the mean kappa over the human
    subjects (Brain-Score reports its absolute value), the ceiling the mean kappa over all pairs
    of subjects.
Images are matched by stimulus name (the part of `imagename` after the last "_").

Run: /usr/bin/python3 apps/evaluator/scripts/reference-behavior.py [data bundle dir]
Output (data bundle of 2026-12, model-vs-human 79ed7cd / swag 93ee676), recorded in
apps/evaluator/test/behavior.test.ts and import-trials.test.ts:
  resnet50 cue-conflict shape bias 0.21419518377693283
  resnet50 edge error consistency raw 0.03625908550737976 ceiling 0.3184364338405932
"""
import csv
import itertools
import os
import re
import sys

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../../../shared/data')


def trials(path):
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    return {r['imagename'].rsplit('_', 1)[-1]: r['object_response'] == r['category'] for r in rows}, rows


def shape_bias(path):
    _, rows = trials(path)
    shape = texture = 0
    for r in rows:
        m = re.match(r'^([a-z]+)\d+-([a-z]+)\d+\.png$', r['imagename'].rsplit('_', 1)[-1])
        if m.group(1) == m.group(2):
            continue
        if r['object_response'] == m.group(1):
            shape += 1
        elif r['object_response'] == m.group(2):
            texture += 1
    return shape / (shape + texture)


def kappa(a, b):
    keys = sorted(set(a) & set(b))
    n = len(keys)
    c_obs = sum(a[k] == b[k] for k in keys) / n
    p1 = sum(a[k] for k in keys) / n
    p2 = sum(b[k] for k in keys) / n
    c_exp = p1 * p2 + (1 - p1) * (1 - p2)
    return (c_obs - c_exp) / (1 - c_exp)


def error_consistency(model_file, human_dir):
    humans = [trials(os.path.join(human_dir, f))[0] for f in sorted(os.listdir(human_dir)) if f.endswith('.csv')]
    model = trials(model_file)[0]
    raw = abs(sum(kappa(model, h) for h in humans) / len(humans))
    pairs = [kappa(a, b) for a, b in itertools.combinations(humans, 2)]
    return raw, sum(pairs) / len(pairs)


mvh = os.path.join(data, 'decisions', 'model-vs-human')
print('resnet50 cue-conflict shape bias', repr(shape_bias(os.path.join(mvh, 'cue-conflict', 'cue-conflict_resnet50_session-1.csv'))))
raw, ceiling = error_consistency(os.path.join(mvh, 'edge', 'edge_resnet50_session-1.csv'), os.path.join(data, 'human', 'edge'))
print('resnet50 edge error consistency raw', repr(raw), 'ceiling', repr(ceiling))
