/**
 * CTCAE v5.0 grading of one laboratory value (protocol `ctcae-5.0`). Values are in canonical units;
 * the LLN/ULN is the row's own, else the exchange-format default for the patient's sex.
 */
import { lazyDecision, type Decision } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { ctcae5 } from '../protocols/ctcae-5.js';
import type { Ctcae5Protocol, IncreasingUlnScale } from '../protocols/ctcae-5.js';
import { defaultLln, defaultUln, lowerLimit, upperLimit } from './normal-limits.js';
import {
  decreasingGrade,
  displayUnit,
  grade1Cut,
  gradeDecreasing,
  gradeIncreasing,
  increasingGrade,
} from './scales.js';
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

/**
 * The grade of creatinine against its baseline: 3 above `grade3AboveBaseline` × baseline, 2 above
 * `grade2AboveBaseline` × baseline, else 0. The numeric core of `gradeCreatinineVsBaseline`.
 */
export function creatinineVsBaselineGrade(
  value: number,
  baseline: number,
  protocol: Ctcae5Protocol = ctcae5,
): 0 | 2 | 3 {
  const c = protocol.creatinine;
  if (value > c.grade3AboveBaseline * baseline) return 3;
  if (value > c.grade2AboveBaseline * baseline) return 2;
  return 0;
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
  const grade = creatinineVsBaselineGrade(value, baseline, protocol);
  if (grade === 3) {
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
  if (grade === 2) {
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

/** The tests graded on a decreasing scale, and the protocol entry holding each scale. */
const DECREASING_SCALE: Partial<
  Record<
    LabTest,
    | 'platelets'
    | 'anemia'
    | 'neutrophils'
    | 'wbc'
    | 'lymphocytes'
    | 'hypoalbuminemia'
    | 'chronicKidneyDisease'
  >
> = {
  platelets: 'platelets',
  hemoglobin: 'anemia',
  neutrophils: 'neutrophils',
  wbc: 'wbc',
  lymphocytes: 'lymphocytes',
  albumin: 'hypoalbuminemia',
  egfr: 'chronicKidneyDisease',
  creatinine_clearance: 'chronicKidneyDisease',
};

/** The increasing scale (multiples of the ULN) on which CTCAE v5.0 grades a test, if any. */
function increasingScale(test: LabTest, protocol: Ctcae5Protocol): IncreasingUlnScale | undefined {
  switch (test) {
    case 'bilirubin':
      return protocol.bilirubin;
    case 'alt':
    case 'ast':
      return protocol.transaminases;
    case 'creatinine':
      return protocol.creatinine;
    default:
      return undefined;
  }
}

function missingLimit(lab: LabValue, which: string): RangeError {
  return new RangeError(`${lab.test}: no ${which} in the row and no default`);
}

const labels = new Map<string, Map<LabTest, ScaleLabel>>();

/** The (cached) label a scale uses in its reasons. */
function scaleLabel(test: LabTest, term: string, source: string): ScaleLabel {
  let bySource = labels.get(source);
  if (bySource === undefined) {
    bySource = new Map();
    labels.set(source, bySource);
  }
  let label = bySource.get(test);
  if (label === undefined) {
    label = { criteria: CRITERIA, term, unit: CANONICAL_UNIT[test], source };
    bySource.set(test, label);
  }
  return label;
}

/**
 * The CTCAE v5.0 grade of one lab value, or null when CTCAE grades no laboratory term for the test: the
 * value of `gradeCtcae5`, by the same scales and limits, without building its reasons (for grading many
 * values and explaining only the worst).
 */
export function ctcae5Grade(
  lab: LabValue,
  sex: Sex,
  baselineCreatinine: number | null = null,
  protocol: Ctcae5Protocol = ctcae5,
): number | null {
  const term = CTCAE5_TERM[lab.test];
  if (term === undefined) return null;
  const decreasing = DECREASING_SCALE[lab.test];
  if (decreasing !== undefined) {
    const lln =
      lab.lln ??
      defaultLln(lab.test, sex) ??
      (decreasing === 'chronicKidneyDisease' ? protocol.chronicKidneyDisease.defaultLln : null);
    if (lln === null) throw missingLimit(lab, 'LLN');
    const scale = protocol[decreasing];
    return decreasingGrade(lab.value, scale, grade1Cut(scale, lln, CRITERIA, term));
  }
  const scale = increasingScale(lab.test, protocol);
  if (scale === undefined) return null;
  const uln = lab.uln ?? defaultUln(lab.test, sex);
  if (uln === null) throw missingLimit(lab, 'ULN');
  const byUln = increasingGrade(lab.value, scale, uln);
  if (lab.test !== 'creatinine' || baselineCreatinine === null || !(baselineCreatinine > 0)) return byUln;
  return Math.max(byUln, creatinineVsBaselineGrade(lab.value, baselineCreatinine, protocol));
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
  const label = scaleLabel(lab.test, term, protocol.name);
  const decreasing = DECREASING_SCALE[lab.test];
  if (decreasing !== undefined) {
    const scale = protocol[decreasing];
    const lln =
      decreasing === 'chronicKidneyDisease'
        ? (lowerLimit(lab, sex) ?? {
            value: protocol.chronicKidneyDisease.defaultLln,
            unit: label.unit,
            from: `${protocol.name}/chronicKidneyDisease.defaultLln`,
          })
        : lowerLimit(lab, sex);
    if (lln === null) throw missingLimit(lab, 'LLN');
    return gradeDecreasing(lab.value, scale, lln, label);
  }
  const scale = increasingScale(lab.test, protocol);
  if (scale === undefined) return notGraded(lab, protocol);
  const uln = upperLimit(lab, sex);
  if (uln === null) throw missingLimit(lab, 'ULN');
  const byUln = gradeIncreasing(lab.value, scale, uln, label);
  if (lab.test !== 'creatinine' || baselineCreatinine === null || !(baselineCreatinine > 0)) return byUln;
  const byBaseline = gradeCreatinineVsBaseline(lab.value, baselineCreatinine, protocol);
  return lazyDecision(Math.max(byUln.value, byBaseline.value), () =>
    byBaseline.value > byUln.value
      ? [...byBaseline.because, ...byUln.because]
      : [...byUln.because, ...byBaseline.because],
  );
}
