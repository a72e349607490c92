/**
 * The patient summary carries the kidney budget of `src/dosimetry` beside the next-step decision: the
 * JSON of `prrt dosimetry --json` for a patient with kidney measurements, `null` for one without.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cohort, DosimetryMeasurement } from '../../src/clinical/model.js';
import { patientRecords } from '../../src/clinical/model.js';
import { dosimetryJson } from '../../src/dosimetry/dosimetry-json.js';
import { patientDosimetry } from '../../src/dosimetry/patient-dosimetry.js';
import { loadPatientRecord } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { openApi, seg, type ApiHarness } from './clinical-api.test-support.js';
import { DECISION_DATE, clinicalCohort } from './clinical-cohort.js';

/** The worked example of the dosimetry notes: 7.4 GBq, kidneys of 300 g imaged at 4, 24, 72 and 168 h. */
const WORKED: readonly (readonly [number, number])[] = [
  [4, 185.0],
  [24, 133.2],
  [72, 88.8],
  [168, 37.0],
];
const WORKED_DOSE_GY = 5.4436;
const WORKED_BED_GY = 5.8486;

const kidneyRow = (patientId: string, hoursAfter: number, activityMbq: number): DosimetryMeasurement => ({
  patientId,
  courseId: 'R1',
  cycle: 1,
  region: 'kidneys',
  hoursAfter,
  activityMbq,
  percentIa: null,
  concentrationMbqPerMl: null,
  massG: 300,
  hematocrit: null,
});

/** The clinical test cohort with NET-003 (running course, one cycle of 7.4 GBq given) measured as in the example. */
function cohortWithDosimetry(): Cohort {
  const base = clinicalCohort();
  return { ...base, dosimetry: [...base.dosimetry, ...WORKED.map(([h, a]) => kidneyRow('NET-003', h, a))] };
}

interface Budget {
  patient_id: string;
  cycles: { course_id: string; cycle: number; kidneys: { dose_gy: number; estimated: boolean } }[];
  mean_dose_per_gbq: { kidneys: number; kidneys_from: string };
  cumulative: { kidneys_dose_gy: number; kidneys_bed_gy: number };
  limits: { kidneys_dose_gy: number; kidneys_bed_gy: number; marrow_dose_gy: number };
  remaining: { kidneys_dose_gy: number; kidneys_bed_gy: number };
  max_next_activity_gbq: { kidneys_dose: number; kidneys_bed: number };
  max_next_activity_binding: string;
}

interface SummaryAnswer {
  next: { kind: string; cycle?: number };
  dosimetry: Budget | null;
}

