/**
 * Opt-in check (not part of `npm test`): a Brain-Score CSV of ~200 MB is imported in constant memory.
 * Writes the file to a temporary folder, imports it into a scratch database created on the server of
 * DATABASE_URL (or the embedded one) and dropped afterwards, and prints peak RSS against the file size.
 *
 *   npx tsx apps/evaluator/test/import-large-file.ts [--mb 200] [--dry-run]
 *   node --expose-gc --import tsx apps/evaluator/test/import-large-file.ts --mb 200   (also: live heap)
 *
 * Exits 1 when peak RSS grows by more than 150 MB + a quarter of the file size. The fixed part is the
 * process's own warm-up (measured: +82 MB for both a 2 MB and a 5 MB file); a file read whole would
 * add at least its own size.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createDb, redactUrl, setupDatabase } from '@alignscope/db';
import pg from 'pg';
import { brainscoreCsv } from '../src/importers/brainscore-csv.ts';
import { runImport } from '../src/importers/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const mb = Number(arg('--mb') ?? 200);
const dryRun = process.argv.includes('--dry-run');

const cols = [
  'movshon.FreemanZiemba2013.V1-pls',
  'movshon.FreemanZiemba2013.V2-pls',
  'dicarlo.MajajHong2015.V4-pls',
  'dicarlo.MajajHong2015.IT-pls',
  'dicarlo.Rajalingham2018-i2n',
  'fei-fei.Deng2009-top1',
];

async function writeFile(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  out.write(`model_name,${cols.join(',')},Notes2099-free_text\n`);
  const pad = 'x'.repeat(400);
  let rows = 0;
  let written = 0;
  while (written < bytes) {
    const vals = cols.map((_, j) => (((rows * 7919 + j * 104729) % 1_000_003) / 1_000_003).toPrecision(17));
    const line = `large-model-${rows.toString().padStart(8, '0')},${vals.join(',')},${pad}\n`;
    written += line.length;
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-large-'));
const file = path.join(dir, 'large.csv');
const handle = await createDb();
const name = `alignscope_large_${randomBytes(4).toString('hex')}`;
const scratchUrl = (() => {
  const u = new URL(handle.url);
  u.pathname = `/${name}`;
  return u.toString();
})();
const admin = new pg.Client({ connectionString: handle.url });
await admin.connect();
try {
  console.log(`writing ~${mb} MB to ${file} ...`);
  const rows = await writeFile(file, mb * 1e6);
  const size = statSync(file).size;
  console.log(`${rows} rows, ${(size / 1e6).toFixed(1)} MB; scratch database ${redactUrl(scratchUrl)}`);
  await admin.query(`create database ${name}`);
  const { db, pool } = connect(scratchUrl, 4);
  try {
    await setupDatabase(db);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const rss0 = process.memoryUsage().rss;
    const heap0 = process.memoryUsage().heapUsed;
    let peak = rss0;
    let peakHeap = heap0;
    let ticks = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      // With --expose-gc, every second: the heap that is still alive after a full collection.
      if (gc && ++ticks % 10 === 0) {
        gc();
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }
    }, 100);
    const t0 = Date.now();
    const s = await runImport(db, brainscoreCsv, file, { dryRun });
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const grew = peak - rss0;
    console.log(
      `${s.files[0]?.status}: ${s.models_created} models, ${s.scores_created} scores in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `RSS ${(rss0 / 1e6).toFixed(0)} MB -> peak ${(peak / 1e6).toFixed(0)} MB (+${(grew / 1e6).toFixed(0)} MB for a ${(size / 1e6).toFixed(0)} MB file)` +
        (gc ? `; live heap ${(heap0 / 1e6).toFixed(0)} MB -> peak ${(peakHeap / 1e6).toFixed(0)} MB` : ''),
    );
    if (grew > 150e6 + size / 4) {
      console.error('FAIL: memory grew with the file size (was it read whole?)');
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
  }
} finally {
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}
