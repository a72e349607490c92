/**
 * WHO 1981 grading of one laboratory value (protocol `who`): haemoglobin, WBC, granulocytes
 * (neutrophils), platelets, creatinine and bilirubin. Other tests are not graded by WHO (null).
 */
import type { Decision } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { who1981 } from '../protocols/who-1981.js';
import type { Who1981Protocol } from '../protocols/who-1981.js';
import type { DecreasingScale, IncreasingUlnScale } from '../protocols/ctcae-5.js';
import { defaultUln, upperLimit } from './normal-limits.js';
import { decreasingGrade, grade1Cut, gradeDecreasing, gradeIncreasing, increasingGrade } from './scales.js';
import type { ScaleLabel } from './scales.js';

const CRITERIA = 'WHO 1981';

export const WHO1981_TERM: Readonly<Partial<Record<LabTest, string>>> = {
  hemoglobin: 'haemoglobin',
  wbc: 'leukocytes',
  neutrophils: 'granulocytes',
  platelets: 'platelets',
  creatinine: 'creatinine',
  bilirubin: 'bilirubin',
};

/** The decreasing scale on which WHO 1981 grades a test, if any. */
function decreasingScale(test: LabTest, protocol: Who1981Protocol): DecreasingScale | undefined {
  switch (test) {
    case 'hemoglobin':
      return protocol.hemoglobin;
    case 'wbc':
      return protocol.wbc;
    case 'neutrophils':
      return protocol.granulocytes;
    case 'platelets':
      return protocol.platelets;
    default:
      return undefined;
  }
}

/** The increasing scale (multiples of N, the ULN) on which WHO 1981 grades a test, if any. */
function increasingScale(test: LabTest, protocol: Who1981Protocol): IncreasingUlnScale | undefined {
  switch (test) {
    case 'creatinine':
      return protocol.creatinine;
    case 'bilirubin':
      return protocol.bilirubin;
    default:
      return undefined;
  }
}

function missingUln(lab: LabValue): RangeError {
  return new RangeError(`${lab.test}: no ULN in the row and no default`);
}

/**
 * The WHO 1981 grade of one lab value, or null for a test WHO does not grade: the value of
 * `gradeWho1981`, by the same scales and limits, without building its reasons.
 */
export function who1981Grade(lab: LabValue, sex: Sex, protocol: Who1981Protocol = who1981): number | null {
  const term = WHO1981_TERM[lab.test];
  if (term === undefined) return null;
  const down = decreasingScale(lab.test, protocol);
  if (down !== undefined) return decreasingGrade(lab.value, down, grade1Cut(down, null, CRITERIA, term));
  const up = increasingScale(lab.test, protocol);
  if (up === undefined) return null;
  const n = lab.uln ?? defaultUln(lab.test, sex);
  if (n === null) throw missingUln(lab);
  return increasingGrade(lab.value, up, n);
}

/** Grades one lab value by WHO 1981, or null for a test WHO does not grade. N is the ULN. */
export function gradeWho1981(
  lab: LabValue,
  sex: Sex,
  protocol: Who1981Protocol = who1981,
): Decision<number | null> {
  const term = WHO1981_TERM[lab.test];
  const unit = CANONICAL_UNIT[lab.test];
  const notGraded: Decision<null> = {
    value: null,
    because: [
      {
        rule: `${CRITERIA} grades no laboratory term for ${lab.test}`,
        observed: { value: lab.value, unit },
        threshold: null,
        source: protocol.name,
      },
    ],
  };
  if (term === undefined) return notGraded;
  const label: ScaleLabel = { criteria: CRITERIA, term, unit, source: protocol.name };
  const down = decreasingScale(lab.test, protocol);
  if (down !== undefined) return gradeDecreasing(lab.value, down, null, label);
  const up = increasingScale(lab.test, protocol);
  if (up === undefined) return notGraded;
  const n = upperLimit(lab, sex);
  if (n === null) throw missingUln(lab);
  return gradeIncreasing(lab.value, up, n, label, 'N');
}
