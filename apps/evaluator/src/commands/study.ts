/**
 * `alignscope study run|status|show|export`: a study (cohort x benchmarks x robustness settings x
 * analysis, see src/studies/definition.ts) planned, run to completion and analysed in one command.
 */
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STUDY_TABLES, type StoredStudyResult, studyCsv } from '@alignscope/analysis';
import { loadConfig } from '@alignscope/config';
import type { Database } from '@alignscope/db';
import {
  failedTasks,
  getStudy,
  listBenchmarks,
  listStudies,
  type StudyProgress,
  type StudyTaskFailure,
  studyProgress,
  studyRuns,
  studyTaskProgress,
} from '@alignscope/db/queries';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { loadStudy } from '../studies/definition.ts';
import { type FigureLabels, type SkippedFigure, studyFigures } from '../studies/figures.ts';
import {
  queueExecutor,
  runStudy,
  StudyInterrupted,
  type StudyPlan,
  type StudyResult,
  type StudyRunProgress,
} from '../studies/run.ts';

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

/** The result's tables as CSV files (analysis' studyCsv, the web's downloads too); returns the paths. */
export function exportResult(r: StoredStudyResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return STUDY_TABLES.map((table) => {
    const f = path.join(dir, `${table}.csv`);
    writeFileSync(f, studyCsv(r, table));
    return f;
  });
}

/** The labels the study page shows: each benchmark's display name and domain (its heatmap group). */
async function figureLabels(db: Database): Promise<FigureLabels> {
  const rows = new Map((await listBenchmarks(db)).map((b) => [b.identifier, b]));
  return {
    label: (id) => rows.get(id)?.displayName ?? id,
    domain: (id) => rows.get(id)?.domain ?? 'aggregate',
  };
}

/** The result's figures as SVG and PNG files in `dir`; returns the paths and the figures not drawn. */
export async function exportFigures(
  r: StoredStudyResult,
  labels: FigureLabels,
  dir: string,
): Promise<{
  figures: { name: string; title: string; svg: string; png: string }[];
  skipped: SkippedFigure[];
}> {
  mkdirSync(dir, { recursive: true });
  const { figures, skipped } = await studyFigures(r, labels);
  return {
    figures: figures.map((f) => {
      const svg = path.join(dir, `${f.name}.svg`);
      const png = path.join(dir, `${f.name}.png`);
      writeFileSync(svg, f.svg);
      writeFileSync(png, f.png);
      return { name: f.name, title: f.title, svg, png };
    }),
    skipped,
  };
}

const pct = (f: number) => `${Math.floor(f * 100)}%`;

/** One failed planned score: model, benchmark (image limit), state and error. */
export const formatFailure = (f: StudyTaskFailure) =>
  `${f.model} ${f.benchmark}${f.limit === null ? '' : ` (${f.limit} images)`}: ${f.state}${f.error ? `: ${f.error}` : ''}`;

/** One line for a study's jobs: share done and the count per state. */
export function formatJobs(p: StudyProgress): string {
  const ended = p.states.succeeded + p.states.failed + p.states.cancelled;
  const states = (['running', 'queued', 'failed', 'cancelled'] as const)
    .filter((k) => p.states[k] > 0)
    .map((k) => `${p.states[k]} ${k}`);
  return `${pct(p.fraction)} of ${p.jobs} jobs (${[`${ended} ended`, ...states].join(', ')})`;
}

const formatModel = (m: StudyProgress['models'][number]) =>
  `${m.model}: ${m.succeeded}/${m.jobs} jobs done${m.failed > 0 ? `, ${m.failed} failed` : ''} (${pct(m.fraction)})`;

/**
 * The progress of a running study on stderr: on a terminal, a bar for the whole and one per running
 * job (model, benchmark, stage); otherwise a line when something changes (at most every 5 s), and a
 * line per model when its jobs have all ended.
 */
