/**
 * Kaplan–Meier summaries of a time-to-event endpoint in months: median with its 95% interval by R's
 * rules, events and censored counts, and the curve for plotting. Times are whole days converted to
 * months (days / 30.4375), a monotone map, so medians equal those computed in days, converted.
 */
import { kaplanMeier } from '../survival/kaplan-meier.js';
import { logRankTest } from '../survival/logrank.js';
import type { KmPlotCurve } from './plots/km-plot.js';

export interface TimeToEventValue {
  readonly months: number;
  readonly event: boolean;
}

export interface KmSummary {
  readonly n: number;
  readonly median: number | null;
  readonly ci95: readonly [number | null, number | null];
  readonly events: number;
  readonly censored: number;
}

function columns(values: readonly TimeToEventValue[]): { time: Float64Array; status: Uint8Array } {
  return {
    time: Float64Array.from(values, (v) => v.months),
    status: Uint8Array.from(values, (v) => (v.event ? 1 : 0)),
  };
}

export function kmSummary(values: readonly TimeToEventValue[]): KmSummary {
  const events = values.filter((v) => v.event).length;
  if (values.length === 0) return { n: 0, median: null, ci95: [null, null], events: 0, censored: 0 };
  const curve = kaplanMeier(columns(values), { confType: 'log', confLevel: 0.95 }).curves[0]!;
  return {
    n: values.length,
    median: curve.median.estimate,
    ci95: [curve.median.lower, curve.median.upper],
    events,
    censored: values.length - events,
  };
}

/** The curve of one group, ready for the Kaplan–Meier plot. */
export function kmPlotCurve(label: string, values: readonly TimeToEventValue[]): KmPlotCurve {
  const c = kaplanMeier(columns(values), { confType: 'log', confLevel: 0.95 }).curves[0];
  if (!c) return { label, time: [], surv: [], lower: [], upper: [], nRisk: [], nCensor: [], n: 0 };
  const nullable = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));
  return {
    label,
    time: [...c.time],
    surv: [...c.surv],
    lower: nullable(c.lower),
    upper: nullable(c.upper),
    nRisk: [...c.nRisk],
    nCensor: [...c.nCensor],
    n: c.n,
  };
}

export interface GroupComparison {
  readonly groups: readonly ({ readonly label: string } & KmSummary)[];
  readonly logrank: { readonly chisq: number; readonly df: number; readonly p: number | null } | null;
}

/** Medians per group and the log-rank test between them (null when fewer than two groups have units). */
export function compareGroups(
  groups: readonly { label: string; values: readonly TimeToEventValue[] }[],
): GroupComparison {
  const summaries = groups.map((g) => ({ label: g.label, ...kmSummary(g.values) }));
  const present = groups.filter((g) => g.values.length > 0);
  if (present.length < 2) return { groups: summaries, logrank: null };
  const all = present.flatMap((g) => g.values);
  const codes = Int32Array.from(present.flatMap((g, i) => g.values.map(() => i)));
  const r = logRankTest(columns(all), { codes, labels: present.map((g) => g.label) });
  return {
    groups: summaries,
    logrank: { chisq: r.chisq, df: r.df, p: Number.isNaN(r.p) ? null : r.p },
  };
}
