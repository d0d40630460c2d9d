/**
 * `alignscope models ...` and `alignscope evaluate` against a real (test) Postgres: registration,
 * scores with their runs (provenance), re-runs, and failures recorded as failed, never as scored.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clopperPearson } from '@alignscope/analysis';
import { listRunsForModel, listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import registerEvaluate from '../src/commands/evaluate.ts';
import registerModels from '../src/commands/models.ts';
import { ORT_VERSION } from '../src/models/index.ts';
import { VERSION } from '../src/version.ts';
import { bundle, tmpDir } from './helpers.ts';

let t: TestDb;
const home = tmpDir('alignscope-home-');
const saved = { ...process.env };

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  process.env.ALIGNSCOPE_HOME = home;
});
afterAll(async () => {
  process.env = saved;
  await t?.close();
});

/** Runs the CLI (only this helper's commands); returns stdout. Errors are thrown. */
async function cli(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerModels(program);
  registerEvaluate(program);
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'alignscope', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return out.join('\n');
}

const M = (f: string) => bundle('models', f);

describe('models add | list | show | alias', () => {
  it('registers a bundle model with its card, file hash and stored copy', async () => {
    const out = JSON.parse(
      await cli(
        'models',
        'add',
        M('mobilenet_v1_025_imagenet1k.onnx'),
        '--card',
        M('mobilenet_v1_025_imagenet1k.json'),
        '--json',
      ),
    );
    const card = JSON.parse(readFileSync(M('mobilenet_v1_025_imagenet1k.json'), 'utf8'));
    expect(out).toMatchObject({
      identifier: 'mobilenet_v1_025_imagenet1k',
      created: true,
      sha256: card.sha256,
      bytes: card.onnx.bytes,
      store: path.join(home, 'models', `${card.sha256}.onnx`),
      dummyOutputShape: [2, 1000],
    });
    const again = JSON.parse(
      await cli(
        'models',
        'add',
        M('mobilenet_v1_025_imagenet1k.onnx'),
        '--card',
        M('mobilenet_v1_025_imagenet1k.json'),
        '--json',
      ),
    );
    expect(again.created).toBe(false);
    const list = JSON.parse(await cli('models', 'list', '--json'));
    expect(list.map((m: { identifier: string }) => m.identifier)).toEqual(['mobilenet_v1_025_imagenet1k']);
    await cli('models', 'alias', 'mobilenet_v1_025_imagenet1k', 'mnet025', '--source', 'test');
    const shown = JSON.parse(await cli('models', 'show', 'mnet025', '--json'));
    expect(shown).toMatchObject({
      identifier: 'mobilenet_v1_025_imagenet1k',
      family: 'mobilenet',
      aliases: ['mnet025'],
    });
    expect(shown.card.preprocessing.crop).toBe(224);
    expect(await cli('models', 'show', 'mobilenet_v1_025_imagenet1k')).toMatch(/no scores/);
  });

  it('refuses bad input with one clear line and registers nothing', async () => {
    const dir = tmpDir();
    writeFileSync(
      path.join(dir, 'x.onnx'),
      readFileSync(M('tiny_darknet_imagenet1k.onnx')).subarray(0, 2000),
    );
    await expect(
      cli('models', 'add', path.join(dir, 'x.onnx'), '--card', M('cifar10_resnet20.json')),
    ).rejects.toThrow(/card disagrees with the model/);
    await expect(
      cli(
        'models',
        'add',
        M('tiny_darknet_imagenet1k.onnx'),
        '--card',
        M('mobilenet_v1_025_imagenet1k.json'),
      ),
    ).rejects.toThrow(/card disagrees with the model: card mobilenet_v1_025_imagenet1k names sha256/);
    await expect(cli('models', 'show', 'nope')).rejects.toThrow(/unknown model "nope"/);
    await expect(cli('models', 'alias', 'nope', 'other')).rejects.toThrow(/unknown model nope/);
    expect(JSON.parse(await cli('models', 'list', '--json'))).toHaveLength(1);
  });
});

