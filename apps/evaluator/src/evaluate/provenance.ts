/**
 * Provenance that makes an evaluation reproducible (issue 17 item 3), recorded in every run's
 * configuration as `provenance`:
 * - `evaluator`: the evaluator's version (apps/evaluator/package.json) and the source commit, read
 *   with `git rev-parse HEAD` in the checkout (with `dirty: true` when tracked files differ from it);
 *   `"unknown"` when there is no git checkout — never guessed;
 * - `dataBundle`: the bundle's version, the sha256 of its README.md (the README lists every source
 *   repository and commit the bundle was built from, so a rebuilt bundle changes it); `"unknown"`
 *   when the bundle has no README;
 * - `imageSet`: the images (or stimuli) the score used: their count and the sha256 of a manifest
 *   with one line per image in the order used, `<path relative to the bundle>\t<label>\t<sha256 of
 *   the file>\n`; so the hash changes when any image's bytes, label, membership or order change;
 * - `humanTrials` / `decisions`: path and sha256 of every human trial file and recorded-decisions
 *   file a behavioral score read.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@alignscope/config';
import type { ProvenanceInputs } from '../benchmarks/types.ts';
import { VERSION } from '../version.ts';

export type FileHash = { file: string; sha256: string };

export type Provenance = {
  evaluator: { version: string; sourceCommit: string; dirty?: boolean };
  dataBundle: { version: string; versionSource: 'sha256 of README.md' };
  imageSet: { count: number; sha256: string; manifest: string } | null;
  humanTrials: FileHash[];
  decisions: FileHash[];
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let commit: { sourceCommit: string; dirty?: boolean } | undefined;

/** The checkout's commit (once per process); `unknown` outside a git checkout or without git. */
export function sourceCommit(): { sourceCommit: string; dirty?: boolean } {
  if (commit) return commit;
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const head = git('rev-parse', 'HEAD');
    commit = /^[0-9a-f]{40}$/.test(head)
      ? { sourceCommit: head, dirty: git('status', '--porcelain', '--untracked-files=no') !== '' }
      : { sourceCommit: 'unknown' };
  } catch {
    commit = { sourceCommit: 'unknown' };
  }
  return commit;
}

/** The data bundle's version: the sha256 of its README.md, or `unknown`. */
export function dataBundleVersion(dataDir: string): string {
  const readme = path.join(dataDir, 'README.md');
  return existsSync(readme) ? sha256(readFileSync(readme)) : 'unknown';
}

const rel = (dataDir: string, f: string) => {
  const r = path.relative(dataDir, f);
  return r.startsWith('..') || path.isAbsolute(r) ? path.resolve(f) : r.split(path.sep).join('/');
};

/** The sha256 of an image set's manifest (see the header). */
export function imageSetSha256(
  images: readonly { file: string; label?: string }[],
  dataDir: string,
): { count: number; sha256: string; manifest: string } {
  const h = createHash('sha256');
  for (const im of images)
    h.update(`${rel(dataDir, im.file)}\t${im.label ?? ''}\t${sha256(readFileSync(im.file))}\n`);
  return {
    count: images.length,
    sha256: h.digest('hex'),
    manifest:
      'one line per image in order: <path relative to the bundle>\\t<label>\\t<sha256 of the file>\\n',
  };
}

const hashFiles = (files: readonly string[] | undefined, dataDir: string): FileHash[] =>
  (files ?? []).map((f) => ({ file: rel(dataDir, f), sha256: sha256(readFileSync(f)) }));

/** The provenance of one benchmark run from the inputs its plugin reports. */
export function provenanceOf(inputs: ProvenanceInputs | undefined, dataDir: string): Provenance {
  return {
    evaluator: { version: VERSION, ...sourceCommit() },
    dataBundle: { version: dataBundleVersion(dataDir), versionSource: 'sha256 of README.md' },
    imageSet: inputs?.images ? imageSetSha256(inputs.images, dataDir) : null,
    humanTrials: hashFiles(inputs?.humanTrialFiles, dataDir),
    decisions: hashFiles(inputs?.decisionFiles, dataDir),
  };
}
