import { describe, expect, test } from 'vitest';
import { RankCounts } from './rank-counts.js';

describe('RankCounts', () => {
  test.each([
    ['whole-number weights in integers', true],
    ['fractional weights in doubles', false],
  ])('below and at agree with plain sums (%s), and clear empties everything', (_, integral) => {
    let seed = 9;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const size = 1000;
    const counts = new RankCounts(size, integral);
    const plain = [new Float64Array(size), new Float64Array(size)];
    const touched: number[] = [];
    for (let step = 0; step < 3000; step++) {
      const r = Math.floor(rand() * size);
      const channel = rand() < 0.4 ? 1 : 0;
      const w = integral ? 1 + Math.floor(rand() * 3) : 0.25 + rand();
      counts.add(r, channel, w);
      plain[channel]![r] = plain[channel]![r]! + w;
      touched.push(r);
      if (step % 97 === 0) {
        const q = Math.floor(rand() * (size + 1));
        counts.sumBelow(q);
        const sums = [counts.below0, counts.below1];
        for (const c of [0, 1] as const) {
          const expected = plain[c]!.subarray(0, q).reduce((s, v) => s + v, 0);
          expect(sums[c]).toBeCloseTo(expected, 9);
          if (q < size) expect(counts.at(q, c)).toBeCloseTo(plain[c]![q]!, 12);
        }
      }
    }
    for (const r of touched) counts.clear(r);
    for (let q = 0; q <= size; q += 37) {
      counts.sumBelow(q);
      expect([counts.below0, counts.below1]).toEqual([0, 0]);
    }
  });
});
