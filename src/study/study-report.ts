/**
 * The study report of a cohort: the analyses a published salvage-PRRT study reports, derived from the
 * per-course endpoints of each unit (each patient's first course of the chosen kind), and the kidney
 * doses of the units whose patients have dosimetry. Pure: cohort in, JSON model out, plus the data behind
 * the figures. Rules and thresholds come from the protocol.
 */
import { studyUnitsOfRecords, type CourseEndpoints } from '../clinical/endpoints/index.js';
import { GEP_SITES, patientRecords, type Cohort, type CourseKind, type Patient } from '../clinical/model.js';
import { erasmus2010Endpoints, type EndpointProtocol } from '../clinical/protocols/erasmus-2010-endpoints.js';
import type { ResponseCriterion } from '../clinical/response/tumour-response.js';
import type { ToxicityCriteria } from '../clinical/toxicity/grade-lab.js';
import { clopperPearson } from '../survival/binomial-interval.js';
import { coxph } from '../survival/cox-ph.js';
import { reverseKaplanMeier } from '../survival/reverse-kaplan-meier.js';
import { countBy, sampleMedian, spread } from './descriptive.js';
import { dosimetrySummary, type DosimetrySummary } from './dosimetry-summary.js';
import {
  compareGroups,
  kmSummary,
  type GroupComparison,
  type KmSummary,
  type TimeToEventValue,
} from './time-to-event-summary.js';
import { swimmerLanes } from './swimmer-data.js';
import type { SwimmerLane } from './plots/swimmer-plot.js';

export interface StudyReportOptions {
  readonly course?: CourseKind;
  readonly protocol?: EndpointProtocol;
  readonly response?: ResponseCriterion;
  readonly toxicity?: ToxicityCriteria;
  /** Prior-course TTP cut-off for the subgroup analysis, months (default 18). */
  readonly splitMonths?: number;
  /** Replace patient ids by pseudonyms; names, record numbers and birth dates never appear. */
  readonly pseudonymise?: boolean;
  /** Pseudonym of a patient id; default `U001`, `U002`, … in unit order. */
  readonly pseudonym?: (patientId: string) => string;
}

const GRADES = ['0', '1', '2', '3', '4'] as const;
const RESPONSES = ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'] as const;
const REPORTED_TESTS = ['platelets', 'hemoglobin', 'wbc', 'neutrophils', 'lymphocytes'] as const;
const OTHER_GRADED_TESTS = [
  'creatinine',
  'bilirubin',
  'alt',
  'ast',
  'albumin',
  'egfr',
  'creatinine_clearance',
] as const;

export interface Proportion {
  readonly n: number;
  readonly total: number;
  readonly rate: number | null;
  readonly ci95: readonly [number, number] | null;
}

export interface UnitRow {
  readonly patient: string;
  readonly course_id: string;
  readonly primary_site: string;
  readonly start: string | null;
  readonly cumulative_gbq: number;
  readonly achieved: boolean;
  readonly not_achieved_reason: string | null;
  readonly best_response: string;
  readonly best_change: number | null;
  readonly ttp_months: number;
  readonly ttp_event: boolean;
  readonly pfs_months: number;
  readonly pfs_event: boolean;
  readonly os_months: number;
  readonly os_event: boolean;
  readonly prior_ttp_months: number | null;
  readonly prior_ttp_event: boolean | null;
  readonly hematologic_grade: number | null;
  readonly follow_up_months: number;
}

export interface StudyReportJson {
  readonly protocol: string;
  readonly course_kind: CourseKind;
  readonly criteria: { readonly response: ResponseCriterion; readonly toxicity: ToxicityCriteria };
  readonly patients: number;
  readonly cohort: Record<string, unknown>;
  readonly activity: Record<string, unknown>;
  readonly toxicity: Record<string, unknown>;
  readonly response: { best: Record<string, number>; regression: Proportion; disease_control: Proportion };
  readonly ttp_months: KmSummary;
  readonly pfs_months: KmSummary;
  readonly os_months: KmSummary;
  readonly follow_up_months: {
    readonly median: number | null;
    readonly min: number | null;
    readonly max: number | null;
    readonly reverse_km_median: number | null;
  };
  readonly prior_course_ttp_months: KmSummary;
  readonly subgroups: Record<string, unknown>;
  readonly cox_prior_ttp: Record<string, unknown> | null;
  /** Kidney dose and BED per unit of the patients with kidney measurements (`dosimetry-summary.ts`). */
  readonly dosimetry: DosimetrySummary;
  readonly units: readonly UnitRow[];
}

