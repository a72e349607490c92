import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { daysBetween } from '../clinical/dates.js';
import { patientRecords, type Cohort } from '../clinical/model.js';
import { deriveCourseEndpoints, type CourseEndpoints } from '../clinical/endpoints/index.js';
import { cohortToExchangeFiles } from './csv-export/index.js';
import { parseExchangeFiles } from './exchange-folder/index.js';
import { loadCohort, type CohortName } from './interop.test-support.js';
import { Pseudonymiser, pseudonymiseCohort, shiftDateText } from './pseudonymise.js';

const SECRET = 'site-secret-4f9c2a71d8e35b60';

function endpointsBy(cohort: Cohort, rename: (id: string) => string): Map<string, CourseEndpoints> {
  const out = new Map<string, CourseEndpoints>();
  for (const record of patientRecords(cohort)) {
    for (const e of deriveCourseEndpoints(record)) out.set(`${rename(e.patientId)}/${e.courseId}`, e);
  }
  return out;
}

/** What a study reads from a course, without its calendar dates. */
function outcome(e: CourseEndpoints) {
  const tte = (t: CourseEndpoints['ttp']) => ({ days: t.days, months: t.months, event: t.event });
  return {
    kind: e.kind,
    ttp: tte(e.ttp),
    pfs: tte(e.pfs),
    os: tte(e.os),
    priorCourseTtp: e.priorCourseTtp === null ? null : tte(e.priorCourseTtp),
    scans: e.scans.map((s) => ({ day: daysBetween(e.start, s.date), response: s.response, sum: s.sum })),
    bestResponse: e.bestResponse,
    achieved: e.achieved,
    followUpDays: e.followUpDays,
    toxicity: Object.fromEntries(Object.entries(e.toxicity.byTest).map(([t, w]) => [t, w.grade])),
    haematological: e.toxicity.haematological?.grade ?? null,
    delayed: e.toxicity.anyDelayedEvent,
    adverse: e.toxicity.adverseEvents.map((a) => [a.term, a.worstGrade]),
  };
}

/** Every calendar date of a patient's rows, in cohort order, as [patientId, what, date]. */
function datesOf(c: Cohort): [string, string, string][] {
  return [
    ...c.patients.flatMap((p) =>
      [
        ['diagnosis', p.diagnosisDate],
        ['last contact', p.lastContactDate],
        ['death', p.deathDate],
      ].flatMap(([what, d]) => (d === null ? [] : [[p.patientId, what!, d!] as [string, string, string]])),
    ),
    ...c.cycles.flatMap((x): [string, string, string][] => [
      [x.patientId, 'administeredAt', x.administeredAt],
      [x.patientId, 'administeredDate', x.administeredDate],
    ]),
    ...c.labs.flatMap((x): [string, string, string][] => [
      [x.patientId, 'takenAt', x.takenAt],
      [x.patientId, 'takenDate', x.takenDate],
    ]),
    ...c.lesions.map((x): [string, string, string] => [x.patientId, 'scan', x.scanDate]),
    ...c.events.map((x): [string, string, string] => [x.patientId, 'event', x.date]),
  ];
}

