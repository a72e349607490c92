/**
 * Toxicity grading: CTCAE v5.0 and WHO 1981 grades of laboratory values, the default limits of normal,
 * and Cockcroft–Gault creatinine clearance.
 */
export { ToxicityCriteria, gradeLab, labGrade } from './grade-lab.js';
export type { GradingContext } from './grade-lab.js';
export {
  CTCAE5_TERM,
  creatinineVsBaselineGrade,
  ctcae5Grade,
  gradeCreatinineVsBaseline,
  gradeCtcae5,
} from './ctcae-5-grading.js';
export { WHO1981_TERM, gradeWho1981, who1981Grade } from './who-1981-grading.js';
export {
  defaultLln,
  defaultUln,
  exchangeFormatLimits,
  exchangeFormatLimitsSources,
  lowerLimit,
  upperLimit,
} from './normal-limits.js';
export type { NormalLimit } from './normal-limits.js';
export {
  ageInYears,
  cockcroftGault,
  cockcroftGaultClearance,
  cockcroftGaultSources,
} from './cockcroft-gault.js';
export type { CockcroftGaultFormula, CockcroftGaultInput } from './cockcroft-gault.js';
