/**
 * The JSON of `prrt dosimetry PATIENT_ID --json` (exchange format v1, dosimetry.csv): the keys the format
 * names (`cycles[].kidneys`, `cumulative`, `limits`, `max_next_activity_gbq`) and, beside them, the
 * conservative figures, the means used, the remaining budget and every reason. Numbers at full precision;
 * the marrow keys of `cumulative`, `remaining` and `max_next_activity_gbq` are left out when the marrow
 * dose is not computed (`limits.marrow_dose_gy` is always there).
 */
import type { Reason } from '../clinical/explain.js';
import type { PatientDosimetry } from './patient-dosimetry.js';

export type DosimetryJson = Record<string, unknown>;

const reasons = (because: readonly Reason[]): readonly Reason[] => because;

export function dosimetryJson(d: PatientDosimetry): DosimetryJson {
  const k = d.kidneys;
  const m = d.marrow;
  const nextCandidates: [string, number][] = [
    ['kidneys_dose', k.maxNextActivityGbq.value.dose],
    ['kidneys_bed', k.maxNextActivityGbq.value.bed],
  ];
  if (m !== null) nextCandidates.push(['marrow_dose', m.maxNextActivityGbq.value]);
  const binding = nextCandidates.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
  return {
    patient_id: d.patientId,
    protocol: d.protocol,
    method: d.method,
    risk_factors: { hypertension: d.hypertension, diabetes: d.diabetes },
    cycles: d.cycles.map((c) => ({
      course_id: c.courseId,
      cycle: c.cycle,
      administered_at: c.administeredAt,
      activity_gbq: c.activityGbq,
      kidneys: {
        tia_mbq_h: c.kidneys.tiaMBqH,
        dose_gy: c.kidneys.doseGy,
        bed_gy: c.kidneys.bedGy,
        t_eff_h: c.kidneys.tEffH,
        estimated: c.kidneys.estimated,
        single_point: c.kidneys.singlePoint,
        g: c.kidneys.g,
        method: c.kidneys.method,
        points: c.kidneys.points,
        mass_g: c.kidneys.massG,
        s_value_mgy_per_mbq_s: c.kidneys.sValueMGyPerMBqS,
        dose_per_gbq: c.kidneys.dosePerGbq,
        relative_uncertainty: c.kidneys.relativeUncertainty,
        dose_range_gy: c.kidneys.doseRangeGy,
        bed_upper_gy: c.kidneys.bedUpperGy,
        hanscheid_in_range: c.kidneys.hanscheidInRange,
        because: reasons(c.kidneys.because),
      },
      marrow:
        c.marrow === null
          ? null
          : {
              blood_tia_mbq_h_per_ml: c.marrow.bloodTiaMBqHPerMl,
              dose_gy: c.marrow.doseGy,
              estimated: c.marrow.estimated,
              single_point: c.marrow.singlePoint,
              relative_uncertainty: c.marrow.relativeUncertainty,
              dose_upper_gy: c.marrow.doseUpperGy,
              because: reasons(c.marrow.because),
            },
      organs: c.organs.map((o) => ({
        region: o.region,
        tia_mbq_h: o.tia.tia,
        dose_gy: o.doseGy,
        mass_g: o.massG,
        t_eff_h: o.tia.tEffH,
        single_point: o.tia.singlePoint,
        method: o.tia.method,
        because: reasons(o.because),
      })),
    })),
    mean_dose_per_gbq: {
      kidneys: k.meanDosePerGbq.value,
      kidneys_from: k.meanDosePerGbqFrom,
      marrow: m?.meanDosePerGbq ?? null,
      because: reasons(k.meanDosePerGbq.because),
    },
    mean_g: { value: k.meanG.value, because: reasons(k.meanG.because) },
    cumulative: {
      kidneys_dose_gy: k.cumulative.doseGy,
      kidneys_bed_gy: k.cumulative.bedGy,
      ...(m === null ? {} : { marrow_dose_gy: m.cumulativeDoseGy }),
    },
    cumulative_upper: {
      kidneys_dose_gy: k.cumulativeUpper.doseGy,
      kidneys_bed_gy: k.cumulativeUpper.bedGy,
      ...(m === null ? {} : { marrow_dose_gy: m.cumulativeUpperDoseGy }),
    },
    limits: {
      kidneys_dose_gy: k.limits.value.doseGy,
      kidneys_bed_gy: k.limits.value.bedGy,
      marrow_dose_gy: d.marrowLimitGy,
    },
    limits_because: reasons(k.limits.because),
    remaining: {
      kidneys_dose_gy: k.remaining.doseGy,
      kidneys_bed_gy: k.remaining.bedGy,
      ...(m === null ? {} : { marrow_dose_gy: m.remainingGy }),
    },
    max_next_activity_gbq: {
      kidneys_dose: k.maxNextActivityGbq.value.dose,
      kidneys_bed: k.maxNextActivityGbq.value.bed,
      ...(m === null ? {} : { marrow_dose: m.maxNextActivityGbq.value }),
    },
    max_next_activity_binding: binding,
    max_next_activity_because: reasons([
      ...k.maxNextActivityGbq.because,
      ...(m?.maxNextActivityGbq.because ?? []),
    ]),
    max_next_activity_gbq_conservative: {
      kidneys_dose: k.maxNextActivityGbqConservative.dose,
      kidneys_bed: k.maxNextActivityGbqConservative.bed,
      ...(m === null ? {} : { marrow_dose: m.maxNextActivityGbqConservative }),
    },
    unmeasured_relative_uncertainty: k.unmeasuredUncertainty,
    marrow_note: d.marrowNote,
  };
}
