import { describe, expect, test } from 'vitest';
import { kmPlotSvg, atRisk, type KmPlotCurve } from './km-plot.js';
import { waterfallSvg } from './waterfall-plot.js';
import { swimmerSvg } from './swimmer-plot.js';
import { niceTicks, esc } from './svg.js';

const curve: KmPlotCurve = {
  label: 'salvage',
  time: [2, 4, 6, 9],
  surv: [0.8, 0.6, 0.6, 0.3],
  lower: [0.5, 0.3, 0.3, null],
  upper: [1, 0.9, 0.9, null],
  nRisk: [5, 4, 3, 2],
  nCensor: [0, 0, 1, 0],
  n: 5,
};

describe('Kaplan–Meier plot', () => {
  test('numbers at risk count subjects with time ≥ t', () => {
    expect(atRisk(curve, 0)).toBe(5);
    expect(atRisk(curve, 4)).toBe(4);
    expect(atRisk(curve, 5)).toBe(3);
    expect(atRisk(curve, 10)).toBe(0);
  });

  test('draws one censoring mark per censored time, a band, a legend and the at-risk table', () => {
    const svg = kmPlotSvg([curve], { title: 'TTP <after> salvage', yLabel: 'Free of progression' });
    expect(svg.match(/class="censor"/g)).toHaveLength(1);
    expect(svg.match(/class="ci-band"/g)).toHaveLength(1);
    expect(svg).toContain('Number at risk');
    expect(svg).toContain('salvage (n=5)');
    expect(svg).toContain('TTP &lt;after&gt; salvage');
    expect(svg).not.toContain('<after>');
    // at-risk row under the ticks 0, 2, 4, … (time 0 shows n)
    const row = [...svg.matchAll(/class="at-risk">(\d+)</g)].map((m) => Number(m[1]));
    expect(row[0]).toBe(5);
  });
});

describe('waterfall plot', () => {
  test('sorts bars from the largest increase and draws the threshold lines', () => {
    const svg = waterfallSvg(
      [
        { id: 'a', change: -0.6, response: 'PR' },
        { id: 'b', change: 0.4, response: 'PD' },
        { id: 'c', change: -0.3, response: 'MR' },
      ],
      { title: 'Best response', thresholds: [-0.5, -0.25, 0.25] },
    );
    const order = [...svg.matchAll(/<title>(\w): /g)].map((m) => m[1]);
    expect(order).toEqual(['b', 'c', 'a']);
    expect(svg.match(/class="threshold"/g)).toHaveLength(3);
  });
});

describe('swimmer plot', () => {
  test('one lane per patient with cycles, responses, progression and the lane end', () => {
    const svg = swimmerSvg(
      [
        {
          id: 'P1',
          courses: [
            { kind: 'regular', start: 0, end: 20 },
            { kind: 'salvage', start: 20, end: 30 },
          ],
          cycles: [0, 2, 4, 20, 22],
          responses: [{ at: 6, response: 'MR' }],
          progressions: [18, 28],
          end: 30,
          died: true,
        },
        {
          id: 'P2',
          courses: [{ kind: 'regular', start: 0, end: 12 }],
          cycles: [0],
          responses: [],
          progressions: [],
          end: 12,
          died: false,
        },
      ],
      { title: 'Swimmer' },
    );
    expect(svg.match(/class="lane"/g)).toHaveLength(2);
    expect(svg.match(/class="cycle"/g)).toHaveLength(6);
    expect(svg.match(/class="progression"/g)).toHaveLength(2);
    expect(svg.match(/class="death"/g)).toHaveLength(1);
    expect(svg.match(/class="alive"/g)).toHaveLength(1);
  });
});

test('nice ticks cover the range with round steps', () => {
  expect(niceTicks(0, 40, 8)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
  expect(niceTicks(-60, 30, 6)).toEqual([-60, -40, -20, 0, 20]);
  expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
