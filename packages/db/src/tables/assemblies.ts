import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Registered neural assemblies (`alignscope assemblies add`): recorded responses the neural benchmarks
 * score models on. The file is content-addressed (sha256); its summary and the Brain-Score attributes it
 * carries are kept for provenance. Re-adding the same file updates the row instead of duplicating it.
 */
export const assemblies = pgTable('assemblies', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  /** A name for the command line (default: the assembly's identifier attribute or the file name). */
  identifier: text().notNull().unique(),
  sha256: text().notNull().unique(),
  /** Where the file was registered from, and the stimuli folder or CSV. */
  path: text().notNull(),
  stimuli: text(),
  format: text().notNull(),
  regions: text().array().notNull(),
  stimulusCount: integer().notNull(),
  neuroidCount: integer().notNull(),
  repetitions: integer().notNull(),
  attributes: jsonb().$type<Record<string, string>>().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
