import { once } from 'node:events';
import {
  addModelAlias,
  getModel,
  listModelAliases,
  listModels,
  listScores,
  mergeModels,
  modelsWithoutBlob,
  resolveModel,
} from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { addModel } from '../models/add.ts';
import { loadCard } from '../models/card.ts';
import {
  applyIdentityMap,
  IDENTITY_MAP_FILE,
  type IdentityMap,
  type LinkOutcome,
  loadIdentityMap,
  suggestLinks,
} from '../models/identity.ts';
import { closeModels } from '../models/session.ts';
import { backfillModelStore } from '../models/store.ts';

export default function register(program: Command): void {
  const models = program
    .command('models')
    .description('register and inspect models (ONNX file + model card)');

  models
    .command('add')
    .description('check an ONNX model against its card, copy it to the model store and register it')
    .argument('<file.onnx>', 'the ONNX classifier')
    .requiredOption('--card <card.json>', 'its model card')
    .option('--threads <n>', 'onnxruntime threads for the check')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { card: string; threads?: string; json?: boolean }) => {
      const card = loadCard(o.card);
      const threads = o.threads === undefined ? undefined : Number(o.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
        throw new InputError(`--threads must be a positive integer, got "${o.threads}"`);
      }
      try {
        const added = await withDb(({ db }) => addModel(db, file, card, { threads }));
        if (!added.ok) throw new Error('models add: an operator registration cannot be refused');
        const out = added.model;
        if (o.json) console.log(JSON.stringify(out, null, 2));
        else {
          console.log(
            `${out.created ? 'registered' : 'updated'} ${out.identifier}: ${out.bytes} bytes, sha256 ${out.sha256}`,
          );
          console.log(
            `  input [N, ${card.inputShape.join(', ')}], output [N, ${out.dummyOutputShape[1]}] (${out.labelSpace}); stored at ${out.store}`,
          );
        }
      } finally {
        await closeModels();
      }
    });

  models
    .command('store')
    .description(
      "copy into the database's model store the ONNX files of models registered before it existed, so that workers on any machine can run them",
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const report = await withDb(async ({ db }) => backfillModelStore(db, await modelsWithoutBlob(db)));
      if (o.json) console.log(JSON.stringify(report, null, 2));
      else if (report.length === 0)
        console.log("every registered ONNX file is in the database's model store");
      else {
        for (const r of report) {
          const what = {
            stored: 'stored',
            missing: 'NOT stored: no file of this hash on this machine (run this where the model was added)',
            mismatch: 'NOT stored: the file here has another sha256',
          }[r.outcome];
          console.log(`${r.identifier} (sha256 ${r.sha256}): ${what}`);
        }
      }
      if (report.some((r) => r.outcome !== 'stored')) process.exitCode = 1;
    });

  models
    .command('list')
    .description('list registered models')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const rows = await listModels(db);
        if (o.json) {
          return console.log(
            JSON.stringify(
              rows.map((m) => ({
                identifier: m.identifier,
                displayName: m.displayName,
                family: m.family,
                trainingRegime: m.trainingRegime,
                onnxSha256: m.onnxSha256,
              })),
              null,
              2,
            ),
          );
        }
        if (rows.length === 0)
          return console.log(
            'no models (register one with `alignscope models add <file.onnx> --card <card.json>`)',
          );
        console.log(['identifier', 'name', 'family', 'regime', 'onnx'].join('\t'));
        for (const m of rows) {
          console.log(
            [
              m.identifier,
              m.displayName,
              m.family ?? '-',
              m.trainingRegime ?? '-',
              m.onnxSha256 ? m.onnxSha256.slice(0, 12) : '-',
            ].join('\t'),
          );
        }
      });
    });

  models
    .command('show')
    .description('show a model: card, file, aliases and scores')
    .argument('<id>', 'identifier or alias')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const m = await resolveModel(db, id);
        if (!m) throw new InputError(`unknown model "${id}"`);
        const aliases = await listModelAliases(db, m.id);
        const scores = await listScores(db, { model: m.identifier });
        if (o.json) return console.log(JSON.stringify({ ...m, aliases, scores }, null, 2));
        console.log(`${m.identifier}: ${m.displayName}`);
        for (const [k, v] of [
          ['architecture', m.architecture],
          ['family', m.family],
          ['training', [m.trainingRegime, m.trainingData].filter(Boolean).join('; ')],
          ['parameters', m.parameters],
          ['source', m.source],
          ['license', m.license],
          ['onnx', m.onnxSha256 ? `${m.onnxPath} (${m.onnxBytes} bytes, sha256 ${m.onnxSha256})` : null],
          ['aliases', aliases.join(', ')],
        ] as const) {
          if (v !== null && v !== undefined && v !== '') console.log(`  ${k.padEnd(13)}${v}`);
        }
        if (scores.length === 0) return console.log('  no scores');
        console.log('  scores:');
        for (const s of scores) {
          const val =
            s.status === 'scored'
              ? `raw ${s.rawValue?.toFixed(4) ?? '-'} ceiled ${s.ceiledValue?.toFixed(4) ?? '-'}`
              : s.status;
          console.log(
            `    ${s.benchmark} v${s.benchmarkVersion}: ${val}${s.runId ? ` (run ${s.runId})` : ''}`,
          );
        }
      });
    });

  models
    .command('alias')
    .description(
      'give a model another name (e.g. the name another source uses); when that name is itself a model, --merge folds it into this one (one network, two names)',
    )
    .argument('<id>', 'model identifier')
    .argument('<alias>', 'the other name')
    .option('--source <source>', 'where the alias comes from')
    .option('--evidence <text>', 'why the two names are one network (kept with the alias)')
    .option('--merge', 'the alias is an existing model: move its scores and runs here and delete it')
    .action(async (id: string, alias: string, o: { source?: string; evidence?: string; merge?: boolean }) => {
      if (!alias.trim()) throw new InputError('alias must not be empty');
      await withDb(async ({ db }) => {
        const other = await getModel(db, alias);
        if (other && !o.merge) {
          const n = (await listScores(db, { model: alias })).length;
          throw new InputError(
            `${alias} is a model with ${n} score${n === 1 ? '' : 's'}: pass --merge (with --evidence) to fold it into ${id}`,
          );
        }
        try {
          if (other) {
            const r = await mergeModels(db, {
              into: id,
              from: alias,
              source: o.source ?? 'alignscope models alias',
              evidence: o.evidence ?? null,
            });
            console.log(
              `${alias} merged into ${id}: ${r.movedScores} scores moved, ${r.droppedScores.length} kept from ${id} (the other values are recorded with the alias), ${r.movedAliases} aliases moved`,
            );
            return;
          }
          await addModelAlias(db, {
            model: id,
            alias,
            source: o.source,
            ...(o.evidence ? { evidence: o.evidence } : {}),
          });
        } catch (e) {
          throw new InputError((e as Error).message);
        }
        console.log(`${alias} -> ${id}`);
      });
    });

  models
    .command('link')
    .description(
      'apply the shipped model-identity map (names of the public sources that are one network, with evidence), or with --suggest list further candidate links without applying them',
    )
    .option(
      '--suggest',
      'list candidate links with their evidence; apply one with `models alias <a> <b> --merge`',
    )
    .option('--map <file>', 'another identity map file (default: the shipped mappings/model-identity.json)')
    .option('--max-top1-gap <fraction>', 'largest ImageNet top-1 difference for a suggestion', '0.005')
    .option('--json', 'print JSON')
    .action(async (o: { suggest?: boolean; map?: string; maxTop1Gap: string; json?: boolean }) => {
      let map: IdentityMap;
      try {
        map = loadIdentityMap(o.map ?? IDENTITY_MAP_FILE);
      } catch (e) {
        throw new InputError((e as Error).message);
      }
      const gap = Number(o.maxTop1Gap);
      if (!(gap >= 0 && gap <= 1))
        throw new InputError(`--max-top1-gap must be in [0, 1], got "${o.maxTop1Gap}"`);
      await withDb(async ({ db }) => {
        if (o.suggest) {
          const list = await suggestLinks(db, map, { maxTop1Gap: gap });
          if (o.json) return writeJson(list);
          if (list.length === 0) return console.log('no candidate links');
          console.log(`${list.length} candidate link${list.length === 1 ? '' : 's'} (none applied):`);
          for (const s of list) {
            console.log(`  ${s.a} = ${s.b}?`);
            for (const e of s.evidence) console.log(`      ${e}`);
          }
          console.log('confirm one with: alignscope models alias <a> <b> --merge --evidence "<why>"');
          return;
        }
        const out = await applyIdentityMap(db, map);
        if (o.json) return writeJson(out);
        console.log(formatLinkOutcomes(out));
      });
    });
}

/** The human-readable report of applying the identity map. */
export function formatLinkOutcomes(out: LinkOutcome[]): string {
  const lines: string[] = [];
  for (const r of out) {
    if (r.model === null) {
      lines.push(`  ${r.network}: none of its names is in the database`);
      continue;
    }
    const parts = [
      ...r.merged.map((m) => `merged ${m.from} (${m.movedScores} scores)`),
      ...(r.aliased.length ? [`aliases ${r.aliased.join(', ')}`] : []),
      ...(r.conflicts.length ? [`left alone (alias of another model): ${r.conflicts.join(', ')}`] : []),
    ];
    lines.push(`  ${r.model}: ${parts.length ? parts.join('; ') : 'unchanged'} (${r.network})`);
  }
  return `model identity map: ${out.length} networks\n${lines.join('\n')}`;
}

/** JSON on stdout, resolved once the pipe took it (so process.exit cannot cut it short). */
async function writeJson(v: unknown): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(v, null, 2)}\n`)) await once(process.stdout, 'drain');
}
