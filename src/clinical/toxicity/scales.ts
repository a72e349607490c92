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

type Grade = 0 | 1 | 2 | 3 | 4;

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
  const g1 = scale.grade1Below === 'lln' ? lln?.value : scale.grade1Below;
  if (g1 === undefined) {
    throw new RangeError(`${label.criteria} ${label.term}: grade 1 needs a lower limit of normal`);
  }
  let grade: Grade = 0;
  let crossed = g1;
  if (scale.grade4Below !== null && value < scale.grade4Below) {
    grade = 4;
    crossed = scale.grade4Below;
  } else if (value < scale.grade3Below) {
    grade = 3;
    crossed = scale.grade3Below;
  } else if (value < scale.grade2Below) {
    grade = 2;
    crossed = scale.grade2Below;
  } else if (value < g1) {
    grade = 1;
  }
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

/** Grades a value on an increasing scale of multiples of the ULN (`limitName` e.g. `ULN` or `N`). */
export function gradeIncreasing(
  value: number,
  scale: IncreasingUlnScale,
  uln: NormalLimit,
  label: ScaleLabel,
  limitName = 'ULN',
): Decision<number> {
  const multiples: readonly [Grade, number | null][] = [
    [4, scale.grade4AboveUln],
    [3, scale.grade3AboveUln],
    [2, scale.grade2AboveUln],
    [1, scale.grade1AboveUln],
  ];
  for (let i = 0; i < multiples.length; i++) {
    const [grade, m] = multiples[i]!;
    if (m === null) continue;
    const cut = m * uln.value;
    if (value > cut) {
      const upper = i > 0 ? multiples[i - 1]![1] : null;
      return lazyDecision(grade, () => [
        increasingReason(value, grade, cut, m, upper, uln, label, limitName),
      ]);
    }
  }
  const cut0 = scale.grade1AboveUln * uln.value;
  return lazyDecision(0, () => [
    increasingReason(value, 0, cut0, scale.grade1AboveUln, null, uln, label, limitName),
  ]);
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
