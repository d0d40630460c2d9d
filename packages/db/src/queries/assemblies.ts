import { asc, eq, or } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { assemblies } from '../tables/index.ts';

export type AssemblyRow = typeof assemblies.$inferSelect;
export type NewAssembly = Omit<typeof assemblies.$inferInsert, 'id' | 'createdAt'>;

/** Registers an assembly; the same file (sha256) updates its row (identifier, paths, summary). */
export async function upsertAssembly(db: Database, a: NewAssembly): Promise<AssemblyRow> {
  const [row] = await db
    .insert(assemblies)
    .values(a)
    .onConflictDoUpdate({
      target: assemblies.sha256,
      set: {
        identifier: a.identifier,
        path: a.path,
        stimuli: a.stimuli,
        format: a.format,
        regions: a.regions,
        stimulusCount: a.stimulusCount,
        neuroidCount: a.neuroidCount,
        repetitions: a.repetitions,
        attributes: a.attributes,
      },
    })
    .returning();
  if (!row) throw new Error('assembly was not registered');
  return row;
}

export function listAssemblies(db: Database): Promise<AssemblyRow[]> {
  return db.select().from(assemblies).orderBy(asc(assemblies.identifier));
}

/** An assembly by identifier or sha256. */
export async function getAssembly(db: Database, key: string): Promise<AssemblyRow | undefined> {
  const [row] = await db
    .select()
    .from(assemblies)
    .where(or(eq(assemblies.identifier, key), eq(assemblies.sha256, key)));
  return row;
}