describe.each(['demo', 'valid-small'] as CohortName[])('%s pseudonymised', (name) => {
  test('TTP, PFS, OS, responses, best responses and toxicity grades are those of the original', async () => {
    const cohort = await loadCohort(name);
    const p = new Pseudonymiser({ secret: SECRET });
    const before = endpointsBy(cohort, (id) => p.patientId(id));
    const after = endpointsBy(pseudonymiseCohort(cohort, { secret: SECRET }), (id) => id);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(before.size).toBe(cohort.courses.length);
    for (const [key, e] of before) expect(outcome(after.get(key)!), key).toStrictEqual(outcome(e));
  });

  test('no name, MRN, original id, note, birth date or secret in the output; it is a valid folder', async () => {
    const cohort = await loadCohort(name);
    const files = cohortToExchangeFiles(pseudonymiseCohort(cohort, { secret: SECRET }));
    const text = [...files.values()].join('\n');
    const parsed = parseExchangeFiles(files);
    expect(parsed.ok).toBe(true);
    expect(text).not.toContain(SECRET);
    for (const p of cohort.patients) {
      expect(text).not.toContain(p.patientId);
      if (p.name !== null) expect(text).not.toContain(p.name);
      if (p.mrn !== null) expect(text).not.toContain(p.mrn);
      if (p.birthDate !== null && !p.birthDate.endsWith('-07-01')) expect(text).not.toContain(p.birthDate);
    }
    for (const e of cohort.events) if (e.note !== null) expect(text).not.toContain(e.note);
    const out = parsed.ok ? parsed.cohort : cohort;
    expect(out.patients.every((p) => p.name === null && p.mrn === null)).toBe(true);
    expect(out.patients.map((p) => p.birthDate)).toEqual(
      cohort.patients.map((p) => (p.birthDate === null ? null : `${p.birthDate.slice(0, 4)}-07-01`)),
    );
  });

  test('every date of a patient moves by the same offset, never 0, keeping time of day and offset', async () => {
    const cohort = await loadCohort(name);
    const p = new Pseudonymiser({ secret: SECRET });
    const original = datesOf(cohort);
    const shifted = datesOf(pseudonymiseCohort(cohort, { secret: SECRET }));
    expect(shifted.length).toBe(original.length);
    original.forEach(([id, what, d], i) => {
      const [pid, what2, d2] = shifted[i]!;
      const shift = p.shiftDays(id);
      expect(pid).toBe(p.patientId(id));
      expect(what2).toBe(what);
      expect(shift).not.toBe(0);
      expect(Math.abs(shift)).toBeLessThanOrEqual(180);
      expect(d2).not.toBe(d);
      expect(daysBetween(d.slice(0, 10), d2.slice(0, 10))).toBe(shift);
      expect(d2.slice(10)).toBe(d.slice(10));
    });
  });
});

describe('pseudonyms and offsets', () => {
  test('a pseudonym is P- and the first 60 bits of HMAC-SHA-256(secret, id) in base32', () => {
    const digest = createHmac('sha256', SECRET).update('patient-id\u0000SD-001').digest();
    const bits = digest.readBigUInt64BE(0) >> 4n;
    const expected = Array.from(
      { length: 12 },
      (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Number((bits >> BigInt(55 - 5 * i)) & 31n)],
    ).join('');
    expect(new Pseudonymiser({ secret: SECRET }).patientId('SD-001')).toBe(`P-${expected}`);
  });

  test('the same id and secret give the same pseudonym and shift; another secret gives others', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/), (id) => {
        const a = new Pseudonymiser({ secret: SECRET });
        const b = new Pseudonymiser({ secret: Buffer.from(SECRET) });
        const other = new Pseudonymiser({ secret: `${SECRET}x` });
        expect(a.patientId(id)).toMatch(/^P-[A-Z2-7]{12}$/);
        expect(b.patientId(id)).toBe(a.patientId(id));
        expect(b.shiftDays(id)).toBe(a.shiftDays(id));
        expect(other.patientId(id)).not.toBe(a.patientId(id));
      }),
    );
  });

  test('shifts spread over both directions within the bound', () => {
    const p = new Pseudonymiser({ secret: SECRET, maxShiftDays: 30 });
    const shifts = Array.from({ length: 400 }, (_, i) => p.shiftDays(`id-${i}`));
    expect(shifts.every((s) => s !== 0 && Math.abs(s) <= 30)).toBe(true);
    expect(shifts.some((s) => s < 0) && shifts.some((s) => s > 0)).toBe(true);
    expect(new Set(shifts).size).toBeGreaterThan(40);
  });

  test('a date-time keeps its time of day and offset across a year end', () => {
    expect(shiftDateText('2009-12-30T23:15:00+01:00', 3)).toBe('2010-01-02T23:15:00+01:00');
    expect(shiftDateText('2008-03-01', -1)).toBe('2008-02-29');
  });

  test('a short secret is refused', () => {
    expect(() =>
      pseudonymiseCohort(
        { patients: [], courses: [], cycles: [], labs: [], lesions: [], events: [], dosimetry: [] },
        { secret: 'short' },
      ),
    ).toThrow(RangeError);
  });
});
