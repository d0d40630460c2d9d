/**
 * Issue 17 item 4: one label rule for every command (models/labels.ts). Class lists here are
 * written out by hand or read from the bundle's class files; expected indices are counted by hand.
 */
import { needsDataBundle } from '@alignscope/config/testing';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../src/models/card.ts';
import { labelResolver, labelSpace, labelSpaceOf } from '../src/models/labels.ts';
import { tinyCard } from './helpers.ts';

describe('labelResolver', () => {
  const toy = labelResolver(labelSpace('toy', ['cat', 'Dog', 'bird']));

  it('reads a decimal index within 0..k-1', () => {
    expect(toy('0')).toBe(0);
    expect(toy(' 2 ')).toBe(2);
    expect(() => toy('3', 'm.csv:4')).toThrow('m.csv:4: label 3 is outside the label space toy (0..2)');
  });

  it('reads a class name exactly, then ignoring case', () => {
    expect(toy('Dog')).toBe(1);
    expect(toy('dog')).toBe(1);
    expect(toy('BIRD')).toBe(2);
    expect(() => toy('fish', 'm.csv:2')).toThrow(
      'm.csv:2: label "fish" is neither a class index (0..2) nor a class name of the label space toy',
    );
  });

  it('refuses a case-insensitive match that is ambiguous', () => {
    const r = labelResolver(labelSpace('odd', ['Crane', 'crane', 'x']));
    expect(r('crane')).toBe(1);
    expect(r('Crane')).toBe(0);
    expect(() => r('CRANE')).toThrow('label "CRANE" matches several classes of odd when case is ignored');
  });
});

describe('labelSpaceOf', () => {
  it('takes a custom label space from the card', () => {
    const card = parseCard(tinyCard({ labelSpace: { name: 'toy', classes: ['a', 'b', 'c'] } }));
    const space = labelSpaceOf(card, '/nonexistent');
    expect([space.name, space.size, space.classNames()]).toEqual(['toy', 3, ['a', 'b', 'c']]);
  });

  it('needs no class list for index labels', () => {
    const space = labelSpaceOf(parseCard(tinyCard({ labelSpace: 'cifar-10' })), '/nonexistent');
    expect(labelResolver(space)('9')).toBe(9);
    expect(() => labelResolver(space)('cat')).toThrow('not found: /nonexistent/cifar10/classes.txt');
  });

  const bundle = needsDataBundle(['cifar10/classes.txt', 'imagenet/categories.txt'], 'label spaces');
  it.skipIf(bundle.missing)('reads the standard label spaces from the data bundle', () => {
    const dataDir = bundle.dir;
    const cifar = labelSpaceOf(parseCard(tinyCard({ labelSpace: 'cifar-10' })), dataDir);
    // cifar10/classes.txt, in CIFAR-10's index order (Krizhevsky 2009, batches.meta).
    expect(cifar.classNames()).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
    expect(labelResolver(cifar)('Airplane')).toBe(0);
    const imagenet = labelSpaceOf(parseCard(tinyCard({ labelSpace: 'imagenet-1k' })), dataDir);
    expect(imagenet.classNames()).toHaveLength(1000);
    // Class 0 is the tench, n01440764; class 999 toilet tissue, n15075141 (sorted WNIDs).
    expect(labelResolver(imagenet)('n01440764')).toBe(0);
    expect(labelResolver(imagenet)('n15075141')).toBe(999);
  });
});
