/**
 * `alignscope study export` (issue 12): the CSV tables and the figures as SVG and PNG, from a
 * hand-made stored result whose numbers are worked out by hand below (not by the analysis code).
 *
 * The PNGs are rendered with the Inter files of @expo-google-fonts/inter only (figures.ts tells resvg
 * not to load system fonts), so the text found in them here is the text a machine without any fonts
 * gets.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type CorrelationRow, type StoredStudyResult, undefinedCorrelationRow } from '@alignscope/analysis';
import { listBenchmarks, saveStudyDefinition, updateStudy } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { Resvg } from '@resvg/resvg-js';
import { XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SCATTER_POINTS, PNG_SCALE, studyFigures } from '../src/studies/figures.ts';
import { tmpDir } from './helpers.ts';

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);

const T1 = 'imagenet.AutoAttack-Linf-0.5/255';
const T2 = 'imagenet.AutoAttack-Linf-1/255';
const models = ['m1', 'm2', 'm3', 'm4', 'm5'];
// Hand-worked values. Spearman of x = average_vision with T2: ranks x 1..5, y (0.2, 0.1, 0.4, 0.3, 0.5)
// ranks (2, 1, 4, 3, 5): d = (-1, 1, -1, 1, 0), sum d^2 = 4, rho = 1 - 6*4/(5*24) = 0.8. With T1
// (0.5, 0.4, 0.3, 0.2, 0.1) the ranks are reversed: rho = -1. Shape bias (0.9, 0.7, 0.8, 0.6, 0.5)
// ranks (5, 3, 4, 2, 1) against T2's (2, 1, 4, 3, 5): d = (3, 2, 0, -1, -4), sum d^2 = 30,
// rho = 1 - 180/120 = -0.5.
// OLS of T2 on average_vision: mean x = mean y = 0.3, Sxy = 0.08, Sxx = 0.1, Syy = 0.1, so slope 0.8,
// intercept 0.3 - 0.8*0.3 = 0.06, R^2 = Sxy^2/(Sxx*Syy) = 0.64, F = R^2/(1-R^2)*(n-2) = 5.333...
const values = {
  average_vision: [0.1, 0.2, 0.3, 0.4, 0.5],
  'Hermann2020cueconflict-shape_bias': [0.9, 0.7, 0.8, 0.6, 0.5],
  [T1]: [0.5, 0.4, 0.3, 0.2, 0.1],
  [T2]: [0.2, 0.1, 0.4, 0.3, 0.5],
};
const row = (benchmark: string, coefficient: number | null, extra: Partial<CorrelationRow> = {}) => ({
  ...undefinedCorrelationRow(benchmark, 5),
  coefficient,
  ...extra,
});
const result: StoredStudyResult = {
  study: 'paper@1',
  computedAt: '2026-12-06T12:00:00.000Z',
  models,
  values,
  correlations: [
    {
      target: T1,
      rows: [
        // rho = -1 at n = 5: exact two-sided p = 2/120, significant after BH over two rows.
        row('average_vision', -1, { qValue: 2 / 120, significant: true }),
        // undefined (in a real study: fewer models than the minimum n): drawn as "–".
        row('Hermann2020cueconflict-shape_bias', null),
      ],
    },
    {
      target: T2,
      rows: [
        row('average_vision', 0.8, { slope: 0.8, intercept: 0.06, r2: 0.64, fStatistic: 16 / 3 }),
        row('Hermann2020cueconflict-shape_bias', -0.5),
      ],
    },
  ],
  aggregates: [{ target: T2, benchmark: 'average_vision', n: 5, r2: 0.64, f: 16 / 3, fP: 0.104 }],
  predictor: [],
  provenance: { method: 'spearman' },
};
const labels = {
  label: (id: string) =>
    ({ average_vision: 'Average vision', 'Hermann2020cueconflict-shape_bias': 'Shape bias' })[id] ?? id,
  domain: (id: string) => (id === 'average_vision' ? 'aggregate' : 'behavioral'),
};

/** The PNG's size from its IHDR chunk (bytes 16..24), read without the renderer. */
function pngSize(png: Buffer) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Pixels darker than light grey in rows [y0, y1) of the PNG (the background is white). */
async function inkIn(png: Buffer, y0: number, y1: number) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let y = y0; y < Math.min(y1, info.height); y++)
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      if (Math.min(data[i] as number, data[i + 1] as number, data[i + 2] as number) < 160) ink++;
    }
  return { ink, width: info.width };
}

