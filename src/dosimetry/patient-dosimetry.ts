/**
 * Organ dosimetry of one patient, cycle by cycle over every course: kidney dose and BED (measured or
 * estimated), the cumulative kidney budget and the largest next activity, the red-marrow budget when a
 * marrow S value is supplied, and organ and lesion doses where masses are known.
 */
import { instant } from '../clinical/lu177.js';
import type { PatientRecord } from '../clinical/model.js';
import { measureCycle, type OrganResult } from './cycle-measured.js';
import { erasmus2010Dosimetry, type DosimetryProtocol } from './dosimetry-protocol.js';
import { kidneyBudget, type KidneyBudget, type KidneyCycle } from './kidney-budget.js';
import { marrowBudget, type MarrowBudget, type MarrowCycle, type MarrowOptions } from './marrow-budget.js';
import type { TiaMethod } from './region-tia.js';

export interface PatientDosimetryOptions {
  readonly protocol?: DosimetryProtocol;
  /** How multi-point curves are integrated; default `trapezoid-tail` (the exchange-format default). */
  readonly method?: TiaMethod;
  /** Marrow self-dose S and options; without it the marrow dose is not computed. */
  readonly marrow?: MarrowOptions | null;
}

export interface CycleDosimetry {
  readonly courseId: string;
  readonly cycle: number;
  readonly administeredAt: string;
  readonly activityGbq: number;
  readonly kidneys: KidneyCycle;
  readonly marrow: MarrowCycle | null;
  /** Liver, spleen, whole body and lesions measured after this cycle. */
  readonly organs: readonly OrganResult[];
}

export interface PatientDosimetry {
  readonly patientId: string;
  readonly protocol: string;
  readonly method: TiaMethod;
  readonly hypertension: boolean | null;
  readonly diabetes: boolean | null;
  readonly cycles: readonly CycleDosimetry[];
  readonly kidneys: KidneyBudget;
  readonly marrow: MarrowBudget | null;
  /** The red-marrow absorbed-dose limit, Gy (shown even when the marrow dose is not computed). */
  readonly marrowLimitGy: number;
  /** Why the marrow is or is not computed. */
  readonly marrowNote: string;
}

export function patientDosimetry(
  record: PatientRecord,
  options: PatientDosimetryOptions = {},
): PatientDosimetry {
  const protocol = options.protocol ?? erasmus2010Dosimetry;
  const method = options.method ?? 'trapezoid-tail';
  const cycles = [...record.cycles].sort(
    (a, b) =>
      instant(a.administeredAt) - instant(b.administeredAt) ||
      a.courseId.localeCompare(b.courseId) ||
      a.cycle - b.cycle,
  );
  const measured = cycles.map((c) => measureCycle(c, record.dosimetry, method, protocol));
  const kidneys = kidneyBudget(record.patient, measured, protocol);
  const marrowOptions = options.marrow ?? null;
  const marrow =
    marrowOptions === null ? null : marrowBudget(record.patient, measured, marrowOptions, protocol);
  const marrowNote =
    marrowOptions === null
      ? 'red-marrow dose not computed: no marrow self-dose S value was supplied (none is shipped; see the documentation)'
      : marrow === null
        ? 'red-marrow dose not computed: no blood samples'
        : 'red-marrow self-dose from blood samples (cross-dose from organs and tumours not included)';
  return {
    patientId: record.patient.patientId,
    protocol: protocol.name,
    method,
    hypertension: record.patient.hypertension,
    diabetes: record.patient.diabetes,
    cycles: measured.map((m, i) => ({
      courseId: m.cycle.courseId,
      cycle: m.cycle.cycle,
      administeredAt: m.cycle.administeredAt,
      activityGbq: m.cycle.activityGbq,
      kidneys: kidneys.cycles[i]!,
      marrow: marrow?.cycles[i] ?? null,
      organs: m.organs,
    })),
    kidneys,
    marrow,
    marrowLimitGy: protocol.limits.marrowDoseGy,
    marrowNote,
  };
}
