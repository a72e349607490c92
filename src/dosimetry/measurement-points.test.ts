import { expect, test } from 'vitest';
import { cycleSeries } from './measurement-points.js';
import { cycle, kidneyRow } from './model-builders.test-support.js';

test('percent of the cycle activity becomes MBq; masses are averaged; other cycles are ignored', () => {
  const c1 = cycle('P', 'R1', 1, '2010-01-04', 6.0);
  const c2 = cycle('P', 'R1', 2, '2010-03-01', 7.4);
  const rows = [
    kidneyRow(c1, 72, { percentIa: 1, massG: 290 }),
    kidneyRow(c1, 4, { activityMbq: 150, massG: 310 }),
    kidneyRow(c1, 24, { percentIa: 2 }),
    kidneyRow(c2, 24, { percentIa: 5, massG: 100 }),
  ];
  const [kidneys] = cycleSeries(rows, c1);
  expect(kidneys!.region).toBe('kidneys');
  expect(kidneys!.points).toEqual([
    { tH: 4, value: 150 },
    { tH: 24, value: 120 },
    { tH: 72, value: 60 },
  ]);
  expect(kidneys!.massG).toBe(300);
  expect(kidneys!.hematocrit).toBeNull();
});
