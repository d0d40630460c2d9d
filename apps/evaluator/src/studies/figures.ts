/**
 * A study result's figures for `alignscope study export`, as files ready for a paper: the heatmap of
 * every benchmark's coefficient with robust accuracy at each ε (the study page's heatmap, with the
 * Benjamini–Hochberg-significant cells marked), and for every aggregate and ε the scatter of the
 * aggregate's score against robust accuracy with the OLS line (R² and F in the caption), as on the
 * study page.
 *
 * The charts are Vega-Lite specifications rendered to SVG by Vega's headless view (no DOM, no
 * browser); the SVG is rasterised to PNG by resvg (@resvg/resvg-js). Text is set in Inter, whose
 * TrueType files come with the @expo-google-fonts/inter package and are the only fonts resvg is
 * given (system fonts are not loaded), so a PNG has the same text on a machine without any fonts.
 * Recharts (the web's scatter plots) draws nothing outside a browser since its version 3, so the CLI
 * cannot reuse those components.
 */
import { createRequire } from 'node:module';
import {
  type CorrelationRow,
  type StoredStudyResult,
  type StudyPoint,
  studyPoints,
  whiskerSentences,
} from '@alignscope/analysis';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const require = createRequire(import.meta.url);
const FONT = 'Inter';
const FONT_FILES = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'),
];
/** The PNG's pixels per SVG unit (the web's PNG download uses 2 as well). */
export const PNG_SCALE = 2;

/**
 * ColorBrewer RdBu in 7 light steps over [-1, 1], red negative, blue positive: the same steps as the
 * web heatmap's (apps/web/src/format.ts DIVERGING), so a cell has the same colour in both.
 */
const DIVERGING = ['#ef8a62', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#67a9cf'];

/** The groups of heatmap rows, in the study page's order (apps/web app/studies/[id]/page.tsx). */
const GROUP_ORDER = ['engineering', 'behavioral', 'neural', 'aggregate'];

/** A heatmap cell's size in SVG units: room for the coefficient and, beneath it, its interval "[-0.11, 0.79]". */
const CELL_WIDTH = 84;
const CELL_HEIGHT = 34;

/** The fewest models with both values that a scatter plot is drawn for (an OLS line needs n > 2 for F). */
export const MIN_SCATTER_POINTS = 3;

export type FigureLabels = {
  /** The display name of a benchmark (the board's label), or its identifier. */
  label: (id: string) => string;
  /** The domain a benchmark's heatmap row is grouped under (the page's `domainOf`). */
  domain: (id: string) => string;
};

/** A figure as written: `name` is the file stem (`<name>.svg`, `<name>.png`). */
export type Figure = {
  name: string;
  kind: 'heatmap' | 'scatter';
  title: string;
  caption: string;
  svg: string;
  png: Buffer;
  /** The SVG's size in its units; the PNG is PNG_SCALE times as large. */
  width: number;
  height: number;
};

/** A figure that was not drawn, and why (too few points, no values stored). */
export type SkippedFigure = { name: string; reason: string };

const fmt = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
const fmtP = (p: number | null | undefined) => {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p === 0) return '0';
  return p < 0.001 ? p.toExponential(2) : p.toPrecision(3);
};
/**
 * A caption sentence as lines of at most `width` characters, broken at spaces (a longer word stays
 * whole): a Vega subtitle line does not wrap, and one long line would widen the figure to its length.
 */
function wrapLine(text: string, width = CAPTION_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** A file stem as the web names its downloads ('/' is not allowed in a file name). */
const stem = (s: string) => s.replaceAll('/', '_');

const config = {
  font: FONT,
  background: 'white',
  title: { font: FONT, fontSize: 15, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#333' },
  // Vega measures text by a rough estimate outside a browser (0.8 em a character), which would cut
  // labels short: no limit on label length.
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  header: {
    labelFont: FONT,
    titleFont: FONT,
    labelFontSize: 12,
    labelFontWeight: 'bold' as const,
    labelLimit: 0,
  },
  legend: { labelFont: FONT, titleFont: FONT, labelLimit: 0 },
  view: { stroke: null },
};

/** Vega-Lite's and Vega's warnings (layout notes) would go to the console; errors still throw. */
const quiet = vega.logger(vega.Error);

/** Vega's text measurement (vega-scenegraph 'textMetrics'; exported, not in its typings). */
const metrics = (
  vega as unknown as {
    textMetrics: { width: (item: { text?: unknown; fontSize?: unknown }, text?: unknown) => number };
  }
).textMetrics;

/**
 * Vega's SVG writes a mark item's `description` only as its aria-label (its tooltips are event
 * handlers of a live view, absent from a file): each such item (role graphics-symbol) also gets the
 * text as a <title> child, which browsers show on hover. The label is already escaped for XML.
 */
function withTitles(svg: string): string {
  return svg.replace(
    /<(path|line) aria-label="([^"]*)" role="graphics-symbol"([^>]*?)\/>/g,
    (_, tag: string, label: string, rest: string) =>
      `<${tag} aria-label="${label}" role="graphics-symbol"${rest}><title>${label}</title></${tag}>`,
  );
}

