/**
 * The database's model file store (tables/model-blobs.ts): ONNX files by sha256, in chunks, so a
 * worker on any machine fetches a model it has never seen. The caller hashes; these functions move
 * bytes.
 */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { modelBlobChunks, modelBlobs, models } from '../tables/index.ts';

/** Chunk size of new blobs: 1 MiB keeps one row (and one fetch) small and a 100 MB model at 100 rows. */
export const MODEL_BLOB_CHUNK_BYTES = 1 << 20;

export type ModelBlob = typeof modelBlobs.$inferSelect;

export async function getModelBlob(db: Database, sha256: string): Promise<ModelBlob | undefined> {
  const [row] = await db.select().from(modelBlobs).where(eq(modelBlobs.sha256, sha256));
  return row;
}

/**
 * Stores the bytes of a file under its sha256 (the caller computed it) unless a blob of that hash
 * exists. The blob row and every chunk are written in one transaction: a blob that can be read is
 * complete, and two writers of one hash write it once (the second waits on the first's row, then
 * finds it). Throws, writing nothing, when the bytes do not add up to `bytes`. Returns whether it
 * was written now.
 */
export async function putModelBlob(
  db: Database,
  p: { sha256: string; bytes: number; data: AsyncIterable<Uint8Array> },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(modelBlobs)
      .values({ sha256: p.sha256, bytes: p.bytes, chunkBytes: MODEL_BLOB_CHUNK_BYTES })
      .onConflictDoNothing()
      .returning({ sha256: modelBlobs.sha256 });
    if (!created) return false;
    let seq = 0;
    let total = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= MODEL_BLOB_CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending);
        const chunk = joined.subarray(0, MODEL_BLOB_CHUNK_BYTES);
        const rest = joined.subarray(chunk.length);
        await tx.insert(modelBlobChunks).values({ sha256: p.sha256, seq, data: Buffer.from(chunk) });
        seq += 1;
        pending = rest.length > 0 ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    };
    for await (const part of p.data) {
      pending.push(Buffer.from(part));
      pendingBytes += part.length;
      total += part.length;
      await flush(false);
    }
    await flush(true);
    if (total !== p.bytes) {
      throw new Error(`model blob ${p.sha256}: expected ${p.bytes} bytes, got ${total}; nothing stored`);
    }
    return true;
  });
}

/**
 * The bytes of a blob in order, one chunk per query (memory stays at one chunk; no transaction is
 * held open while the caller writes them out).
 */
export async function* readModelBlob(db: Database, blob: Pick<ModelBlob, 'sha256' | 'bytes' | 'chunkBytes'>) {
  const count = Math.ceil(blob.bytes / blob.chunkBytes);
  for (let seq = 0; seq < count; seq++) {
    const [row] = await db
      .select({ data: modelBlobChunks.data })
      .from(modelBlobChunks)
      .where(and(eq(modelBlobChunks.sha256, blob.sha256), eq(modelBlobChunks.seq, seq)));
    if (!row) throw new Error(`model blob ${blob.sha256}: chunk ${seq} of ${count} is missing`);
    yield row.data;
  }
}

/** Models that have an ONNX file registered but no copy of it in the database (to backfill). */
export async function modelsWithoutBlob(db: Database) {
  return db
    .select({
      identifier: models.identifier,
      onnxSha256: models.onnxSha256,
      onnxPath: models.onnxPath,
      onnxBytes: models.onnxBytes,
    })
    .from(models)
    .where(
      and(
        isNotNull(models.onnxSha256),
        sql`not exists (select 1 from ${modelBlobs} b where b.sha256 = ${models.onnxSha256})`,
      ),
    )
    .orderBy(asc(models.identifier));
}
