/**
 * An independent reading of a generated exchange folder: parses the CSV files and derives, by the
 * exchange format's rules ("Derived endpoints", protocol `erasmus-2010`), what the report will show for
 * the salvage and the regular courses. The demo's check compares these figures with the design targets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DEMO_RULES, HAEM_TESTS, type HaemTest, ctcaeGrade } from './rules.js';

export type Row = Readonly<Record<string, string>>;
export type Folder = Readonly<
  Record<'patients' | 'courses' | 'cycles' | 'labs' | 'lesions' | 'events', Row[]>
>;

export function readFolder(dir: string): Folder {
  const read = (f: string): Row[] =>
    parse<Row>(readFileSync(join(dir, `${f}.csv`), 'utf8'), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
    });
  return {
    patients: read('patients'),
    courses: read('courses'),
    cycles: read('cycles'),
    labs: read('labs'),
    lesions: read('lesions'),
    events: read('events'),
  };
}

export const dayOfDate = (s: string): number =>
  Math.round(Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/** Canonical value of a lab row (×10⁹/L, g/dL, µmol/L). */
export function canonicalLab(row: Row): number {
  const v = Number(row.value);
  switch (row.unit!.replace(/[µμ]/g, 'u').toLowerCase()) {
    case '/ul':
    case '/mm3':
      return v / 1000;
    case 'g/l':
      return row.test === 'hemoglobin' ? v / 10 : v;
    case 'mmol/l':
      return v * 1.611;
    case 'mg/dl':
      return row.test === 'creatinine' ? v * 88.42 : v * 17.1;
    default:
      return v;
  }
}

export interface CourseOutcome {
  readonly patientId: string;
  readonly site: string;
  readonly start: number;
  readonly cumulativeGbq: number;
  readonly achieved: boolean;
  readonly stopReason: string;
  readonly best: string;
  readonly ttpDays: number;
  readonly progressed: boolean;
  readonly followUpDays: number;
  readonly dead: boolean;
  readonly hemWorst: number | null;
  readonly byTest: Readonly<Partial<Record<HaemTest, number>>>;
  readonly priorTtpDays: number | null;
  readonly priorProgressed: boolean | null;
  readonly delayedEvents: number;
}

const ORDER = ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'];

