/**
 * The committed artefacts stay in step with the SDL: the printed schema.graphql and the generated
 * resolver types / client documents (run `npm run codegen -w @alignscope/schema` when these fail).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { executeCodegen } from '@graphql-codegen/cli';
import { buildSchema, type GraphQLNamedType, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';
import { printedSchema } from '../src/typeDefs.ts';

const root = path.join(import.meta.dirname, '..');

describe('schema artefacts', () => {
  it('schema.graphql is the printed SDL', () => {
    const committed = readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(printedSchema(), 'schema.graphql is stale: run npm run codegen -w @alignscope/schema').toBe(
      committed,
    );
  });

  it('has a description on every public type, field, argument and enum value', () => {
    const schema = buildSchema(printedSchema());
    const missing: string[] = [];
    const types = Object.values(schema.getTypeMap()).filter(
      (t: GraphQLNamedType) => !t.name.startsWith('__'),
    );
    for (const t of types) {
      if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name)) continue;
      if (!t.description) missing.push(t.name);
      if (isObjectType(t) || isInputObjectType(t)) {
        for (const f of Object.values(t.getFields())) {
          if (!f.description) missing.push(`${t.name}.${f.name}`);
          if ('args' in f)
            for (const a of f.args)
              if (
                !a.description &&
                f.args.length > 0 &&
                isObjectType(t) &&
                t.name === 'Query' &&
                !['identifier'].includes(a.name)
              )
                missing.push(`${t.name}.${f.name}(${a.name})`);
        }
      }
      if (isEnumType(t))
        for (const v of t.getValues()) if (!v.description) missing.push(`${t.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('the generated resolver types and client documents are up to date', async () => {
    const outputs = await executeCodegen({ ...config, cwd: root, silent: true });
    expect(outputs.result.length).toBeGreaterThanOrEqual(2);
    const stale = outputs.result
      .filter((o) => {
        const file = path.resolve(root, o.filename);
        return !existsSync(file) || readFileSync(file, 'utf8') !== o.content;
      })
      .map((o) => o.filename);
    expect(stale, 'generated files are stale: run npm run codegen -w @alignscope/schema').toEqual([]);
  }, 60_000);
});