/** Renders a Vega-Lite specification to SVG (headless Vega) and the SVG to PNG (resvg, Inter only). */
async function render(
  spec: TopLevelSpec,
): Promise<{ svg: string; png: Buffer; width: number; height: number }> {
  // Outside a browser Vega estimates a text's width as 0.8 em a character, about half as wide again as
  // Inter's (its average advance is near 0.55 em), which leaves wide empty margins; 0.62 em keeps a
  // little slack. Vega reads this hook for that purpose (as vl-convert sets it); it is restored after.
  const estimate = metrics.width;
  metrics.width = (item, text) =>
    Math.ceil(0.62 * String(text ?? item.text ?? '').length * (Number(item.fontSize) || 11));
  try {
    return await draw(spec);
  } finally {
    metrics.width = estimate;
  }
}

async function draw(
  spec: TopLevelSpec,
): Promise<{ svg: string; png: Buffer; width: number; height: number }> {
  const view = new vega.View(vega.parse(compile(spec, { logger: quiet }).spec), {
    renderer: 'none',
    logger: quiet,
  });
  let svg = await view.toSVG();
  view.finalize();
  const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
  const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1]);
  if (!Number.isFinite(width) || !Number.isFinite(height))
    throw new Error('vega produced an SVG without a size');
  // Vega writes no XML declaration; one makes the file a standalone document for other tools.
  svg = `<?xml version="1.0" encoding="UTF-8"?>\n${withTitles(svg)}\n`;
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
  })
    .render()
    .asPng();
  return { svg, png, width, height };
}

/** The heatmap rows: every benchmark of the result, grouped by domain as on the study page. */
function heatmapCells(result: StoredStudyResult, labels: FigureLabels, symbol: string) {
  const benchmarks = [...new Set(result.correlations.flatMap((c) => c.rows.map((r) => r.benchmark)))];
  const group = (b: string) => labels.domain(b);
  benchmarks.sort((a, b) => GROUP_ORDER.indexOf(group(a)) - GROUP_ORDER.indexOf(group(b)));
  // Row names must be unique on the axis: two benchmarks with one display name get their identifier too.
  const seen = new Map<string, number>();
  for (const b of benchmarks) seen.set(labels.label(b), (seen.get(labels.label(b)) ?? 0) + 1);
  const rowName = (b: string) =>
    (seen.get(labels.label(b)) ?? 0) > 1 ? `${labels.label(b)} (${b})` : labels.label(b);
  return benchmarks.flatMap((b, order) =>
    result.correlations.map((c, col) => {
      const row = c.rows.find((r) => r.benchmark === b);
      const v = row?.coefficient ?? null;
      const ci = v !== null && row && row.ciLow !== null && row.ciHigh !== null ? row : null;
      return {
        benchmark: rowName(b),
        order,
        group: group(b),
        target: labels.label(c.target),
        col,
        coefficient: v,
        text: v === null ? '–' : `${v.toFixed(2)}${row?.significant ? '*' : ''}`,
        ci: ci ? `[${ci.ciLow?.toFixed(2)}, ${ci.ciHigh?.toFixed(2)}]` : null,
        // The cell's numbers in full, as its SVG <title> (a tooltip in a browser; see withTitles).
        description: row
          ? `${rowName(b)} with ${labels.label(c.target)}: ${symbol} = ${fmt(v)}, ${ciLevel(result)} % CI [${fmt(row.ciLow)}, ${fmt(row.ciHigh)}], p = ${fmtP(row.pValue)}, q = ${fmtP(row.qValue)}, n = ${row.n}${v === null && row.reason ? ` (${row.reason})` : ''}`
          : `${rowName(b)} with ${labels.label(c.target)}: not in the result`,
      };
    }),
  );
}

type Bootstrap = { resamples?: number; seed?: number; level?: number } | undefined;
/** The confidence level of the result's bootstrap intervals in per cent (the analysis' default 95). */
const ciLevel = (result: StoredStudyResult) =>
  Math.round(100 * ((result.provenance?.bootstrap as Bootstrap)?.level ?? 0.95));

/** The bootstrap the result's intervals came from, as its provenance records it. */
function bootstrapText(result: StoredStudyResult): string {
  const b = result.provenance?.bootstrap as Bootstrap;
  const level = ciLevel(result);
  return b?.resamples !== undefined
    ? `${level} % percentile bootstrap interval over models (${b.resamples.toLocaleString('en')} resamples, seed ${b.seed ?? 0})`
    : `${level} % percentile bootstrap interval over models`;
}