for (const db of testDatabases()) {
  describe(`${db.dialect}: the kidney budget in the patient summary`, () => {
    let api: ApiHarness;
    const cohort = cohortWithDosimetry();
    const summary = async (id: string) => {
      const r = await api.clinician.get(`/api/patients/${seg(id)}/summary?date=${DECISION_DATE}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<SummaryAnswer>();
    };

    beforeAll(async () => {
      api = await openApi(db, cohort);
    });
    afterAll(async () => {
      await api.close();
    });

    test('a measured patient gets the budget of the pure computation beside the next-cycle decision', async () => {
      const s = await summary('NET-003');
      expect(s.next.kind).toBe('next-cycle');
      expect(s.next.cycle).toBe(2);
      const d = s.dosimetry!;
      expect(d).not.toBeNull();

      // Equal to the computation on the same record, held in memory and read back from the database.
      const record = patientRecords(cohort).find((r) => r.patient.patientId === 'NET-003')!;
      const pure = dosimetryJson(patientDosimetry(record)) as unknown as Budget;
      expect(d.cumulative.kidneys_dose_gy).toBeCloseTo(pure.cumulative.kidneys_dose_gy, 10);
      expect(d.cumulative.kidneys_bed_gy).toBeCloseTo(pure.cumulative.kidneys_bed_gy, 10);
      expect(d.limits).toEqual(pure.limits);
      expect(d.max_next_activity_gbq.kidneys_dose).toBeCloseTo(pure.max_next_activity_gbq.kidneys_dose, 10);
      expect(d.max_next_activity_gbq.kidneys_bed).toBeCloseTo(pure.max_next_activity_gbq.kidneys_bed, 10);
      const stored = await loadPatientRecord(api.store, 'NET-003');
      expect(d).toEqual(JSON.parse(JSON.stringify(dosimetryJson(patientDosimetry(stored)))));

      // And the figures of the worked example: one measured cycle, no risk factor recorded (BED 40 Gy).
      expect(d.cycles).toHaveLength(1);
      expect(d.cycles[0]!.kidneys.estimated).toBe(false);
      expect(d.mean_dose_per_gbq.kidneys_from).toBe('measured');
      expect(d.cumulative.kidneys_dose_gy).toBeCloseTo(WORKED_DOSE_GY, 3);
      expect(d.cumulative.kidneys_bed_gy).toBeCloseTo(WORKED_BED_GY, 3);
      expect(d.limits).toEqual({ kidneys_dose_gy: 23, kidneys_bed_gy: 40, marrow_dose_gy: 2 });
      expect(d.remaining.kidneys_dose_gy).toBeCloseTo(23 - WORKED_DOSE_GY, 3);
      const perGbq = WORKED_DOSE_GY / 7.4;
      expect(d.max_next_activity_gbq.kidneys_dose).toBeCloseTo((23 - WORKED_DOSE_GY) / perGbq, 2);
      expect(d.max_next_activity_gbq.kidneys_bed).toBeGreaterThan(d.max_next_activity_gbq.kidneys_dose);
      expect(d.max_next_activity_binding).toBe('kidneys_dose');
    });

    test('a patient with cycles but no kidney measurement, and one without a course, get null', async () => {
      for (const id of ['NET-002', 'NET-004']) {
        const s = await summary(id);
        expect(s.dosimetry, id).toBeNull();
      }
      expect((await summary('NET-002')).next.kind).toBe('next-cycle');
    });

    test('a single-point patient gets the budget with all four cycles, three estimated', async () => {
      const d = (await summary('NET-001')).dosimetry!;
      expect(d.cycles.map((c) => c.kidneys.estimated)).toEqual([false, true, true, true]);
      // Hypertension: the BED limit is 28 Gy.
      expect(d.limits.kidneys_bed_gy).toBe(28);
      const sum = d.cycles.reduce((s, c) => s + c.kidneys.dose_gy, 0);
      expect(d.cumulative.kidneys_dose_gy).toBeCloseTo(sum, 10);
    });

    test('a kidney measurement added through the API shows in the next summary', async () => {
      expect((await summary('NET-002')).dosimetry).toBeNull();
      const created = await api.clinician.request(
        'POST',
        '/api/patients/NET-002/courses/R1/cycles/1/dosimetry',
        { body: { region: 'kidneys', hours_after: 24, activity_mbq: 140 } },
      );
      expect(created.statusCode, created.body).toBe(201);
      const d = (await summary('NET-002')).dosimetry!;
      expect(d).not.toBeNull();
      expect(d.cycles.map((c) => c.kidneys.estimated)).toEqual([false, true]);
      const stored = await loadPatientRecord(api.store, 'NET-002');
      expect(d).toEqual(JSON.parse(JSON.stringify(dosimetryJson(patientDosimetry(stored)))));
    });

    test('a researcher receives the budget under the pseudonym', async () => {
      const pseudonym = api.ctx.pseudonyms.pseudonym('NET-003');
      const r = await api.researcher.get(`/api/patients/${seg(pseudonym)}/summary?date=${DECISION_DATE}`);
      expect(r.statusCode, r.body).toBe(200);
      const d = r.json<SummaryAnswer>().dosimetry!;
      expect(d.patient_id).toBe(pseudonym);
      expect(d.cumulative.kidneys_dose_gy).toBeCloseTo(WORKED_DOSE_GY, 3);
      expect(r.body).not.toContain('NET-003');
    });
  });
}
