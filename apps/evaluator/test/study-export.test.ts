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
import { type Figure, MIN_SCATTER_POINTS, PNG_SCALE, studyFigures } from '../src/studies/figures.ts';
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
// Each model's robust accuracy at T2 is k of 10 images (k = 2, 1, 4, 3, 5), stored with its 95 %
// Clopper-Pearson interval (R's binom.test(k, 10)$conf.int, to 4 places); m5's was stored without one.
// m2's average_vision has an interval too (an input to draw; aggregates get none in a real study).
const CP = (low: number, high: number): [number, number] => [low, high];
const intervals = {
  [T2]: [CP(0.0252, 0.5561), CP(0.0025, 0.445), CP(0.1216, 0.7376), CP(0.0667, 0.6525), null],
  average_vision: [null, CP(0.15, 0.3), null, null, null],
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
  intervals,
  intervalMethods: { [T2]: ['clopper-pearson 95%'], average_vision: ['a made-up interval'] },
  correlations: [
    {
      target: T1,
      rows: [
        // rho = -1 at n = 5: exact two-sided p = 2/120, significant after BH over two rows.
        row('average_vision', -1, { pValue: 2 / 120, qValue: 2 / 120, significant: true }),
        // undefined (in a real study: fewer models than the minimum n): drawn as "–".
        row('Hermann2020cueconflict-shape_bias', null, { reason: 'constant column' }),
      ],
    },
    {
      target: T2,
      rows: [
        // Bootstrap intervals as stored (inputs here; the heatmap prints them to two decimals).
        row('average_vision', 0.8, {
          slope: 0.8,
          intercept: 0.06,
          r2: 0.64,
          fStatistic: 16 / 3,
          ciLow: 0.1,
          ciHigh: 1,
          pValue: 0.133,
          qValue: 0.267,
        }),
        row('Hermann2020cueconflict-shape_bias', -0.5, { ciLow: -0.974, ciHigh: 0.667 }),
      ],
    },
  ],
  aggregates: [{ target: T2, benchmark: 'average_vision', n: 5, r2: 0.64, f: 16 / 3, fP: 0.104 }],
  predictor: [],
  provenance: { method: 'spearman', bootstrap: { resamples: 1000, seed: 0, level: 0.95 } },
};
const labels = {
  label: (id: string) =>
    ({ average_vision: 'Average vision', 'Hermann2020cueconflict-shape_bias': 'Shape bias' })[id] ?? id,
  domain: (id: string) => (id === 'average_vision' ? 'aggregate' : 'behavioral'),
};

