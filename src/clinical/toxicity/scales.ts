/**
 * The two shapes of a laboratory grading scale, shared by CTCAE v5.0 and WHO 1981: a decreasing scale
 * (a count grades when strictly below a cut point) and an increasing scale (a chemistry value grades when
 * strictly above a multiple of the upper limit of normal). The worst grade is tested first, so a row
 * whose own LLN lies below a numeric cut point still grades by that cut point.
 */
import type { Decision, Quantity, Reason } from '../explain.js';
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
  const cuts: readonly [Grade, number | null][] = [
    [4, scale.grade4Below],
    [3, scale.grade3Below],
    [2, scale.grade2Below],
    [1, g1],
  ];
  const u = displayUnit(label.unit);
  const cutOf = (g: Grade): number | null => cuts[4 - g]![1];
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
  for (const [grade, cut] of cuts) {
    if (cut !== null && value < cut) {
      const noG4 = grade === 3 && scale.grade4Below === null ? '; no laboratory grade 4' : '';
      const reason: Reason = {
        rule: `${label.criteria} ${label.term}: <${name(grade)}${lowerEdge(grade)} ${u} is grade ${grade}${grade === 1 ? lnote : ''}${noG4}`,
        observed,
        threshold: { value: cut, unit: label.unit },
        source: label.source,
      };
      return { value: grade, because: [reason] };
    }
  }
  return {
    value: 0,
    because: [
      {
        rule: `${label.criteria} ${label.term}: ≥${name(1)} ${u} is grade 0${lnote}`,
        observed,
        threshold: { value: g1, unit: label.unit },
        source: label.source,
      },
    ],
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
  const times = (m: number): string => (m === 1 ? limitName : `${fmt(m)}×${limitName}`);
  const observed: Quantity = { value, unit: label.unit };
  const note = ` (${limitText(limitName, uln)})`;
  for (let i = 0; i < multiples.length; i++) {
    const [grade, m] = multiples[i]!;
    if (m === null) continue;
    const cut = m * uln.value;
    if (value > cut) {
      const upper = i > 0 ? multiples[i - 1]![1] : null;
      const band = upper === null ? `>${times(m)}` : `>${times(m)}–${times(upper)}`;
      return {
        value: grade,
        because: [
          {
            rule: `${label.criteria} ${label.term}: ${band} is grade ${grade}${note}`,
            observed,
            threshold: { value: cut, unit: label.unit },
            source: label.source,
          },
        ],
      };
    }
  }
  return {
    value: 0,
    because: [
      {
        rule: `${label.criteria} ${label.term}: ≤${times(scale.grade1AboveUln)} is grade 0${note}`,
        observed,
        threshold: { value: scale.grade1AboveUln * uln.value, unit: label.unit },
        source: label.source,
      },
    ],
  };
}
