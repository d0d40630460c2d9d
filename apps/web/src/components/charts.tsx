'use client';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { DOMAIN_COLOR } from '../format.ts';

const AXIS = { stroke: 'currentColor', fontSize: 12 };
const LINE_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

/** Histogram of a benchmark's scores over all models. */
export function Histogram({ bins }: { bins: { label: string; count: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={bins} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis
          dataKey="label"
          tick={AXIS}
          label={{ value: 'score', position: 'insideBottom', offset: -12, fill: 'currentColor' }}
        />
        <YAxis
          allowDecimals={false}
          tick={AXIS}
          label={{ value: 'models', angle: -90, position: 'insideLeft', fill: 'currentColor' }}
        />
        <Tooltip />
        <Bar dataKey="count" fill="#0072B2" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** `xCi`/`yCi`: the scores' uncertainty intervals, drawn as whiskers when known. */
export type ScatterPoint = {
  x: number;
  y: number;
  model: string;
  xCi?: [number, number] | null;
  yCi?: [number, number] | null;
};

/** ErrorBar's distances below and above a value for its interval ([0, 0] without one). */
const whisker = (v: number, ci: [number, number] | null | undefined): [number, number] =>
  ci ? [Math.max(0, v - ci[0]), Math.max(0, ci[1] - v)] : [0, 0];

function NoDot() {
  return null;
}

/** Models as points (x: a benchmark, y: a robustness benchmark) with the OLS line. */
export function ScatterFit({
  points,
  slope,
  intercept,
  xLabel,
  yLabel,
}: {
  points: ScatterPoint[];
  slope: number | null;
  intercept: number | null;
  xLabel: string;
  yLabel: string;
}) {
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const fit =
    slope !== null && intercept !== null && points.length > 1
      ? [
          { x: lo, y: intercept + slope * lo, model: 'fit' },
          { x: hi, y: intercept + slope * hi, model: 'fit' },
        ]
      : [];
  return (
    <ResponsiveContainer width="100%" height={300}>
      <ScatterChart margin={{ top: 8, right: 16, bottom: 28, left: 12 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis
          type="number"
          dataKey="x"
          name={xLabel}
          domain={['auto', 'auto']}
          tick={AXIS}
          tickFormatter={(v: number) => v.toFixed(2)}
          label={{ value: xLabel, position: 'insideBottom', offset: -16, fill: 'currentColor' }}
        />
        <YAxis
          type="number"
          dataKey="y"
          name={yLabel}
          domain={['auto', 'auto']}
          tick={AXIS}
          tickFormatter={(v: number) => v.toFixed(2)}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: 'currentColor' }}
        />
        <Tooltip cursor={{ strokeDasharray: '3 3' }} />
        <Scatter
          name="models"
          data={points.map((p) => ({ ...p, xErr: whisker(p.x, p.xCi), yErr: whisker(p.y, p.yCi) }))}
          fill="#0072B2"
          isAnimationActive={false}
        >
          {points.some((p) => p.xCi) ? (
            <ErrorBar dataKey="xErr" direction="x" width={3} stroke="#0072B2" strokeOpacity={0.6} />
          ) : null}
          {points.some((p) => p.yCi) ? (
            <ErrorBar dataKey="yErr" direction="y" width={3} stroke="#0072B2" strokeOpacity={0.6} />
          ) : null}
        </Scatter>
        {fit.length ? (
          <Scatter
            name="OLS fit"
            data={fit}
            line={{ stroke: '#D55E00', strokeWidth: 2 }}
            shape={NoDot}
            legendType="none"
            isAnimationActive={false}
          />
        ) : null}
      </ScatterChart>
    </ResponsiveContainer>
  );
}

export type CoefficientBar = {
  benchmark: string;
  label: string;
  domain: string;
  coefficient: number;
  ciLow: number | null;
  ciHigh: number | null;
};

/** All benchmarks' coefficients, ranked, with their bootstrap confidence intervals, coloured by domain. */
export function CoefficientChart({ bars, method }: { bars: CoefficientBar[]; method: string }) {
  const data = bars.map((b) => ({
    ...b,
    err:
      b.ciLow !== null && b.ciHigh !== null
        ? [Math.max(0, b.coefficient - b.ciLow), Math.max(0, b.ciHigh - b.coefficient)]
        : [0, 0],
  }));
  const domains = [...new Set(bars.map((b) => b.domain))];
  return (
    <>
      <div className="legend">
        {domains.map((d) => (
          <span key={d} className="legend-item">
            <span className="swatch" style={{ background: DOMAIN_COLOR[d] ?? '#888' }} aria-hidden="true" />{' '}
            {d}
          </span>
        ))}
      </div>
      <ResponsiveContainer width="100%" height={Math.max(160, 26 * data.length + 60)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis
            type="number"
            domain={[-1, 1]}
            ticks={[-1, -0.5, 0, 0.5, 1]}
            tick={AXIS}
            label={{ value: method, position: 'insideBottom', offset: -12, fill: 'currentColor' }}
          />
          <YAxis type="category" dataKey="label" width={230} tick={{ ...AXIS, fontSize: 11 }} interval={0} />
          <ReferenceLine x={0} stroke="currentColor" />
          <Tooltip />
          <Bar dataKey="coefficient" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.benchmark} fill={DOMAIN_COLOR[d.domain] ?? '#888'} />
            ))}
            <ErrorBar dataKey="err" width={4} stroke="currentColor" direction="x" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </>
  );
}

export type Curve = {
  name: string;
  /** `interval`: the score's uncertainty interval (Clopper-Pearson for robust accuracies), when known. */
  points: { eps: number; epsLabel: string; value: number; interval?: [number, number] | null }[];
};

/** Robust accuracy against eps, one line per attack profile (log-scaled eps), with interval whiskers. */
export function RobustnessCurves({ curves }: { curves: Curve[] }) {
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart margin={{ top: 8, right: 24, bottom: 28, left: 12 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis
          type="number"
          dataKey="eps"
          scale="log"
          domain={['auto', 'auto']}
          tick={AXIS}
          tickFormatter={(v: number) => (v * 255).toPrecision(2)}
          label={{ value: 'ε (×1/255)', position: 'insideBottom', offset: -16, fill: 'currentColor' }}
          allowDuplicatedCategory={false}
        />
        <YAxis
          type="number"
          domain={[0, 1]}
          tick={AXIS}
          label={{ value: 'robust accuracy', angle: -90, position: 'insideLeft', fill: 'currentColor' }}
        />
        <Tooltip />
        <Legend verticalAlign="top" />
        {curves.map((c, i) => (
          <Line
            key={c.name}
            name={c.name}
            data={c.points.map((p) => ({
              ...p,
              // ErrorBar takes the distances below and above the value.
              err: p.interval
                ? [Math.max(0, p.value - p.interval[0]), Math.max(0, p.interval[1] - p.value)]
                : [0, 0],
            }))}
            dataKey="value"
            stroke={LINE_COLORS[i % LINE_COLORS.length]}
            strokeWidth={2}
            isAnimationActive={false}
          >
            <ErrorBar dataKey="err" width={4} stroke={LINE_COLORS[i % LINE_COLORS.length]} direction="y" />
          </Line>
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
