/**
 * The leaderboard's search box. Terms are ANDed; each is one of
 * - `word` or `"two words"`: identifier, display name, architecture or family contains it;
 * - `field:value` with field `family`, `regime`, `arch`, `data`, `name`: that field contains value
 *   (`field:a|b` means a or b);
 * - `params>25M`, `params<=1.5B`, `params=11689512` (suffixes K, M, B);
 * - a leading `-` negates any term (`-vit`, `-regime:adversarial`).
 * Matching is case-insensitive.
 */

export type SearchModel = {
  identifier: string;
  displayName: string;
  architecture: string | null;
  family: string | null;
  trainingRegime: string | null;
  trainingData: string | null;
  parameters: number | null;
};

type Term =
  | { kind: 'text'; negate: boolean; value: string }
  | { kind: 'field'; negate: boolean; field: keyof typeof FIELDS; values: string[] }
  | { kind: 'params'; negate: boolean; op: '<' | '<=' | '>' | '>=' | '='; value: number };

const FIELDS = {
  family: (m: SearchModel) => m.family,
  regime: (m: SearchModel) => m.trainingRegime,
  arch: (m: SearchModel) => m.architecture,
  data: (m: SearchModel) => m.trainingData,
  name: (m: SearchModel) => `${m.identifier} ${m.displayName}`,
} as const;

export class SearchSyntaxError extends Error {
  override name = 'SearchSyntaxError';
}

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

/** Parses "25M", "1.5e6", "3B" into a number of parameters. */
export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmb])?$/i.exec(text.trim());
  if (!m) throw new SearchSyntaxError(`"${text}" is not a parameter count (e.g. 25M, 1.5B, 11689512)`);
  return Number(m[1]) * (m[2] ? (SUFFIX[m[2].toLowerCase()] ?? 1) : 1);
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /(-?)(?:(\w+):)?"([^"]*)"|(\S+)/g;
  for (let m = re.exec(query); m !== null; m = re.exec(query)) {
    if (m[4] !== undefined) tokens.push(m[4]);
    else tokens.push(`${m[1]}${m[2] ? `${m[2]}:` : ''}\u0000${m[3]}`);
  }
  return tokens;
}

/** Parses a query; throws SearchSyntaxError with a readable message on a malformed term. */
export function parseSearch(query: string): Term[] {
  const terms: Term[] = [];
  for (const raw of tokenize(query)) {
    let token = raw;
    let negate = false;
    if (token.startsWith('-') && token.length > 1) {
      negate = true;
      token = token.slice(1);
    }
    const quoted = token.includes('\u0000');
    token = token.replace('\u0000', '');
    const p = /^params(<=|>=|<|>|=)(.+)$/i.exec(token);
    if (p && !quoted) {
      terms.push({ kind: 'params', negate, op: p[1] as '<', value: parseCount(p[2] as string) });
      continue;
    }
    const f = /^(\w+):(.*)$/.exec(token);
    if (f) {
      const field = (f[1] as string).toLowerCase();
      if (!(field in FIELDS)) {
        throw new SearchSyntaxError(
          `unknown field "${f[1]}": use one of ${Object.keys(FIELDS).join(', ')}, or params>, params<`,
        );
      }
      const values = (f[2] as string)
        .split('|')
        .map((v) => v.trim().toLowerCase())
        .filter((v) => v !== '');
      if (values.length === 0) throw new SearchSyntaxError(`"${token}" needs a value after the colon`);
      terms.push({ kind: 'field', negate, field: field as keyof typeof FIELDS, values });
      continue;
    }
    if (token !== '') terms.push({ kind: 'text', negate, value: token.toLowerCase() });
  }
  return terms;
}

function test(term: Term, m: SearchModel): boolean {
  switch (term.kind) {
    case 'text':
      return [m.identifier, m.displayName, m.architecture, m.family].some((v) =>
        v?.toLowerCase().includes(term.value),
      );
    case 'field': {
      const v = FIELDS[term.field](m)?.toLowerCase();
      return v !== undefined && term.values.some((x) => v.includes(x));
    }
    case 'params': {
      if (m.parameters === null) return false;
      const a = m.parameters;
      const b = term.value;
      return term.op === '<'
        ? a < b
        : term.op === '<='
          ? a <= b
          : term.op === '>'
            ? a > b
            : term.op === '>='
              ? a >= b
              : a === b;
    }
  }
}

/** A predicate for the parsed query (every term must hold). */
export function matcher(query: string): (m: SearchModel) => boolean {
  const terms = parseSearch(query);
  return (m) => terms.every((t) => test(t, m) !== t.negate);
}
