import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { visibility } from './enums.ts';
import { apiKeys } from './keys.ts';

/** A vision model: metadata, owner, and (when the platform can run it) its ONNX file and card. */
export const models = pgTable(
  'models',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    identifier: text().notNull().unique(),
    displayName: text().notNull(),
    architecture: text(),
    family: text(),
    trainingRegime: text(),
    trainingData: text(),
    parameters: bigint({ mode: 'number' }),
    source: text(),
    license: text(),
    ownerKeyId: integer().references(() => apiKeys.id, { onDelete: 'set null' }),
    visibility: visibility().notNull().default('public'),
    onnxSha256: text(),
    onnxPath: text(),
    onnxBytes: bigint({ mode: 'number' }),
    /** The model card (input shape, range, preprocessing, label space...) as validated JSON. */
    card: jsonb(),
    metadata: jsonb().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('models_family_idx').on(t.family), index('models_regime_idx').on(t.trainingRegime)],
);

/** Other names of a model (e.g. `resnet50`, `Standard_R50`), so results from several sources join. */
export const modelAliases = pgTable('model_aliases', {
  alias: text().primaryKey(),
  modelId: integer()
    .notNull()
    .references(() => models.id, { onDelete: 'cascade' }),
  source: text(),
  /**
   * Why the alias holds (the identity map's evidence, or the reviewer's note) and, when the alias came
   * from merging a model into this one, what that model was and the scores it lost to this model's.
   */
  evidence: jsonb(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
