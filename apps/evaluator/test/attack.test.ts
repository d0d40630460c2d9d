import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import { inputTransform } from '../src/commands/attack.ts';
import { parseCard } from '../src/models/card.ts';

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'alignscope attack',
);
const data = bundle.dir;
const model = bundle.path('models/cifar10_resnet20.onnx');
const cardFile = bundle.path('models/cifar10_resnet20.json');

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, ALIGNSCOPE_DATA_DIR: data },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Runs the command in this process (faster than spawning); captures stdout and stderr. */
async function inproc(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(`${a.join(' ')}\n`);
  });
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  const prev = process.env.ALIGNSCOPE_DATA_DIR;
  process.env.ALIGNSCOPE_DATA_DIR = data;
  try {
    const code = await main(['node', 'alignscope', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    log.mockRestore();
    write.mockRestore();
    if (prev === undefined) delete process.env.ALIGNSCOPE_DATA_DIR;
    else process.env.ALIGNSCOPE_DATA_DIR = prev;
  }
}

describe.skipIf(bundle.missing)('alignscope attack', () => {
  let dir: string;
  const classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog'];
  const manifest = (name: string, lines: string[]) => {
    const f = path.join(dir, name);
    writeFileSync(f, `file,label\n${lines.join('\n')}\n`);
    return f;
  };
  const base = (m: string) => [
    'attack',
    '--model',
    model,
    '--card',
    cardFile,
    '--manifest',
    m,
    '--data-dir',
    dir,
    '--norm',
    'Linf',
  ];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'alignscope-attack-'));
    classes.forEach((c, i) => {
      mkdirSync(path.join(dir, c), { recursive: true });
      copyFileSync(path.join(data, 'cifar10/test', c, '0000.jpg'), path.join(dir, c, '0000.jpg'));
      void i;
    });
    writeFileSync(path.join(dir, 'not-an-image.jpg'), 'this is text, not a JPEG');
    const card = JSON.parse(readFileSync(cardFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path.join(dir, 'wrong-classes.json'),
      JSON.stringify({ ...card, labelSpace: 'imagenet-1k' }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good = () =>
    manifest(
      'good.csv',
      classes.map((c, i) => `${c}/0000.jpg,${i}`),
    );

  it('prints the documented JSON fields, reproducibly for a seed', async () => {
    const m = good();
    const args = [...base(m), '--eps', '2/255', '--attacks', 'apgd-ce', '--seed', '3', '--json'];
    const a = await cli(args);
    expect(a.code, a.stderr).toBe(0);
    const r = JSON.parse(a.stdout) as Record<string, unknown>;
    expect(Object.keys(r).sort()).toEqual(
      [
        'clean_accuracy',
        'eps',
        'n',
        'norm',
        'profile',
        'robust_accuracy',
        'robust_flags',
        'seconds',
        'seed',
        'stages',
      ].sort(),
    );
    expect(r.n).toBe(6);
    expect(r.eps).toBeCloseTo(2 / 255, 15);
    expect(r.norm).toBe('Linf');
    expect(r.profile).toBe('reference');
    expect(r.seed).toBe(3);
    expect((r.robust_flags as boolean[]).length).toBe(6);
    expect(r.stages).toEqual([{ attack: 'apgd-ce', robust_accuracy: r.robust_accuracy }]);
    expect(r.robust_accuracy as number).toBeLessThanOrEqual(r.clean_accuracy as number);
    expect((r.robust_flags as boolean[]).filter(Boolean).length / 6).toBeCloseTo(
      r.robust_accuracy as number,
      12,
    );
    // progress on stderr names the attack and the points
    expect(a.stderr).toMatch(/apgd-ce .*attacked/);
    const out = path.join(dir, 'provenance.json');
    const b = await inproc([...args, '--output', out]);
    const rb = JSON.parse(b.stdout) as Record<string, unknown>;
    expect({ ...rb, seconds: 0 }).toEqual({ ...r, seconds: 0 });
    // the file adds how the attack ran: the gradient graphs' level, the shares and what they rest on
    const file = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(file.gradient_optimization).toMatchObject({ level: 'all' });
    expect(file.sharding).toMatchObject({ shards: expect.any(Number) });
    expect(file.batch_invariance).toMatchObject({
      invariant: true,
      checked: true,
      reason: expect.stringMatching(/^checked: /),
    });
  });

  it('names a missing image and writes nothing', async () => {
    const out = path.join(dir, 'out.json');
    const m = manifest('missing.csv', ['airplane/0000.jpg,0', 'cat/9999.jpg,3']);
    const r = await inproc([...base(m), '--eps', '1/255', '--output', out, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.csv:3: image file not found: .*cat\/9999\.jpg/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('names a file that is not an image', async () => {
    const m = manifest('bad.csv', ['airplane/0000.jpg,0', 'not-an-image.jpg,1']);
    const r = await inproc([...base(m), '--eps', '1/255', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:3: .*not-an-image\.jpg: cannot decode/);
    expect(r.stdout).toBe('');
  });

  it('rejects labels outside the label space', async () => {
    const m = manifest('labels.csv', ['airplane/0000.jpg,0', 'bird/0000.jpg,12']);
    const r = await inproc([...base(m), '--eps', '1/255']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/labels\.csv:3: label 12 is outside the label space cifar-10 \(0\.\.9\)/);
    const m2 = manifest('names.csv', ['airplane/0000.jpg,airplane', 'bird/0000.jpg,sparrow']);
    const r2 = await inproc([...base(m2), '--eps', '1/255']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(
      'names.csv:3: label "sparrow" is neither a class index (0..9) nor a class name of the label space cifar-10',
    );
  });

  // Issue 17 item 4: `evaluate` took CIFAR-10 names as labels and `attack` refused them; one
  // resolver now serves both. Names (any case) give the same attack as the class indices.
  it('takes CIFAR-10 class names as labels, like evaluate', async () => {
    const args = ['--eps', '2/255', '--attacks', 'apgd-ce', '--seed', '3', '--json'];
    const byIndex = await inproc([...base(good()), ...args]);
    const named = manifest(
      'named.csv',
      classes.map((c, i) => `${c}/0000.jpg,${i % 2 ? c.toUpperCase() : c}`),
    );
    const byName = await inproc([...base(named), ...args]);
    expect(byName.code, byName.stderr).toBe(0);
    expect({ ...JSON.parse(byName.stdout), seconds: 0 }).toEqual({
      ...JSON.parse(byIndex.stdout),
      seconds: 0,
    });
  });

  it('rejects eps <= 0 and non-numeric eps', async () => {
    const m = good();
    for (const eps of ['0', '-1', 'abc', '8/0']) {
      const r = await inproc([...base(m), '--eps', eps]);
      expect(r.code, eps).toBe(2);
      expect(r.stderr, eps).toMatch(/--eps: invalid eps/);
    }
    const r = await inproc([...base(m), '--eps', '1/255', '--norm', 'L1']);
    expect(r.stderr).toMatch(/--norm must be Linf or L2/);
  });

  it('rejects a model whose output is not [N, classes] for the card', async () => {
    const m = good();
    const r = await inproc([
      'attack',
      '--model',
      model,
      '--card',
      path.join(dir, 'wrong-classes.json'),
      '--manifest',
      m,
      '--data-dir',
      dir,
      '--norm',
      'Linf',
      '--eps',
      '1/255',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[2, 1000\]/);
    expect(r.stdout).toBe('');
  });
});

describe('attack command helpers', () => {
  const card = parseCard({
    name: 'x',
    displayName: 'x',
    inputShape: [3, 8, 8],
    inputRange: [0, 255],
    normalizationInside: false,
    preprocessing: { mean: [10, 20, 30], std: [2, 4, 5] },
    labelSpace: { name: 'toy', classes: ['a', 'b', 'c'] },
  });

  it('maps [0,1] pixels to the card input range and outside normalisation', () => {
    // pipeline: (255 x - mean) / std
    expect(inputTransform(card)).toEqual({ scale: [127.5, 63.75, 51], shift: [-5, -5, -6] });
  });
});
