/**
 * The toxicity rules of dose modification (protocol `lutathera-label`) evaluated on the labs before a
 * planned cycle: thrombocytopenia, anaemia and neutropenia by CTCAE grade, lymphopenia (exempt by
 * default), renal toxicity (Cockcroft–Gault CrCl, creatinine rise and CrCl fall from baseline) and
 * hepatotoxicity (bilirubin × ULN, albumin).
 */
import type { Reason } from './explain.js';
import type { LabTest, LabValue, Sex } from './model.js';
import { CANONICAL_UNIT } from './model.js';
import type { LutatheraLabelProtocol } from './protocols/lutathera-label.js';
import { sourceRef } from './protocols/protocol-types.js';
import { cockcroftGaultClearance } from './toxicity/cockcroft-gault.js';
import { gradeLab } from './toxicity/grade-lab.js';
import { upperLimit } from './toxicity/normal-limits.js';

export const ToxicityCategory = {
  thrombocytopenia: 'thrombocytopenia',
  anemia: 'anemia',
  neutropenia: 'neutropenia',
  lymphopenia: 'lymphopenia',
  renal: 'renal',
  hepatic: 'hepatic',
} as const;
export type ToxicityCategory = (typeof ToxicityCategory)[keyof typeof ToxicityCategory];

/** What the toxicity rules need to know of the patient besides the labs. */
export interface DoseToxicityPatient {
  readonly sex: Sex;
  /** Age in whole years on the planned date; null when unknown (no Cockcroft–Gault then). */
  readonly ageYears: number | null;
  /** Actual body weight; null when unknown (no Cockcroft–Gault then). */
  readonly weightKg: number | null;
  /** Before the course: serum creatinine (µmol/L) and, if measured, creatinine clearance (mL/min). */
  readonly baseline: { readonly creatinineUmolL: number | null; readonly clearanceMlMin?: number | null };
}

const GRADE = 'CTCAE grade';

/**
 * Evaluates every withhold rule of the protocol on the current labs: a reason for each (with `met`, or
 * saying it is not assessable), the toxicity categories met, and the required tests that are missing.
 */
