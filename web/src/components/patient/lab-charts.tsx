/**
 * One chart per blood test (platelets, haemoglobin, WBC, neutrophils, lymphocytes, creatinine): the
 * values over time with the CTCAE v5.0 grade bands drawn behind them — limits from the patient's own
 * LLN / ULN when the lab rows give them, else the exchange format's defaults for the sex — and every
 * cycle as a vertical line. Below each chart, the values with their grades, each opening to its rule.
 */
import type { Sex } from '../../../../src/clinical/model';
import { CANONICAL_UNIT } from '../../../../src/clinical/model';
import {
  ctcae5,
  type Ctcae5Protocol,
  type DecreasingScale,
} from '../../../../src/clinical/protocols/ctcae-5';
import { defaultLln, defaultUln } from '../../../../src/clinical/toxicity/normal-limits';
import { fmt } from '../../format';
import { Explained } from './explained';
import { dayNumber, type CycleMark, type GradedLab } from './patient-data';

export const CHART_TESTS = [
  'platelets',
  'hemoglobin',
  'wbc',
  'neutrophils',
  'lymphocytes',
  'creatinine',
] as const;
export type ChartTest = (typeof CHART_TESTS)[number];

const TITLES: Readonly<Record<ChartTest, string>> = {
  platelets: 'Platelets',
  hemoglobin: 'Haemoglobin',
  wbc: 'White blood cells',
  neutrophils: 'Neutrophils',
  lymphocytes: 'Lymphocytes',
  creatinine: 'Creatinine',
};

/** A grade band: values from `low` to `high` have grade `grade`. */
export interface Band {
  readonly grade: number;
  readonly low: number;
  readonly high: number;
}

const SCALE = {
  platelets: ctcae5.platelets,
  hemoglobin: ctcae5.anemia,
  wbc: ctcae5.wbc,
  neutrophils: ctcae5.neutrophils,
  lymphocytes: ctcae5.lymphocytes,
} as const;

/** The first limit a row gives, else the default for the sex. */
function limit(labs: readonly GradedLab[], which: 'lln' | 'uln', test: ChartTest, sex: Sex): number | null {
  const own = labs.find((g) => g.lab[which] !== null)?.lab[which];
  if (own !== undefined && own !== null) return own;
  return which === 'lln' ? defaultLln(test, sex) : defaultUln(test, sex);
}

/** The CTCAE v5.0 bands of a test between 0 and `top`. */
export function gradeBands(test: ChartTest, labs: readonly GradedLab[], sex: Sex, top: number): Band[] {
  if (test === 'creatinine') {
    const uln = limit(labs, 'uln', test, sex);
    if (uln === null) return [];
    const c: Ctcae5Protocol['creatinine'] = ctcae5.creatinine;
    const cuts = [0, uln * c.grade1AboveUln, uln * c.grade2AboveUln, uln * c.grade3AboveUln];
    const out: Band[] = cuts.map((low, g) => ({
      grade: g,
      low,
      high: cuts[g + 1] ?? uln * (c.grade4AboveUln ?? 6),
    }));
    out.push({
      grade: 4,
      low: uln * (c.grade4AboveUln ?? 6),
      high: Math.max(top, uln * (c.grade4AboveUln ?? 6)),
    });
    return out.filter((b) => b.low < top).map((b) => ({ ...b, high: Math.min(b.high, top) }));
  }
  const s: DecreasingScale = SCALE[test];
  const lln = limit(labs, 'lln', test, sex);
  if (lln === null) return [];
  const g1 = s.grade1Below === 'lln' ? lln : s.grade1Below;
  const bands: Band[] = [
    { grade: 0, low: g1, high: Math.max(top, g1) },
    { grade: 1, low: s.grade2Below, high: g1 },
    { grade: 2, low: s.grade3Below, high: s.grade2Below },
    { grade: 3, low: s.grade4Below ?? 0, high: s.grade3Below },
  ];
  if (s.grade4Below !== null) bands.push({ grade: 4, low: 0, high: s.grade4Below });
  return bands
    .filter((b) => b.high > b.low && b.low < top)
    .map((b) => ({ ...b, high: Math.min(b.high, top) }));
}

const W = 620;
const H = 190;
const M = { left: 48, right: 12, top: 10, bottom: 26 };

