/**
 * Model cards: what the evaluator must know to feed a model and read its outputs (input shape and
 * range, preprocessing, label space) plus identity and provenance. The data bundle's cards
 * (`models/*.json`) are the examples; fields this schema does not name are kept as they are.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.ts';

const positiveInt = z.number().int().positive();

export const INTERPOLATIONS = ['nearest', 'bilinear', 'bicubic', 'lanczos'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

const preprocessingSchema = z.looseObject({
  /** Resize so that the shorter side is this long (aspect kept, long side rounded); null: no resize. */
  resize: positiveInt.nullable().default(null),
  /** Centre crop to crop x crop, top = floor((H - crop) / 2), left = floor((W - crop) / 2); null: none. */
  crop: positiveInt.nullable().default(null),
  interpolation: z.enum(INTERPOLATIONS).default('bilinear'),
  channelOrder: z.literal('RGB').default('RGB'),
  layout: z.literal('NCHW').default('NCHW'),
  /** Per-channel mean and std applied outside the model (only when normalisation is not inside it). */
  mean: z.tuple([z.number(), z.number(), z.number()]).optional(),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).optional(),
});

const customLabels = z.object({
  name: z.string().trim().min(1),
  classes: z.array(z.string().trim().min(1)).min(2),
});

export const LABEL_SPACE_SIZES = { 'imagenet-1k': 1000, 'cifar-10': 10 } as const;

export const modelCardSchema = z
  .looseObject({
    name: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        'letters, digits, ".", "_" and "-" only, starting with a letter or digit',
      )
      .max(200),
    displayName: z.string().trim().min(1),
    architecture: z.string().optional(),
    family: z.string().optional(),
    trainingRegime: z.string().optional(),
    trainingData: z.string().optional(),
    parameters: z.number().int().nonnegative().optional(),
    /** [channels, height, width]; channels must be 3 (RGB). */
    inputShape: z.tuple([z.literal(3), positiveInt, positiveInt]),
    inputRange: z.union([z.tuple([z.literal(0), z.literal(1)]), z.tuple([z.literal(0), z.literal(255)])]),
    normalizationInside: z.boolean(),
    preprocessing: preprocessingSchema,
    labelSpace: z.union([z.enum(['imagenet-1k', 'cifar-10']), customLabels]),
    source: z.union([z.string(), z.looseObject({ repo: z.string().optional() })]).optional(),
    license: z.string().optional(),
    /** sha256 of the ONNX file this card describes; when given it must match. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .superRefine((c, ctx) => {
    const [, h, w] = c.inputShape;
    const { resize, crop, mean, std } = c.preprocessing;
    if (crop !== null && (crop !== h || crop !== w)) {
      ctx.addIssue({
        code: 'custom',
        path: ['preprocessing', 'crop'],
        message: `crop ${crop} does not give the input shape ${h}x${w}`,
      });
    }
    if (crop !== null && resize !== null && crop > resize) {
      ctx.addIssue({
        code: 'custom',
        path: ['preprocessing', 'crop'],
        message: `crop ${crop} is larger than the resized shorter side ${resize}`,
      });
    }
    if (!c.normalizationInside && (!mean || !std)) {
      ctx.addIssue({
        code: 'custom',
        path: ['preprocessing'],
        message: 'normalizationInside is false: preprocessing.mean and preprocessing.std are required',
      });
    }
  });

export type ModelCard = z.infer<typeof modelCardSchema>;

/** The number of outputs a model with this card must have. */
export function numClasses(card: ModelCard): number {
  return typeof card.labelSpace === 'string'
    ? LABEL_SPACE_SIZES[card.labelSpace]
    : card.labelSpace.classes.length;
}

/** The label space's name: `imagenet-1k`, `cifar-10` or the custom list's name. */
export function labelSpaceName(card: ModelCard): string {
  return typeof card.labelSpace === 'string' ? card.labelSpace : card.labelSpace.name;
}

/** Validates parsed JSON as a model card; InputError naming the first problems otherwise. */
export function parseCard(json: unknown, source = 'model card'): ModelCard {
  const r = modelCardSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InputError(`invalid model card ${source}: ${issues}`);
  }
  return r.data;
}

/** Reads and validates a model card file. */
export function loadCard(file: string): ModelCard {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read model card ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`model card ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseCard(json, file);
}
