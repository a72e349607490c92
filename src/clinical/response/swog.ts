/**
 * SWOG with minor response, per follow-up scan of a course: SPD = Σ longest × perpendicular over the
 * course's target lesions; PD when the SPD of the measured targets is strictly greater than
 * `progressionOverNadir` × nadir; CR when every target is 0 mm in both diameters and every non-target
 * absent; PR / MR when the change from baseline is at or below `partialChange` / `minorChange`.
 */
import { sourceRef } from '../protocols/protocol-types.js';
import { swogMr } from '../protocols/swog-1992.js';
import type { SwogMrCriterion } from '../protocols/swog-1992.js';
import { assessScans, percent, percentText as pct } from './assess-scans.js';
import type { SumCriterion } from './assess-scans.js';
import { add, compare, exact, multiply, subtract, toNumber } from './exact-decimal.js';
import type { ExactDecimal } from './exact-decimal.js';
import type { Scan } from './scan.js';
import type { ScanResponse } from './scan-response.js';

const ONE = exact(1);

function changeOf(value: ExactDecimal, reference: ExactDecimal): number {
  return toNumber(subtract(value, reference)) / toNumber(reference);
}

/** The SWOG-with-MR rules as a tumour-sum criterion for `assessScans`. */
export function swogCriterion(params: SwogMrCriterion = swogMr): SumCriterion {
  const mm2 = (d: ExactDecimal) => ({ value: toNumber(d), unit: 'mm²' });
  // The factors and the words of the rules depend on the parameters only: made once per criterion.
  const overNadir = exact(params.progressionOverNadir);
  const partialFactor = add(ONE, exact(params.partialChange));
  const minorFactor = add(ONE, exact(params.minorChange));
  const progressionRule = `SPD of the measured targets > ${params.progressionOverNadir} × nadir: PD`;
  const noProgressionRule = `SPD of the measured targets ≤ ${params.progressionOverNadir} × nadir: no progression by size`;
  const progressionSource = sourceRef(params, 'progressionOverNadir');
  const partialRule = `SPD change from baseline ≤ ${pct(params.partialChange)}: PR`;
  const minorRule = `SPD change from baseline ≤ ${pct(params.minorChange)} and > ${pct(params.partialChange)}: MR`;
  const stableRule = `SPD change from baseline > ${pct(params.minorChange)}, no progression: SD`;
  const partialSource = sourceRef(params, 'partialChange');
  const minorSource = sourceRef(params, 'minorChange');
  return {
    name: params.name,
    sumLabel: 'SPD',
    sumUnit: 'mm²',
    measure(row) {
      if (row.longestMm === null || row.perpendicularMm === null) return null;
      return multiply(exact(row.longestMm), exact(row.perpendicularMm));
    },
    progression(spd, nadir) {
      const limit = multiply(overNadir, nadir);
      const met = compare(spd, limit) > 0;
      return {
        rule: met ? progressionRule : noProgressionRule,
        observed: mm2(spd),
        threshold: mm2(limit),
        source: progressionSource,
        met,
      };
    },
    targetsResolved(targets) {
      if (!targets.every((t) => t.row.longestMm === 0 && t.row.perpendicularMm === 0)) return null;
      return {
        rule: 'every target lesion 0 mm in both diameters, every non-target absent, no new lesion: CR',
        observed: { value: 0, unit: 'mm²' },
        threshold: { value: 0, unit: 'mm²' },
        source: params.name,
      };
    },
    regression(spd, baseline) {
      const change = changeOf(spd, baseline);
      if (compare(spd, multiply(partialFactor, baseline)) <= 0) {
        return {
          response: 'PR',
          reason: {
            rule: partialRule,
            observed: percent(change),
            threshold: percent(params.partialChange),
            source: partialSource,
          },
        };
      }
      if (compare(spd, multiply(minorFactor, baseline)) <= 0) {
        return {
          response: 'MR',
          reason: {
            rule: minorRule,
            observed: percent(change),
            threshold: percent(params.minorChange),
            source: minorSource,
          },
        };
      }
      return {
        response: 'SD',
        reason: {
          rule: stableRule,
          observed: percent(change),
          threshold: percent(params.minorChange),
          source: minorSource,
        },
      };
    },
  };
}

const criteria = new WeakMap<SwogMrCriterion, SumCriterion>();

/** The SWOG-with-MR response at each follow-up scan of a course (in date order). */
export function swogResponses(
  baseline: Scan | null,
  followUps: readonly Scan[],
  params: SwogMrCriterion = swogMr,
): ScanResponse[] {
  let criterion = criteria.get(params);
  if (criterion === undefined) {
    criterion = swogCriterion(params);
    criteria.set(params, criterion);
  }
  return assessScans(baseline, followUps, criterion);
}