function niceTop(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function LabChart({
  test,
  labs,
  cycles,
  sex,
  range,
}: {
  readonly test: ChartTest;
  readonly labs: readonly GradedLab[];
  readonly cycles: readonly CycleMark[];
  readonly sex: Sex;
  /** The time span shared by every chart, as day numbers. */
  readonly range: readonly [number, number];
}) {
  const unit = CANONICAL_UNIT[test];
  const id = `lab-chart-${test}`;
  const max = Math.max(0, ...labs.map((g) => g.lab.value));
  const lln = limit(labs, 'lln', test, sex);
  const uln = limit(labs, 'uln', test, sex);
  const top = niceTop(Math.max(max * 1.1, test === 'creatinine' ? (uln ?? 0) * 2 : (lln ?? 0) * 1.3, 1e-9));
  const bands = gradeBands(test, labs, sex, top);
  const [t0, t1] = range;
  const x = (day: number) => M.left + ((day - t0) / Math.max(t1 - t0, 1)) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - v / top) * (H - M.top - M.bottom);
  const points = labs.map((g) => ({ g, px: x(dayNumber(g.lab.takenDate)), py: y(g.lab.value) }));
  const years: number[] = [];
  const y0 = new Date(t0 * 86_400_000).getUTCFullYear();
  const y1 = new Date(t1 * 86_400_000).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 8));
  for (let yr = y0; yr <= y1 + 1; yr += step) {
    const d = Date.UTC(yr, 0, 1) / 86_400_000;
    if (d >= t0 && d <= t1) years.push(yr);
  }
  const yTicks = [0, top / 2, top];
  const summary = `${TITLES[test]} (${unit}): ${String(labs.length)} values, CTCAE grade bands, ${String(cycles.length)} cycles marked`;
  return (
    <figure className="lab-chart" id={id}>
      <figcaption>
        <strong>{TITLES[test]}</strong> <span className="muted">({unit})</span>
      </figcaption>
      {labs.length === 0 ? (
        <p className="muted">No {TITLES[test].toLowerCase()} values.</p>
      ) : (
        <svg viewBox={`0 0 ${String(W)} ${String(H)}`} role="img" aria-label={summary} className="lab-svg">
          <title>{summary}</title>
          {bands.map((b) => (
            <rect
              key={b.grade}
              className={`band band-g${String(b.grade)}`}
              data-grade={b.grade}
              x={M.left}
              width={W - M.left - M.right}
              y={y(b.high)}
              height={Math.max(0, y(b.low) - y(b.high))}
            >
              <title>{`grade ${String(b.grade)}: ${fmt(b.low, 2)}–${fmt(b.high, 2)} ${unit}`}</title>
            </rect>
          ))}
          {bands
            .filter((b) => b.grade > 0 && y(b.low) - y(b.high) > 10)
            .map((b) => (
              <text
                key={`l${String(b.grade)}`}
                className="band-label"
                x={W - M.right - 4}
                y={(y(b.low) + y(b.high)) / 2 + 4}
              >
                {`G${String(b.grade)}`}
              </text>
            ))}
          {yTicks.map((v) => (
            <g key={v}>
              <line className="grid" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text className="tick" x={M.left - 4} y={y(v) + 4} textAnchor="end">
                {fmt(v, v < 10 ? 1 : 0)}
              </text>
            </g>
          ))}
          {years.map((yr) => {
            const px = x(Date.UTC(yr, 0, 1) / 86_400_000);
            return (
              <text key={yr} className="tick" x={px} y={H - 8} textAnchor="middle">
                {yr}
              </text>
            );
          })}
          {cycles.map((c, i) => (
            <line
              key={i}
              className="cycle-line"
              x1={x(dayNumber(c.date))}
              x2={x(dayNumber(c.date))}
              y1={M.top}
              y2={H - M.bottom}
            >
              <title>{`cycle ${c.cycle === null ? '' : String(c.cycle)} of course ${c.courseId} on ${c.date}`}</title>
            </line>
          ))}
          <polyline
            className="series"
            fill="none"
            points={points.map((p) => `${fmt(p.px, 1)},${fmt(p.py, 1)}`).join(' ')}
          />
          {points.map(({ g, px, py }) => (
            <circle
              key={g.lab.takenAt}
              className={`point point-g${g.grade.value === null ? 'x' : String(g.grade.value)}`}
              cx={px}
              cy={py}
              r={3.5}
            >
              <title>{`${g.lab.takenDate}: ${String(g.lab.value)} ${unit}, grade ${g.grade.value === null ? '—' : String(g.grade.value)}`}</title>
            </circle>
          ))}
        </svg>
      )}
      {labs.length === 0 ? null : (
        <details className="lab-values">
          <summary>Values and grades ({labs.length})</summary>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">taken</th>
                  <th scope="col">value ({unit})</th>
                  <th scope="col">as entered</th>
                  <th scope="col">CTCAE grade</th>
                </tr>
              </thead>
              <tbody>
                {labs.map((g) => (
                  <tr key={g.lab.takenAt} data-taken={g.lab.takenAt}>
                    <th scope="row">{g.lab.takenAt}</th>
                    <td className="num">{String(g.lab.value)}</td>
                    <td>
                      {g.lab.original === undefined
                        ? '—'
                        : `${String(g.lab.original.value)} ${g.lab.original.unit}`}
                    </td>
                    <td>
                      <Explained decision={g.grade} label={`grade of ${test} on ${g.lab.takenAt}`}>
                        {g.grade.value === null ? '—' : `grade ${String(g.grade.value)}`}
                      </Explained>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

export function LabCharts({
  labs,
  cycles,
  sex,
}: {
  readonly labs: readonly GradedLab[];
  readonly cycles: readonly CycleMark[];
  readonly sex: Sex;
}) {
  const days = [...labs.map((g) => dayNumber(g.lab.takenDate)), ...cycles.map((c) => dayNumber(c.date))];
  const range: [number, number] =
    days.length === 0 ? [0, 1] : [Math.min(...days) - 14, Math.max(...days) + 14];
  return (
    <div className="lab-grid">
      {CHART_TESTS.map((t) => (
        <LabChart
          key={t}
          test={t}
          labs={labs.filter((g) => g.lab.test === t)}
          cycles={cycles}
          sex={sex}
          range={range}
        />
      ))}
    </div>
  );
}
