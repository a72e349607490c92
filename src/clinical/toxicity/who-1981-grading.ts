/**
 * WHO 1981 grading of one laboratory value (protocol `who`): haemoglobin, WBC, granulocytes
 * (neutrophils), platelets, creatinine and bilirubin. Other tests are not graded by WHO (null).
 */
import type { Decision } from '../explain.js';
import type { LabTest, LabValue, Sex } from '../model.js';
import { CANONICAL_UNIT } from '../model.js';
import { who1981 } from '../protocols/who-1981.js';
import type { Who1981Protocol } from '../protocols/who-1981.js';
import type { IncreasingUlnScale } from '../protocols/ctcae-5.js';
import { upperLimit } from './normal-limits.js';
import { gradeDecreasing, gradeIncreasing } from './scales.js';
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
  const up = (scale: IncreasingUlnScale): Decision<number> => {
    const n = upperLimit(lab, sex);
    if (n === null) throw new RangeError(`${lab.test}: no ULN in the row and no default`);
    return gradeIncreasing(lab.value, scale, n, label, 'N');
  };
  switch (lab.test) {
    case 'hemoglobin':
      return gradeDecreasing(lab.value, protocol.hemoglobin, null, label);
    case 'wbc':
      return gradeDecreasing(lab.value, protocol.wbc, null, label);
    case 'neutrophils':
      return gradeDecreasing(lab.value, protocol.granulocytes, null, label);
    case 'platelets':
      return gradeDecreasing(lab.value, protocol.platelets, null, label);
    case 'creatinine':
      return up(protocol.creatinine);
    case 'bilirubin':
      return up(protocol.bilirubin);
    default:
      return notGraded;
  }
}
