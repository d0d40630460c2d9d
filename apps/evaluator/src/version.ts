import { readFileSync } from 'node:fs';

/** The evaluator's version, recorded with every run it produces. */
export const VERSION: string =
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string })
    .version ?? '0.0.0';
