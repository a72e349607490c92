import { describe, expect, test } from 'vitest';
import { cycleRowSchema } from './cycles.js';

const row = {
  patient_id: 'P1',
  course_id: 'R1',
  cycle: '1',
  administered_at: '2009-03-02',
  activity_gbq: '7.4',
};

describe('cycleRowSchema', () => {
  test('a bare date is 12:00 UTC of that day; the calendar date is kept as written', () => {
    expect(cycleRowSchema.parse(row)).toMatchObject({
      administeredAt: '2009-03-02T12:00:00Z',
      administeredDate: '2009-03-02',
    });
    expect(cycleRowSchema.parse({ ...row, administered_at: '2009-03-02T00:30:00+01:00' })).toMatchObject({
      administeredAt: '2009-03-02T00:30:00+01:00',
      administeredDate: '2009-03-02',
    });
  });

  test('activity must be > 0 and at most 15 GBq; numbers and forms may pass numbers', () => {
    expect(cycleRowSchema.parse({ ...row, activity_gbq: 15 }).activityGbq).toBe(15);
    const r = cycleRowSchema.safeParse({ ...row, activity_gbq: '7400', cycle: '0' });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(['cycle', 'activity_gbq']);
    expect(r.error?.issues[1]?.message).toMatch(
      /^7400 GBq is not a plausible activity per cycle.*MBq \(7\.4 GBq\?\)/,
    );
  });
});