export function assessDoseToxicity(
  input: DoseToxicityPatient,
  labs: Map<LabTest, LabValue>,
  p: LutatheraLabelProtocol,
): { met: ToxicityCategory[]; reasons: Reason[]; missing: LabTest[] } {
  const reasons: Reason[] = [];
  const met: ToxicityCategory[] = [];
  const ref = (path: string): string => sourceRef(p, path);
  const context = { sex: input.sex, baselineCreatinine: input.baseline.creatinineUmolL };

  const haem = (
    test: LabTest,
    category: ToxicityCategory,
    name: string,
    fromGrade: number,
    path: string,
  ): void => {
    const lab = labs.get(test);
    if (lab === undefined) return;
    const g = gradeLab(lab, context, p.gradingCriteria);
    const grade = g.value ?? 0;
    const isMet = grade >= fromGrade;
    reasons.push({
      rule: `${name} grade ≥${String(fromGrade)} withholds the cycle (grade ${String(grade)} on ${lab.takenDate})`,
      observed: { value: grade, unit: GRADE },
      threshold: { value: fromGrade, unit: GRADE },
      source: ref(path),
      met: isMet,
    });
    reasons.push(...g.because);
    if (isMet) met.push(category);
  };

  haem(
    'platelets',
    'thrombocytopenia',
    'thrombocytopenia',
    p.thrombocytopenia.withholdFromGrade,
    'thrombocytopenia.withholdFromGrade',
  );
  haem('hemoglobin', 'anemia', 'anaemia', p.anemia.withholdFromGrade, 'anemia.withholdFromGrade');
  haem(
    'neutrophils',
    'neutropenia',
    'neutropenia',
    p.neutropenia.withholdFromGrade,
    'neutropenia.withholdFromGrade',
  );

  const lymph = labs.get('lymphocytes');
  if (lymph !== undefined) {
    const g = gradeLab(lymph, context, p.gradingCriteria);
    const grade = g.value ?? 0;
    const severe = grade >= p.lymphopenia.withholdFromGrade;
    if (p.lymphopenia.exempt) {
      reasons.push({
        rule: `lymphopenia alone needs no dose modification (grade ${String(grade)} on ${lymph.takenDate})`,
        observed: { value: grade, unit: GRADE },
        threshold: { value: p.lymphopenia.withholdFromGrade, unit: GRADE },
        source: ref('lymphopenia.exempt'),
        met: false,
      });
    } else {
      reasons.push({
        rule: `lymphopenia grade ≥${String(p.lymphopenia.withholdFromGrade)} withholds the cycle (grade ${String(grade)} on ${lymph.takenDate})`,
        observed: { value: grade, unit: GRADE },
        threshold: { value: p.lymphopenia.withholdFromGrade, unit: GRADE },
        source: ref('lymphopenia.withholdFromGrade'),
        met: severe,
      });
      if (severe) met.push('lymphopenia');
    }
    reasons.push(...g.because);
  }

  // Renal toxicity.
  let renal = false;
  const creat = labs.get('creatinine');
  let clearance: { value: number; how: string; because: readonly Reason[] } | null = null;
  if (creat !== undefined && input.ageYears !== null && input.weightKg !== null) {
    const cg = cockcroftGaultClearance({
      ageYears: input.ageYears,
      weightKg: input.weightKg,
      sex: input.sex,
      creatinineUmolL: creat.value,
    });
    clearance = { value: cg.value, how: 'Cockcroft–Gault', because: cg.because };
  } else {
    const measured = labs.get('creatinine_clearance');
    if (measured !== undefined) clearance = { value: measured.value, how: 'measured', because: [] };
  }
  const minCl = p.renal.minClearanceMlMin;
  if (clearance === null) {
    reasons.push({
      rule: `renal: CrCl <${String(minCl)} mL/min not assessable (needs creatinine, age and weight, or a measured clearance)`,
      observed: null,
      threshold: { value: minCl, unit: 'mL/min' },
      source: ref('renal.minClearanceMlMin'),
    });
  } else {
    const isMet = clearance.value < minCl;
    renal ||= isMet;
    reasons.push({
      rule: `renal toxicity: CrCl (${clearance.how}) <${String(minCl)} mL/min`,
      observed: { value: clearance.value, unit: 'mL/min' },
      threshold: { value: minCl, unit: 'mL/min' },
      source: ref('renal.minClearanceMlMin'),
      met: isMet,
    });
    reasons.push(...clearance.because);
  }
  const baseCreat = input.baseline.creatinineUmolL;
  const rise = p.renal.maxCreatinineRiseFraction;
  if (creat !== undefined && baseCreat !== null && baseCreat > 0) {
    const change = (creat.value - baseCreat) / baseCreat;
    const isMet = change >= rise;
    renal ||= isMet;
    reasons.push({
      rule: `renal toxicity: creatinine up ≥${String(rise * 100)}% from baseline ${String(baseCreat)} µmol/L (change ${(change * 100).toFixed(1)}%)`,
      observed: { value: creat.value, unit: CANONICAL_UNIT.creatinine },
      threshold: { value: baseCreat * (1 + rise), unit: CANONICAL_UNIT.creatinine },
      source: ref('renal.maxCreatinineRiseFraction'),
      met: isMet,
    });
  } else {
    reasons.push({
      rule: `renal: creatinine rise ≥${String(rise * 100)}% from baseline not assessable (no ${creat === undefined ? 'current creatinine' : 'baseline creatinine'})`,
      observed: null,
      threshold: null,
      source: ref('renal.maxCreatinineRiseFraction'),
    });
  }
  const fall = p.renal.maxClearanceFallFraction;
  let baseCl = input.baseline.clearanceMlMin ?? null;
  if (
    baseCl === null &&
    baseCreat !== null &&
    baseCreat > 0 &&
    input.ageYears !== null &&
    input.weightKg !== null
  ) {
    baseCl = cockcroftGaultClearance({
      ageYears: input.ageYears,
      weightKg: input.weightKg,
      sex: input.sex,
      creatinineUmolL: baseCreat,
    }).value;
  }
  if (clearance !== null && baseCl !== null && baseCl > 0) {
    const drop = (baseCl - clearance.value) / baseCl;
    const isMet = drop >= fall;
    renal ||= isMet;
    reasons.push({
      rule: `renal toxicity: CrCl down ≥${String(fall * 100)}% from baseline ${baseCl.toFixed(1)} mL/min (change ${(-drop * 100).toFixed(1)}%)`,
      observed: { value: clearance.value, unit: 'mL/min' },
      threshold: { value: baseCl * (1 - fall), unit: 'mL/min' },
      source: ref('renal.maxClearanceFallFraction'),
      met: isMet,
    });
  } else {
    reasons.push({
      rule: `renal: CrCl fall ≥${String(fall * 100)}% from baseline not assessable`,
      observed: null,
      threshold: null,
      source: ref('renal.maxClearanceFallFraction'),
    });
  }
  if (renal) met.push('renal');

  // Hepatotoxicity.
  let hepatic = false;
  const bili = labs.get('bilirubin');
  if (bili !== undefined) {
    const uln = upperLimit(bili, input.sex);
    if (uln !== null) {
      const limit = p.hepatic.bilirubinAboveUlnTimes * uln.value;
      const isMet = bili.value > limit;
      hepatic ||= isMet;
      reasons.push({
        rule: `hepatotoxicity: bilirubin >${String(p.hepatic.bilirubinAboveUlnTimes)}×ULN (ULN ${String(uln.value)} µmol/L, ${uln.from === 'row' ? 'from the lab row' : uln.from})`,
        observed: { value: bili.value, unit: CANONICAL_UNIT.bilirubin },
        threshold: { value: limit, unit: CANONICAL_UNIT.bilirubin },
        source: ref('hepatic.bilirubinAboveUlnTimes'),
        met: isMet,
      });
    }
  }
  const alb = labs.get('albumin');
  if (alb !== undefined) {
    const isMet = alb.value < p.hepatic.albuminBelowGL;
    hepatic ||= isMet;
    reasons.push({
      rule: `hepatotoxicity: albumin <${String(p.hepatic.albuminBelowGL)} g/L (the label's prothrombin-ratio condition is not recorded and not required)`,
      observed: { value: alb.value, unit: CANONICAL_UNIT.albumin },
      threshold: { value: p.hepatic.albuminBelowGL, unit: CANONICAL_UNIT.albumin },
      source: ref('hepatic.albuminBelowGL'),
      met: isMet,
    });
  }
  if (hepatic) met.push('hepatic');

  const missing = p.requiredTests.filter((t) => !labs.has(t));
  return { met, reasons, missing };
}
