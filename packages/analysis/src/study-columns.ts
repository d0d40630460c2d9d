/**
 * A stored study result's analysed table, column by column: each column's identifier, what it is in
 * the analysis (its roles), the interval methods recorded for it, and per model of the result's
 * `models` the value and the interval stored with it. The reading of `values`, `intervals` and
 * `intervalMethods` that the GraphQL API serves (`Study.result.columns`).
 */
import type { StoredStudyResult } from './types.ts';

/**
 * What a column is in the analysis. A column can hold several roles (e.g. a study's covariate that is
 * also one of its benchmarks, or a shape-bias leaf also reported as an aggregate).
 */
export type StudyColumnRole = 'target' | 'benchmark' | 'aggregate' | 'covariate';

export type StudyColumn = {
  benchmark: string;
  /** In the order target, benchmark, aggregate, covariate. */
  roles: StudyColumnRole[];
  /** One per model of the result's `models` (null: no value). */
  values: (number | null)[];
  /** One per model of `models`: the interval stored with the value (null: none stored). */
  intervals: ([number, number] | null)[];
  /** How the column's intervals were computed (empty when none is stored). */
  intervalMethods: string[];
};

const ROLE_ORDER: readonly StudyColumnRole[] = ['target', 'benchmark', 'aggregate', 'covariate'];

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The result's columns, or null for a result stored before the analysed values were kept (no
 * `values`). Roles come from the result itself: `target` (a robustness target: a correlation table's
 * target), `aggregate` (a row of `aggregates`), `covariate` (`provenance.covariate`); `benchmark` for a
 * column of `benchmarks` (the alignment leaves of the plan the result was computed from) and for any
 * column with no other role. Order: targets as the correlation tables list them, then benchmarks in
 * the order of `benchmarks` (others by identifier), aggregates, the covariate; each column once, where
 * its first role puts it. A result stored before intervals were kept has every interval null.
 */
export function studyColumns(
  result: StoredStudyResult,
  context: { benchmarks?: readonly string[] } = {},
): StudyColumn[] | null {
  const values = result.values;
  if (!values || typeof values !== 'object') return null;
  const targets = result.correlations.map((c) => c.target);
  const aggregates = result.aggregates.map((a) => a.benchmark);
  const covariate = result.provenance?.covariate;
  const planned = new Set(context.benchmarks ?? []);
  const rolesOf = (id: string): StudyColumnRole[] => {
    const roles = new Set<StudyColumnRole>();
    if (targets.includes(id)) roles.add('target');
    if (aggregates.includes(id)) roles.add('aggregate');
    if (id === covariate) roles.add('covariate');
    if (planned.has(id) || roles.size === 0) roles.add('benchmark');
    return ROLE_ORDER.filter((r) => roles.has(r));
  };
  const present = Object.keys(values);
  const rank = (list: readonly string[]) => (id: string) => {
    const i = list.indexOf(id);
    return i < 0 ? list.length : i;
  };
  // Within a role, the order of the list that names its columns (benchmarks outside the plan last).
  const within: Record<StudyColumnRole, (id: string) => number> = {
    target: rank(targets),
    benchmark: rank(context.benchmarks ?? []),
    aggregate: rank(aggregates),
    covariate: () => 0,
  };
  const ordered = present
    .map((id) => ({ id, roles: rolesOf(id) }))
    .sort((a, b) => {
      const ra = a.roles[0] as StudyColumnRole;
      const rb = b.roles[0] as StudyColumnRole;
      return (
        ROLE_ORDER.indexOf(ra) - ROLE_ORDER.indexOf(rb) ||
        within[ra](a.id) - within[rb](b.id) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      );
    });
  return ordered.map(({ id, roles }) => {
    const col = values[id] ?? [];
    const iv = result.intervals?.[id];
    return {
      benchmark: id,
      roles,
      values: result.models.map((_, i) => {
        const v = col[i];
        return finite(v) ? v : null;
      }),
      intervals: result.models.map((_, i) => {
        const x = iv?.[i];
        return Array.isArray(x) && finite(x[0]) && finite(x[1]) ? [x[0], x[1]] : null;
      }),
      intervalMethods: [...(result.intervalMethods?.[id] ?? [])],
    };
  });
}
