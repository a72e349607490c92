import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readExchangeFolder } from './read-exchange-folder.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'exchange');

describe('test/fixtures/exchange', () => {
  test('valid-small is valid and converts to canonical units', async () => {
    const r = await readExchangeFolder(join(fixtures, 'valid-small'));
    if (!r.ok)
      throw new Error(r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join('\n'));
    const { cohort } = r;
    expect(cohort.patients.map((p) => p.patientId)).toEqual(['P001', 'P002', 'P003', 'P004']);
    const p2 = cohort.patients[1]!;
    expect(p2).toMatchObject({ name: 'de Vries,\nPieter', sex: 'M', primarySite: 'midgut', grade: 'G1' });
    expect(p2.deathDate).toBe('2012-08-15');
    expect(cohort.courses.map((c) => `${c.patientId}/${c.courseId}/${c.kind}`)).toEqual([
      'P001/R1/regular',
      'P001/S1/salvage',
      'P002/R1/regular',
      'P003/R1/regular',
    ]);
    const bare = cohort.cycles.find((c) => c.patientId === 'P001' && c.cycle === 3)!;
    expect(bare.administeredAt).toBe('2009-05-04T12:00:00Z');
    const lab = (test: string, unit: string) =>
      cohort.labs.find((l) => l.test === test && l.original.unit === unit)!;
    expect(lab('platelets', '/uL').value).toBe(112);
    expect(lab('neutrophils', '/mm3').value).toBe(2.1);
    expect(lab('hemoglobin', 'g/L')).toMatchObject({ value: 12.8, lln: 12, uln: 16 });
    expect(lab('hemoglobin', 'mmol/L').value).toBeCloseTo(8.1 * 1.611, 12);
    expect(lab('creatinine', 'mg/dL').value).toBeCloseTo(0.9 * 88.42, 12);
    expect(lab('bilirubin', 'mg/dL').value).toBe(13.68);
    expect(lab('albumin', 'g/dL').value).toBe(39);
    expect(cohort.events[0]!.note).toBe('vomited once after the infusion,\nsettled with ondansetron');
    expect(cohort.dosimetry.map((d) => d.region)).toContain('tumour:L1');
    expect(cohort.dosimetry.map((d) => d.region)).toContain('liver');
  });

  test('planted-errors: every planted error is reported, at its file, line and column, in order', async () => {
    const r = await readExchangeFolder(join(fixtures, 'planted-errors'));
    expect(r.ok).toBe(false);
    const located = r.ok ? [] : r.errors.map((e) => `${e.file ?? ''}:${e.line ?? ''}:${e.column ?? ''}`);
    expect(located).toEqual([
      'patients.csv:1:smoker', // unknown column
      'patients.csv:2:last_contact_date', // a scan after the last contact
      'patients.csv:3:death_date', // a lab value after the death (the record starts on line 3, spans 3-4)
      'patients.csv:5:sex', // X
      'patients.csv:6:birth_date', // 2007-02-29
      'patients.csv:6:karnofsky', // 150
      'patients.csv:6:diabetes', // yes
      'patients.csv:7:last_contact_date', // differs from death_date
      'patients.csv:7:last_contact_date', // an event between last contact and death
      'patients.csv:7:death_date', // an event after the death, not reported again on last_contact_date
      'patients.csv:8:patient_id', // P004 again
      'courses.csv:1:intended_cycles', // required column missing
      'courses.csv:4:intended_activity_gbq', // 29600: MBq
      'courses.csv:5:stop_reason', // finished
      'courses.csv:7:course_id', // no cycles
      'courses.csv:8:course_id', // P001 R1 again
      'cycles.csv:3:administered_at', // no offset
      'cycles.csv:4:activity_gbq', // 7400: MBq
      'cycles.csv:5:cycle', // 5 after 3
      'cycles.csv:8:course_id', // R9 does not exist
      'cycles.csv:10:administered_at', // between two cycles of another course
      'cycles.csv:14:administered_at', // cycle 2 before cycle 1
      'cycles.csv:15:cycle', // cycle 2 again
      'labs.csv:2:unit', // g/dL for platelets
      'labs.csv:3:test', // sodium
      'labs.csv:4:value', // negative
      'labs.csv:5:taken_at', // 2009-02-30
      'labs.csv:6:patient_id', // P999
      'labs.csv:8:', // 8 fields for 7 columns
      'labs.csv:10:test', // the same creatinine value again
      'lesions.csv:2:perpendicular_mm', // target without it
      'lesions.csv:3:status', // non_target without it
      'lesions.csv:4:lymph_node', // yes
      'lesions.csv:5:role', // nontarget
      'events.csv:4:grade', // adverse_event without a grade (the record on line 2 spans two lines)
      'events.csv:5:term', // adverse_event without a term
      'events.csv:6:grade', // 7
      'events.csv:7:event', // relapse
      'dosimetry.csv:2:activity_mbq', // organ row without activity or percent
      'dosimetry.csv:3:concentration_mbq_per_ml', // blood row without concentration
      'dosimetry.csv:4:cycle', // cycle 9 does not exist
      'dosimetry.csv:5:region', // kidney
      'dosimetry.csv:6:hours_after', // 0
      'dosimetry.csv:7:hematocrit', // 1.5
    ]);
  });

  test('planted-errors: messages name the bad value and what is accepted', async () => {
    const r = await readExchangeFolder(join(fixtures, 'planted-errors'));
    const messages = r.ok ? [] : r.errors.map((e) => `${e.file ?? ''}:${e.line ?? ''}: ${e.message}`);
    expect(messages).toContain(
      'cycles.csv:4: 7400 GBq is not a plausible activity per cycle (at most 15 GBq): it looks like MBq (7.4 GBq?)',
    );
    expect(messages).toContain(
      "labs.csv:2: 'g/dL' is not a unit of platelets: use 10^9/L, 10^3/uL, /uL, /mm3",
    );
    expect(messages).toContain(
      'patients.csv:7: a kidney_failure event (events.csv line 9) is dated 2012-04-01, after death_date 2012-03-01',
    );
    expect(messages).toContain('labs.csv:8: this row has 8 fields but the header has 7');
  });
});