function progressView(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let multi: MultiBar | undefined;
  let overall: SingleBar | undefined;
  const jobBars = new Map<number, SingleBar>();
  const modelsDone = new Set<string>();
  let lastLine = '';
  let lastAt = 0;
  return {
    log(line: string) {
      if (multi) multi.log(`${line}\n`);
      else if (!tty) stream.write(`${line}\n`);
    },
    update(p: StudyRunProgress) {
      for (const m of p.models) {
        if (m.succeeded + m.failed === m.jobs && !modelsDone.has(m.model)) {
          modelsDone.add(m.model);
          this.log(formatModel(m));
        }
      }
      const local =
        p.inProcess.total > 0
          ? `; in process ${p.inProcess.done}/${p.inProcess.total}${p.inProcess.current ? ` (${p.inProcess.current})` : ''}`
          : '';
      if (!tty) {
        const running = p.running
          .map((r) => `${r.model} ${r.benchmark} ${r.stage ?? ''} ${pct(r.fraction)}`)
          .join('; ');
        const line = `study: ${formatJobs(p)}${running ? `; running: ${running}` : ''}${local}`;
        if (line !== lastLine && (Date.now() - lastAt > 5000 || p.settled)) {
          stream.write(`${line}\n`);
          lastLine = line;
          lastAt = Date.now();
        }
        return;
      }
      if (!multi) {
        multi = new MultiBar(
          { stream, hideCursor: true, clearOnComplete: true, format: '{label} [{bar}] {info}' },
          Presets.shades_classic,
        );
        overall = multi.create(1000, 0, { label: 'study', info: '' });
      }
      overall?.update(Math.round(p.fraction * 1000), { label: 'study', info: `${formatJobs(p)}${local}` });
      const live = new Set(p.running.map((r) => r.jobId));
      for (const [id, bar] of jobBars) {
        if (!live.has(id)) {
          multi.remove(bar);
          jobBars.delete(id);
        }
      }
      for (const r of p.running) {
        const payload = {
          label: `  ${r.model} ${r.benchmark}`,
          info: `${pct(r.fraction)} ${r.stage ?? ''}${r.etaSeconds === null ? '' : `, ${r.etaSeconds} s left`}`,
        };
        const bar = jobBars.get(r.jobId);
        if (bar) bar.update(Math.round(r.fraction * 1000), payload);
        else jobBars.set(r.jobId, multi.create(1000, Math.round(r.fraction * 1000), payload));
      }
    },
    stop() {
      multi?.stop();
      multi = undefined;
    },
  };
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
    .description(
      'validate and plan a study, enqueue the missing scores as evaluation jobs, show their progress, then compute and store its result (exit status 3 when some scores failed: the result covers the others, a re-run retries them)',
    )
    .argument(
      '<file|name>',
      'a study definition (YAML or JSON), or a shipped study: hoak2025, robustbench-linf, cifar10-zoo',
    )
    .option(
      '--limit <n>',
      'at most n images per benchmark (quick runs; scores made so are reused only by runs with the same limit)',
      positiveInt('--limit'),
    )
    .option('--dry-run', 'print the plan, run and store nothing')
    .option(
      '--no-worker',
      'do not start an evaluator worker in this process: enqueue the jobs and wait for the running workers (alignscope worker, npm start)',
    )
    .option('--json', 'print the plan and result as JSON')
    .action(
      async (target: string, o: { limit?: number; dryRun?: boolean; json?: boolean; worker: boolean }) => {
        const { definition } = loadStudy(target);
        const dataDir = loadConfig().dataDir;
        await withDb(async ({ db, url }) => {
          // Ctrl-C: stop waiting, give the running job back with its checkpoint, mark the study
          // interrupted; a second Ctrl-C exits at once.
          const controller = new AbortController();
          const onSigint = () => {
            if (controller.signal.aborted) process.exit(130);
            process.stderr.write('\nalignscope: interrupting (finished scores are kept)...\n');
            controller.abort();
          };
          process.on('SIGINT', onSigint);
          const view = progressView(process.stderr);
          try {
            const r = await runStudy(db, definition, {
              dataDir,
              ...(o.limit === undefined ? {} : { limit: o.limit }),
              dryRun: o.dryRun ?? false,
              executor: queueExecutor({
                dataDir,
                embeddedWorker: o.worker
                  ? { connectionString: url, log: (l) => view.log(`worker: ${l}`) }
                  : null,
              }),
              signal: controller.signal,
              events: {
                onPlan: (plan) => {
                  if (!o.json) void out(formatPlan(plan));
                  if (!o.dryRun && !o.worker && plan.counts.missing > 0)
                    process.stderr.write(
                      'alignscope: jobs enqueued; waiting for the running evaluator workers (alignscope worker, npm start)\n',
                    );
                },
                onProgress: (p) => view.update(p),
              },
            });
            view.stop();
            if (o.json)
              await out(
                JSON.stringify(
                  {
                    study: r.plan.study,
                    status: r.study?.status ?? null,
                    plan: r.plan,
                    result: r.result,
                    failures: r.failures,
                  },
                  null,
                  2,
                ),
              );
            else if (r.result) await out(formatResult(r.result));
            if (r.failures.length > 0) {
              // A result over the scores that succeeded; the failed ones are retried by a re-run.
              process.stderr.write(
                `alignscope: study ${r.plan.study} done with failures: ${r.failures.length} planned score(s) failed and are left out of the result:\n${r.failures
                  .map((f) => `  ${formatFailure(f)}\n`)
                  .join('')}alignscope: run the study again to retry them\n`,
              );
              process.exitCode = 3;
            }
          } catch (e) {
            view.stop();
            if (e instanceof StudyInterrupted) {
              process.stderr.write(
                'alignscope: interrupted; finished scores are kept, run the study again to continue\n',
              );
              process.exitCode = 130;
              return;
            }
            throw e;
          } finally {
            process.removeListener('SIGINT', onSigint);
          }
        });
      },
    );

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
          const p = await studyProgress(db, s.id);
          const runs = await studyRuns(db, `${s.name}@${s.version}`);
          const failures = failedTasks(await studyTaskProgress(db, s));
          await out(
            `${s.name}@${s.version}: ${s.status}, ${formatJobs(p)}, ${runs.length} runs${failures.length > 0 ? `, ${failures.length} failed scores` : ''}${s.error && failures.length === 0 ? `; error: ${s.error}` : ''}`,
          );
          if (name) for (const m of p.models) await out(`  ${formatModel(m)}`);
          for (const f of failures) await out(`  failed: ${formatFailure(f)}`);
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
        const failures = failedTasks(await studyTaskProgress(db, s));
        if (o.json) return out(JSON.stringify({ ...s, failures }, null, 2));
        await out(`${s.name}@${s.version}: ${s.status}`);
        if (s.plan) await out(formatPlan(s.plan as StudyPlan));
        if (s.result) await out(formatResult(s.result as StudyResult));
        for (const f of failures) await out(`  failed: ${formatFailure(f)}`);
      });
    });

  study
    .command('export')
    .description(
      "a stored study's result as files for a paper: the CSV tables and the figures (heatmap, the aggregates' scatter plots) as SVG and PNG",
    )
    .argument('<name>', 'study name')
    .requiredOption(
      '--out <dir>',
      `folder to write to (${STUDY_TABLES.map((t) => `${t}.csv`).join(', ')}, <study>-heatmap.svg|png, <study>-scatter-<aggregate>-<target>.svg|png)`,
    )
    .option('--json', 'print the files written (and the figures not drawn, with the reason) as JSON')
    .action(async (name: string, o: { out: string; json?: boolean }) => {
      await withDb(async ({ db }) => {
        const s = await getStudy(db, name);
        if (!s) throw new InputError(`no stored study "${name}"`);
        if (!s.result)
          throw new InputError(`study ${name}@${s.version} has no result yet (status ${s.status})`);
        const result = s.result as StoredStudyResult;
        const tables = exportResult(result, o.out);
        const { figures, skipped } = await exportFigures(result, await figureLabels(db), o.out);
        if (o.json)
          return out(JSON.stringify({ study: `${s.name}@${s.version}`, tables, figures, skipped }, null, 2));
        for (const f of [...tables, ...figures.flatMap((x) => [x.svg, x.png])]) await out(f);
        for (const x of skipped) process.stderr.write(`alignscope: ${x.name} not drawn: ${x.reason}\n`);
      });
    });
}
