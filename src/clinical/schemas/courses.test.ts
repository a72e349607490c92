import { describe, expect, test } from 'vitest';
import { courseRowSchema } from './courses.js';

const row = {
  patient_id: 'P1',
  course_id: 'S1',
  kind: 'Salvage',
  intended_cycles: '2',
  intended_activity_gbq: '14.8',
};

describe('courseRowSchema', () => {
  test('raw cells become a Course', () => {
    expect(courseRowSchema.parse(row)).toEqual({
      patientId: 'P1',
      courseId: 'S1',
      kind: 'salvage',
      intendedCycles: 2,
      intendedActivityGbq: 14.8,
      stopReason: null,
    });
  });

  test('an intended activity over 60 GBq is refused with the MBq or mCi hint', () => {
    const r = courseRowSchema.safeParse({ ...row, intended_activity_gbq: '800', intended_cycles: '11' });
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['intended_cycles', '11 is out of range: it must be from 1 to 10'],
      [
        'intended_activity_gbq',
        '800 GBq is not a plausible intended cumulative activity of a course (at most 60 GBq): it looks like MBq (0.8 GBq?) or mCi (29.6 GBq?)',
      ],
    ]);
  });
});
