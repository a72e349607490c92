/**
 * CTCAE v5.0 grading of one laboratory value (protocol `ctcae-5.0`). Values are in canonical units;
 * the LLN/ULN is the row's own, else the exchange-format default for the patient's sex.
 */
import type { Decision, Reason } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { ctcae5 } from '../protocols/ctcae-5.js';
import type { Ctcae5Protocol, DecreasingScale, IncreasingUlnScale } from '../protocols/ctcae-5.js';
import { lowerLimit, upperLimit } from './normal-limits.js';
import type { NormalLimit } from './normal-limits.js';
import { displayUnit, gradeDecreasing, gradeIncreasing } from './scales.js';
import type { ScaleLabel } from './scales.js';

const CRITERIA = 'CTCAE v5.0';

/** The CTCAE v5.0 term under which each test is graded; tests absent here are not graded. */
export const CTCAE5_TERM: Readonly<Partial<Record<LabTest, string>>> = {
  platelets: 'platelet count decreased',
  hemoglobin: 'anemia',
  neutrophils: 'neutrophil count decreased',
  wbc: 'white blood cell decreased',
  lymphocytes: 'lymphocyte count decreased',
  albumin: 'hypoalbuminemia',
  creatinine: 'creatinine increased',
  bilirubin: 'blood bilirubin increased',
  alt: 'alanine aminotransferase increased',
  ast: 'aspartate aminotransferase increased',
  egfr: 'chronic kidney disease (eGFR)',
  creatinine_clearance: 'chronic kidney disease (creatinine clearance)',
};

function notGraded(lab: LabValue, protocol: Ctcae5Protocol): Decision<null> {
  return {
    value: null,
    because: [
      {
        rule: `${CRITERIA} grades no laboratory term for ${lab.test}`,
        observed: { value: lab.value, unit: CANONICAL_UNIT[lab.test] },
        threshold: null,
        source: protocol.name,
      },
    ],
  };
}

function needLimit(limit: NormalLimit | null, lab: LabValue, which: string): NormalLimit {
  if (limit === null) throw new RangeError(`${lab.test}: no ${which} in the row and no default`);
  return limit;
}

/** Creatinine against its baseline: grade 2 above 1.5×, grade 3 above 3.0× (CTCAE v5.0). */
export function gradeCreatinineVsBaseline(
  value: number,
  baseline: number,
  protocol: Ctcae5Protocol = ctcae5,
): Decision<number> {
  const c = protocol.creatinine;
  const unit = CANONICAL_UNIT.creatinine;
  const note = `(baseline ${String(baseline)} ${displayUnit(unit)})`;
  const term = `${CRITERIA} creatinine increased`;
  const g3 = c.grade3AboveBaseline * baseline;
  const g2 = c.grade2AboveBaseline * baseline;
  const observed = { value, unit };
  if (value > g3) {
    return {
      value: 3,
      because: [
        {
          rule: `${term}: >${String(c.grade3AboveBaseline)}× baseline is grade 3 ${note}`,
          observed,
          threshold: { value: g3, unit },
          source: protocol.name,
        },
      ],
    };
  }
  if (value > g2) {
    return {
      value: 2,
      because: [
        {
          rule: `${term}: >${String(c.grade2AboveBaseline)}–${String(c.grade3AboveBaseline)}× baseline is grade 2 ${note}`,
          observed,
          threshold: { value: g2, unit },
          source: protocol.name,
        },
      ],
    };
  }
  return {
    value: 0,
    because: [
      {
        rule: `${term}: ≤${String(c.grade2AboveBaseline)}× baseline gives no grade by the baseline criterion ${note}`,
        observed,
        threshold: { value: g2, unit },
        source: protocol.name,
      },
    ],
  };
}

/**
 * Grades one lab value by CTCAE v5.0, or null when CTCAE grades no laboratory term for the test
 * (chromogranin A). Creatinine is graded against the ULN and, when `baselineCreatinine` is a positive
 * number, against the baseline; the grade is the worse of the two and the deciding reason comes first.
 */
export function gradeCtcae5(
  lab: LabValue,
  sex: Sex,
  baselineCreatinine: number | null = null,
  protocol: Ctcae5Protocol = ctcae5,
): Decision<number | null> {
  const term = CTCAE5_TERM[lab.test];
  if (term === undefined) return notGraded(lab, protocol);
  const label: ScaleLabel = {
    criteria: CRITERIA,
    term,
    unit: CANONICAL_UNIT[lab.test],
    source: protocol.name,
  };
  const down = (scale: DecreasingScale, lln: NormalLimit | null): Decision<number> =>
    gradeDecreasing(lab.value, scale, needLimit(lln, lab, 'LLN'), label);
  const up = (scale: IncreasingUlnScale): Decision<number> =>
    gradeIncreasing(lab.value, scale, needLimit(upperLimit(lab, sex), lab, 'ULN'), label);
  switch (lab.test) {
    case 'platelets':
      return down(protocol.platelets, lowerLimit(lab, sex));
    case 'hemoglobin':
      return down(protocol.anemia, lowerLimit(lab, sex));
    case 'neutrophils':
      return down(protocol.neutrophils, lowerLimit(lab, sex));
    case 'wbc':
      return down(protocol.wbc, lowerLimit(lab, sex));
    case 'lymphocytes':
      return down(protocol.lymphocytes, lowerLimit(lab, sex));
    case 'albumin':
      return down(protocol.hypoalbuminemia, lowerLimit(lab, sex));
    case 'egfr':
    case 'creatinine_clearance': {
      const ckd = protocol.chronicKidneyDisease;
      const lln = lowerLimit(lab, sex) ?? {
        value: ckd.defaultLln,
        unit: label.unit,
        from: `${protocol.name}/chronicKidneyDisease.defaultLln`,
      };
      return down(ckd, lln);
    }
    case 'bilirubin':
      return up(protocol.bilirubin);
    case 'alt':
    case 'ast':
      return up(protocol.transaminases);
    case 'creatinine': {
      const byUln = up(protocol.creatinine);
      if (baselineCreatinine === null || !(baselineCreatinine > 0)) return byUln;
      const byBaseline = gradeCreatinineVsBaseline(lab.value, baselineCreatinine, protocol);
      const because: Reason[] =
        byBaseline.value > byUln.value
          ? [...byBaseline.because, ...byUln.because]
          : [...byUln.because, ...byBaseline.because];
      return { value: Math.max(byUln.value, byBaseline.value), because };
    }
    default:
      return notGraded(lab, protocol);
  }
}
