/**
 * The two shapes of a laboratory grading scale, shared by CTCAE v5.0 and WHO 1981: a decreasing scale
 * (a count grades when strictly below a cut point) and an increasing scale (a chemistry value grades when
 * strictly above a multiple of the upper limit of normal). The worst grade is tested first, so a row
 * whose own LLN lies below a numeric cut point still grades by that cut point.
 */
import { lazyDecision, type Decision, type Quantity, type Reason } from '../explain.js';
import type { DecreasingScale, IncreasingUlnScale } from '../protocols/ctcae-5.js';
import type { NormalLimit } from './normal-limits.js';

/** How a scale names itself in its reasons. */
export interface ScaleLabel {
  /** e.g. `CTCAE v5.0`, `WHO 1981`. */
  readonly criteria: string;
  /** e.g. `platelet count decreased`. */
  readonly term: string;
  /** The canonical unit of the value, e.g. `10^9/L`. */
  readonly unit: string;
  /** The source named in every reason: the protocol name, e.g. `ctcae-5.0`. */
  readonly source: string;
}

const DISPLAY_UNIT: Readonly<Record<string, string>> = {
  '10^9/L': '×10⁹/L',
  'umol/L': 'µmol/L',
};

export function displayUnit(unit: string): string {
  return DISPLAY_UNIT[unit] ?? unit;
}

function fmt(n: number): string {
  return String(Number(n.toPrecision(12)));
}

function limitText(name: string, limit: NormalLimit): string {
  const from = limit.from === 'row' ? 'from the lab row' : limit.from;
  return `${name} ${fmt(limit.value)} ${displayUnit(limit.unit)}, ${from}`;
}

export type Grade = 0 | 1 | 2 | 3 | 4;

/**
 * The grade-1 cut point of a decreasing scale: the scale's number, or `lln` when grade 1 is "below the
 * LLN". `criteria` and `term` name the scale when a needed LLN is missing.
 */
export function grade1Cut(
  scale: DecreasingScale,
  lln: number | null,
  criteria: string,
  term: string,
): number {
  if (scale.grade1Below !== 'lln') return scale.grade1Below;
  if (lln === null) throw new RangeError(`${criteria} ${term}: grade 1 needs a lower limit of normal`);
  return lln;
}

/**
 * The grade of a value on a decreasing scale whose grade-1 cut point is `g1`: the worst grade whose cut
 * point the value lies strictly below, tested from grade 4 down. The numeric core of `gradeDecreasing`.
 */
export function decreasingGrade(value: number, scale: DecreasingScale, g1: number): Grade {
  if (scale.grade4Below !== null && value < scale.grade4Below) return 4;
  if (value < scale.grade3Below) return 3;
  if (value < scale.grade2Below) return 2;
  if (value < g1) return 1;
  return 0;
}

/** The cut point a grade on a decreasing scale crossed (for grade 0, the grade-1 cut point not crossed). */
function decreasingCut(grade: Grade, scale: DecreasingScale, g1: number): number {
  switch (grade) {
    case 4:
      return scale.grade4Below ?? g1;
    case 3:
      return scale.grade3Below;
    case 2:
      return scale.grade2Below;
    default:
      return g1;
  }
}

/**
 * Grades a value on a decreasing scale. `lln` is required when the scale's grade 1 is "below the LLN";
 * it is shown in the reasons either way.
 */
export function gradeDecreasing(
  value: number,
  scale: DecreasingScale,
  lln: NormalLimit | null,
  label: ScaleLabel,
): Decision<number> {
  const g1 = grade1Cut(scale, lln?.value ?? null, label.criteria, label.term);
  const grade = decreasingGrade(value, scale, g1);
  const crossed = decreasingCut(grade, scale, g1);
  return lazyDecision(grade, () => [decreasingReason(value, grade, crossed, g1, scale, lln, label)]);
}

