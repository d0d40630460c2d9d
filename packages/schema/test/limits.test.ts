/**
 * The depth, alias and cost rules on the real schema: what tools and the web app send passes, abuse
 * is refused with its own code. Costs are hand-computed from the rule's definition (composite
 * fields cost 1 times the page sizes they are nested in).
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLimitsRule, defaultLimits, type Limits } from '../src/limits.ts';
import { typeDefs } from '../src/typeDefs.ts';

const schema = makeExecutableSchema({ typeDefs });
const check = (query: string, limits: Limits = defaultLimits) =>
  validate(schema, parse(query), [createLimitsRule(limits)]).map((e) => ({
    limit: e.extensions.limit,
    actual: e.extensions.actual,
  }));

describe('limits', () => {
  it("lets GraphiQL's full introspection query through", () => {
    expect(check(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('computes the cost of a leaderboard page by hand', () => {
    // leaderboard 1 + root 1 + columns 1 + edges 1 + node 100 + model 100 + children 100
    // + children.benchmark 100 x 10 = 1304.
    const q = `{ leaderboard(first: 100) { root { identifier } columns { identifier }
      edges { node { rank model { identifier } children { value benchmark { identifier } } } } } }`;
    expect(check(q, { ...defaultLimits, maxCost: 1303 })).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 1304 },
    ]);
    expect(check(q, { ...defaultLimits, maxCost: 1304 })).toEqual([]);
  });

  it('takes a variable page size at its default, else at the cap of 100', () => {
    // models 1 + edges 1 + node n.
    const withDefault = 'query($n: Int = 7) { models(first: $n) { edges { node { identifier } } } }';
    expect(check(withDefault, { ...defaultLimits, maxCost: 9 })).toEqual([]);
    expect(check(withDefault, { ...defaultLimits, maxCost: 8 })).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 9 },
    ]);
    const noDefault = 'query($n: Int) { models(first: $n) { edges { node { identifier } } } }';
    expect(check(noDefault, { ...defaultLimits, maxCost: 101 })).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 102 },
    ]);
  });

  it("costs a study result's analysed table per cell: a plain page's items count", () => {
    // study 1 + result 1 + columns 40 (a plain page: one per column) + cells 40 x 100 = 4042.
    const page = `{ study(id: "1") { result { columns(first: 40) { benchmark cells(first: 100) { model value ciLow ciHigh } } } } }`;
    expect(check(page, { ...defaultLimits, maxCost: 4041 })).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 4042 },
    ]);
    expect(check(page, { ...defaultLimits, maxCost: 4042 })).toEqual([]);
    // A 1,000-model x 40-column study in one request (ten pages of cells per column): 2 + 40 + 10 x 4000.
    const cells = Array.from({ length: 10 }, (_, k) => `p${k}: cells(offset: ${100 * k}) { value }`).join(
      ' ',
    );
    expect(check(`{ study(id: "1") { result { columns(first: 40) { ${cells} } } } }`)).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 40_042 },
    ]);
    // Every study's table at the default page sizes: 50 studies x (1 + 50 columns x (1 + 100 cells)) = 252,600.
    expect(check('{ studies { result { columns { cells { value } } } } }')).toEqual([
      { limit: 'QUERY_TOO_COMPLEX', actual: 252_600 },
    ]);
    // Study.jobs accepts first <= 1000: a variable without default counts 1000, not the usual 100.
    expect(
      check('query($n: Int) { study(id: "1") { jobs(first: $n) { model { identifier } } } }', {
        ...defaultLimits,
        maxCost: 0,
      }),
    ).toEqual([{ limit: 'QUERY_TOO_COMPLEX', actual: 2001 }]);
  });

  it('counts depth through fragments and inline fragments', () => {
    const q = `query { benchmark(identifier: "x") { ...P } }
      fragment P on Benchmark { parent { ... on Benchmark { parent { parent { identifier } } } } }`;
    // benchmark 1, parent 2, parent 3, parent 4, identifier 5.
    expect(check(q, { ...defaultLimits, maxDepth: 4 })).toEqual([{ limit: 'QUERY_TOO_DEEP', actual: 5 }]);
    expect(check(q, { ...defaultLimits, maxDepth: 5 })).toEqual([]);
  });

  it('counts aliases in fragments too', () => {
    const q = `{ ...F a: apiVersion } fragment F on Query { b: apiVersion c: apiVersion }`;
    expect(check(q, { ...defaultLimits, maxAliases: 2 })).toEqual([
      { limit: 'TOO_MANY_ALIASES', actual: undefined },
    ]);
    expect(check(q, { ...defaultLimits, maxAliases: 3 })).toEqual([]);
  });
});
