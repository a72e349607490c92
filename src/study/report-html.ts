/**
 * The study report as one self-contained HTML page (inline CSS and SVG, no scripts, no network),
 * readable on screen and printable at A4 width.
 */
import { kmPlotSvg } from './plots/km-plot.js';
import { esc } from './plots/svg.js';
import { swimmerSvg } from './plots/swimmer-plot.js';
import { waterfallSvg } from './plots/waterfall-plot.js';
import type { DosimetrySummary } from './dosimetry-summary.js';
import { MAX_LANES } from './swimmer-data.js';
import type { StudyReport, Proportion } from './study-report.js';
import type { KmSummary } from './time-to-event-summary.js';
import { kmPlotCurve } from './time-to-event-summary.js';

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:820px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:28px}
h3{font-size:14px;margin-bottom:4px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #555}
.meta{color:#555;font-size:13px}.note{color:#555;font-size:12px}figure{margin:12px 0;page-break-inside:avoid}
figcaption{font-size:12px;color:#444}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
`;

function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toFixed(digits);
}

function p(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v < 0.001 ? '<0.001' : v.toFixed(3);
}

function ci(c: readonly [number | null, number | null] | null, digits = 1): string {
  if (!c) return '—';
  return `${c[0] === null ? 'NR' : fmt(c[0], digits)}–${c[1] === null ? 'NR' : fmt(c[1], digits)}`;
}

function pct(pr: Proportion): string {
  if (pr.rate === null || !pr.ci95) return '—';
  return `${pr.n}/${pr.total} (${(pr.rate * 100).toFixed(1)}%; 95% CI ${(pr.ci95[0] * 100).toFixed(1)}–${(pr.ci95[1] * 100).toFixed(1)}%)`;
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function kmRow(name: string, s: KmSummary): (string | number)[] {
  return [name, s.n, s.events, s.censored, s.median === null ? 'not reached' : fmt(s.median), ci(s.ci95)];
}

function counts(obj: unknown): Record<string, number> {
  return (obj ?? {}) as Record<string, number>;
}

/** At most this many rows of the per-course dose table (those with the highest cumulative dose). */
export const MAX_DOSE_ROWS = 60;

function range(s: { median: number | null; min: number | null; max: number | null }, digits = 1): string {
  return s.median === null ? '—' : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** The organ-dose section: a summary of the kidney doses and one row per course of a measured patient. */
function dosimetrySection(d: DosimetrySummary, course: string): string[] {
  const withM = d.patients_with_measurements;
  const head = `<h2>Organ doses (kidneys)</h2><p class="note">Patients with kidney measurements: ${withM} of ${withM + d.patients_without_measurements}. Kidney absorbed dose and BED (protocol ${esc(d.protocol)}, ${esc(d.method)}; cycles without measurements estimated from the patient's mean dose per GBq), of the ${course} course and cumulated over every cycle up to its end, earlier courses included; the limits are the patient's (BED 28 Gy with hypertension or diabetes).</p>`;
  if (withM === 0) return [head];
  const rows = [...d.by_course]
    .sort((a, b) => b.cumulative_kidneys_dose_gy - a.cumulative_kidneys_dose_gy)
    .slice(0, MAX_DOSE_ROWS);
  return [
    head,
    table(
      ['kidneys, median (range)', 'Gy'],
      [
        ['dose of the course', range(d.course_kidneys_dose_gy)],
        ['BED of the course', range(d.course_kidneys_bed_gy)],
        ['cumulative dose', range(d.cumulative_kidneys_dose_gy)],
        ['cumulative BED', range(d.cumulative_kidneys_bed_gy)],
      ],
    ),
    `<p>Cumulative dose above its limit in ${d.over_dose_limit}, BED above its limit in ${d.over_bed_limit}; either in ${d.over_limit} of ${withM} patients.</p>`,
    table(
      [
        'patient',
        'course',
        'cycles (measured / single point / estimated)',
        'GBq',
        'dose Gy',
        'BED Gy',
        'cumulative dose Gy',
        'cumulative BED Gy',
        'limits Gy (dose / BED)',
        'over limit',
        'Gy/GBq',
      ],
      rows.map((r) => [
        r.patient,
        r.course_id,
        `${r.cycles} (${r.cycles_measured} / ${r.cycles_single_point} / ${r.cycles_estimated})`,
        fmt(r.course_gbq),
        fmt(r.course_kidneys_dose_gy),
        fmt(r.course_kidneys_bed_gy),
        fmt(r.cumulative_kidneys_dose_gy),
        fmt(r.cumulative_kidneys_bed_gy),
        `${r.limit_kidneys_dose_gy} / ${r.limit_kidneys_bed_gy}`,
        [r.over_dose_limit ? 'dose' : '', r.over_bed_limit ? 'BED' : ''].filter((x) => x !== '').join(', ') ||
          '—',
        fmt(r.kidneys_dose_per_gbq, 2),
      ]),
    ),
    d.by_course.length > MAX_DOSE_ROWS
      ? `<p class="note">The ${MAX_DOSE_ROWS} patients with the highest cumulative dose of ${d.by_course.length}.</p>`
      : '',
  ];
}

function figure(svg: string, caption: string, id: string): string {
  return `<figure id="${id}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export function renderReportHtml(
  report: StudyReport,
  options: { title?: string; generatedAt?: string } = {},
): string {
  const j = report.json;
  const course = j.course_kind === 'salvage' ? 'salvage' : 'regular';
  const title = options.title ?? `PRRT study report: ${course} courses`;
  const c = j.cohort;
  const act = j.activity as {
    achieved: number;
    not_achieved: number;
    not_achieved_by_reason: Record<string, number>;
    cumulative_gbq: { median: number | null; min: number | null; max: number | null };
  };
  const tox = j.toxicity as {
    hematologic_worst_grade: Record<string, number>;
    by_test: Record<string, Record<string, number>>;
    events: Record<string, number>;
    adverse_events: { term: string; patients: number; worst_grade: Record<string, number> }[];
    units_with_labs: number;
  };
  const sub = j.subgroups as Record<
    string,
    {
      groups: ({ label: string } & KmSummary)[];
      logrank: { chisq: number; df: number; p: number | null } | null;
      split_months?: number;
    }
  >;
  const age = c.age_years as { median: number | null; min: number | null; max: number | null };
  const priorAct = c.prior_activity_gbq as { median: number | null; min: number | null; max: number | null };
  const cox = j.cox_prior_ttp as {
    hr_per_12_months: number;
    ci95: [number, number];
    p: number;
    n: number;
    events: number;
  } | null;
  const waterfallBars = j.units
    .filter((u) => u.best_change !== null)
    .map((u) => ({ id: u.patient, change: u.best_change!, response: u.best_response }));
  const pr = report.protocol;
  const swog = pr.response.swogMr;
  const recist = pr.response.recist11;
  // The waterfall's reference lines: the criterion's response thresholds from the protocol.
  const responseThresholds =
    j.criteria.response === 'recist-1.1'
      ? [recist.partialChange, recist.progressionChange]
      : [swog.partialChange, swog.minorChange, swog.progressionOverNadir - 1];
  const achievedPct = `${String(pr.achievedFraction * 100)}%`;

  const sections: string[] = [];
  sections.push(
    `<h1>${esc(title)}</h1><p class="meta">Protocol <b>${esc(j.protocol)}</b>; response ${esc(j.criteria.response)}; toxicity ${esc(j.criteria.toxicity)}; ${j.patients} patients (each patient's first ${course} course)${options.generatedAt ? `; generated ${esc(options.generatedAt)}` : ''}.</p>`,
  );
  sections.push(
    '<h2>Patients</h2>',
    table(
      ['characteristic', 'value'],
      [
        ['patients', j.patients],
        ['sex F / M', `${counts(c.sex).F ?? 0} / ${counts(c.sex).M ?? 0}`],
        [
          'age at course start, median (range), years',
          `${fmt(age.median, 0)} (${fmt(age.min, 0)}–${fmt(age.max, 0)})`,
        ],
        ...Object.entries(counts(c.primary_site)).map(
          ([k, v]) => [`primary site: ${k.replace('_', ' ')}`, v] as [string, number],
        ),
        ...Object.entries(counts(c.grade)).map(([k, v]) => [`grade ${k}`, v] as [string, number]),
        [
          'prior activity, median (range), GBq',
          `${fmt(priorAct.median)} (${fmt(priorAct.min)}–${fmt(priorAct.max)})`,
        ],
      ],
    ),
  );
  sections.push(
    '<h2>Activity administered</h2>',
    table(
      ['', 'patients'],
      [
        [`intended activity reached (≥ ${achievedPct})`, act.achieved],
        ['not reached', act.not_achieved],
        ...Object.entries(act.not_achieved_by_reason).map(
          ([k, v]) => [`  because of ${k.replace('_', ' ')}`, v] as [string, number],
        ),
      ],
    ),
    `<p>Cumulative activity of the course: median ${fmt(act.cumulative_gbq.median)} GBq (range ${fmt(act.cumulative_gbq.min)}–${fmt(act.cumulative_gbq.max)}).</p>`,
  );
  sections.push(...dosimetrySection(j.dosimetry, course));
  sections.push(
    '<h2>Toxicity</h2>',
    `<p class="note">Worst grade per patient among lab values after the course start and up to ${pr.toxicity.windowDaysAfterLastCycle} days after its last cycle (or the next course); ${tox.units_with_labs} patients with haematological values.</p>`,
    table(
      ['test', 'G0', 'G1', 'G2', 'G3', 'G4'],
      [
        [
          'haematological (worst)',
          ...['0', '1', '2', '3', '4'].map((g) => tox.hematologic_worst_grade[g] ?? 0),
        ],
        ...Object.entries(tox.by_test).map(
          ([t, g]) => [t, ...['0', '1', '2', '3', '4'].map((k) => g[k] ?? 0)] as (string | number)[],
        ),
      ],
    ),
    table(
      ['delayed event', 'patients'],
      Object.entries(tox.events).map(([k, v]) => [k.replace('_', ' '), v]),
    ),
    tox.adverse_events.length
      ? table(
          ['adverse event', 'patients', 'worst grade'],
          tox.adverse_events.map((a) => [
            a.term,
            a.patients,
            Object.entries(a.worst_grade)
              .map(([g, n]) => `G${g}: ${n}`)
              .join(', '),
          ]),
        )
      : '',
  );
  sections.push(
    '<h2>Tumour response</h2>',
    table(
      ['best response', 'patients'],
      Object.entries(j.response.best).map(([k, v]) => [k, v]),
    ),
    `<p>Regression (CR + PR${j.criteria.response === 'swog-mr' ? ' + MR' : ''}): ${pct(j.response.regression)}. Disease control: ${pct(j.response.disease_control)}.</p>`,
    waterfallBars.length
      ? figure(
          waterfallSvg(waterfallBars, {
            title: 'Best change in tumour burden',
            thresholds: responseThresholds,
          }),
          `Best change from baseline of the ${j.criteria.response === 'recist-1.1' ? 'sum of diameters' : 'sum of products of diameters'} per patient, coloured by best response; dashed lines at the response thresholds.`,
          'waterfall',
        )
      : '',
  );
  const km = (
    values: StudyReport['figures']['ttp'],
    label: string,
    yLabel: string,
    id: string,
    caption: string,
  ) => figure(kmPlotSvg([kmPlotCurve('All patients', values)], { title: label, yLabel }), caption, id);
  sections.push(
    '<h2>Time to event</h2>',
    table(
      ['endpoint', 'n', 'events', 'censored', 'median (months)', '95% CI'],
      [
        kmRow('TTP', j.ttp_months),
        kmRow('PFS', j.pfs_months),
        kmRow('OS', j.os_months),
        kmRow(`prior-course TTP`, j.prior_course_ttp_months),
      ],
    ),
    `<p>Follow-up from the course start: median ${fmt(j.follow_up_months.median)} months (range ${fmt(j.follow_up_months.min)}–${fmt(j.follow_up_months.max)}); reverse Kaplan–Meier median ${fmt(j.follow_up_months.reverse_km_median)} months.</p>`,
    km(
      report.figures.ttp,
      `Time to progression after the ${course} course`,
      'Free of progression',
      'km-ttp',
      'Kaplan–Meier estimate with 95% pointwise confidence band (log); ticks mark censored patients.',
    ),
    km(
      report.figures.pfs,
      `Progression-free survival after the ${course} course`,
      'Alive and free of progression',
      'km-pfs',
      'Kaplan–Meier estimate with 95% pointwise confidence band (log).',
    ),
    km(
      report.figures.os,
      `Overall survival after the ${course} course`,
      'Alive',
      'km-os',
      'Kaplan–Meier estimate with 95% pointwise confidence band (log).',
    ),
  );
  const subRows: (string | number)[][] = [];
  const subNames: Record<string, string> = {
    prior_course_ttp: 'Prior-course TTP',
    pancreatic_vs_other_gep: 'Pancreatic vs other GEP',
    bronchial_vs_gep: 'Bronchial vs GEP',
  };
  for (const [key, s] of Object.entries(sub)) {
    s.groups.forEach((g, i) =>
      subRows.push([
        i === 0 ? (subNames[key] ?? key) : '',
        g.label,
        g.n,
        g.events,
        g.median === null ? 'not reached' : fmt(g.median),
        ci(g.ci95),
        i === 0 ? (s.logrank ? `${fmt(s.logrank.chisq, 2)} (p ${p(s.logrank.p)})` : '—') : '',
      ]),
    );
  }
  sections.push(
    '<h2>Subgroups</h2>',
    table(['subgroup', 'group', 'n', 'events', 'median TTP (months)', '95% CI', 'log-rank χ²'], subRows),
    cox
      ? `<p>Cox model of TTP on prior-course TTP: hazard ratio ${fmt(cox.hr_per_12_months, 2)} per 12 months longer prior TTP (95% CI ${fmt(cox.ci95[0], 2)}–${fmt(cox.ci95[1], 2)}; p ${p(cox.p)}; ${cox.n} patients, ${cox.events} events).</p>`
      : '',
    report.figures.priorSplit.some((g) => g.values.length > 0)
      ? figure(
          kmPlotSvg(
            report.figures.priorSplit
              .filter((g) => g.values.length > 0)
              .map((g) => kmPlotCurve(g.label, g.values)),
            { title: 'Time to progression by prior-course TTP', yLabel: 'Free of progression', bands: false },
          ),
          'Kaplan–Meier estimates by prior-course TTP; ticks mark censored patients.',
          'km-prior-split',
        )
      : '',
  );
  if (report.figures.swimmer.length) {
    sections.push(
      '<h2>Course of each patient</h2>',
      figure(
        swimmerSvg(report.figures.swimmer, { title: 'Courses, cycles, responses and progression' }),
        `One lane per patient${report.figures.swimmer.length === MAX_LANES ? ` (the ${MAX_LANES} with the longest follow-up)` : ''}, from the start of the first course.`,
        'swimmer',
      ),
    );
  }
  sections.push(
    '<h2>Methods</h2>',
    `<p class="note">Endpoints are derived by the rules of the PRRT exchange format under protocol ${esc(j.protocol)}: the course starts at cycle 1; the intended activity is reached at ≥ ${achievedPct} of the intended cumulative activity; the baseline is the latest scan on or before the start and at most ${pr.baselineMaxDaysBefore} days before it; response per follow-up scan by ${esc(j.criteria.response)}; best response over the scans after the start, before the next course and up to progression; TTP from the start to the first progression (scan or clinical), censored at the last follow-up scan; PFS also counts death; OS to death, censored at last contact. Kaplan–Meier medians and 95% intervals (log) follow R's survival package; proportions carry Clopper–Pearson intervals; months are days / ${pr.daysPerMonth}.</p>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${esc(title)}</title><style>${CSS}</style></head><body>${sections.join('\n')}</body></html>\n`;
}