type Point = { x: number; y: number };

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

  it("prints each cell's bootstrap interval beneath its coefficient, with a <title> per cell", async () => {
    const { figures } = await studyFigures(result, labels);
    const heat = figures[0] as Figure;
    // The two T2 cells with an interval, to two decimals; none for the T1 cells (stored without one).
    const brackets = [...heat.svg.matchAll(/>(\[-?\d\.\d\d, -?\d\.\d\d\])<\/text>/g)].map((m) => m[1]);
    expect(brackets.sort()).toEqual(['[-0.97, 0.67]', '[0.10, 1.00]']);
    expect(heat.svg).toContain(
      '>Beneath each ρ, in brackets: its 95 % percentile bootstrap interval over models (1,000 resamples, seed 0).</tspan>',
    );
    // Every cell's numbers as its <title> (a browser's tooltip), the undefined one with its reason.
    const titles = [...heat.svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      `Shape bias with ${T1}: ρ = –, 95 % CI [–, –], p = –, q = –, n = 5 (constant column)`,
      `Shape bias with ${T2}: ρ = -0.500, 95 % CI [-0.974, 0.667], p = –, q = –, n = 5`,
      `Average vision with ${T1}: ρ = -1.000, 95 % CI [–, –], p = 0.0167, q = 0.0167, n = 5`,
      `Average vision with ${T2}: ρ = 0.800, 95 % CI [0.100, 1.000], p = 0.133, q = 0.267, n = 5`,
    ]);
    await checkFigure(heat);
  }, 60_000);

  it('draws each stored interval as a whisker at its ends, and says so in the caption', async () => {
    const { figures } = await studyFigures(result, labels);
    const scatter = figures[1] as Figure;
    // The points' centres in SVG units, in model order (Vega keeps the data's order).
    const centre = (s: string) => {
      const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(s);
      return { x: Number(m?.[1]), y: Number(m?.[2]) };
    };
    const group = (name: string) =>
      new RegExp(`<g class="mark-[a-z]+ role-mark ${name}_marks"[^>]*>(.*?)</g>`).exec(scatter.svg)?.[1] ??
      '';
    const pts = [...group('points').matchAll(/<path [^>]*>/g)].map((m) => centre(m[0]));
    expect(pts).toHaveLength(5);
    // The y scale is linear: from m1 (y 0.2) and m5 (y 0.5) it maps v to y1 + (v - 0.2)(y5 - y1)/0.3.
    const [p1, p2, p3, p4, p5] = pts as [Point, Point, Point, Point, Point];
    const sy = (v: number) => p1.y + ((v - 0.2) * (p5.y - p1.y)) / 0.3;
    const sx = (v: number) => p1.x + ((v - 0.1) * (p5.x - p1.x)) / 0.4;
    // A <line> is drawn from its translate to translate + (x2, y2).
    const lines = (name: string) =>
      [...group(name).matchAll(/<line [^>]*>/g)].map((m) => {
        const at = centre(m[0]);
        const x2 = Number(/ x2="([-\d.e]+)"/.exec(m[0])?.[1]);
        const y2 = Number(/ y2="([-\d.e]+)"/.exec(m[0])?.[1]);
        return { x: at.x, y: at.y, x2: at.x + x2, y2: at.y + y2 };
      });
    // Vertical whiskers for m1..m4 (m5 has no interval stored), each at its point's x, from the
    // interval's low end to its high end.
    const vertical = lines('whiskers_y');
    expect(vertical).toHaveLength(4);
    const stored = intervals[T2].slice(0, 4) as [number, number][];
    vertical.forEach((w, i) => {
      const p = [p1, p2, p3, p4][i] as Point;
      expect(w.x).toBeCloseTo(p.x, 6);
      expect(w.x2).toBeCloseTo(p.x, 6);
      expect(w.y).toBeCloseTo(sy(stored[i]?.[0] as number), 6);
      expect(w.y2).toBeCloseTo(sy(stored[i]?.[1] as number), 6);
    });
    // One horizontal whisker: m2's average_vision, from 0.15 to 0.3 at its y.
    const horizontal = lines('whiskers_x');
    expect(horizontal).toHaveLength(1);
    expect(horizontal[0]?.y).toBeCloseTo(p2.y, 6);
    expect(horizontal[0]?.y2).toBeCloseTo(p2.y, 6);
    expect(horizontal[0]?.x).toBeCloseTo(sx(0.15), 6);
    expect(horizontal[0]?.x2).toBeCloseTo(sx(0.3), 6);
    expect(p3.y).toBeCloseTo(sy(0.4), 6);
    expect(p4.x).toBeCloseTo(sx(0.4), 6);
    // The caption says what the whiskers are and on how many points.
    expect(scatter.caption).toContain(
      `Horizontal whiskers: the interval stored with each model's Average vision (a made-up interval), on 1 of 5 models; the others have none stored.`,
    );
    expect(scatter.caption).toContain(
      `Vertical whiskers: the interval stored with each model's ${T2} (clopper-pearson 95%), on 4 of 5 models; the others have none stored.`,
    );
    expect(scatter.svg).toContain('>Vertical whiskers: the interval stored with each model');
    await checkFigure(scatter);

    // A result stored without intervals: no whiskers and no word of them.
    const { intervals: _, intervalMethods: __, ...bare } = result;
    const plain = (await studyFigures(bare, labels)).figures[1] as Figure;
    expect(plain.svg).not.toContain('whiskers');
    expect(plain.caption).toBe('OLS y = 0.060 + 0.800·x, R² = 0.640, F = 5.33 (p = 0.104), n = 5.');
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
