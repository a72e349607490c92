import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ErrorDetail } from '../../errors.js';
import { parseExchangeFiles } from './parse-exchange-files.js';

const PATIENTS = 'patient_id,sex,primary_site,last_contact_date,death_date\nP1,F,midgut,2012-01-01,\n';
const COURSES = 'patient_id,course_id,kind,intended_cycles,intended_activity_gbq\nP1,R1,regular,4,29.6\n';
const CYCLES = 'patient_id,course_id,cycle,administered_at,activity_gbq\nP1,R1,1,2010-01-01,7.4\n';

function folder(files: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries({ 'patients.csv': PATIENTS, 'courses.csv': COURSES, 'cycles.csv': CYCLES, ...files }),
  );
}

function errors(files: Record<string, string>, drop: string[] = []): ErrorDetail[] {
  const map = folder(files);
  for (const name of drop) map.delete(name);
  const r = parseExchangeFiles(map);
  return r.ok ? [] : r.errors;
}

const at = (e: ErrorDetail) => `${e.file ?? ''}:${e.line ?? ''}:${e.column ?? ''}`;

describe('parseExchangeFiles', () => {
  test('the three required files are enough; a patient without courses is allowed', () => {
    const r = parseExchangeFiles(folder({ 'patients.csv': `${PATIENTS}P2,M,other,2012-01-01,\n` }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.cohort.patients).toHaveLength(2);
  });

  test('a missing required file is one error about the whole file, and its references are not checked', () => {
    expect(errors({}, ['cycles.csv']).map(at)).toEqual(['cycles.csv::']);
    expect(errors({}, ['patients.csv']).map(at)).toEqual(['patients.csv::']);
  });

  test('a CSV that is not a file of the format is an error; an empty file is an error on line 1', () => {
    expect(errors({ 'lab.csv': 'x\n' }).map(at)).toEqual(['lab.csv::']);
    expect(errors({ 'labs.csv': '\uFEFF\r\n' }).map(at)).toEqual(['labs.csv:1:']);
  });

  test('header names match case-insensitively and errors name the column as written', () => {
    const e = errors({
      'patients.csv': 'Patient_ID,SEX,primary_site,last_contact_date\nP1,Q,midgut,2012-01-01\n',
    });
    expect(e.map(at)).toEqual(['patients.csv:2:SEX']);
  });

  test('unknown and repeated columns are errors on line 1; a missing required column is reported once', () => {
    const e = errors({
      'labs.csv':
        'patient_id,taken_at,test,value,units,value\nP1,2010-01-01,wbc,4,10^9/L,4\nP1,2010-02-01,wbc,4,10^9/L,4\n',
    });
    expect(e.map(at)).toEqual(['labs.csv:1:units', 'labs.csv:1:value', 'labs.csv:1:unit']);
  });

  test('a blank line inside a file and a row with too few fields are errors; blank lines at the end are not', () => {
    const e = errors({
      'events.csv': 'patient_id,date,event\nP1,2010-01-01,mds\n\nP1,2010-02-01\nP1,2010-03-01,aml\n\n\r\n',
    });
    expect(e.map(at)).toEqual(['events.csv:3:', 'events.csv:4:']);
  });

  test('a dead patient: last contact must equal death; rows after death are reported once, on death_date', () => {
    const e = errors({
      'patients.csv':
        'patient_id,sex,primary_site,last_contact_date,death_date\nP1,F,midgut,2011-01-01,2011-06-01\n',
      'events.csv': 'patient_id,date,event\nP1,2011-03-01,mds\nP1,2011-07-01,aml\nP1,2010-01-01,mds\n',
    });
    expect(e.map((x) => `${at(x)} ${x.message}`)).toEqual([
      'patients.csv:2:last_contact_date last_contact_date 2011-01-01 must equal death_date 2011-06-01 for a patient who has died',
      'patients.csv:2:last_contact_date a mds event (events.csv line 2) is dated 2011-03-01, after last_contact_date 2011-01-01',
      'patients.csv:2:death_date a aml event (events.csv line 3) is dated 2011-07-01, after death_date 2011-06-01',
    ]);
  });

  test('a date-time counts by its calendar date as written for the last-contact rule', () => {
    const cycles =
      'patient_id,course_id,cycle,administered_at,activity_gbq\nP1,R1,1,2012-01-01T23:30:00-05:00,7.4\n';
    expect(errors({ 'cycles.csv': cycles })).toEqual([]);
  });

  test('cycles of two courses that interleave: the cycle lying between is the one reported', () => {
    const e = errors({
      'courses.csv': `${COURSES}P1,S1,salvage,2,14.8\n`,
      'cycles.csv':
        'patient_id,course_id,cycle,administered_at,activity_gbq\n' +
        'P1,R1,1,2010-01-01,7.4\nP1,S1,1,2010-03-01,7.4\nP1,R1,2,2010-05-01,7.4\nP1,S1,2,2010-07-01,7.4\n',
    });
    expect(e.map(at)).toEqual(['cycles.csv:3:administered_at', 'cycles.csv:4:administered_at']);
  });

  test('cycle numbering must start at 1', () => {
    const e = errors({
      'cycles.csv': 'patient_id,course_id,cycle,administered_at,activity_gbq\nP1,R1,2,2010-01-01,7.4\n',
    });
    expect(e.map((x) => `${at(x)} ${x.message}`)).toEqual([
      'cycles.csv:2:cycle course R1 of patient P1 starts at cycle 2: cycles are numbered from 1',
    ]);
  });

  test('errors are ordered by file (in the format order), then line', () => {
    const e = errors({
      'cycles.csv': 'patient_id,course_id,cycle,administered_at,activity_gbq\nP1,R1,1,2010-01-01,99\n',
      'patients.csv':
        'patient_id,sex,primary_site,last_contact_date\nP1,F,midgut,2012-01-01\nP2,F,lung,2012-01-01\n',
      'labs.csv': 'patient_id,taken_at,test,value,unit\nP1,2010-01-01,wbc,4,g\n',
    });
    expect(e.map(at)).toEqual([
      'patients.csv:3:primary_site',
      'cycles.csv:2:activity_gbq',
      'labs.csv:2:unit',
    ]);
  });

  test('property: an error on any row is reported on the line where that record starts', () => {
    const note = fc.string({ unit: fc.constantFrom('x', ' ', ',', '\n', '\r\n', '"'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(note, { minLength: 1, maxLength: 12 }), fc.nat(), (notes, pick) => {
        const bad = pick % notes.length;
        let line = 2;
        let expectedLine = 0;
        const rows = notes.map((n, i) => {
          if (i === bad) expectedLine = line;
          line += n.split(/\r\n|\n/).length - 1 + 1;
          return `P1,2010-${String(i + 1).padStart(2, '0')}-01,${i === bad ? 'mds?' : 'mds'},,,"${n.replace(/"/g, '""')}"`;
        });
        const e = errors({ 'events.csv': `patient_id,date,event,term,grade,note\n${rows.join('\r\n')}\n` });
        expect(e.filter((x) => x.column === 'event').map((x) => x.line)).toEqual([expectedLine]);
      }),
    );
  });
});
