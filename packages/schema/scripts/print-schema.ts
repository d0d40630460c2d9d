/** Writes schema.graphql (the printed SDL that codegen reads and a test compares). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../src/typeDefs.ts';

const out = path.join(import.meta.dirname, '..', 'schema.graphql');
writeFileSync(out, printedSchema());
console.log(`wrote ${out}`);
