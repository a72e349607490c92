import { describe, expect, test } from 'vitest';
import { eventRowSchema } from './events.js';

describe('eventRowSchema', () => {
  test('an adverse_event needs a term and a grade 1 to 5', () => {
    const r = eventRowSchema.safeParse({ patient_id: 'P1', date: '2010-01-01', event: 'Adverse_Event' });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(['term', 'grade']);
    expect(
      eventRowSchema.parse({
        patient_id: 'P1',
        date: '2010-01-01',
        event: 'adverse_event',
        term: 'Nausea',
        grade: '2',
      }),
    ).toMatchObject({ event: 'adverse_event', term: 'Nausea', grade: 2, note: null });
  });

  test('other events need neither', () => {
    expect(eventRowSchema.parse({ patient_id: 'P1', date: '2010-01-01', event: 'mds' })).toMatchObject({
      term: null,
    });
  });
});
