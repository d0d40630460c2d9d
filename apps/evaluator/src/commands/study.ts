/**
 * `alignscope study run|status|show|export`: a study (cohort x benchmarks x robustness settings x
 * analysis, see src/studies/definition.ts) planned, run to completion and analysed in one command.
 */
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CorrelationRow } from '@alignscope/analysis';
import { loadConfig } from '@alignscope/config';
import { getStudy, listStudies, studyRuns, updateStudy } from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { loadStudy } from '../studies/definition.ts';
import { runStudy, type StudyPlan, type StudyResult } from '../studies/run.ts';

async function out(text: string): Promise<void> {
  if (!process.stdout.write(`${text}\n`)) await once(process.stdout, 'drain');
}

const duration = (ms: number) =>
  ms < 60_000
    ? `${Math.round(ms / 1000)} s`
    : ms < 3_600_000
      ? `${(ms / 60_000).toFixed(1)} min`
      : `${(ms / 3_600_000).toFixed(1)} h`;

export function formatPlan(plan: StudyPlan): string {
  const lines = [
    `study ${plan.study}: ${plan.cohort.length} models x ${plan.benchmarks.length} benchmarks + ${plan.robustness.length} robustness (${plan.robustness.join(', ')})`,
    `  scores: ${plan.counts.current} current (reused), ${plan.counts.missing} to run, ${plan.counts.unavailable} unavailable here`,
    `  estimate: ${plan.estimateMs === null ? `unknown (never measured here: ${plan.unmeasured.join(', ')})` : duration(plan.estimateMs)}`,
  ];
  const missing = plan.scores.filter((s) => s.state === 'missing');
  const byModel = new Map<string, string[]>();
  for (const s of missing)
    byModel.set(s.model, [
      ...(byModel.get(s.model) ?? []),
      `${s.benchmark}${s.limit === null ? '' : ` (${s.limit} images)`}`,
    ]);
  for (const [m, bs] of byModel) lines.push(`  run ${m}: ${bs.join(', ')}`);
  const unavailable = new Map<string, number>();
  for (const s of plan.scores.filter((x) => x.state === 'unavailable')) {
    const k = `${s.benchmark}: ${s.reason}`;
    unavailable.set(k, (unavailable.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...unavailable].slice(0, 10)) lines.push(`  unavailable for ${n} model(s): ${k}`);
  if (unavailable.size > 10) lines.push(`  ... ${unavailable.size - 10} more unavailable benchmarks`);
  return lines.join('\n');
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));
const pv = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : v >= 0.001 ? v.toFixed(3) : v.toExponential(1);

export function formatResult(r: StudyResult): string {
  const lines = [`result of ${r.study} over ${r.models.length} models (computed ${r.computedAt})`];
  for (const c of r.correlations) {
    lines.push(`  target ${c.target}:`);
    const rows = [...c.rows].sort((a, b) => Math.abs(b.coefficient ?? 0) - Math.abs(a.coefficient ?? 0));
    for (const x of rows) {
      lines.push(
        `    ${x.benchmark}: n ${x.n}, coef ${f3(x.coefficient)}, p ${pv(x.pValue)}, q ${pv(x.qValue)}, CI [${f3(x.ciLow)}, ${f3(x.ciHigh)}], rank acc ${f3(x.rankingAccuracy)}, R2 ${f3(x.r2)}${x.partialCoefficient !== undefined ? `, partial ${f3(x.partialCoefficient)} (p ${pv(x.partialPValue)})` : ''}${x.reason ? ` (${x.reason})` : ''}`,
      );
    }
  }
  for (const p of r.predictor) {
    lines.push(
      `  predictor of ${p.target} from ${p.features.length} benchmarks: held-out ranking accuracy ${f3(p.result.heldOutRankingAccuracy)}, rho ${f3(p.result.heldOutSpearman)} (n ${p.result.n}, ${p.result.folds} folds)`,
    );
  }
  return lines.join('\n');
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const CORR_COLUMNS: (keyof CorrelationRow)[] = [
  'benchmark',
  'n',
  'coefficient',
  'pValue',
  'qValue',
  'ciLow',
  'ciHigh',
  'rankingAccuracy',
  'r2',
  'fStatistic',
  'fPValue',
  'slope',
  'intercept',
  'partialCoefficient',
  'partialPValue',
  'significant',
  'reason',
];

/** The result's tables as CSV files (correlations per target, aggregates, predictor); returns the paths. */
export function exportResult(r: StudyResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, header: string[], rows: unknown[][]) => {
    const f = path.join(dir, name);
    writeFileSync(f, `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`);
    files.push(f);
  };
  write(
    'correlations.csv',
    ['target', ...CORR_COLUMNS],
    r.correlations.flatMap((c) => c.rows.map((x) => [c.target, ...CORR_COLUMNS.map((k) => x[k])])),
  );
  write(
    'aggregates.csv',
    ['target', 'benchmark', 'n', 'r2', 'f', 'f_p'],
    r.aggregates.map((a) => [a.target, a.benchmark, a.n, a.r2, a.f, a.fP]),
  );
  write(
    'predictor.csv',
    ['target', 'features', 'n', 'folds', 'heldout_ranking_accuracy', 'heldout_spearman'],
    r.predictor.map((p) => [
      p.target,
      p.features.join(' '),
      p.result.n,
      p.result.folds,
      p.result.heldOutRankingAccuracy,
      p.result.heldOutSpearman,
    ]),
  );
  write(
    'predictions.csv',
    ['target', 'model', 'heldout_prediction'],
    r.predictor.flatMap((p) => r.models.map((m, i) => [p.target, m, p.result.predictions[i]])),
  );
  return files;
}

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < 1)
      throw new InputError(`${name} must be a positive integer, got "${v}"`);
    return n;
  };
}