/** Derives one unit per patient for the first course of `kind`. */
export function deriveCourses(folder: Folder, kind: 'salvage' | 'regular'): CourseOutcome[] {
  const group = <T extends Row>(rows: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.patient_id!, [...(m.get(r.patient_id!) ?? []), r]);
    return m;
  };
  const courses = group(folder.courses);
  const cycles = group(folder.cycles);
  const labs = group(folder.labs);
  const lesions = group(folder.lesions);
  const events = group(folder.events);
  const out: CourseOutcome[] = [];
  for (const p of folder.patients) {
    const id = p.patient_id!;
    const pc = (courses.get(id) ?? []).map((c) => {
      const cy = (cycles.get(id) ?? [])
        .filter((x) => x.course_id === c.course_id)
        .sort((a, b) => Number(a.cycle) - Number(b.cycle));
      return {
        c,
        cy,
        start: dayOfDate(cy[0]!.administered_at!),
        last: dayOfDate(cy[cy.length - 1]!.administered_at!),
      };
    });
    pc.sort((a, b) => a.start - b.start);
    const idx = pc.findIndex((x) => x.c.kind === kind);
    if (idx < 0) continue;
    const lc = dayOfDate(p.last_contact_date!);
    const scansByDay = new Map<number, Row[]>();
    for (const l of lesions.get(id) ?? []) {
      const d = dayOfDate(l.scan_date!);
      scansByDay.set(d, [...(scansByDay.get(d) ?? []), l]);
    }
    const scanDays = [...scansByDay.keys()].sort((a, b) => a - b);
    const evaluate = (i: number) => {
      const course = pc[i]!;
      const next = pc[i + 1]?.start ?? Infinity;
      const baseDay = scanDays
        .filter((d) => d <= course.start && d >= course.start - DEMO_RULES.baselineMaxDaysBefore)
        .pop();
      const base = baseDay === undefined ? [] : scansByDay.get(baseDay)!.filter((r) => r.role === 'target');
      const prod = (r: Row): number => Number(r.longest_mm) * Number(r.perpendicular_mm);
      const baseSpd = base.reduce((s, r) => s + prod(r), 0);
      let nadir = baseSpd;
      const follow = scanDays.filter((d) => d > course.start && d < next);
      const clinical = (events.get(id) ?? [])
        .filter((e) => e.event === 'clinical_progression')
        .map((e) => dayOfDate(e.date!))
        .filter((d) => d > course.start && d < next)
        .sort((a, b) => a - b)[0];
      const responses: { day: number; cat: string }[] = [];
      for (const d of follow) {
        const rows = scansByDay.get(d)!;
        const byId = new Map(rows.filter((r) => r.role === 'target').map((r) => [r.lesion_id!, r]));
        const measured = base.map((b) => byId.get(b.lesion_id!)).filter((r) => r !== undefined);
        const spd = measured.reduce((s, r) => s + prod(r), 0);
        let cat: string;
        if (
          rows.some((r) => r.role === 'new') ||
          rows.some((r) => r.role === 'non_target' && r.status === 'progressed') ||
          spd > DEMO_RULES.response.progressionOverNadir * nadir
        )
          cat = 'PD';
        else if (base.length === 0 || baseSpd === 0 || measured.length < base.length) cat = 'NE';
        else {
          const change = (spd - baseSpd) / baseSpd;
          const cr =
            measured.every((r) => Number(r.longest_mm) === 0 && Number(r.perpendicular_mm) === 0) &&
            rows.every((r) => r.role !== 'non_target' || r.status === 'absent');
          cat = cr
            ? 'CR'
            : change <= DEMO_RULES.response.partial
              ? 'PR'
              : change <= DEMO_RULES.response.minor
                ? 'MR'
                : 'SD';
          nadir = Math.min(nadir, spd);
        }
        responses.push({ day: d, cat });
      }
      const firstPdScan = responses.find((r) => r.cat === 'PD')?.day;
      const progDay = Math.min(firstPdScan ?? Infinity, clinical ?? Infinity);
      const counted = responses.filter((r) => r.day <= progDay);
      const best = counted.reduce((b, r) => (ORDER.indexOf(r.cat) < ORDER.indexOf(b) ? r.cat : b), 'NE');
      const progressed = Number.isFinite(progDay);
      const lastScan = follow.length === 0 ? course.start : follow[follow.length - 1]!;
      return {
        course,
        next,
        best,
        progressed,
        ttpDays: progressed ? progDay - course.start : lastScan - course.start,
      };
    };
    const cur = evaluate(idx);
    const prior = idx > 0 ? evaluate(idx - 1) : null;
    const course = cur.course;
    const cumulative = course.cy.reduce((s, x) => s + Number(x.activity_gbq), 0);
    const windowEnd = Math.min(course.last + DEMO_RULES.toxicityWindowDays, cur.next);
    const byTest: Partial<Record<HaemTest, number>> = {};
    for (const l of labs.get(id) ?? []) {
      const d = dayOfDate(l.taken_at!);
      const test = l.test as HaemTest;
      if (d <= course.start || d >= windowEnd || !HAEM_TESTS.includes(test)) continue;
      byTest[test] = Math.max(
        byTest[test] ?? 0,
        ctcaeGrade(test, canonicalLab(l), p.sex === 'F' ? 'F' : 'M'),
      );
    }
    const grades = Object.values(byTest);
    out.push({
      patientId: id,
      site: p.primary_site!,
      start: course.start,
      cumulativeGbq: cumulative,
      achieved:
        Math.round(cumulative * 1000) >=
        Math.round(DEMO_RULES.achievedFraction * Number(course.c.intended_activity_gbq) * 1000),
      stopReason: course.c.stop_reason ?? '',
      best: cur.best,
      ttpDays: cur.ttpDays,
      progressed: cur.progressed,
      followUpDays: lc - course.start,
      dead: (p.death_date ?? '') !== '',
      hemWorst: grades.length === 0 ? null : Math.max(...grades),
      byTest,
      priorTtpDays: prior?.ttpDays ?? null,
      priorProgressed: prior?.progressed ?? null,
      delayedEvents: (events.get(id) ?? []).filter(
        (e) =>
          ['mds', 'aml', 'kidney_failure'].includes(e.event!) &&
          dayOfDate(e.date!) > course.start &&
          dayOfDate(e.date!) < cur.next,
      ).length,
    });
  }
  return out;
}

