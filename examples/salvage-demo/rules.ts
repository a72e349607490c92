/**
 * The few derivation rules of the exchange format that the demo generator needs in order to check its
 * own output while it builds it: CTCAE v5.0 laboratory grades of the blood counts and the SWOG response
 * with minor response (protocol `erasmus-2010`). Thresholds are the exchange format's defaults
 * (exchange-format.md, "Derived endpoints"); they live in `DEMO_RULES`, not in the branches.
 */

export const DEMO_RULES = {
  /** CTCAE v5.0 grade cut-points, strict `<`, ×10⁹/L or g/dL; index 0 is the grade-1 bound (the LLN). */
  ctcae: {
    platelets: [150, 75, 50, 25],
    wbc: [4.0, 3.0, 2.0, 1.0],
    neutrophils: [1.8, 1.5, 1.0, 0.5],
    lymphocytes: [1.0, 0.8, 0.5, 0.2],
    /** Hemoglobin has no laboratory grade 4; the LLN depends on sex. */
    hemoglobinLln: { F: 12.0, M: 13.0 },
    hemoglobin: [10.0, 8.0],
  },
  response: { partial: -0.5, minor: -0.25, progressionOverNadir: 1.25 },
  baselineMaxDaysBefore: 120,
  achievedFraction: 0.95,
  toxicityWindowDays: 182,
  daysPerMonth: 30.4375,
} as const;

export type HaemTest = 'platelets' | 'hemoglobin' | 'wbc' | 'neutrophils';
export const HAEM_TESTS: readonly HaemTest[] = ['platelets', 'hemoglobin', 'wbc', 'neutrophils'];
export type DemoSex = 'F' | 'M';

/** CTCAE v5.0 grade of a value in canonical units (a value equal to a bound is the milder grade). */
export function ctcaeGrade(test: HaemTest | 'lymphocytes', value: number, sex: DemoSex): number {
  const c = DEMO_RULES.ctcae;
  const bounds: readonly number[] = test === 'hemoglobin' ? [c.hemoglobinLln[sex], ...c.hemoglobin] : c[test];
  let grade = 0;
  for (let i = 0; i < bounds.length; i++) if (value < bounds[i]!) grade = i + 1;
  return grade;
}

export type ResponseCategory = 'CR' | 'PR' | 'MR' | 'SD' | 'PD' | 'NE';
export const RESPONSE_ORDER: readonly ResponseCategory[] = ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'];

export interface LesionRow {
  readonly lesionId: string;
  readonly organ: string;
  readonly lymphNode: boolean;
  readonly role: 'target' | 'non_target' | 'new';
  readonly longestMm: number | null;
  readonly perpendicularMm: number | null;
  readonly status: 'present' | 'absent' | 'progressed' | 'not_evaluated' | null;
}

export interface Scan {
  /** Day number (days since 1970-01-01). */
  readonly day: number;
  readonly rows: readonly LesionRow[];
}

export interface ScanResponse {
  readonly category: ResponseCategory;
  /** (SPD − baseline) / baseline of the measured targets; null when not evaluable. */
  readonly change: number | null;
  /** SPD of the measured targets divided by the nadir so far. */
  readonly overNadir: number;
}

export interface CourseResponse {
  readonly perScan: readonly ScanResponse[];
  readonly best: ResponseCategory;
  /** Index in `followUps` of the first PD scan, or null. */
  readonly firstPd: number | null;
}

const product = (r: LesionRow): number => (r.longestMm ?? 0) * (r.perpendicularMm ?? 0);

/**
 * SWOG with minor response over a course's follow-up scans (already restricted to the course's window),
 * as the exchange format's "Response per follow-up scan" and "Best response" define it.
 */
export function swogCourse(baseline: Scan, followUps: readonly Scan[]): CourseResponse {
  const rules = DEMO_RULES.response;
  const targets = baseline.rows.filter((r) => r.role === 'target');
  const baseSpd = targets.reduce((s, r) => s + product(r), 0);
  let nadir = baseSpd;
  const perScan: ScanResponse[] = [];
  let firstPd: number | null = null;
  for (let i = 0; i < followUps.length; i++) {
    const scan = followUps[i]!;
    const byId = new Map(scan.rows.filter((r) => r.role === 'target').map((r) => [r.lesionId, r]));
    const measured = targets.map((t) => byId.get(t.lesionId)).filter((r) => r !== undefined);
    const spd = measured.reduce((s, r) => s + product(r), 0);
    const overNadir = spd / nadir;
    const hasNew = scan.rows.some((r) => r.role === 'new');
    const ntProgressed = scan.rows.some((r) => r.role === 'non_target' && r.status === 'progressed');
    let category: ResponseCategory;
    let change: number | null = null;
    if (hasNew || ntProgressed || spd > rules.progressionOverNadir * nadir) category = 'PD';
    else if (targets.length === 0 || baseSpd === 0 || measured.length < targets.length) category = 'NE';
    else {
      change = (spd - baseSpd) / baseSpd;
      const cr =
        measured.every((r) => r.longestMm === 0 && r.perpendicularMm === 0) &&
        scan.rows.every((r) => r.role !== 'non_target' || r.status === 'absent');
      category = cr ? 'CR' : change <= rules.partial ? 'PR' : change <= rules.minor ? 'MR' : 'SD';
      nadir = Math.min(nadir, spd);
    }
    perScan.push({ category, change, overNadir });
    if (category === 'PD') {
      firstPd = i;
      break;
    }
  }
  let best: ResponseCategory = 'NE';
  for (const s of perScan) {
    if (RESPONSE_ORDER.indexOf(s.category) < RESPONSE_ORDER.indexOf(best)) best = s.category;
  }
  return { perScan, best, firstPd };
}

/**
 * True when no evaluable scan lies within `margin` of a decision threshold (−50 %, −25 % of baseline and
 * 1.25 × nadir), so that the categories cannot flip with rounding or a different reading order.
 */
export function clearOfThresholds(course: CourseResponse, margin: number): boolean {
  const r = DEMO_RULES.response;
  return course.perScan.every((s) => {
    if (Math.abs(s.overNadir - r.progressionOverNadir) < margin) return false;
    if (s.change === null) return true;
    return Math.abs(s.change - r.partial) >= margin && Math.abs(s.change - r.minor) >= margin;
  });
}
