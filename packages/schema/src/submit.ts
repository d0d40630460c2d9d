/**
 * Validation of submitResults and requestEvaluation at the edge (zod for shape, sizes and lengths;
 * the catalog for benchmark identifiers and value ranges). Every problem is reported, each with the
 * input path it concerns.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '@alignscope/board';
import { type SubmissionParams, type SubmittedScore, sourceInterval } from '@alignscope/db/queries';
import { z } from 'zod';
import type { UserErrorParent } from './types.ts';

export const LIMITS = {
  scores: 500,
  string: 200,
  identifier: 100,
  provenanceJsonBytes: 16_384,
  evaluationBenchmarks: 200,
} as const;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._\-:/+@]*$/;
// No control characters in free text (NUL cannot be stored in Postgres text at all).
const text = z
  .string()
  .max(LIMITS.string, `at most ${LIMITS.string} characters`)
  .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters');
const optionalText = text.nullish();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine(
    (v) => Buffer.byteLength(JSON.stringify(v)) <= LIMITS.provenanceJsonBytes,
    `at most ${LIMITS.provenanceJsonBytes} bytes as JSON`,
  )
  // Postgres jsonb cannot store NUL characters.
  .refine((v) => !JSON.stringify(v).includes('\\u0000'), 'must not contain NUL characters')
  .nullish();

export const modelIdentifier = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.identifier, `at most ${LIMITS.identifier} characters`)
  .regex(IDENTIFIER, 'letters, digits and . _ - : / + @ only, starting with a letter or digit');

const submitSchema = z.object({
  model: z.object({
    identifier: modelIdentifier,
    displayName: optionalText,
    architecture: optionalText,
    family: optionalText,
    trainingRegime: optionalText,
    trainingData: optionalText,
    parameters: z.number().int('must be an integer').min(0).max(1e13).nullish(),
    source: optionalText,
    license: optionalText,
  }),
  scores: z
    .array(
      z.object({
        benchmark: text.min(1, 'must not be empty'),
        status: z.enum(['SCORED', 'FAILED', 'NOT_RUN']).nullish(),
        value: finite.nullish(),
        rawValue: finite.nullish(),
        error: finite.min(0, 'must not be negative').nullish(),
        ceiling: finite.positive('must be positive').nullish(),
        ciLow: finite.nullish(),
        ciHigh: finite.nullish(),
        ciMethod: text.min(1, 'must not be empty').max(200, 'at most 200 characters').nullish(),
      }),
    )
    .min(1, 'at least one score')
    .max(LIMITS.scores, `at most ${LIMITS.scores} scores per submission`),
  provenance: z
    .object({
      producer: text.max(100, 'at most 100 characters').nullish(),
      producerVersion: text.max(100, 'at most 100 characters').nullish(),
      configuration: jsonObject,
      environment: jsonObject,
    })
    .nullish(),
});

export type SubmitInput = z.input<typeof submitSchema>;

function zodErrors(error: z.ZodError, prefix: string[]): UserErrorParent[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map(String)];
    const numeric = i.path.at(-1);
    const code =
      (numeric === 'value' || numeric === 'rawValue') && i.code === 'custom'
        ? 'OUT_OF_RANGE'
        : 'VALIDATION_FAILED';
    return { code, message: `${path.join('.')}: ${i.message}`, path };
  });
}

/** Keys sorted recursively, so that the hash does not depend on field order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function payloadSha256(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

const inRange = (v: number, min: number | null, max: number | null) =>
  (min === null || v >= min) && (max === null || v <= max);

/** The submission to write, or the reasons it is refused. */
export function validateSubmission(
  raw: unknown,
  catalog: Catalog,
): { ok: true; value: Omit<SubmissionParams, 'apiKey'> } | { ok: false; errors: UserErrorParent[] } {
  const parsed = submitSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error, ['input']) };
  const input = parsed.data;
  const errors: UserErrorParent[] = [];
  const seen = new Set<string>();
  const scores: SubmittedScore[] = [];
  for (const [i, s] of input.scores.entries()) {
    const at = (field?: string) => ['input', 'scores', String(i), ...(field ? [field] : [])];
    const err = (code: string, field: string | undefined, message: string) => {
      errors.push({ code, message: `${at(field).join('.')}: ${message}`, path: at(field) });
    };
    if (seen.has(s.benchmark)) {
      err('VALIDATION_FAILED', 'benchmark', `${s.benchmark} appears twice`);
      continue;
    }
    seen.add(s.benchmark);
    const b = catalog.byIdentifier.get(s.benchmark);
    if (!b) {
      err('UNKNOWN_BENCHMARK', 'benchmark', `unknown benchmark ${JSON.stringify(s.benchmark)}`);
      continue;
    }
    if (b.domain === 'aggregate' || catalog.children.has(b.id)) {
      err('NOT_A_LEAF', 'benchmark', `${b.identifier} is an aggregate; submit its leaf benchmarks`);
      continue;
    }
    const status = s.status ?? 'SCORED';
    const value = s.value ?? null;
    const rawValue = s.rawValue ?? null;
    if (status === 'SCORED' && value === null && rawValue === null) {
      err('VALIDATION_FAILED', 'value', 'a SCORED score needs value or rawValue');
      continue;
    }
    if (status !== 'SCORED' && (value !== null || rawValue !== null)) {
      err('VALIDATION_FAILED', 'value', `a ${status} score carries no value`);
      continue;
    }
    let bad = false;
    for (const [field, v] of [
      ['value', value],
      ['rawValue', rawValue],
    ] as const) {
      if (v !== null && !inRange(v, b.rangeMin, b.rangeMax)) {
        bad = true;
        err(
          'OUT_OF_RANGE',
          field,
          `${v} is outside ${b.identifier}'s range [${b.rangeMin ?? '-inf'}, ${b.rangeMax ?? 'inf'}]`,
        );
      }
    }
    if (bad) continue;
    const ciLow = s.ciLow ?? null;
    const ciHigh = s.ciHigh ?? null;
    const shown = value ?? rawValue;
    if ((ciLow === null) !== (ciHigh === null) || (ciLow !== null && s.ciMethod == null)) {
      err('VALIDATION_FAILED', 'ciLow', 'an interval needs ciLow, ciHigh and ciMethod together');
      continue;
    }
    if (ciLow !== null && ciHigh !== null && shown !== null && !(ciLow <= shown && shown <= ciHigh)) {
      err(
        'VALIDATION_FAILED',
        'ciLow',
        `the interval [${ciLow}, ${ciHigh}] does not contain the value ${shown}`,
      );
      continue;
    }
    // Alignment benchmarks are ceiled (Brain-Score); engineering and robustness scores are raw.
    const ceiled = b.ceiling !== null && (b.domain === 'neural' || b.domain === 'behavioral');
    scores.push({
      benchmarkId: b.id,
      benchmarkVersion: b.version,
      status: status === 'SCORED' ? 'scored' : status === 'FAILED' ? 'failed' : 'not-run',
      // `value` is the ceiled score of a ceiled benchmark and the raw score of any other.
      ceiledValue: ceiled ? value : null,
      rawValue: ceiled ? rawValue : (rawValue ?? value),
      error: s.error ?? null,
      ceiling: s.ceiling ?? b.ceiling,
      // The submitter's interval, else the submitted error as a ±1 band, else none (said so).
      ...(ciLow !== null
        ? { ciLow, ciHigh, ciMethod: `submitted: ${s.ciMethod}` }
        : sourceInterval('the submission', {
            status: status === 'SCORED' ? 'scored' : 'failed',
            rawValue,
            ceiledValue: value,
            error: s.error ?? null,
          })),
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const p = input.provenance;
  return {
    ok: true,
    value: {
      payloadSha256: payloadSha256(input),
      payload: input,
      model: input.model,
      scores,
      provenance: {
        producer: p?.producer ?? 'submission',
        producerVersion: p?.producerVersion ?? null,
        configuration: p?.configuration ?? {},
        environment: p?.environment ?? {},
      },
    },
  };
}

const evaluationSchema = z.object({
  model: modelIdentifier,
  benchmarks: z
    .array(text.min(1, 'must not be empty'))
    .min(1, 'at least one benchmark')
    .max(LIMITS.evaluationBenchmarks, `at most ${LIMITS.evaluationBenchmarks} benchmarks`),
});

/** Benchmark identifiers (leaves, deduplicated, in request order), or the reasons they are refused. */
export function validateEvaluationRequest(
  raw: { model: string; benchmarks: string[] },
  catalog: Catalog,
): { ok: true; model: string; benchmarks: string[] } | { ok: false; errors: UserErrorParent[] } {
  const parsed = evaluationSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error, []) };
  const errors: UserErrorParent[] = [];
  const out: string[] = [];
  parsed.data.benchmarks.forEach((id, i) => {
    const path = ['benchmarks', String(i)];
    const b = catalog.byIdentifier.get(id);
    if (!b)
      errors.push({ code: 'UNKNOWN_BENCHMARK', message: `unknown benchmark ${JSON.stringify(id)}`, path });
    else if (b.domain === 'aggregate' || catalog.children.has(b.id)) {
      errors.push({
        code: 'NOT_A_LEAF',
        message: `${id} is an aggregate; request its leaf benchmarks`,
        path,
      });
    } else if (!out.includes(id)) out.push(id);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, model: parsed.data.model, benchmarks: out };
}