function heatmapSpec(result: StoredStudyResult, labels: FigureLabels, symbol: string): TopLevelSpec {
  const values = heatmapCells(result, labels, symbol);
  const alpha = 0.05;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Benchmarks × robustness targets (${symbol})`,
      subtitle: [
        `${result.study}: ${symbol} of each benchmark with robust accuracy at each ε, over ${result.models.length} models.`,
        `Beneath each ${symbol}, in brackets: its ${bootstrapText(result)}.`,
        `* significant: Benjamini–Hochberg q ≤ ${alpha} per target; – undefined (too few models, or a constant column).`,
      ],
    },
    data: { values },
    facet: {
      row: {
        field: 'group',
        type: 'nominal',
        sort: GROUP_ORDER,
        header: { title: null, labelAngle: 0, labelAlign: 'left', labelOrient: 'left' },
      },
    },
    spacing: 6,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: { step: CELL_WIDTH },
      height: { step: CELL_HEIGHT },
      encoding: {
        x: {
          field: 'target',
          type: 'nominal',
          sort: { field: 'col' },
          axis: { title: null, orient: 'top', labelAngle: -35 },
        },
        y: {
          field: 'benchmark',
          type: 'nominal',
          sort: { field: 'order' },
          axis: { title: null },
        },
      },
      layer: [
        {
          // invalid: null draws an undefined cell too (white, by the condition), for its <title>.
          mark: { type: 'rect', stroke: 'white', strokeWidth: 2, invalid: null },
          encoding: {
            description: { field: 'description', type: 'nominal' },
            color: {
              condition: { test: 'datum.coefficient === null', value: 'white' },
              field: 'coefficient',
              type: 'quantitative',
              scale: { type: 'quantize', domain: [-1, 1], range: DIVERGING },
              legend: { title: symbol, format: '.2f' },
            },
          },
        },
        // The coefficient is centred in a cell without an interval and raised above it in one with.
        {
          transform: [{ filter: 'datum.ci === null' }],
          mark: { type: 'text', fontSize: 11, color: '#111', aria: false },
          encoding: { text: { field: 'text', type: 'nominal' } },
        },
        {
          transform: [{ filter: 'datum.ci !== null' }],
          mark: { type: 'text', fontSize: 11, color: '#111', dy: -6, aria: false },
          encoding: { text: { field: 'text', type: 'nominal' } },
        },
        {
          transform: [{ filter: 'datum.ci !== null' }],
          mark: { type: 'text', fontSize: 9, color: '#333', dy: 8, aria: false },
          encoding: { text: { field: 'ci', type: 'nominal' } },
        },
      ],
    },
    config,
  };
}

/**
 * The longest caption line of a scatter plot in characters: 80 of Inter at the subtitle's 11 px are
 * about 480 units as Vega estimates them (0.62 em a character, see render), the plot's width.
 */
const CAPTION_CHARS = 80;

/** Whisker colour: the points' blue, lighter, so that overlapping whiskers do not hide the points. */
const WHISKER = { color: '#0072B2', opacity: 0.55, strokeWidth: 1.5 };

function scatterSpec(
  points: StudyPoint[],
  row: CorrelationRow,
  title: string,
  caption: string[],
  xLabel: string,
  yLabel: string,
): TopLevelSpec {
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const line =
    row.slope !== null && row.intercept !== null
      ? [
          { x: lo, y: row.intercept + row.slope * lo },
          { x: hi, y: row.intercept + row.slope * hi },
        ]
      : [];
  const axis = (label: string) => ({
    title: label,
    format: '.2f',
    grid: true,
    gridOpacity: 0.3,
    gridDash: [3, 3],
  });
  const q = (field: string) => ({ field, type: 'quantitative' as const });
  // Vega reads flat fields: each interval's ends as xLow/xHigh and yLow/yHigh; `text` is a point's
  // and its whiskers' <title>: the model and its two values with their intervals.
  const iv = (ci: [number, number] | null) => (ci ? ` [${fmt(ci[0])}, ${fmt(ci[1])}]` : '');
  const described = points.map((p) => ({
    model: p.model,
    x: p.x,
    y: p.y,
    xLow: p.xCi?.[0] ?? null,
    xHigh: p.xCi?.[1] ?? null,
    yLow: p.yCi?.[0] ?? null,
    yHigh: p.yCi?.[1] ?? null,
    text: `${p.model}: ${xLabel} ${fmt(p.x)}${iv(p.xCi)}, ${yLabel} ${fmt(p.y)}${iv(p.yCi)}`,
  }));
  const text = { field: 'text', type: 'nominal' as const };
  const yWhiskers = described.filter((p) => p.yLow !== null);
  const xWhiskers = described.filter((p) => p.xLow !== null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: caption },
    width: 480,
    height: 300,
    // The whiskers share the points' scales, so an axis reaches the ends of the longest whisker.
    layer: [
      ...(yWhiskers.length
        ? [
            {
              name: 'whiskers_y',
              data: { values: yWhiskers },
              mark: { type: 'rule' as const, ...WHISKER },
              encoding: { x: q('x'), y: q('yLow'), y2: { field: 'yHigh' }, description: text },
            },
          ]
        : []),
      ...(xWhiskers.length
        ? [
            {
              name: 'whiskers_x',
              data: { values: xWhiskers },
              mark: { type: 'rule' as const, ...WHISKER },
              encoding: { y: q('y'), x: q('xLow'), x2: { field: 'xHigh' }, description: text },
            },
          ]
        : []),
      {
        name: 'points',
        data: { values: described },
        mark: { type: 'point', filled: true, size: 50, color: '#0072B2', opacity: 1 },
        encoding: {
          // 12 units of padding keep a point (and its whisker) at the end of a domain off the axis line.
          x: { ...q('x'), scale: { zero: false, padding: 12 }, axis: axis(xLabel) },
          y: { ...q('y'), scale: { zero: false, padding: 12 }, axis: axis(yLabel) },
          description: text,
        },
      },
      ...(line.length
        ? [
            {
              data: { values: line },
              mark: { type: 'line' as const, color: '#D55E00', strokeWidth: 2 },
              encoding: { x: q('x'), y: q('y') },
            },
          ]
        : []),
    ],
    config,
  };
}

/**
 * The figures of a study result: the heatmap, and for every target and aggregate the scatter plot
 * with its OLS line. A figure without enough to show is listed in `skipped` with the reason instead.
 */
export async function studyFigures(
  result: StoredStudyResult,
  labels: FigureLabels,
  opts: { symbol?: string } = {},
): Promise<{ figures: Figure[]; skipped: SkippedFigure[] }> {
  const method = String(result.provenance?.method ?? 'spearman');
  const symbol = opts.symbol ?? { spearman: 'ρ', pearson: 'r', kendall: 'τ' }[method] ?? method;
  const figures: Figure[] = [];
  const skipped: SkippedFigure[] = [];
  const base = stem(result.study);

  const heatName = `${base}-heatmap`;
  const defined = result.correlations.flatMap((c) => c.rows).filter((r) => r.coefficient !== null);
  if (defined.length === 0) {
    skipped.push({
      name: heatName,
      reason: `no benchmark has a defined ${symbol} (each has fewer models than the minimum n, or a constant column)`,
    });
  } else {
    const spec = heatmapSpec(result, labels, symbol);
    const title = `Benchmarks × robustness targets (${symbol})`;
    figures.push({
      name: heatName,
      kind: 'heatmap',
      title,
      caption: `${symbol} of each benchmark with robust accuracy at each ε; beneath each, in brackets, its ${bootstrapText(result)}; * Benjamini–Hochberg q ≤ 0.05`,
      ...(await render(spec)),
    });
  }

  for (const a of result.aggregates) {
    const name = `${base}-scatter-${stem(a.benchmark)}-${stem(a.target)}`;
    if (!result.values) {
      skipped.push({ name, reason: 'the result was stored without per-model values (run the study again)' });
      continue;
    }
    const points = studyPoints(result, a.benchmark, a.target);
    const row = result.correlations
      .find((c) => c.target === a.target)
      ?.rows.find((r) => r.benchmark === a.benchmark);
    if (points.length < MIN_SCATTER_POINTS || !row) {
      skipped.push({
        name,
        reason: `too few points: ${points.length} model(s) with both ${a.benchmark} and ${a.target} (a scatter plot needs at least ${MIN_SCATTER_POINTS})`,
      });
      continue;
    }
    const title = `${labels.label(a.benchmark)} against ${labels.label(a.target)}`;
    const caption = [
      `OLS y = ${fmt(row.intercept)} + ${fmt(row.slope)}·x, R² = ${fmt(a.r2)}, F = ${fmt(a.f, 2)} (p = ${fmtP(a.fP)}), n = ${a.n}.`,
      ...whiskerSentences(result, points, {
        x: { id: a.benchmark, label: labels.label(a.benchmark) },
        y: { id: a.target, label: labels.label(a.target) },
      }).flatMap((sentence) => wrapLine(sentence)),
    ];
    figures.push({
      name,
      kind: 'scatter',
      title,
      caption: caption.join(' '),
      ...(await render(
        scatterSpec(points, row, title, caption, labels.label(a.benchmark), labels.label(a.target)),
      )),
    });
  }
  return { figures, skipped };
}
