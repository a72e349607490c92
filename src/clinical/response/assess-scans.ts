/**
 * The steps shared by SWOG with minor response and RECIST 1.1, applied to each follow-up scan of a course
 * in the exchange format's order: (1) PD for a new lesion, a progressed non-target or a tumour sum over
 * the nadir, even if some target is missing; (2) NE without a usable baseline or with a baseline target
 * not measured; (3) CR; (4–6) the regression categories by change from baseline. A criterion supplies
 * how a target is measured and the thresholds; this module supplies the order and the nadir.
 */
import type { Quantity, Reason } from '../explain.js';
import type { LesionMeasurement } from '../model.js';
import { add, compare, sum, toNumber, ZERO } from './exact-decimal.js';
import type { ExactDecimal } from './exact-decimal.js';
import type { Scan } from './scan.js';
import type { ScanResponse } from './scan-response.js';
import type { TumourResponse } from './tumour-response.js';

/** A target lesion at a follow-up scan, with its row at the baseline. */
export interface TargetAtScan {
  readonly baseline: LesionMeasurement;
  readonly row: LesionMeasurement;
}

export interface SumCriterion {
  /** The criterion's name, the source named in reasons that are not a single parameter. */
  readonly name: string;
  readonly sumLabel: string;
  readonly sumUnit: 'mm²' | 'mm';
  /** The measurement of a target at a scan (its `baseline` row says whether it is a node); null = not measured. */
  measure(row: LesionMeasurement, baseline: LesionMeasurement): ExactDecimal | null;
  /** A reason when the tumour sum means progression over the nadir, with `met` telling whether it does. */
  progression(tumourSum: ExactDecimal, nadir: ExactDecimal): Reason;
  /** A reason when every target has resolved as the criterion's CR requires, else null. */
  targetsResolved(targets: readonly TargetAtScan[]): Reason | null;
  /** PR, MR or SD by the change from a baseline sum > 0, with the reason. */
  regression(tumourSum: ExactDecimal, baselineSum: ExactDecimal): RegressionDecision;
}

export interface RegressionDecision {
  readonly response: TumourResponse;
  readonly reason: Reason;
}

function fraction(value: ExactDecimal, reference: ExactDecimal): number | null {
  if (reference.coefficient === 0n) return null;
  const ref = toNumber(reference);
  return (toNumber(value) - ref) / ref;
}

/** A fraction as percentage text for rules, e.g. −0.25 → `-25%`. */
export function percentText(x: number): string {
  return `${String(Number((x * 100).toPrecision(12)))}%`;
}

/** A fraction as a percentage quantity, for reasons. */
export function percent(value: number): Quantity {
  return { value: value * 100, unit: '%' };
}

/** The first target row of `lesionId` among `rows`. */
function firstTargetRow(rows: readonly LesionMeasurement[], lesionId: string): LesionMeasurement | undefined {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.role === 'target' && row.lesionId === lesionId) return row;
  }
  return undefined;
}

/** The scans in date order (stable), without copying scans that already are. */
function inDateOrder(scans: readonly Scan[]): readonly Scan[] {
  for (let i = 1; i < scans.length; i++) {
    if (scans[i - 1]!.date > scans[i]!.date) {
      return [...scans].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    }
  }
  return scans;
}

function firstTargetRows(scan: Scan): Map<string, LesionMeasurement> {
  const out = new Map<string, LesionMeasurement>();
  const rows = scan.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.role === 'target' && !out.has(row.lesionId)) out.set(row.lesionId, row);
  }
  return out;
}

interface BaselineState {
  readonly targets: readonly LesionMeasurement[];
  /** null when a baseline target lacks its measurement. */
  readonly sum: ExactDecimal | null;
}

function baselineState(baseline: Scan | null, criterion: SumCriterion): BaselineState | null {
  if (baseline === null) return null;
  const targets = [...firstTargetRows(baseline).values()];
  const values = targets.map((t) => criterion.measure(t, t));
  if (values.some((v) => v === null)) return { targets, sum: null };
  return { targets, sum: sum(values as ExactDecimal[]) };
}

