/**
 * CTCAE v5.0 grading of one laboratory value (protocol `ctcae-5.0`). Values are in canonical units;
 * the LLN/ULN is the row's own, else the exchange-format default for the patient's sex.
 */
import { lazyDecision, type Decision } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { ctcae5 } from '../protocols/ctcae-5.js';
import type { Ctcae5Protocol } from '../protocols/ctcae-5.js';
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

const labels = new Map<string, ScaleLabel>();

/** The (cached) label a scale uses in its reasons. */
function scaleLabel(test: LabTest, term: string, source: string): ScaleLabel {
  const key = `${source}\u0000${test}`;
  let label = labels.get(key);
  if (label === undefined) {
    label = { criteria: CRITERIA, term, unit: CANONICAL_UNIT[test], source };
    labels.set(key, label);
  }
  return label;
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
    return gradeDecreasing(lab.value, scale, needLimit(lln, lab, 'LLN'), label);
  }
  const uln = (): NormalLimit => needLimit(upperLimit(lab, sex), lab, 'ULN');
  switch (lab.test) {
    case 'bilirubin':
      return gradeIncreasing(lab.value, protocol.bilirubin, uln(), label);
    case 'alt':
    case 'ast':
      return gradeIncreasing(lab.value, protocol.transaminases, uln(), label);
    case 'creatinine': {
      const byUln = gradeIncreasing(lab.value, protocol.creatinine, uln(), label);
      if (baselineCreatinine === null || !(baselineCreatinine > 0)) return byUln;
      const byBaseline = gradeCreatinineVsBaseline(lab.value, baselineCreatinine, protocol);
      return lazyDecision(Math.max(byUln.value, byBaseline.value), () =>
        byBaseline.value > byUln.value
          ? [...byBaseline.because, ...byUln.because]
          : [...byUln.because, ...byBaseline.because],
      );
    }
    default:
      return notGraded(lab, protocol);
  }
}
