import { describe, expect, test } from 'vitest';
import { decide } from '../explain.js';
import { erasmus2010Endpoints } from '../protocols/erasmus-2010-endpoints.js';
import { bestResponse, inBestResponseWindow } from './best-response.js';
import type { BestResponseRules } from './best-response.js';
import type { ScanResponse } from './scan-response.js';
import type { TumourResponse } from './tumour-response.js';

function scan(
  date: string,
  response: TumourResponse,
  changeFromBaseline: number | null = null,
): ScanResponse {
  return {
    date,
    response,
    sum: null,
    sumUnit: 'mm²',
    complete: changeFromBaseline !== null,
    baselineSum: null,
    nadir: null,
    changeFromBaseline,
    changeFromNadir: null,
    explanation: decide(response),
  };
}

const rules: BestResponseRules = {
  order: erasmus2010Endpoints.response.bestOrder,
  confirmation: erasmus2010Endpoints.response.swogMr.confirmation,
  sdMinimumDays: null,
  source: 'erasmus-2010/response.bestOrder',
};
const window = { courseStart: '2010-01-10', nextCourseStart: null, progressionDate: null };

describe('best response', () => {
  test('the best in the order CR > PR > MR > SD > PD > NE', () => {
    const pairs: [TumourResponse[], TumourResponse][] = [
      [['SD', 'MR', 'SD'], 'MR'],
      [['MR', 'PR'], 'PR'],
      [['NE', 'PD'], 'PD'],
      [['PD', 'SD'], 'SD'],
      [['NE', 'NE'], 'NE'],
      [['PR', 'CR', 'MR'], 'CR'],
    ];
    for (const [responses, expected] of pairs) {
      const scans = responses.map((r, i) => scan(`2010-0${String(i + 3)}-01`, r));
      expect(bestResponse(scans, window, rules).response).toBe(expected);
    }
  });

  test('no follow-up scan is NE', () => {
    const b = bestResponse([], window, rules);
    expect(b).toMatchObject({ response: 'NE', scanDate: null, bestChangeFromBaseline: null });
  });

  test('the window: after the start, before the next course start, on or before progression', () => {
    const w = { courseStart: '2010-01-10', nextCourseStart: '2011-01-10', progressionDate: '2010-06-01' };
    expect(inBestResponseWindow('2010-01-10', w)).toBe(false);
    expect(inBestResponseWindow('2010-01-11', w)).toBe(true);
    expect(inBestResponseWindow('2010-06-01', w)).toBe(true);
    expect(inBestResponseWindow('2010-06-02', w)).toBe(false);
    expect(inBestResponseWindow('2011-01-10', { ...w, progressionDate: null })).toBe(false);
    expect(inBestResponseWindow('2011-01-09', { ...w, progressionDate: null })).toBe(true);
  });

  test('scans after progression do not count, nor does their change from baseline', () => {
    const scans = [
      scan('2010-01-10', 'CR', -1),
      scan('2010-03-01', 'SD', -0.1),
      scan('2010-05-01', 'PD', 0.4),
      scan('2010-07-01', 'PR', -0.6),
    ];
    const b = bestResponse(scans, { ...window, progressionDate: '2010-05-01' }, rules);
    expect(b).toMatchObject({ response: 'SD', scanDate: '2010-03-01', bestChangeFromBaseline: -0.1 });
    expect(b.scanDates).toEqual(['2010-03-01', '2010-05-01']);
  });

  test('confirmation (off by default): a PR needs a scan ≥ 28 days later that is PR or better', () => {
    const on: BestResponseRules = { ...rules, confirmation: { ...rules.confirmation, required: true } };
    const seq = (d2: string, r2: TumourResponse) => [scan('2010-03-01', 'PR'), scan(d2, r2)];
    expect(bestResponse(seq('2010-03-29', 'PR'), window, on).response).toBe('PR');
    expect(bestResponse(seq('2010-03-28', 'PR'), window, on).response).toBe('SD'); // 27 days
    expect(bestResponse(seq('2010-04-30', 'MR'), window, on).response).toBe('MR'); // confirmed as MR
    expect(bestResponse(seq('2010-04-30', 'SD'), window, on).response).toBe('SD');
    expect(bestResponse(seq('2010-03-28', 'PR'), window, rules).response).toBe('PR'); // default: no confirmation
  });

  test('SD minimum duration (off by default): an early SD counts as NE', () => {
    const on: BestResponseRules = { ...rules, sdMinimumDays: 42 };
    expect(bestResponse([scan('2010-02-20', 'SD')], window, on).response).toBe('NE'); // 41 days
    expect(bestResponse([scan('2010-02-21', 'SD')], window, on).response).toBe('SD'); // 42 days
    expect(bestResponse([scan('2010-02-20', 'SD'), scan('2010-03-01', 'PD')], window, on).response).toBe(
      'PD',
    );
    expect(bestResponse([scan('2010-02-20', 'SD')], window, rules).response).toBe('SD');
  });
});
