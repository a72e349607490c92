import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KeyLineSet } from './stream-key-set.js';

const key = fc.oneof(
  fc.integer({ min: -5, max: 40 }),
  fc.integer(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 3, 1.5, -0, 0.1 + 0.2, 1_262_304_000_000),
);

describe('the key set of the streaming checks', () => {
  test('property: behaves as a map of exact pairs to their first line, whatever numbers come', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, key), { maxLength: 3000 }), (pairs) => {
        const set = new KeyLineSet(16);
        const model = new Map<string, number>();
        const text = (a: number, b: number) => `${a + 0} ${b + 0}`;
        pairs.forEach(([a, b], line) => {
          expect(set.has(a, b)).toBe(model.has(text(a, b)));
          expect(set.addOrGet(a, b, line)).toBe(model.get(text(a, b)));
          if (!model.has(text(a, b))) model.set(text(a, b), line);
        });
        expect(set.size).toBe(model.size);
        for (const [a, b] of pairs) expect(set.has(a, b)).toBe(true);
        expect(set.has(0.5, 0.5)).toBe(model.has(text(0.5, 0.5)));
      }),
      { numRuns: 300 },
    );
  });
});