function decreasingReason(
  value: number,
  grade: Grade,
  threshold: number,
  g1: number,
  scale: DecreasingScale,
  lln: NormalLimit | null,
  label: ScaleLabel,
): Reason {
  const u = displayUnit(label.unit);
  const cuts: readonly (number | null)[] = [g1, scale.grade2Below, scale.grade3Below, scale.grade4Below];
  const cutOf = (g: Grade): number | null => cuts[g - 1] ?? null;
  const name = (g: Grade): string => (g === 1 && scale.grade1Below === 'lln' ? 'LLN' : fmt(cutOf(g) ?? 0));
  const lowerEdge = (g: Grade): string => {
    for (let k = g + 1; k <= 4; k++) {
      const c = cutOf(k as Grade);
      if (c !== null) return `–${fmt(c)}`;
    }
    return '';
  };
  const lnote = lln !== null && scale.grade1Below === 'lln' ? ` (${limitText('LLN', lln)})` : '';
  const observed: Quantity = { value, unit: label.unit };
  if (grade === 0) {
    return {
      rule: `${label.criteria} ${label.term}: ≥${name(1)} ${u} is grade 0${lnote}`,
      observed,
      threshold: { value: threshold, unit: label.unit },
      source: label.source,
    };
  }
  const noG4 = grade === 3 && scale.grade4Below === null ? '; no laboratory grade 4' : '';
  return {
    rule: `${label.criteria} ${label.term}: <${name(grade)}${lowerEdge(grade)} ${u} is grade ${grade}${grade === 1 ? lnote : ''}${noG4}`,
    observed,
    threshold: { value: threshold, unit: label.unit },
    source: label.source,
  };
}

/**
 * The grade of a value on an increasing scale with upper limit of normal `uln`: the worst grade whose
 * multiple of the ULN the value lies strictly above, tested from grade 4 down. The numeric core of
 * `gradeIncreasing`.
 */
export function increasingGrade(value: number, scale: IncreasingUlnScale, uln: number): Grade {
  if (scale.grade4AboveUln !== null && value > scale.grade4AboveUln * uln) return 4;
  if (value > scale.grade3AboveUln * uln) return 3;
  if (value > scale.grade2AboveUln * uln) return 2;
  if (value > scale.grade1AboveUln * uln) return 1;
  return 0;
}

/** The multiple of the ULN above which a grade starts on an increasing scale (null: no such grade). */
function multipleOf(scale: IncreasingUlnScale, grade: Grade): number | null {
  switch (grade) {
    case 4:
      return scale.grade4AboveUln;
    case 3:
      return scale.grade3AboveUln;
    case 2:
      return scale.grade2AboveUln;
    default:
      return scale.grade1AboveUln;
  }
}

/** Grades a value on an increasing scale of multiples of the ULN (`limitName` e.g. `ULN` or `N`). */
export function gradeIncreasing(
  value: number,
  scale: IncreasingUlnScale,
  uln: NormalLimit,
  label: ScaleLabel,
  limitName = 'ULN',
): Decision<number> {
  const grade = increasingGrade(value, scale, uln.value);
  const m = multipleOf(scale, grade) ?? scale.grade1AboveUln;
  // Grade 0 names the grade-1 cut point it did not cross; a grade names the band up to the next one.
  const upper = grade === 0 || grade === 4 ? null : multipleOf(scale, (grade + 1) as Grade);
  const cut = m * uln.value;
  return lazyDecision(grade, () => [increasingReason(value, grade, cut, m, upper, uln, label, limitName)]);
}

function increasingReason(
  value: number,
  grade: Grade,
  cut: number,
  multiple: number,
  upper: number | null,
  uln: NormalLimit,
  label: ScaleLabel,
  limitName: string,
): Reason {
  const times = (m: number): string => (m === 1 ? limitName : `${fmt(m)}×${limitName}`);
  const note = ` (${limitText(limitName, uln)})`;
  const band =
    grade === 0
      ? `≤${times(multiple)}`
      : upper === null
        ? `>${times(multiple)}`
        : `>${times(multiple)}–${times(upper)}`;
  return {
    rule: `${label.criteria} ${label.term}: ${band} is grade ${grade}${note}`,
    observed: { value, unit: label.unit },
    threshold: { value: cut, unit: label.unit },
    source: label.source,
  };
}
