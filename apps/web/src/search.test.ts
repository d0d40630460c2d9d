import { describe, expect, it } from 'vitest';
import { matcher, parseCount, parseSearch, type SearchModel, SearchSyntaxError } from './search.ts';

const model = (over: Partial<SearchModel>): SearchModel => ({
  identifier: 'x',
  displayName: 'X',
  architecture: null,
  family: null,
  trainingRegime: null,
  trainingData: null,
  parameters: null,
  ...over,
});

const MODELS = [
  model({
    identifier: 'resnet50',
    displayName: 'ResNet-50',
    family: 'resnet',
    trainingRegime: 'standard',
    parameters: 25_557_032,
  }),
  model({
    identifier: 'resnet50-at',
    displayName: 'ResNet-50 AT',
    family: 'resnet',
    trainingRegime: 'adversarial',
    parameters: 25_557_032,
  }),
  model({
    identifier: 'vit-b16',
    displayName: 'ViT-B/16',
    family: 'vit',
    trainingRegime: 'standard',
    parameters: 86_567_656,
  }),
  model({
    identifier: 'shape-resnet',
    displayName: 'Shape ResNet',
    family: 'resnet',
    trainingRegime: 'shape-biased',
    parameters: null,
  }),
];

const ids = (q: string) => MODELS.filter(matcher(q)).map((m) => m.identifier);

describe('search', () => {
  it('matches words against name, identifier and family, case-insensitively', () => {
    expect(ids('RESNET')).toEqual(['resnet50', 'resnet50-at', 'shape-resnet']);
    expect(ids('')).toHaveLength(4);
    expect(ids('"ResNet-50 AT"')).toEqual(['resnet50-at']);
  });

  it('supports field operators with alternatives and negation', () => {
    expect(ids('regime:adversarial')).toEqual(['resnet50-at']);
    expect(ids('regime:adversarial|shape')).toEqual(['resnet50-at', 'shape-resnet']);
    expect(ids('family:resnet -regime:standard')).toEqual(['resnet50-at', 'shape-resnet']);
    expect(ids('-resnet')).toEqual(['vit-b16']);
  });

  it('compares parameter counts with K/M/B suffixes; unknown counts never match', () => {
    expect(ids('params>50M')).toEqual(['vit-b16']);
    expect(ids('params<=25557032')).toEqual(['resnet50', 'resnet50-at']);
    expect(ids('params>1k params<0.03B')).toEqual(['resnet50', 'resnet50-at']);
    expect(parseCount('1.5B')).toBe(1.5e9);
    expect(parseCount('25M')).toBe(25e6);
  });

  it('reports malformed terms clearly', () => {
    expect(() => parseSearch('colour:red')).toThrow(SearchSyntaxError);
    expect(() => parseSearch('colour:red')).toThrow(/unknown field "colour"/);
    expect(() => parseSearch('params>lots')).toThrow(/not a parameter count/);
    expect(() => parseSearch('family:')).toThrow(/needs a value/);
  });
});