export interface StudyReport {
  readonly json: StudyReportJson;
  /** The protocol the endpoints were derived under, for the renderers' thresholds and method text. */
  readonly protocol: EndpointProtocol;
  /** What the figures draw (not part of the JSON contract). */
  readonly figures: {
    readonly ttp: readonly TimeToEventValue[];
    readonly pfs: readonly TimeToEventValue[];
    readonly os: readonly TimeToEventValue[];
    readonly priorSplit: readonly { label: string; values: readonly TimeToEventValue[] }[];
    readonly swimmer: readonly SwimmerLane[];
  };
}

function proportion(n: number, total: number): Proportion {
  if (total === 0) return { n, total, rate: null, ci95: null };
  const ci = clopperPearson(n, total);
  return { n, total, rate: n / total, ci95: [ci.lower, ci.upper] };
}

const tte = (t: { months: number; event: boolean }): TimeToEventValue => ({
  months: t.months,
  event: t.event,
});

function ageAt(p: Patient, date: string): number | null {
  if (p.birthDate === null) return null;
  const [by, bm, bd] = p.birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Units below vs at or above the cut-off of prior-course TTP (months); units without a prior course are left out. */
function priorSplitGroups(units: readonly CourseEndpoints[], split: number) {
  const withPrior = units.filter((u) => u.priorCourseTtp !== null);
  return [
    {
      label: `prior TTP < ${split} months`,
      values: withPrior.filter((u) => u.priorCourseTtp!.months < split).map((u) => tte(u.ttp)),
    },
    {
      label: `prior TTP ≥ ${split} months`,
      values: withPrior.filter((u) => u.priorCourseTtp!.months >= split).map((u) => tte(u.ttp)),
    },
  ];
}

function siteComparison(
  units: readonly CourseEndpoints[],
  site: Map<string, string>,
  a: (s: string) => boolean,
  b: (s: string) => boolean,
  la: string,
  lb: string,
): GroupComparison {
  return compareGroups([
    { label: la, values: units.filter((u) => a(site.get(u.patientId)!)).map((u) => tte(u.ttp)) },
    { label: lb, values: units.filter((u) => b(site.get(u.patientId)!)).map((u) => tte(u.ttp)) },
  ]);
}

function coxOnPriorTtp(units: readonly CourseEndpoints[]): Record<string, unknown> | null {
  const rows = units.filter((u) => u.priorCourseTtp !== null);
  const events = rows.filter((u) => u.ttp.event).length;
  if (rows.length < 3 || events < 1) return null;
  const fit = coxph(
    {
      time: Float64Array.from(rows, (u) => u.ttp.days),
      status: Uint8Array.from(rows, (u) => (u.ttp.event ? 1 : 0)),
      x: [Float64Array.from(rows, (u) => u.priorCourseTtp!.months / 12)],
      names: ['prior_ttp_per_12_months'],
    },
    { ties: 'efron' },
  );
  const coef = fit.coef[0]!;
  const se = fit.se[0]!;
  if (!Number.isFinite(coef) || !Number.isFinite(se)) return null;
  return {
    model: 'coxph(Surv(ttp, event) ~ prior_ttp_months / 12), ties = efron',
    n: fit.n,
    events: fit.nevent,
    coef,
    se,
    hr_per_12_months: fit.expCoef[0]!,
    ci95: [fit.expCoefLower[0]!, fit.expCoefUpper[0]!],
    p: fit.p[0]!,
    lrt_p: fit.lrt.p,
  };
}

/** Builds the study report of `cohort` under the given options. */
export function buildStudyReport(cohort: Cohort, options: StudyReportOptions = {}): StudyReport {
  const kind = options.course ?? 'salvage';
  const protocol = options.protocol ?? erasmus2010Endpoints;
  const criteria = {
    response: options.response ?? protocol.response.criterion,
    toxicity: options.toxicity ?? protocol.toxicity.criteria,
  };
  const split = options.splitMonths ?? 18;
  const recordList = patientRecords(cohort);
  const units = studyUnitsOfRecords(recordList, kind, { protocol, ...criteria });
  const patients = new Map(cohort.patients.map((p) => [p.patientId, p]));
  const site = new Map(cohort.patients.map((p) => [p.patientId, p.primarySite as string]));
  const pseudo = new Map<string, string>();
  units.forEach((u, i) => {
    pseudo.set(u.patientId, options.pseudonym?.(u.patientId) ?? `U${String(i + 1).padStart(3, '0')}`);
  });
  const label = (id: string) => (options.pseudonymise ? pseudo.get(id)! : id);

  // cohort description
  const records = new Map(recordList.map((r) => [r.patient.patientId, r]));
  const priorActivity = units.map((u) =>
    records
      .get(u.patientId)!
      .cycles.filter((c) => c.administeredDate < u.start)
      .reduce((s, c) => s + c.activityGbq, 0),
  );
  const ages = units
    .map((u) => ageAt(patients.get(u.patientId)!, u.start))
    .filter((a): a is number => a !== null);
  const cohortDescription = {
    primary_site: countBy(units, (u) => site.get(u.patientId)!),
    gep: units.filter((u) => GEP_SITES.includes(site.get(u.patientId) as never)).length,
    sex: countBy(units, (u) => patients.get(u.patientId)!.sex, ['F', 'M']),
    age_years: spread(ages),
    grade: countBy(units, (u) => patients.get(u.patientId)!.grade ?? 'missing'),
    karnofsky: spread(
      units.map((u) => patients.get(u.patientId)!.karnofsky).filter((k): k is number => k !== null),
    ),
    prior_activity_gbq: spread(priorActivity),
    prior_courses: countBy(units, (u) =>
      String(
        records.get(u.patientId)!.courses.filter((c) => {
          const first = records
            .get(u.patientId)!
            .cycles.filter((y) => y.courseId === c.courseId)
            .map((y) => y.administeredDate)
            .sort()[0];
          return first !== undefined && first < u.start;
        }).length,
      ),
    ),
  };

  // activity
  const notAchieved = units.filter((u) => !u.achieved);
  const activity = {
    intended_gbq: spread(units.map((u) => u.intendedActivityGbq)),
    achieved: units.length - notAchieved.length,
    not_achieved: notAchieved.length,
    not_achieved_by_reason: countBy(notAchieved, (u) => u.notAchievedReason),
    cumulative_gbq: spread(units.map((u) => u.cumulativeActivityGbq)),
    cycles_given: countBy(units, (u) => String(u.cyclesGiven)),
  };

  // toxicity
  const gradeCounts = (test: string) =>
    countBy(
      units,
      (u) => {
        const w = (u.toxicity.byTest as Record<string, { grade: number } | undefined>)[test];
        return w === undefined ? null : String(w.grade);
      },
      GRADES,
    );
  const byTest: Record<string, Record<string, number>> = {};
  for (const t of REPORTED_TESTS) byTest[t] = gradeCounts(t);
  for (const t of OTHER_GRADED_TESTS) {
    const c = gradeCounts(t);
    if (Object.values(c).some((v) => v > 0)) byTest[t] = c;
  }
  const aeTerms = new Map<string, { patients: number; worst: Record<string, number> }>();
  for (const u of units) {
    for (const ae of u.toxicity.adverseEvents) {
      const key = ae.term;
      const e = aeTerms.get(key) ?? { patients: 0, worst: {} };
      e.patients += 1;
      const g = ae.worstGrade === null ? 'unknown' : String(ae.worstGrade);
      e.worst[g] = (e.worst[g] ?? 0) + 1;
      aeTerms.set(key, e);
    }
  }
  const toxicity = {
    units_with_labs: units.filter((u) => u.toxicity.haematological !== null).length,
    hematologic_worst_grade: countBy(
      units,
      (u) => (u.toxicity.haematological ? String(u.toxicity.haematological.grade) : null),
      GRADES,
    ),
    hematologic_grade_3_or_4: units.filter((u) => (u.toxicity.haematological?.grade ?? 0) >= 3).length,
    by_test: byTest,
    events: Object.fromEntries(
      protocol.toxicity.delayedEvents.map((k) => [
        k,
        units.filter((u) => (u.toxicity.delayedEvents[k]?.length ?? 0) > 0).length,
      ]),
    ),
    adverse_events: [...aeTerms.entries()]
      .sort((a, b) => b[1].patients - a[1].patients || (a[0] < b[0] ? -1 : 1))
      .map(([term, e]) => ({
        term,
        patients: e.patients,
        worst_grade: e.worst,
      })),
  };

  // response
  const best = countBy(units, (u) => u.bestResponse, RESPONSES);
  const regression = units.filter((u) => u.regression).length;
  const control = units.filter((u) => u.bestResponse !== 'PD' && u.bestResponse !== 'NE').length;

  // time to event
  const ttp = units.map((u) => tte(u.ttp));
  const pfs = units.map((u) => tte(u.pfs));
  const os = units.map((u) => tte(u.os));
  const followUp = units.map((u) => u.followUpMonths);
  const rkm =
    units.length > 0
      ? reverseKaplanMeier({
          time: Float64Array.from(followUp),
          status: Uint8Array.from(units, (u) => (u.died ? 1 : 0)),
        }).curves[0]!.median.estimate
      : null;
  const prior = units.filter((u) => u.priorCourseTtp !== null).map((u) => tte(u.priorCourseTtp!));

  const splitGroups = priorSplitGroups(units, split);
  const isGep = (s: string) => (GEP_SITES as readonly string[]).includes(s);
  const subgroups = {
    prior_course_ttp: { endpoint: 'ttp_months', split_months: split, ...compareGroups(splitGroups) },
    pancreatic_vs_other_gep: {
      endpoint: 'ttp_months',
      ...siteComparison(
        units,
        site,
        (s) => s === 'pancreatic',
        (s) => isGep(s) && s !== 'pancreatic',
        'pancreatic',
        'other GEP',
      ),
    },
    bronchial_vs_gep: {
      endpoint: 'ttp_months',
      ...siteComparison(units, site, (s) => s === 'bronchial', isGep, 'bronchial', 'GEP'),
    },
  };

  const unitRows: UnitRow[] = units.map((u) => ({
    patient: label(u.patientId),
    course_id: u.courseId,
    primary_site: site.get(u.patientId)!,
    start: options.pseudonymise ? null : u.start,
    cumulative_gbq: u.cumulativeActivityGbq,
    achieved: u.achieved,
    not_achieved_reason: u.notAchievedReason,
    best_response: u.bestResponse,
    best_change: u.bestChangeFromBaseline,
    ttp_months: u.ttp.months,
    ttp_event: u.ttp.event,
    pfs_months: u.pfs.months,
    pfs_event: u.pfs.event,
    os_months: u.os.months,
    os_event: u.os.event,
    prior_ttp_months: u.priorCourseTtp?.months ?? null,
    prior_ttp_event: u.priorCourseTtp?.event ?? null,
    hematologic_grade: u.toxicity.haematological?.grade ?? null,
    follow_up_months: u.followUpMonths,
  }));

  const json: StudyReportJson = {
    protocol: protocol.name,
    course_kind: kind,
    criteria,
    patients: units.length,
    cohort: cohortDescription,
    activity,
    toxicity,
    response: {
      best,
      regression: proportion(regression, units.length),
      disease_control: proportion(control, units.length),
    },
    ttp_months: kmSummary(ttp),
    pfs_months: kmSummary(pfs),
    os_months: kmSummary(os),
    follow_up_months: {
      median: sampleMedian(followUp),
      min: followUp.length ? Math.min(...followUp) : null,
      max: followUp.length ? Math.max(...followUp) : null,
      reverse_km_median: rkm,
    },
    prior_course_ttp_months: kmSummary(prior),
    subgroups,
    cox_prior_ttp: coxOnPriorTtp(units),
    dosimetry: dosimetrySummary(units, records, label),
    units: unitRows,
  };
  return {
    json,
    protocol,
    figures: {
      ttp,
      pfs,
      os,
      priorSplit: splitGroups,
      swimmer: swimmerLanes(
        units.map((u) => ({ unit: u, record: records.get(u.patientId)!, label: label(u.patientId) })),
        protocol,
      ),
    },
  };
}
