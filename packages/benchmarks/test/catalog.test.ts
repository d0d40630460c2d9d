import { describe, expect, it } from 'vitest';
import {
  catalog,
  definitionOf,
  definitions,
  parseRobustnessIdentifier,
  robustnessIdentifier,
  roots,
} from '../src/index.ts';

describe('benchmark definitions', () => {
  it('list parents before children, each identifier once', () => {
    const seen = new Set<string>();
    for (const d of catalog) {
      if (d.parent !== null) expect(seen.has(d.parent), `${d.identifier} after ${d.parent}`).toBe(true);
      expect(seen.has(d.identifier), d.identifier).toBe(false);
      seen.add(d.identifier);
    }
    // Definitions created on first use hang under a seeded node or at the top, never under each other.
    for (const d of definitions.filter((x) => x.onFirstUse)) {
      if (d.parent !== null)
        expect(
          catalog.map((c) => c.identifier),
          d.identifier,
        ).toContain(d.parent);
    }
    expect(roots).toEqual(['average_vision', 'engineering_vision', 'cifar10_vision', 'robustness']);
    expect(definitionOf('MajajHong2015.IT-cka')?.onFirstUse).toBe(true);
    expect(definitionOf('nope')).toBeUndefined();
  });

  it('encodes every AutoAttack definition in its identifier', () => {
    const family = definitions.filter((d) => d.domain === 'robustness');
    expect(family.length).toBe(12);
    for (const d of family) {
      const p = parseRobustnessIdentifier(d.identifier);
      expect(p, d.identifier).toEqual(d.parameters);
      expect(robustnessIdentifier(p as NonNullable<typeof p>)).toBe(d.identifier);
      // labelSpace follows the data set
      expect(d.labelSpace).toBe(p?.dataset === 'imagenet' ? 'imagenet-1k' : 'cifar-10');
    }
    // 8/255 on the [0,1] scale
    expect(definitionOf('cifar10.AutoAttack-Linf-8/255')?.parameters?.eps).toBeCloseTo(8 / 255, 15);
  });
});
