/**
 * Grading of one laboratory value under the chosen toxicity criteria, explained: the criterion, the
 * value in its canonical unit, the threshold crossed (or, for grade 0, the one not crossed) and the
 * source. The criteria names are the command line's `--toxicity` values.
 */
import type { Decision } from '../explain.js';
import type { LabValue, Sex } from '../model.js';
import { ctcae5Grade, gradeCtcae5 } from './ctcae-5-grading.js';
import { gradeWho1981, who1981Grade } from './who-1981-grading.js';

export const ToxicityCriteria = { ctcae5: 'ctcae-5.0', who1981: 'who' } as const;
export type ToxicityCriteria = (typeof ToxicityCriteria)[keyof typeof ToxicityCriteria];

export interface GradingContext {
  readonly sex: Sex;
  /** The patient's baseline creatinine (µmol/L) for CTCAE's "× baseline" criterion; absent = not used. */
  readonly baselineCreatinine?: number | null;
}

/** Grade 0–4 of one lab value, or null when the criteria do not grade this test (e.g. chromogranin_a, egfr under WHO). */
export function gradeLab(
  lab: LabValue,
  context: GradingContext,
  criteria: ToxicityCriteria,
): Decision<number | null> {
  switch (criteria) {
    case 'ctcae-5.0':
      return gradeCtcae5(lab, context.sex, context.baselineCreatinine ?? null);
    case 'who':
      return gradeWho1981(lab, context.sex);
  }
}

/**
 * The grade of one lab value, as `gradeLab(…).value`, by the same scales and limits but without building
 * the explanation: for grading many values and explaining only the one that decides (call `gradeLab` on
 * it).
 */
export function labGrade(lab: LabValue, context: GradingContext, criteria: ToxicityCriteria): number | null {
  switch (criteria) {
    case 'ctcae-5.0':
      return ctcae5Grade(lab, context.sex, context.baselineCreatinine ?? null);
    case 'who':
      return who1981Grade(lab, context.sex);
  }
}