/** The response at each follow-up scan (in date order) of a course with the given baseline scan. */
export function assessScans(
  baseline: Scan | null,
  followUps: readonly Scan[],
  criterion: SumCriterion,
): ScanResponse[] {
  const state = baselineState(baseline, criterion);
  const usable = state?.sum != null && state.targets.length > 0 && state.sum.coefficient !== 0n;
  let nadir: ExactDecimal | null = state?.sum ?? null;
  const out: ScanResponse[] = [];
  const source = criterion.name;
  const unit = criterion.sumUnit;
  const q = (d: ExactDecimal): Quantity => ({ value: toNumber(d), unit });

  for (const scan of inDateOrder(followUps)) {
    const rows = scan.rows;
    let acc = ZERO;
    const targets: TargetAtScan[] = [];
    const missing: string[] = [];
    for (const t of state?.targets ?? []) {
      const row = firstTargetRow(rows, t.lesionId);
      const value = row === undefined ? null : criterion.measure(row, t);
      if (row === undefined || value === null) missing.push(t.lesionId);
      else {
        acc = add(acc, value);
        targets.push({ baseline: t, row });
      }
    }
    const tumourSum = state === null || state.sum === null ? null : acc;
    const complete = state !== null && state.sum !== null && missing.length === 0;
    const newLesions: string[] = [];
    const nonTargets: LesionMeasurement[] = [];
    const progressed: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.role === 'new') newLesions.push(r.lesionId);
      else if (r.role === 'non_target') {
        nonTargets.push(r);
        if (r.status === 'progressed') progressed.push(r.lesionId);
      }
    }
    const nadirCheck = tumourSum !== null && nadir !== null ? criterion.progression(tumourSum, nadir) : null;

    const because: Reason[] = [];
    let response: TumourResponse;
    if (newLesions.length > 0) {
      response = 'PD';
      because.push({
        rule: 'a new lesion is recorded: PD',
        observed: newLesions.join(', '),
        threshold: null,
        source,
      });
    } else if (progressed.length > 0) {
      response = 'PD';
      because.push({
        rule: 'a non-target lesion has progressed unequivocally: PD',
        observed: progressed.join(', '),
        threshold: null,
        source,
      });
    } else if (nadirCheck?.met === true) {
      response = 'PD';
      because.push(nadirCheck);
    } else if (baseline === null) {
      response = 'NE';
      because.push({ rule: 'the course has no baseline scan: NE', observed: null, threshold: null, source });
    } else if (state === null || state.targets.length === 0) {
      response = 'NE';
      because.push({
        rule: 'the baseline scan has no target lesion: NE',
        observed: null,
        threshold: null,
        source,
      });
    } else if (state.sum === null) {
      response = 'NE';
      because.push({
        rule: `a target lesion of the baseline lacks its measurement: NE`,
        observed: null,
        threshold: null,
        source,
      });
    } else if (state.sum.coefficient === 0n) {
      response = 'NE';
      because.push({
        rule: `the baseline ${criterion.sumLabel} is 0: NE`,
        observed: q(state.sum),
        threshold: null,
        source,
      });
    } else if (missing.length > 0) {
      response = 'NE';
      because.push({
        rule: 'a target lesion of the baseline is not measured at this scan: NE',
        observed: missing.join(', '),
        threshold: null,
        source,
      });
    } else {
      const resolved = criterion.targetsResolved(targets);
      const notAbsent = nonTargets.filter((r) => r.status !== 'absent').map((r) => r.lesionId);
      if (resolved !== null && notAbsent.length === 0) {
        response = 'CR';
        because.push(resolved);
      } else {
        const r = criterion.regression(tumourSum!, state.sum);
        response = r.response;
        because.push(r.reason);
        if (resolved !== null) {
          because.push({
            rule: 'targets resolved, but a non-target lesion is not absent: not CR',
            observed: notAbsent.join(', '),
            threshold: null,
            source,
          });
        }
      }
      if (nadirCheck !== null) because.push(nadirCheck);
    }

    out.push({
      date: scan.date,
      response,
      sum: tumourSum === null ? null : toNumber(tumourSum),
      sumUnit: unit,
      complete,
      baselineSum: state?.sum == null ? null : toNumber(state.sum),
      nadir: nadir === null ? null : toNumber(nadir),
      changeFromBaseline: complete && usable && tumourSum !== null ? fraction(tumourSum, state.sum) : null,
      changeFromNadir: tumourSum !== null && nadir !== null ? fraction(tumourSum, nadir) : null,
      explanation: { value: response, because },
    });

    if (complete && usable && tumourSum !== null && response !== 'NE' && nadir !== null) {
      if (compare(tumourSum, nadir) < 0) nadir = tumourSum;
    }
  }
  return out;
}
