/**
 * The kidney and red-marrow budget of a patient, from the `dosimetry` section of the patient summary (the
 * JSON of `prrt dosimetry --json`): one row per limit (kidney absorbed dose, kidney BED, red marrow when
 * its dose is computed) with the cumulative value and its upper bound, the limit, what is left and the
 * largest next activity, optimistic and conservative; the binding limit is highlighted. Single-point and
 * estimated cycles are flagged with their uncertainty, and the cycles are listed in a table that opens.
 * Doses are rounded up and what is left (dose, BED, activity) down, as in the table of `prrt dosimetry`:
 * a figure shown here is never more favourable than the computed one.
 */
import type { ReactNode } from 'react';
import type { DosimetryJson } from '../../../../src/dosimetry/dosimetry-json';
import { Explained, type Reason } from './explained';

type Limit = 'kidneys_dose' | 'kidneys_bed' | 'marrow_dose';

interface CycleKidneys {
  readonly tia_mbq_h: number | null;
  readonly dose_gy: number;
  readonly bed_gy: number;
  readonly t_eff_h: number | null;
  readonly estimated: boolean;
  readonly single_point: boolean;
  readonly method: string;
  readonly points: number;
  readonly relative_uncertainty: number;
  readonly dose_range_gy: readonly [number, number];
  readonly bed_upper_gy: number;
  readonly hanscheid_in_range: boolean | null;
  readonly because: readonly Reason[];
}

interface CycleMarrow {
  readonly dose_gy: number | null;
  readonly estimated: boolean;
  readonly single_point: boolean;
  readonly relative_uncertainty: number;
  readonly because: readonly Reason[];
}

interface BudgetCycle {
  readonly course_id: string;
  readonly cycle: number;
  readonly administered_at: string;
  readonly activity_gbq: number;
  readonly kidneys: CycleKidneys;
  readonly marrow: CycleMarrow | null;
}

/** Gy per limit; the marrow key only when the marrow dose is computed. */
interface PerLimitGy {
  readonly kidneys_dose_gy: number;
  readonly kidneys_bed_gy: number;
  readonly marrow_dose_gy?: number;
}

/** GBq per limit; the marrow key only when the marrow dose is computed. */
interface PerLimitGbq {
  readonly kidneys_dose: number;
  readonly kidneys_bed: number;
  readonly marrow_dose?: number;
}

