/** The importers of `alignscope import <kind>`, one file per kind. */
import { brainscoreCsv } from './brainscore-csv.ts';
import { brainscoreFixtures } from './brainscore-fixtures.ts';
import type { Importer } from './common.ts';
import { robustbench } from './robustbench.ts';
import { scoresCsv } from './scores-csv.ts';
import { table } from './table.ts';
import { trials } from './trials.ts';

export * from './common.ts';
export { SourceError } from './files.ts';

export const importers: readonly Importer[] = [
  brainscoreCsv,
  brainscoreFixtures,
  robustbench,
  table,
  trials,
  scoresCsv,
];

export function getImporter(kind: string): Importer | undefined {
  return importers.find((i) => i.kind === kind);
}