async function checkFigure(f: { svg: string; png: Buffer; width: number; height: number }) {
  expect(XMLValidator.validate(f.svg)).toBe(true);
  expect(f.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(pngSize(f.png)).toEqual({ width: f.width * PNG_SCALE, height: f.height * PNG_SCALE });
  // The title is the first line of the figure (15 px type, about the top 20 units): text there is ink.
  const title = await inkIn(f.png, 0, 20 * PNG_SCALE);
  expect(title.ink).toBeGreaterThan(400);
  // ...and a band below the bottom edge of everything drawn would have none: the last rows are margin.
  const bottom = await inkIn(f.png, f.height * PNG_SCALE - 2, f.height * PNG_SCALE);
  expect(bottom.ink).toBe(0);
}

describe('study figures', () => {
  it('draws the heatmap and the aggregate scatter plot with the result numbers and labels', async () => {
    const { figures, skipped } = await studyFigures(result, labels);
    expect(skipped).toEqual([]);
    expect(figures.map((f) => f.name)).toEqual([
      'paper@1-heatmap',
      'paper@1-scatter-average_vision-imagenet.AutoAttack-Linf-1_255',
    ]);
    const [heat, scatter] = figures as [(typeof figures)[0], (typeof figures)[0]];
    await checkFigure(heat);
    await checkFigure(scatter);
    // The control: the same SVG rasterised with no font at all (a machine without fonts, had the
    // figures relied on system fonts) has no ink in the title band, so the ink above is the shipped font's.
    const bare = new Resvg(heat.svg, {
      fitTo: { mode: 'zoom', value: PNG_SCALE },
      font: { loadSystemFonts: false, fontFiles: [] },
    })
      .render()
      .asPng();
    expect((await inkIn(bare, 0, 20 * PNG_SCALE)).ink).toBe(0);
    // Heatmap: every benchmark label and target, each coefficient to two decimals, the significant
    // one marked with *, the undefined one as –.
    for (const s of ['Average vision', 'Shape bias', T1, T2, '-1.00*', '0.80', '-0.50', '–'])
      expect(heat.svg).toContain(`>${s}</text>`);
    expect(heat.svg).toContain('Benchmarks × robustness targets (ρ)');
    expect(heat.svg).not.toContain('0.80*');
    // Scatter: title, axis titles, and the caption with the hand-worked OLS numbers.
    expect(scatter.svg).toContain(`Average vision against ${T2}`);
    expect(scatter.svg).toContain('OLS y = 0.060 + 0.800·x, R² = 0.640, F = 5.33 (p = 0.104), n = 5.');
  }, 60_000);

  it('says why a figure is not drawn when there are too few points', async () => {
    const few: StoredStudyResult = {
      ...result,
      values: { ...values, average_vision: [0.1, 0.2, null, null, null] },
      correlations: result.correlations.map((c) => ({
        ...c,
        rows: c.rows.map((r) => ({ ...r, coefficient: null, significant: false })),
      })),
    };
    const { figures, skipped } = await studyFigures(few, labels);
    expect(figures).toEqual([]);
    expect(skipped).toEqual([
      { name: 'paper@1-heatmap', reason: expect.stringContaining('no benchmark has a defined ρ') },
      {
        name: 'paper@1-scatter-average_vision-imagenet.AutoAttack-Linf-1_255',
        reason: `too few points: 2 model(s) with both average_vision and ${T2} (a scatter plot needs at least ${MIN_SCATTER_POINTS})`,
      },
    ]);
  }, 60_000);
});

describe('alignscope study export', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    const { study } = await saveStudyDefinition(t.db, 'paper', { name: 'paper' });
    await updateStudy(t.db, study.id, { status: 'computed', result });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes the tables and figures and lists them with --json', async () => {
    const out = path.join(tmpDir(), 'export');
    const r = await exec(process.execPath, [bin, 'study', 'export', 'paper', '--out', out, '--json'], {
      env: { ...process.env, DATABASE_URL: t.url },
      timeout: 60_000,
    });
    const doc = JSON.parse(r.stdout) as {
      study: string;
      tables: string[];
      figures: { name: string; svg: string; png: string }[];
      skipped: unknown[];
    };
    expect(doc.study).toBe('paper@1');
    expect(doc.skipped).toEqual([]);
    const stems = ['paper@1-heatmap', 'paper@1-scatter-average_vision-imagenet.AutoAttack-Linf-1_255'];
    expect(doc.figures.map((f) => f.name)).toEqual(stems);
    const written = [...doc.tables, ...doc.figures.flatMap((f) => [f.svg, f.png])];
    expect(written.map((f) => path.basename(f)).sort()).toEqual(readdirSync(out).sort());
    expect(readdirSync(out).sort()).toEqual(
      [
        ...['aggregates', 'correlations', 'failures', 'predictions', 'predictor', 'values', 'weights'].map(
          (x) => `${x}.csv`,
        ),
        ...stems.flatMap((s) => [`${s}.png`, `${s}.svg`]),
      ].sort(),
    );
    for (const f of written) expect(existsSync(f)).toBe(true);
    // The labels are the catalog's display names (the study page's), read here from the database.
    const catalog = new Map((await listBenchmarks(t.db)).map((x) => [x.identifier, x.displayName]));
    const label = (id: string) => catalog.get(id) ?? id;
    const svg = readFileSync(doc.figures[0]?.svg as string, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    for (const s of [
      label('average_vision'),
      label('Hermann2020cueconflict-shape_bias'),
      '-1.00*',
      '0.80',
      '-0.50',
    ])
      expect(svg).toContain(`>${s}</text>`);
    expect(
      readFileSync(doc.figures[1]?.png as string)
        .subarray(0, 8)
        .equals(PNG_SIGNATURE),
    ).toBe(true);
  }, 90_000);
});