/** The keys of the dosimetry JSON this panel reads. */
export type DosimetryBudgetJson = DosimetryJson & {
  readonly patient_id: string;
  readonly protocol: string;
  readonly method: string;
  readonly risk_factors: { readonly hypertension: boolean; readonly diabetes: boolean };
  readonly cycles: readonly BudgetCycle[];
  readonly mean_dose_per_gbq: {
    readonly kidneys: number;
    readonly kidneys_from: string;
    readonly marrow: number | null;
    readonly because: readonly Reason[];
  };
  readonly mean_g: { readonly value: number; readonly because: readonly Reason[] };
  readonly cumulative: PerLimitGy;
  readonly cumulative_upper: PerLimitGy;
  readonly limits: Required<PerLimitGy>;
  readonly limits_because: readonly Reason[];
  readonly remaining: PerLimitGy;
  readonly max_next_activity_gbq: PerLimitGbq;
  readonly max_next_activity_binding: Limit;
  readonly max_next_activity_because: readonly Reason[];
  readonly max_next_activity_gbq_conservative: PerLimitGbq;
  readonly unmeasured_relative_uncertainty: number;
  readonly marrow_note: string;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const hasNumbers = (v: unknown, keys: readonly string[]): boolean =>
  isRecord(v) && keys.every((k) => typeof v[k] === 'number');

/** Whether a summary's `dosimetry` value has the keys the panel reads (else it says so, never guesses). */
export function isDosimetryBudget(v: unknown): v is DosimetryBudgetJson {
  if (!isRecord(v) || !Array.isArray(v.cycles)) return false;
  const gy = ['kidneys_dose_gy', 'kidneys_bed_gy'];
  const gbq = ['kidneys_dose', 'kidneys_bed'];
  return (
    hasNumbers(v.cumulative, gy) &&
    hasNumbers(v.cumulative_upper, gy) &&
    hasNumbers(v.limits, [...gy, 'marrow_dose_gy']) &&
    hasNumbers(v.remaining, gy) &&
    hasNumbers(v.max_next_activity_gbq, gbq) &&
    hasNumbers(v.max_next_activity_gbq_conservative, gbq) &&
    isRecord(v.mean_dose_per_gbq) &&
    isRecord(v.mean_g) &&
    v.cycles.every((c) => isRecord(c) && hasNumbers(c.kidneys, ['dose_gy', 'bed_gy']))
  );
}

/** Rounded up to `digits` decimals: a dose shown to a person is never rounded down. */
export function roundUp(x: number, digits = 2): string {
  const f = 10 ** digits;
  let r = Number(x.toFixed(digits));
  if (r < x) r = (Math.round(r * f) + 1) / f;
  return r.toFixed(digits);
}

/** Rounded down to `digits` decimals: what is left, shown to a person, is never rounded up. */
export function roundDown(x: number, digits = 2): string {
  const f = 10 ** digits;
  let r = Number(x.toFixed(digits));
  if (r > x) r = (Math.round(r * f) - 1) / f;
  return r.toFixed(digits);
}

const percent = (u: number): string => `±${String(Math.round(u * 100))} %`;

const LIMIT_NAMES: Readonly<Record<Limit, string>> = {
  kidneys_dose: 'kidney absorbed dose',
  kidneys_bed: 'kidney BED',
  marrow_dose: 'red marrow (self-dose)',
};

interface LimitRow {
  readonly key: Limit;
  readonly cumulative: number;
  readonly upper: number;
  readonly limit: number;
  readonly remaining: number;
  readonly next: number;
  readonly conservative: number;
  /** Decimals of the doses: the marrow's are small. */
  readonly digits: number;
}

function limitRows(d: DosimetryBudgetJson): LimitRow[] {
  const rows: LimitRow[] = [
    {
      key: 'kidneys_dose',
      cumulative: d.cumulative.kidneys_dose_gy,
      upper: d.cumulative_upper.kidneys_dose_gy,
      limit: d.limits.kidneys_dose_gy,
      remaining: d.remaining.kidneys_dose_gy,
      next: d.max_next_activity_gbq.kidneys_dose,
      conservative: d.max_next_activity_gbq_conservative.kidneys_dose,
      digits: 2,
    },
    {
      key: 'kidneys_bed',
      cumulative: d.cumulative.kidneys_bed_gy,
      upper: d.cumulative_upper.kidneys_bed_gy,
      limit: d.limits.kidneys_bed_gy,
      remaining: d.remaining.kidneys_bed_gy,
      next: d.max_next_activity_gbq.kidneys_bed,
      conservative: d.max_next_activity_gbq_conservative.kidneys_bed,
      digits: 2,
    },
  ];
  const m = d.cumulative.marrow_dose_gy;
  const mu = d.cumulative_upper.marrow_dose_gy;
  const mr = d.remaining.marrow_dose_gy;
  const mn = d.max_next_activity_gbq.marrow_dose;
  const mc = d.max_next_activity_gbq_conservative.marrow_dose;
  if (m !== undefined && mu !== undefined && mr !== undefined && mn !== undefined && mc !== undefined) {
    rows.push({
      key: 'marrow_dose',
      cumulative: m,
      upper: mu,
      limit: d.limits.marrow_dose_gy,
      remaining: mr,
      next: mn,
      conservative: mc,
      digits: 3,
    });
  }
  return rows;
}

/** How a cycle's kidney TIA was obtained, in words, with its flag when it is uncertain. */
function cycleMethod(k: CycleKidneys): { text: string; flag: 'estimated' | 'single-point' | null } {
  if (k.estimated) return { text: 'estimated from the mean dose per GBq', flag: 'estimated' };
  if (k.single_point) {
    const range =
      k.hanscheid_in_range === false ? ' (outside the range where Hänscheid’s estimate is within 10 %)' : '';
    return { text: `single time point${range}`, flag: 'single-point' };
  }
  return { text: `${k.method}, ${String(k.points)} points`, flag: null };
}

/** The budget table: one row per limit, the binding one highlighted. */
function LimitTable({ d }: { readonly d: DosimetryBudgetJson }) {
  const rows = limitRows(d);
  const binding = d.max_next_activity_binding;
  return (
    <div className="table-wrap">
      <table className="data budget-table" aria-label="Kidney and marrow budget per limit">
        <thead>
          <tr>
            <th scope="col">limit</th>
            <th scope="col" className="num">
              cumulative Gy (up to)
            </th>
            <th scope="col" className="num">
              limit Gy
            </th>
            <th scope="col" className="num">
              left Gy
            </th>
            <th scope="col" className="num">
              largest next GBq
            </th>
            <th scope="col" className="num">
              conservative GBq
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const isBinding = r.key === binding;
            return (
              <tr
                key={r.key}
                data-limit={r.key}
                className={isBinding ? 'budget-binding' : undefined}
                aria-current={isBinding ? 'true' : undefined}
              >
                <th scope="row">
                  {LIMIT_NAMES[r.key]}
                  {isBinding ? <span className="badge badge-binding">binding</span> : null}
                </th>
                <td className="num">
                  <span data-testid={`budget-cumulative-${r.key}`}>{roundUp(r.cumulative, r.digits)}</span>{' '}
                  <span className="budget-upper">(≤ {roundUp(r.upper, r.digits)})</span>
                </td>
                <td className="num" data-testid={`budget-limit-${r.key}`}>
                  {r.key === 'marrow_dose' ? (
                    String(r.limit)
                  ) : (
                    <Explained
                      decision={{ value: r.limit, because: d.limits_because }}
                      label={`${LIMIT_NAMES[r.key]} limit`}
                    >
                      {String(r.limit)}
                    </Explained>
                  )}
                </td>
                <td className="num">
                  {roundDown(Math.max(0, r.remaining), r.digits)}
                  {r.remaining < 0 ? (
                    <span className="budget-exceeded">exceeded by {roundUp(-r.remaining, r.digits)}</span>
                  ) : null}
                </td>
                <td className="num" data-testid={`budget-next-${r.key}`}>
                  {roundDown(Math.max(0, r.next))}
                </td>
                <td className="num">{roundDown(Math.max(0, r.conservative))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Every cycle of every course: activity, kidney dose with its uncertainty, BED, T_eff and method. */
function CycleTable({ d }: { readonly d: DosimetryBudgetJson }) {
  const marrow = d.cycles.some((c) => c.marrow !== null);
  return (
    <details className="budget-cycles">
      <summary>Cycles ({String(d.cycles.length)}): doses and how they were obtained</summary>
      <div className="table-wrap">
        <table className="data">
          <caption>Kidney dose per cycle (doses rounded up)</caption>
          <thead>
            <tr>
              <th scope="col">course/cycle</th>
              <th scope="col">date</th>
              <th scope="col" className="num">
                GBq
              </th>
              <th scope="col" className="num">
                kidney dose (Gy)
              </th>
              <th scope="col" className="num">
                uncertainty
              </th>
              <th scope="col" className="num">
                BED (Gy)
              </th>
              <th scope="col" className="num">
                T_eff (h)
              </th>
              <th scope="col">method</th>
              {marrow ? (
                <th scope="col" className="num">
                  marrow (Gy)
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {d.cycles.map((c) => {
              const k = c.kidneys;
              const how = cycleMethod(k);
              const name = `${c.course_id}/${String(c.cycle)}`;
              return (
                <tr
                  key={name}
                  data-cycle={name}
                  className={how.flag === null ? undefined : 'budget-uncertain'}
                >
                  <th scope="row">{name}</th>
                  <td>{c.administered_at.slice(0, 10)}</td>
                  <td className="num">{String(c.activity_gbq)}</td>
                  <td className="num">
                    <Explained
                      decision={{ value: k.dose_gy, because: k.because }}
                      label={`kidney dose of cycle ${name}`}
                    >
                      {roundUp(k.dose_gy)}
                    </Explained>
                  </td>
                  <td className="num">
                    {percent(k.relative_uncertainty)} (≤ {roundUp(k.dose_range_gy[1])})
                  </td>
                  <td className="num">{roundUp(k.bed_gy)}</td>
                  <td className="num">{k.t_eff_h === null ? '—' : k.t_eff_h.toFixed(1)}</td>
                  <td>
                    {how.flag === null ? null : (
                      <span className={`badge badge-${how.flag}`}>{how.flag.replace('-', ' ')}</span>
                    )}{' '}
                    {how.text}
                  </td>
                  {marrow ? (
                    <td className="num">
                      {c.marrow === null || c.marrow.dose_gy === null ? '—' : roundUp(c.marrow.dose_gy, 3)}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The single-point and estimated cycles in one sentence, with their uncertainty. */
function UncertainCycles({ d }: { readonly d: DosimetryBudgetJson }): ReactNode {
  const single = d.cycles.filter((c) => !c.kidneys.estimated && c.kidneys.single_point);
  const estimated = d.cycles.filter((c) => c.kidneys.estimated);
  if (single.length === 0 && estimated.length === 0) {
    return <p className="muted">Every kidney dose is measured at several time points.</p>;
  }
  const list = (cs: readonly BudgetCycle[]) =>
    cs
      .map((c) => `${c.course_id}/${String(c.cycle)} (${percent(c.kidneys.relative_uncertainty)})`)
      .join(', ');
  return (
    <ul className="budget-flags" aria-label="Uncertain cycles">
      {single.length === 0 ? null : (
        <li>
          <span className="badge badge-single-point">single point</span> {list(single)}: one time point
          (Hänscheid’s estimate)
          {single.some((c) => c.kidneys.hanscheid_in_range === false)
            ? ', at least one outside the range where it is within 10 %'
            : ''}
          .
        </li>
      )}
      {estimated.length === 0 ? null : (
        <li>
          <span className="badge badge-estimated">estimated</span> {list(estimated)}: no kidney measurement;
          the patient’s mean dose per GBq × the activity.
        </li>
      )}
      <li className="muted">
        “Up to” sums the upper doses; the conservative activity applies the limits to them.
      </li>
    </ul>
  );
}

/**
 * The budget panel; `dosimetry` is the summary's section as the server gives it (null or absent: "No
 * dosimetry for this patient").
 */
export function DosimetryBudget({ dosimetry }: { readonly dosimetry: unknown }) {
  if (dosimetry === null || dosimetry === undefined) {
    return <p className="muted">No dosimetry for this patient.</p>;
  }
  if (!isDosimetryBudget(dosimetry)) {
    return <p className="muted">No dosimetry for this patient in a form this page reads.</p>;
  }
  const d = dosimetry;
  const binding = d.max_next_activity_binding;
  const next = d.max_next_activity_gbq[binding] ?? 0;
  const conservative = d.max_next_activity_gbq_conservative[binding] ?? 0;
  const exceeded = limitRows(d).some((r) => r.remaining < 0);
  return (
    <div className="dosimetry-budget" id="dosimetry-budget">
      <p className="lead" data-testid="budget-next-activity">
        Largest next activity:{' '}
        <Explained
          decision={{ value: next, because: d.max_next_activity_because }}
          label="largest next activity"
        >
          <strong>{roundDown(Math.max(0, next))} GBq</strong>
        </Explained>{' '}
        (conservative {roundDown(Math.max(0, conservative))} GBq), bound by the {LIMIT_NAMES[binding]} limit.
        {exceeded ? <span className="budget-exceeded"> A limit is exceeded.</span> : null}
      </p>
      <LimitTable d={d} />
      <UncertainCycles d={d} />
      <dl className="fields compact">
        <div>
          <dt>mean kidney dose per GBq</dt>
          <dd>
            <Explained
              decision={{ value: d.mean_dose_per_gbq.kidneys, because: d.mean_dose_per_gbq.because }}
              label="mean kidney dose per GBq"
            >
              {`${roundUp(d.mean_dose_per_gbq.kidneys, 4)} Gy/GBq (${d.mean_dose_per_gbq.kidneys_from})`}
            </Explained>
          </dd>
        </div>
        <div>
          <dt>mean G</dt>
          <dd>
            <Explained decision={d.mean_g} label="mean G">
              {d.mean_g.value.toFixed(5)}
            </Explained>
          </dd>
        </div>
        <div>
          <dt>risk factors (BED limit)</dt>
          <dd>
            {[
              d.risk_factors.hypertension ? 'hypertension' : null,
              d.risk_factors.diabetes ? 'diabetes' : null,
            ]
              .filter((x) => x !== null)
              .join(', ') || 'none recorded'}
          </dd>
        </div>
        <div>
          <dt>protocol, method</dt>
          <dd>
            {d.protocol}, {d.method}
          </dd>
        </div>
      </dl>
      {d.cumulative.marrow_dose_gy === undefined ? <p className="muted">{d.marrow_note}</p> : null}
      <CycleTable d={d} />
    </div>
  );
}
