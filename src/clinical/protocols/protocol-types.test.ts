import { describe, expect, test } from 'vitest';
import type { Source } from '../explain.js';
import { checkSourcesComplete, parameterPaths, sourceRef, unverifiedParameters } from './protocol-types.js';
import type { SourceMap } from './protocol-types.js';

const sample = {
  name: 'sample',
  a: 1,
  nested: { b: 'x', deeper: { c: true, d: null } },
  list: [1, 2, 3],
} as const;

const src = (cite: string, verified = true): Source => ({ cite, verified });

describe('parameterPaths', () => {
  test('lists every leaf except the top-level name; arrays count as one leaf', () => {
    expect(parameterPaths(sample).sort()).toEqual([
      'a',
      'list',
      'nested.b',
      'nested.deeper.c',
      'nested.deeper.d',
    ]);
  });
  test('a nested key called name is a parameter', () => {
    expect(parameterPaths({ name: 'p', sub: { name: 'q' } })).toEqual(['sub.name']);
  });
});

describe('checkSourcesComplete', () => {
  const full: SourceMap<typeof sample> = {
    a: src('A'),
    'nested.b': src('B'),
    'nested.deeper.c': src('C', false),
    'nested.deeper.d': src('D'),
    list: src('L'),
  };
  test('a full map is complete', () => {
    expect(checkSourcesComplete(sample, full)).toEqual({ missing: [], unknown: [], empty: [] });
  });
  test('reports a missing, an unknown and an empty entry', () => {
    const partial: Record<string, Source> = { ...full, extra: src('E'), a: src('  ') };
    delete partial['nested.b'];
    expect(checkSourcesComplete(sample, partial)).toEqual({
      missing: ['nested.b'],
      unknown: ['extra'],
      empty: ['a'],
    });
  });
  test('unverifiedParameters lists the unverified entries', () => {
    expect(unverifiedParameters(full)).toEqual(['nested.deeper.c']);
  });
});

test('sourceRef names protocol and path', () => {
  expect(sourceRef(sample)).toBe('sample');
  expect(sourceRef(sample, 'nested.b')).toBe('sample/nested.b');
});
