/**
 * The parts of the patient summary (`GET /api/patients/:id/summary`) and of the patient's records
 * (`GET /api/patients/:id`, clinicians) that the patient pages read, typed, with small helpers.
 */
import type { Decision, Reason } from './explained';
import type { RecordEnvelope } from './record-kinds';

export interface GradedLab {
  readonly lab: {
    readonly takenAt: string;
    readonly takenDate: string;
    readonly test: string;
    readonly value: number;
    readonly lln: number | null;
    readonly uln: number | null;
    readonly original?: { readonly value: number; readonly unit: string };
  };
  readonly grade: Decision<number | null>;
}

export interface ScanResult {
  readonly date: string;
  readonly response: string;
  readonly sum: number | null;
  readonly sumUnit?: string;
  readonly complete?: boolean;
  readonly baselineSum: number | null;
  readonly nadir: number | null;
  readonly changeFromBaseline: number | null;
  readonly changeFromNadir: number | null;
  readonly explanation?: Decision<string> | null;
}

export interface TimeToEvent {
  readonly months: number;
  readonly event: boolean;
  readonly end?: string;
  readonly basis?: string;
}

export interface CourseEndpointsView {
  readonly start: string;
  readonly lastCycleDate?: string;
  readonly cyclesGiven: number;
  readonly intendedActivityGbq?: number;
  readonly cumulativeActivityGbq: number;
  readonly achieved?: boolean;
  readonly achievedExplanation?: Decision<boolean>;
  readonly baselineScanDate?: string | null;
  readonly baselineExplanation?: Decision<string | null>;
  readonly scans: readonly ScanResult[];
  readonly bestResponse: string | null;
  readonly bestResponseExplanation?: Decision<string>;
  readonly progression?: { readonly date: string; readonly explanation?: Decision<string> } | null;
  readonly ttp?: TimeToEvent | null;
  readonly pfs?: TimeToEvent | null;
  readonly os?: TimeToEvent | null;
  readonly toxicity?: {
    readonly byTest?: Readonly<
      Record<string, { readonly grade: number | null; readonly explanation?: Decision }>
    >;
  } | null;
}

export interface CourseSummaryView {
  readonly course: {
    readonly courseId: string;
    readonly kind: string;
    readonly intendedCycles: number;
    readonly intendedActivityGbq: number;
    readonly stopReason: string | null;
  };
  readonly running: boolean;
  readonly cyclesGiven: number;
  readonly endpoints: CourseEndpointsView | null;
  readonly labs: readonly GradedLab[];
}

export interface NextStepView {
  readonly kind: string;
  readonly courseId?: string;
  readonly cycle?: number;
  readonly dueDate?: string;
  readonly due?: boolean;
  readonly afterCourseId?: string;
  readonly eligibility?: Decision<{
    readonly eligible: boolean;
    readonly outcome?: string;
    readonly criteria?: readonly { readonly criterion: string; readonly status: string }[];
  }>;
  readonly dose?: Decision<{
    readonly action: string;
    readonly activityGbq: number | null;
    readonly categories: readonly string[];
  }>;
  readonly because?: readonly Reason[];
}

export interface SummaryView {
  readonly patient: Readonly<Record<string, unknown>> & { readonly patient_id: string; readonly sex: string };
  readonly planned_date: string;
  readonly courses: readonly CourseSummaryView[];
  readonly other_labs: readonly GradedLab[];
  readonly next: NextStepView;
  readonly flags: {
    readonly due_for_cycle: boolean;
    readonly withheld: boolean;
    readonly eligible_for_salvage: boolean;
  };
  /** The kidney and marrow budget, when the server gives it. */
  readonly dosimetry?: unknown;
}

/** `GET /api/patients/:id`: the patient's envelope and every record. */
export interface PatientRecords extends RecordEnvelope {
  readonly courses: readonly RecordEnvelope[];
  readonly cycles: readonly RecordEnvelope[];
  readonly labs: readonly RecordEnvelope[];
  readonly lesions: readonly RecordEnvelope[];
  readonly events: readonly RecordEnvelope[];
}

/** Every graded lab of the summary, oldest first, without repeats. */
export function allGradedLabs(s: SummaryView): GradedLab[] {
  const seen = new Set<string>();
  const out: GradedLab[] = [];
  for (const g of [...s.other_labs, ...s.courses.flatMap((c) => c.labs)]) {
    const key = `${g.lab.takenAt}|${g.lab.test}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(g);
  }
  return out.sort((a, b) => a.lab.takenAt.localeCompare(b.lab.takenAt));
}

/** A cycle as drawn: course, number, date, activity. */
export interface CycleMark {
  readonly courseId: string;
  readonly cycle: number | null;
  readonly date: string;
  readonly activityGbq: number | null;
}

/**
 * The cycles to mark: every cycle from the records when they were read (clinicians), else the first and
 * last cycle of each course from the summary (the pseudonymised view has no cycle list).
 */
export function cycleMarks(s: SummaryView, records: PatientRecords | null): CycleMark[] {
  if (records !== null) {
    return records.cycles
      .map((c) => ({
        courseId: String(c.record.course_id),
        cycle: Number(c.record.cycle),
        date: String(c.record.administered_at).slice(0, 10),
        activityGbq: typeof c.record.activity_gbq === 'number' ? c.record.activity_gbq : null,
      }))
      .sort((a, b) => a.date.localeCompare(b.date));
  }
  const out: CycleMark[] = [];
  for (const c of s.courses) {
    const e = c.endpoints;
    if (e === null) continue;
    out.push({ courseId: c.course.courseId, cycle: 1, date: e.start, activityGbq: null });
    if (e.lastCycleDate !== undefined && e.lastCycleDate !== e.start) {
      out.push({
        courseId: c.course.courseId,
        cycle: c.cyclesGiven,
        date: e.lastCycleDate,
        activityGbq: null,
      });
    }
  }
  return out;
}

/** Days since 1970 of a `YYYY-MM-DD…` text (UTC noon), for drawing. */
export function dayNumber(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T12:00:00Z`) / 86_400_000;
}
