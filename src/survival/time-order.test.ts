import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { sortByCodeAndTime } from './time-order.js';

describe('sortByCodeAndTime', () => {
  test('orders rows by (code, time) stably and drops negative codes, for any finite doubles', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            t: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 5 })),
            s: fc.integer({ min: 0, max: 1 }),
            c: fc.integer({ min: -1, max: 3 }),
          }),
          { maxLength: 200 },
        ),
        (rows) => {
          const time = Float64Array.from(rows, (r) => r.t);
          const status = Uint8Array.from(rows, (r) => r.s);
          const codes = Int32Array.from(rows, (r) => r.c);
          const sorted = sortByCodeAndTime(time, status, codes, 4);
          const expected = rows
            .map((r, i) => ({ ...r, i }))
            .filter((r) => r.c >= 0)
            .sort((a, b) => a.c - b.c || a.t - b.t || a.i - b.i);
          expect([...sorted.code]).toEqual(expected.map((r) => r.c));
          expect([...sorted.time].map((t) => t + 0)).toEqual(expected.map((r) => r.t + 0));
          expect([...sorted.status]).toEqual(expected.map((r) => r.s));
        },
      ),
    );
  });

  test('without codes every row is kept in code 0', () => {
    const sorted = sortByCodeAndTime(Float64Array.of(2, -1, 0.5, 2), Uint8Array.of(1, 0, 1, 0), undefined, 1);
    expect([...sorted.time]).toEqual([-1, 0.5, 2, 2]);
    expect([...sorted.status]).toEqual([0, 1, 1, 0]);
    expect([...sorted.code]).toEqual([0, 0, 0, 0]);
  });
});
