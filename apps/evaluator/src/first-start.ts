/**
 * First start: when the database holds no scores, load the data bundle's public results (RobustBench,
 * the Brain-Score website fixtures, the Gavrikov & Keuper table with its shipped mapping) through the
 * ordinary importers, then apply the model-identity map, so that the board, the robustness view and the
 * correlation explorer answer the question on first open. A missing bundle is a one-line notice.
 *
 * A marker run (producer `alignscope first-start`) opens when the load begins and succeeds when it has
 * ended: a finished first start is never repeated (a second start never re-imports); an interrupted
 * one (the marker still running or failed) resumes on the next start, skipping every file already
 * imported (each file is one transaction, found again by its fingerprint) and importing the rest. A
 * database with scores and no marker (loaded by hand) is left alone.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@alignscope/db';
import { createRun, finishRun, importTableCounts, latestRunOf } from '@alignscope/db/queries';
import { brainscoreFixtures } from './importers/brainscore-fixtures.ts';
import { type Importer, type ImportOptions, runImport } from './importers/index.ts';
import { robustbench } from './importers/robustbench.ts';
import { table } from './importers/table.ts';
import { applyIdentityMap, loadIdentityMap } from './models/identity.ts';
import { VERSION } from './version.ts';

/** The producer of the first start's marker run. */
export const FIRST_START_PRODUCER = 'alignscope first-start';

type Step = { label: string; importer: Importer; path: string; options?: ImportOptions };

/** The bundle's public results, in import order (relative to the data directory). */
export function publicResultSteps(dataDir: string): Step[] {
  const pub = path.join(dataDir, 'public-results');
  return [
    { label: 'RobustBench', importer: robustbench, path: path.join(pub, 'robustbench/model_info') },
    { label: 'Brain-Score fixtures', importer: brainscoreFixtures, path: path.join(pub, 'brainscore-web') },
    {
      label: 'Gavrikov & Keuper 2024',
      importer: table,
      path: path.join(pub, 'biases-vs-generalization/benchmark.csv'),
      options: { mapping: 'gavrikov2024' },
    },
  ];
}

export type FirstStartResult =
  | { status: 'skipped'; reason: string }
  | { status: 'no-bundle'; missing: string[] }
  | {
      status: 'imported';
      scores: number;
      models: number;
      failed: string[];
      linked: number;
      /** Files skipped because an interrupted first start had imported them. */
      resumed: number;
    };

/** Writes one line per step (and per tenth of a long step) to `log`. */
export async function loadPublicResults(
  db: Database,
  opts: { dataDir: string; log?: (line: string) => void },
): Promise<FirstStartResult> {
  const log = opts.log ?? (() => {});
  const before = await importTableCounts(db);
  const marker = await latestRunOf(db, FIRST_START_PRODUCER);
  if (marker?.status === 'succeeded')
    return { status: 'skipped', reason: `the public results were loaded (run ${marker.id})` };
  if (!marker && before.scores > 0)
    return { status: 'skipped', reason: `the database already holds ${before.scores} scores` };
  const steps = publicResultSteps(opts.dataDir);
  const missing = steps.filter((s) => !existsSync(s.path)).map((s) => s.path);
  if (missing.length > 0) return { status: 'no-bundle', missing };
  if (marker) log(`first start: resuming the interrupted load of run ${marker.id}`);
  const run =
    marker ??
    (await createRun(db, {
      kind: 'import',
      producer: FIRST_START_PRODUCER,
      producerVersion: VERSION,
      configuration: { steps: steps.map((s) => path.relative(opts.dataDir, s.path)) },
    }));
  const failed: string[] = [];
  let resumed = 0;
  let i = 0;
  for (const step of steps) {
    i++;
    const prefix = `first start [${i}/${steps.length + 1}] ${step.label}`;
    log(`${prefix}: importing ${path.relative(opts.dataDir, step.path)}`);
    let lastTenth = 0;
    const summary = await runImport(db, step.importer, step.path, {
      ...step.options,
      skipImported: true,
      onProgress: (done, total) => {
        const tenth = Math.floor((done / total) * 10);
        if (total >= 20 && tenth > lastTenth && done < total) {
          lastTenth = tenth;
          log(`${prefix}: ${done}/${total} files`);
        }
      },
    });
    for (const f of summary.files) if (f.status === 'failed') failed.push(f.file);
    const skipped = summary.files.filter((f) => f.status === 'skipped').length;
    resumed += skipped;
    log(
      `${prefix}: ${summary.files.length} file(s)${skipped ? ` (${skipped} imported before)` : ''}, ${summary.models_created} models, ${summary.scores_created} scores${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
    );
  }
  log(`first start [${steps.length + 1}/${steps.length + 1}] model identity map`);
  const links = await applyIdentityMap(db, loadIdentityMap());
  const linked = links.reduce((n, l) => n + l.merged.length + l.aliased.length, 0);
  const after = await importTableCounts(db);
  log(
    `first start: ${after.models} models, ${after.scores} scores from the public results; ${linked} names linked across sources`,
  );
  await finishRun(db, run.id, {
    status: 'succeeded',
    artifacts: { scores: after.scores, models: after.models, linked, failed, resumedFiles: resumed },
  });
  return { status: 'imported', scores: after.scores, models: after.models, failed, linked, resumed };
}