describe('evaluate', () => {
  it('scores a registered model (by alias) and records a --limit run as partial, with its provenance', async () => {
    const json = JSON.parse(
      await cli(
        'evaluate',
        '--model',
        'mnet025',
        '--benchmark',
        'ImageNet-top1',
        '--limit',
        '40',
        '--json',
        '--threads',
        '2',
      ),
    );
    expect(json).toHaveLength(1);
    const r = json[0];
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining([
        'model',
        'benchmark',
        'version',
        'raw',
        'ceiled',
        'error',
        'ceiling',
        'artifacts',
      ]),
    );
    expect(r).toMatchObject({
      model: 'mobilenet_v1_025_imagenet1k',
      benchmark: 'ImageNet-top1',
      version: 1,
      status: 'scored',
      ceiling: 1,
    });
    // Issue 17 item 12: 40 classes drawn at random (one sample each), not the first 40 files; the
    // per-image predictions recompute the accuracy.
    const { labels, predictions } = r.artifacts.perImage as { labels: number[]; predictions: number[] };
    expect(new Set(labels).size).toBe(40);
    expect(labels).toEqual([...labels].sort((a, b) => a - b));
    expect(labels).not.toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(r.raw).toBeCloseTo(predictions.filter((p, i) => p === labels[i]).length / 40, 12);
    expect(r.error).toBeCloseTo(Math.sqrt((r.raw * (1 - r.raw)) / 40), 12);
    // The interval is Clopper-Pearson of (correct, 40) (checked against scipy in packages/analysis),
    // stored with the score and printed.
    const k = predictions.filter((p, i) => p === labels[i]).length;
    const cp = clopperPearson(k, 40);
    expect(r).toMatchObject({ ciLow: cp.low, ciHigh: cp.high, ciMethod: 'clopper-pearson 95%' });
    expect(r.ciLow).toBeLessThanOrEqual(r.raw);
    expect(r.ciHigh).toBeGreaterThanOrEqual(r.raw);

    // A partial run never stands as the benchmark's score: it keeps its value with the run.
    expect(
      await listScores(t.db, { model: 'mobilenet_v1_025_imagenet1k', benchmark: 'ImageNet-top1' }),
    ).toEqual([]);
    const [run] = await listRunsForModel(t.db, (await modelId('mobilenet_v1_025_imagenet1k')) as number);
    expect(run).toMatchObject({
      id: r.runId,
      kind: 'evaluation',
      status: 'succeeded',
      producer: 'alignscope evaluate',
      producerVersion: VERSION,
      error: null,
    });
    expect(run?.environment).toMatchObject({
      evaluator: VERSION,
      onnxruntime: ORT_VERSION,
      executionProvider: 'cpu',
      threads: 2,
      sessionConfig: { 'session.force_spinning_stop': '1' },
    });
    expect(ORT_VERSION).toMatch(/^1\.30\./);
    expect(run?.configuration).toMatchObject({
      benchmark: 'ImageNet-top1',
      limit: 40,
      limitSeed: 0,
      partial: true,
      imageCount: 40,
      batchSize: 16,
    });
    expect(run?.timings).toHaveProperty('decodeMs');
    expect(run?.timings).toHaveProperty('inferenceMs');
    const artifacts = run?.artifacts as {
      perImage: { files: string[]; labels: number[] };
      partial: boolean;
      partialScore: { raw: number };
    };
    expect(artifacts.partial).toBe(true);
    expect(artifacts.partialScore).toEqual({
      raw: r.raw,
      ceiled: r.raw,
      error: r.error,
      ceiling: 1,
      interval: { low: cp.low, high: cp.high, method: 'clopper-pearson 95%' },
    });
    expect(artifacts.perImage.files).toHaveLength(40);
    for (const f of artifacts.perImage.files) expect(f).toMatch(/^imagenet\/samples\/n\d{8}_.+\.jpg$/);
    // Issue 17 item 3: the image set's sha256 over "<file>\t<label>\t<sha256>\n" lines in order,
    // rebuilt here from the files the run lists (labels: samples.csv's class_index).
    const lines = artifacts.perImage.files.map((f, i) => {
      const bytes = readFileSync(bundle(f));
      return `${f}\t${artifacts.perImage.labels[i]}\t${createHash('sha256').update(bytes).digest('hex')}\n`;
    });
    expect(run?.configuration).toMatchObject({
      provenance: {
        evaluator: {
          version: VERSION,
          sourceCommit: execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
        },
        dataBundle: {
          version: createHash('sha256')
            .update(readFileSync(bundle('README.md')))
            .digest('hex'),
        },
        imageSet: { count: 40, sha256: createHash('sha256').update(lines.join('')).digest('hex') },
        humanTrials: [],
      },
    });
    expect(run?.finishedAt).not.toBeNull();
  });

  it('re-running replaces the score and keeps the run history', async () => {
    // A whole (small) image set, so the runs are complete and stored: the first 20 ImageNet samples.
    const dir = tmpDir('alignscope-images-');
    const manifest = path.join(dir, 'first20.csv');
    writeFileSync(
      manifest,
      [
        'file,label',
        ...readFileSync(bundle('imagenet', 'samples.csv'), 'utf8')
          .split(/\r?\n/)
          .slice(1, 21)
          .map((l) => `${bundle('imagenet', 'samples', l.split(',')[0] as string)},${l.split(',')[2]}`),
      ].join('\n'),
    );
    const args = [
      'evaluate',
      '--model',
      'mnet025',
      '--benchmark',
      'ImageNet-top1',
      '--images',
      manifest,
      '--json',
    ];
    const [first] = JSON.parse(await cli(...args));
    const before = (
      await listScores(t.db, { model: 'mobilenet_v1_025_imagenet1k', benchmark: 'ImageNet-top1' })
    )[0];
    expect(before?.runId).toBe(first.runId);
    const [r] = JSON.parse(await cli(...args));
    const scores = await listScores(t.db, {
      model: 'mobilenet_v1_025_imagenet1k',
      benchmark: 'ImageNet-top1',
    });
    expect(scores).toHaveLength(1);
    expect(scores[0]?.runId).toBe(r.runId);
    expect(scores[0]?.runId).not.toBe(before?.runId);
    const runs = await listRunsForModel(t.db, (await modelId('mobilenet_v1_025_imagenet1k')) as number);
    expect(runs.map((x) => x.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('records a failure as a failed run and a failed score, never as scored', async () => {
    // A data directory whose only cue-conflict stimulus is a truncated PNG.
    const data = tmpDir('alignscope-data-');
    mkdirSync(path.join(data, 'stimuli', 'cue-conflict', 'cat'), { recursive: true });
    mkdirSync(path.join(data, 'imagenet'), { recursive: true });
    copyFileSync(bundle('imagenet', 'human16.json'), path.join(data, 'imagenet', 'human16.json'));
    const png = readFileSync(bundle('stimuli', 'cue-conflict', 'cat', 'cat1-airplane1.png'));
    writeFileSync(
      path.join(data, 'stimuli', 'cue-conflict', 'cat', 'cat1-airplane1.png'),
      png.subarray(0, 400),
    );

    await expect(
      cli(
        'evaluate',
        '--model',
        'mobilenet_v1_025_imagenet1k',
        '--benchmark',
        'Hermann2020cueconflict-shape_bias',
        '--data-dir',
        data,
      ),
    ).rejects.toThrow(
      /1 of 1 benchmark\(s\) failed: Hermann2020cueconflict-shape_bias: .*cat1-airplane1\.png: cannot decode/,
    );
    const [score] = await listScores(t.db, {
      model: 'mobilenet_v1_025_imagenet1k',
      benchmark: 'Hermann2020cueconflict-shape_bias',
    });
    expect(score).toMatchObject({ status: 'failed', rawValue: null, ceiledValue: null });
    const runs = await listRunsForModel(t.db, (await modelId('mobilenet_v1_025_imagenet1k')) as number);
    const failed = runs.find((x) => x.id === score?.runId);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.error).toMatch(/cat1-airplane1\.png: cannot decode/);

    // Skipping bad images leaves nothing to score: still failed, with its own message.
    await expect(
      cli(
        'evaluate',
        '--model',
        'mobilenet_v1_025_imagenet1k',
        '--benchmark',
        'Hermann2020cueconflict-shape_bias',
        '--data-dir',
        data,
        '--skip-bad-images',
      ),
    ).rejects.toThrow(/no cue-conflict stimulus could be classified/);

    // A failed re-run of a scored benchmark keeps the earlier score; the failed run is in the history.
    const manifest = path.join(data, 'broken.csv');
    writeFileSync(
      manifest,
      `file,label\n${path.join(data, 'stimuli', 'cue-conflict', 'cat', 'cat1-airplane1.png')},281\n`,
    );
    const before = (
      await listScores(t.db, { model: 'mobilenet_v1_025_imagenet1k', benchmark: 'ImageNet-top1' })
    )[0];
    await expect(
      cli(
        'evaluate',
        '--model',
        'mobilenet_v1_025_imagenet1k',
        '--benchmark',
        'ImageNet-top1',
        '--images',
        manifest,
      ),
    ).rejects.toThrow(/cannot decode/);
    const after = (
      await listScores(t.db, { model: 'mobilenet_v1_025_imagenet1k', benchmark: 'ImageNet-top1' })
    )[0];
    expect(after).toEqual(before);
  });

  it('gives clear errors for a missing data directory, unknown or unsuitable benchmarks, and writes nothing', async () => {
    const id = (await modelId('mobilenet_v1_025_imagenet1k')) as number;
    const nRuns = (await listRunsForModel(t.db, id)).length;
    await expect(
      cli(
        'evaluate',
        '--model',
        'mobilenet_v1_025_imagenet1k',
        '--benchmark',
        'ImageNet-top1',
        '--data-dir',
        '/nonexistent/data',
      ),
    ).rejects.toThrow(/data directory not found: \/nonexistent\/data/);
    process.env.ALIGNSCOPE_DATA_DIR = '/nonexistent/bundle';
    try {
      await expect(
        cli('evaluate', '--model', 'mobilenet_v1_025_imagenet1k', '--benchmark', 'ImageNet-top1'),
      ).rejects.toThrow(/data directory not found: \/nonexistent\/bundle \(set ALIGNSCOPE_DATA_DIR/);
    } finally {
      delete process.env.ALIGNSCOPE_DATA_DIR;
    }
    await expect(
      cli('evaluate', '--model', 'mobilenet_v1_025_imagenet1k', '--benchmark', 'Nope-top1'),
    ).rejects.toThrow(/unknown benchmark "Nope-top1"; the evaluator runs: .*ImageNet-top1/);
    await expect(
      cli('evaluate', '--model', 'mobilenet_v1_025_imagenet1k', '--benchmark', 'CIFAR10-top1'),
    ).rejects.toThrow(
      /CIFAR10-top1 cannot evaluate mobilenet_v1_025_imagenet1k: needs a cifar-10 model \(this one is imagenet-1k\)/,
    );
    await expect(
      cli('evaluate', '--model', 'mobilenet_v1_025_imagenet1k', '--benchmark', 'ImageNet-top1', '--no-db'),
    ).rejects.toThrow(/--no-db needs the model as a file/);
    await expect(
      cli('evaluate', '--model', M('cifar10_resnet20.onnx'), '--benchmark', 'CIFAR10-top1'),
    ).rejects.toThrow(/give its model card with --card/);
    expect(await listRunsForModel(t.db, id)).toHaveLength(nRuns);
  });

  it('registers a model given as file + card, and creates the -cifar10 benchmarks on first use', async () => {
    const [r] = JSON.parse(
      await cli(
        'evaluate',
        '--model',
        M('cifar10_resnet20.onnx'),
        '--card',
        M('cifar10_resnet20.json'),
        '--benchmark',
        'Hermann2020cueconflict-shape_bias-cifar10',
        '--limit',
        '60',
        '--json',
      ),
    );
    expect(r).toMatchObject({ model: 'cifar10_resnet20', status: 'scored' });
    expect(r.configuration).toMatchObject({ mapping: 'cifar10->human16', labelSpace: 'cifar-10' });
    const counts = r.artifacts.counts as { nShape: number; nTexture: number; nExcluded: number };
    expect(r.raw).toBeCloseTo(counts.nShape / (counts.nShape + counts.nTexture), 12);
    // Every decision is one of the 7 shared categories.
    const decided = new Set(Object.values(r.artifacts.decisions as Record<string, string>));
    for (const d of decided) expect(['airplane', 'bird', 'boat', 'car', 'cat', 'dog', 'truck']).toContain(d);
    const [score] = await listScores(t.db, {
      model: 'cifar10_resnet20',
      benchmark: 'Hermann2020cueconflict-shape_bias-cifar10',
    });
    // A --limit run: partial, so no score on the board.
    expect(score).toBeUndefined();
    const shown = JSON.parse(await cli('models', 'show', 'cifar10_resnet20', '--json'));
    expect(shown.onnxSha256).toBe(JSON.parse(readFileSync(M('cifar10_resnet20.json'), 'utf8')).sha256);
  });

  it('prints a table without --json', async () => {
    const out = await cli('evaluate', '--model', 'mnet025', '--benchmark', 'ImageNet-top1', '--limit', '8');
    expect(out.split('\n')[0]).toBe(
      'model\tbenchmark\tversion\traw\tceiled\terror\tceiling\tci95\timages\tstatus',
    );
    expect(out).toMatch(
      /mobilenet_v1_025_imagenet1k\tImageNet-top1\t1\t\d\.\d{4}.*\tscored \(partial run: not stored as the score\) run \d+/,
    );
  });
});

async function modelId(identifier: string): Promise<number | undefined> {
  const { getModel } = await import('@alignscope/db/queries');
  return (await getModel(t.db, identifier))?.id;
}
