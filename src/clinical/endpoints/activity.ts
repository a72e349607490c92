/**
 * The activity given in a course: the cumulative activity (Σ activity_gbq), whether the intended dose was
 * achieved (cumulative ≥ `achievedFraction` × intended, compared exactly in decimal so that 14.06 of
 * 14.8 GBq is achieved at 95%), and, when not, the reason as written (`stop_reason`, or `running`).
 */
import { decide } from '../explain.js';
import type { Decision } from '../explain.js';
import type { Course, Cycle, StopReason } from '../model.js';
import { sourceRef } from '../protocols/protocol-types.js';
import type { EndpointProtocol } from '../protocols/erasmus-2010-endpoints.js';
import { compare, exact, multiply, sum, toNumber } from '../response/exact-decimal.js';

export type NotAchievedReason = StopReason | 'running';

export interface CourseActivity {
  readonly cyclesGiven: number;
  /** Σ activity_gbq, the nearest double of the exact decimal sum. */
  readonly cumulativeGbq: number;
  readonly intendedGbq: number;
  readonly achieved: boolean;
  /** null when achieved. */
  readonly notAchievedReason: NotAchievedReason | null;
  readonly explanation: Decision<boolean>;
}

export function courseActivity(
  course: Course,
  cycles: readonly Cycle[],
  protocol: EndpointProtocol,
): CourseActivity {
  const total = sum(cycles.map((c) => exact(c.activityGbq)));
  const limit = multiply(exact(protocol.achievedFraction), exact(course.intendedActivityGbq));
  const achieved = compare(total, limit) >= 0;
  const notAchievedReason = achieved ? null : (course.stopReason ?? 'running');
  const percent = String(Number((protocol.achievedFraction * 100).toPrecision(12)));
  return {
    cyclesGiven: cycles.length,
    cumulativeGbq: toNumber(total),
    intendedGbq: course.intendedActivityGbq,
    achieved,
    notAchievedReason,
    explanation: decide(achieved, {
      rule: achieved
        ? `cumulative activity ≥ ${percent}% of the intended ${String(course.intendedActivityGbq)} GBq: achieved`
        : `cumulative activity < ${percent}% of the intended ${String(course.intendedActivityGbq)} GBq: not achieved (${notAchievedReason ?? ''})`,
      observed: { value: toNumber(total), unit: 'GBq' },
      threshold: { value: toNumber(limit), unit: 'GBq' },
      source: sourceRef(protocol, 'achievedFraction'),
      met: achieved,
    }),
  };
}
