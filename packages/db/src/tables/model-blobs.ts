import { bigint, customType, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The model file store every worker reaches through the database: ONNX files by content (sha256),
 * kept as a chunked bytea table rather than Postgres large objects. Chunks are ordinary rows: they
 * go with the database's dumps, permissions and replication, are deleted by a foreign key (large
 * objects outlive the rows that name them until `vacuumlo`), need no transaction held open to stream
 * (each chunk is one short query), and stay far below bytea's 1 GB value limit. A blob row is
 * written with all its chunks in one transaction, so a blob that exists is complete.
 */
export const modelBlobs = pgTable('model_blobs', {
  sha256: text().primaryKey(),
  bytes: bigint({ mode: 'number' }).notNull(),
  chunkBytes: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** The bytes of a model blob, `seq` 0, 1, ... in order. */
export const modelBlobChunks = pgTable(
  'model_blob_chunks',
  {
    sha256: text()
      .notNull()
      .references(() => modelBlobs.sha256, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.seq] })],
);
