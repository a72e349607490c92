/**
 * A derived value that can be opened to its explanation: the rules it was decided by, with the observed
 * value, the threshold, whether it was met and the source (the `because` list of the API, shown as it is).
 */
import type { ReactNode } from 'react';
import { fmt } from '../../format';

/** One reason of a decision; observed values and thresholds are quantities or texts. */
export interface Reason {
  readonly rule: string;
  readonly observed?: unknown;
  readonly threshold?: unknown;
  readonly source?: string;
  readonly met?: boolean;
}

/** A `{value, because}` decision of the API. */
export interface Decision<T = unknown> {
  readonly value: T;
  readonly because: readonly Reason[];
}

export function isDecision(v: unknown): v is Decision {
  return typeof v === 'object' && v !== null && 'because' in v && Array.isArray((v as Decision).because);
}

/** An observed value or threshold: `60 10^9/L`, a text, or a dash. */
export function quantity(q: unknown): string {
  if (q === null || q === undefined) return '—';
  if (typeof q === 'object' && 'value' in q) {
    const { value, unit } = q as { value: unknown; unit?: unknown };
    const v = typeof value === 'number' ? fmt(value, 3).replace(/\.?0+$/, '') : String(value);
    return typeof unit === 'string' && unit !== '' ? `${v} ${unit}` : v;
  }
  if (typeof q === 'number') return fmt(q, 3).replace(/\.?0+$/, '');
  return typeof q === 'string' ? q : JSON.stringify(q);
}

export function BecauseTable({
  reasons,
  caption,
}: {
  readonly reasons: readonly Reason[];
  readonly caption?: string;
}) {
  if (reasons.length === 0) return <p className="muted">No rule was needed.</p>;
  return (
    <div className="table-wrap">
      <table className="data because">
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">rule</th>
            <th scope="col">observed</th>
            <th scope="col">threshold</th>
            <th scope="col">met</th>
            <th scope="col">source</th>
          </tr>
        </thead>
        <tbody>
          {reasons.map((r, i) => (
            <tr key={i} className={r.met === false ? 'not-met' : undefined}>
              <td>{r.rule}</td>
              <td>{quantity(r.observed)}</td>
              <td>{quantity(r.threshold)}</td>
              <td>{r.met === undefined ? '—' : r.met ? 'yes' : 'no'}</td>
              <td>{r.source ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The value (`children`, or the decision's value as text) with a disclosure that opens its explanation.
 * `label` names the value for assistive technology ("grade of platelets on 2024-01-05").
 */
export function Explained({
  decision,
  label,
  children,
}: {
  readonly decision: Decision | null | undefined;
  readonly label: string;
  readonly children?: ReactNode;
}) {
  const shown = children ?? (decision === null || decision === undefined ? '—' : quantity(decision.value));
  if (decision === null || decision === undefined) return <span>{shown}</span>;
  return (
    <details className="explained">
      <summary aria-label={typeof shown === 'string' ? `${label}: ${shown}, show why` : `${label}, show why`}>
        <span className="explained-value">{shown}</span>
        <span className="explained-why" aria-hidden="true">
          why?
        </span>
      </summary>
      <div className="explained-body">
        <BecauseTable reasons={decision.because} />
      </div>
    </details>
  );
}
