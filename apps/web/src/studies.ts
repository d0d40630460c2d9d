import 'server-only';
import {
  cohortScores,
  getStudyById,
  listStudySummaries,
  type Study,
  type StudySummary,
} from '@alignscope/db/queries';
import { getDb } from './db.ts';
import { parseStudyResult, type StudyResultView } from './study-result.ts';

/** A study by the id in a URL segment (a positive integer), with its parsed result. */
export async function loadStudy(
  idParam: string | undefined,
): Promise<{ study: Study; result: StudyResultView | null } | null> {
  if (!idParam || !/^[1-9][0-9]{0,9}$/.test(idParam)) return null;
  const id = Number(idParam);
  if (id > 2 ** 31 - 1) return null;
  const { db } = await getDb();
  const study = await getStudyById(db, id);
  return study ? { study, result: parseStudyResult(study.result) } : null;
}

/** `name@version`, as runs and results name a study. */
export const studyTag = (s: Pick<Study, 'name' | 'version'>) => `${s.name}@${s.version}`;

/** Studies that are still working: the page refreshes itself while one is shown. */
export const ACTIVE_STATES = new Set(['planned', 'running']);

/** Per benchmark, the widths of the cohort models' own stored 95 % intervals (scores that carry one). */
export async function cohortCiWidths(models: string[], benchmarks: string[]): Promise<Map<string, number[]>> {
  const { db } = await getDb();
  const out = new Map<string, number[]>();
  for (const s of await cohortScores(db, models, benchmarks)) {
    if (s.ciLow === null || s.ciHigh === null) continue;
    out.set(s.benchmark, [...(out.get(s.benchmark) ?? []), s.ciHigh - s.ciLow]);
  }
  return out;
}

/** States of a study with a stored result (done_with_failures: over the scores that succeeded). */
export const RESULT_STATES = new Set(['computed', 'done_with_failures']);

/** The studies with a computed result (for the explorer's study selector; progress not read). */
export async function computedStudies(): Promise<StudySummary[]> {
  const { db } = await getDb();
  return (await listStudySummaries(db, { progress: false })).filter((s) => RESULT_STATES.has(s.status));
}
