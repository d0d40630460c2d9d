/**
 * A study result's scatter-plot points and what their whiskers are: the one reading of the stored
 * result's `values` and `intervals` that the study page and `alignscope study export` both draw, and
 * the sentence both print under the plot.
 */
import type { StoredStudyResult } from './types.ts';

/** A model's two values, each with the interval stored with it (null: none stored). */
export type StudyPoint = {
  model: string;
  x: number;
  y: number;
  xCi: [number, number] | null;
  yCi: [number, number] | null;
};

/** The models with values of both columns `x` and `y`, in model order (none without stored values). */
export function studyPoints(result: StoredStudyResult, x: string, y: string): StudyPoint[] {
  const values = result.values;
  if (!values) return [];
  return result.models.flatMap((model, i) => {
    const xv = values[x]?.[i] ?? null;
    const yv = values[y]?.[i] ?? null;
    if (xv === null || yv === null) return [];
    return [
      {
        model,
        x: xv,
        y: yv,
        xCi: result.intervals?.[x]?.[i] ?? null,
        yCi: result.intervals?.[y]?.[i] ?? null,
      },
    ];
  });
}

/**
 * What a scatter plot's whiskers are, one sentence per axis with any: the interval stored with each
 * model's value, the methods the result records for that column, and on how many of the points.
 * Empty when no point has one.
 */
export function whiskerSentences(
  result: StoredStudyResult,
  points: readonly StudyPoint[],
  axes: { x: { id: string; label: string }; y: { id: string; label: string } },
): string[] {
  return (['x', 'y'] as const).flatMap((axis) => {
    const n = points.filter((p) => (axis === 'x' ? p.xCi : p.yCi) !== null).length;
    if (n === 0) return [];
    const { id, label } = axes[axis];
    const methods = result.intervalMethods?.[id]?.join('; ') ?? 'method not recorded';
    const others = n < points.length ? '; the others have none stored' : '';
    return [
      `${axis === 'y' ? 'Vertical' : 'Horizontal'} whiskers: the interval stored with each model's ${label} (${methods}), on ${n} of ${points.length} models${others}.`,
    ];
  });
}