const TOL = 1.49e-8;

/** Kaplan–Meier median as R's `summary(survfit)$table` reads it (times in any unit). */
export function kmMedian(time: readonly number[], event: readonly boolean[]): number | null {
  const times = [...new Set(time)].sort((a, b) => a - b);
  let s = 1;
  let atRisk = time.length;
  const curve: { t: number; s: number }[] = [];
  for (const t of times) {
    let d = 0;
    let n = 0;
    time.forEach((x, i) => {
      if (x === t) {
        n++;
        if (event[i]) d++;
      }
    });
    if (d > 0) {
      s *= 1 - d / atRisk;
      curve.push({ t, s });
    }
    atRisk -= n;
  }
  for (let i = 0; i < curve.length; i++) {
    const c = curve[i]!;
    if (c.s < 0.5 + TOL) {
      if (Math.abs(c.s - 0.5) < TOL) {
        const later = curve[i + 1];
        return later === undefined ? c.t : (c.t + later.t) / 2;
      }
      return c.t;
    }
  }
  return null;
}

export function sampleMedian(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Two-group log-rank test: chi-square statistic (1 df) and its p-value. */
export function logRank(
  time: readonly number[],
  event: readonly boolean[],
  group: readonly boolean[],
): { chisq: number; p: number } {
  const times = [...new Set(time.filter((_, i) => event[i]))].sort((a, b) => a - b);
  let o = 0;
  let e = 0;
  let v = 0;
  for (const t of times) {
    let n = 0;
    let n1 = 0;
    let d = 0;
    let d1 = 0;
    time.forEach((x, i) => {
      if (x >= t) {
        n++;
        if (group[i]) n1++;
        if (x === t && event[i]) {
          d++;
          if (group[i]) d1++;
        }
      }
    });
    o += d1;
    e += (d * n1) / n;
    if (n > 1) v += (d * (n1 / n) * (1 - n1 / n) * (n - d)) / (n - 1);
  }
  const chisq = (o - e) ** 2 / v;
  return { chisq, p: chiSq1Upper(chisq) };
}

/** Cox model with one covariate (Breslow ties): coefficient, its Wald z and p-value. */
export function cox1(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly number[],
): { beta: number; z: number; p: number } {
  let beta = 0;
  let info = 1;
  for (let iter = 0; iter < 50; iter++) {
    let score = 0;
    info = 0;
    for (let i = 0; i < time.length; i++) {
      if (!event[i]) continue;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < time.length; j++) {
        if (time[j]! < time[i]!) continue;
        const w = Math.exp(beta * x[j]!);
        s0 += w;
        s1 += w * x[j]!;
        s2 += w * x[j]! * x[j]!;
      }
      score += x[i]! - s1 / s0;
      info += s2 / s0 - (s1 / s0) ** 2;
    }
    const step = score / info;
    beta += step;
    if (Math.abs(step) < 1e-10) break;
  }
  const z = beta * Math.sqrt(info);
  return { beta, z, p: chiSq1Upper(z * z) };
}

/** Upper tail of the chi-square distribution with one degree of freedom. */
function chiSq1Upper(x: number): number {
  return erfc(Math.sqrt(x / 2));
}

function erfc(x: number): number {
  // Numerical Recipes' erfc approximation (relative error < 1.2e-7), ample for a check.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
