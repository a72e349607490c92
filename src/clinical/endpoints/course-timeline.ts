/**
 * A patient's courses in time order, each with its start (the date of its cycle 1), its last cycle's date
 * and the courses just before and after it in time, of either kind. A course without cycles has no start
 * and is left out (the importer rejects it; a form may hold one before its first administration).
 */
import type { Course, Cycle, IsoDate, PatientRecord } from '../model.js';

export interface CourseTimeline {
  readonly course: Course;
  /** The course's cycles by cycle number. */
  readonly cycles: readonly Cycle[];
  /** The calendar date of cycle 1 (of the first cycle, should cycle 1 be missing). */
  readonly start: IsoDate;
  /** The calendar date of the last cycle given. */
  readonly lastCycleDate: IsoDate;
  /** The patient's previous course in time, of either kind; null for the first. */
  readonly previous: CourseTimeline | null;
  /** The patient's next course in time, of either kind; null for the last. */
  readonly next: CourseTimeline | null;
}

function instant(dateTime: string): number {
  const t = Date.parse(dateTime);
  return Number.isNaN(t) ? Date.parse(`${dateTime}T12:00:00Z`) : t;
}

/** The patient's courses with cycles, in start order (ties by the instant of cycle 1, then course id). */
export function courseTimelines(record: PatientRecord): CourseTimeline[] {
  const items = record.courses.flatMap((course) => {
    const cycles = record.cycles
      .filter((c) => c.courseId === course.courseId)
      .sort((a, b) => a.cycle - b.cycle || instant(a.administeredAt) - instant(b.administeredAt));
    const first = cycles[0];
    if (first === undefined) return [];
    const dates = cycles.map((c) => c.administeredDate).sort();
    return [
      { course, cycles, first, start: first.administeredDate, lastCycleDate: dates[dates.length - 1]! },
    ];
  });
  items.sort(
    (a, b) =>
      (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) ||
      instant(a.first.administeredAt) - instant(b.first.administeredAt) ||
      (a.course.courseId < b.course.courseId ? -1 : a.course.courseId > b.course.courseId ? 1 : 0),
  );
  const out: { -readonly [K in keyof CourseTimeline]: CourseTimeline[K] }[] = items.map((i) => ({
    course: i.course,
    cycles: i.cycles,
    start: i.start,
    lastCycleDate: i.lastCycleDate,
    previous: null,
    next: null,
  }));
  out.forEach((t, i) => {
    t.previous = out[i - 1] ?? null;
    t.next = out[i + 1] ?? null;
  });
  return out;
}