export default function register(program: Command): void {
  const study = program
    .command('study')
    .description(
      'studies: a cohort x benchmarks x robustness settings x analysis, planned, run and analysed',
    );

  study
    .command('run')
    .description('validate and plan a study, run the missing scores, then compute and store its result')
    .argument(
      '<file|name>',
      'a study definition (JSON), or a shipped study: hoak2025, robustbench-linf, cifar10-zoo',
    )
    .option(
      '--limit <n>',
      'at most n images per benchmark (quick runs; scores made so are reused only by runs with the same limit)',
      positiveInt('--limit'),
    )
    .option('--dry-run', 'print the plan, run and store nothing')
    .option('--json', 'print the plan and result as JSON')
    .action(async (target: string, o: { limit?: number; dryRun?: boolean; json?: boolean }) => {
      const { definition } = loadStudy(target);
      const dataDir = loadConfig().dataDir;
      await withDb(async ({ db }) => {
        let studyId: number | null = null;
        const onSigint = () => {
          process.stderr.write(
            '\nalignscope: interrupted; finished scores are kept, run the study again to continue\n',
          );
          const done =
            studyId === null ? Promise.resolve() : updateStudy(db, studyId, { status: 'interrupted' });
          void done.finally(() => process.exit(130));
        };
        process.once('SIGINT', onSigint);
        let last = 0;
        try {
          const r = await runStudy(db, definition, {
            dataDir,
            ...(o.limit === undefined ? {} : { limit: o.limit }),
            dryRun: o.dryRun ?? false,
            events: {
              onPlan: (plan, s) => {
                studyId = s?.id ?? null;
                if (!o.json) void out(formatPlan(plan));
              },
              onTask: (e) =>
                process.stderr.write(`[${e.index + 1}/${e.total}] ${e.model}: ${e.benchmarks.join(', ')}\n`),
              onProgress: (e) => {
                const now = Date.now();
                if (now - last < 2000 && e.done < e.total) return;
                last = now;
                process.stderr.write(`    ${e.benchmark} ${e.phase} ${e.done}/${e.total}\n`);
              },
            },
          });
          if (o.json)
            await out(JSON.stringify({ study: r.plan.study, plan: r.plan, result: r.result }, null, 2));
          else if (r.result) await out(formatResult(r.result));
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      });
    });

  study
    .command('status')
    .description('stored studies: version, state and progress')
    .argument('[name]', 'one study')
    .action(async (name?: string) => {
      await withDb(async ({ db }) => {
        const rows = name ? [await getStudy(db, name)].filter((x) => x !== undefined) : await listStudies(db);
        if (name && rows.length === 0) throw new InputError(`no stored study "${name}" (run it first)`);
        if (rows.length === 0) return out('no studies (alignscope study run <file|name>)');
        for (const s of rows) {
          const p = s.progress as { tasksDone: number; tasks: number } | null;
          const runs = await studyRuns(db, `${s.name}@${s.version}`);
          await out(
            `${s.name}@${s.version}: ${s.status}${p ? `, ${p.tasksDone}/${p.tasks} evaluation tasks` : ''}, ${runs.length} runs${s.error ? `; error: ${s.error}` : ''}`,
          );
        }
      });
    });

  study
    .command('show')
    .description('a stored study: definition, plan and result')
    .argument('<name>', 'study name')
    .option('--version <n>', 'a given version (default: the latest)', positiveInt('--version'))
    .option('--json', 'print JSON')
    .action(async (name: string, o: { version?: number; json?: boolean }) => {
      await withDb(async ({ db }) => {
        const s = await getStudy(db, name, o.version);
        if (!s) throw new InputError(`no stored study "${name}"${o.version ? ` version ${o.version}` : ''}`);
        if (o.json) return out(JSON.stringify(s, null, 2));
        await out(`${s.name}@${s.version}: ${s.status}`);
        if (s.plan) await out(formatPlan(s.plan as StudyPlan));
        if (s.result) await out(formatResult(s.result as StudyResult));
      });
    });

  study
    .command('export')
    .description("a stored study's result tables as CSV files")
    .argument('<name>', 'study name')
    .requiredOption(
      '--out <dir>',
      'folder to write correlations.csv, aggregates.csv, predictor.csv, predictions.csv',
    )
    .action(async (name: string, o: { out: string }) => {
      await withDb(async ({ db }) => {
        const s = await getStudy(db, name);
        if (!s) throw new InputError(`no stored study "${name}"`);
        if (!s.result)
          throw new InputError(`study ${name}@${s.version} has no result yet (status ${s.status})`);
        for (const f of exportResult(s.result as StudyResult, o.out)) await out(f);
      });
    });
}
