/** The study report as a short plain-text summary for the terminal (the JSON and HTML carry everything). */
import type { StudyReportJson } from './study-report.js';
import type { KmSummary } from './time-to-event-summary.js';

const m = (v: number | null) => (v === null ? 'NR' : v.toFixed(1));
const km = (s: KmSummary) =>
  `median ${s.median === null ? 'not reached' : `${m(s.median)} months`} (95% CI ${m(s.ci95[0])}–${m(s.ci95[1])}); ${s.events} events, ${s.censored} censored`;

export function renderReportText(j: StudyReportJson): string {
  const act = j.activity as {
    achieved: number;
    not_achieved: number;
    not_achieved_by_reason: Record<string, number>;
  };
  const tox = j.toxicity as {
    hematologic_worst_grade: Record<string, number>;
    events: Record<string, number>;
  };
  const reasons = Object.entries(act.not_achieved_by_reason)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const best = Object.entries(j.response.best)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const reg = j.response.regression;
  const sub = (
    j.subgroups as Record<
      string,
      { groups: { label: string; median: number | null; n: number }[]; logrank: { p: number | null } | null }
    >
  ).prior_course_ttp;
  const lines = [
    `${j.patients} patients, first ${j.course_kind} course each (protocol ${j.protocol}; response ${j.criteria.response}; toxicity ${j.criteria.toxicity})`,
    `Intended activity reached in ${act.achieved}; not reached in ${act.not_achieved}${reasons ? ` (${reasons})` : ''}`,
    `Worst haematological grade: ${['0', '1', '2', '3', '4'].map((g) => `G${g} ${tox.hematologic_worst_grade[g] ?? 0}`).join(', ')}; delayed events: ${Object.entries(
      tox.events,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `Best response: ${best}; regression ${reg.n}/${reg.total}${reg.rate === null ? '' : ` (${(reg.rate * 100).toFixed(1)}%, 95% CI ${(reg.ci95![0] * 100).toFixed(1)}–${(reg.ci95![1] * 100).toFixed(1)}%)`}`,
    `TTP: ${km(j.ttp_months)}`,
    `PFS: ${km(j.pfs_months)}`,
    `OS:  ${km(j.os_months)}`,
    `Follow-up: median ${m(j.follow_up_months.median)} months (range ${m(j.follow_up_months.min)}–${m(j.follow_up_months.max)}); reverse KM median ${m(j.follow_up_months.reverse_km_median)}`,
    `Prior-course TTP: ${km(j.prior_course_ttp_months)}`,
  ];
  if (sub) {
    lines.push(
      `TTP by prior-course TTP: ${sub.groups.map((g) => `${g.label} (n=${g.n}) median ${m(g.median)}`).join('; ')}${sub.logrank?.p != null ? `; log-rank p = ${sub.logrank.p.toPrecision(3)}` : ''}`,
    );
  }
  return lines.join('\n');
}
