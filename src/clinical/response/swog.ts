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
  return {
    name: params.name,
    sumLabel: 'SPD',
    sumUnit: 'mm²',
    measure(row) {
      if (row.longestMm === null || row.perpendicularMm === null) return null;
      return multiply(exact(row.longestMm), exact(row.perpendicularMm));
    },
    progression(spd, nadir) {
      const limit = multiply(exact(params.progressionOverNadir), nadir);
      const met = compare(spd, limit) > 0;
      return {
        rule: met
          ? `SPD of the measured targets > ${params.progressionOverNadir} × nadir: PD`
          : `SPD of the measured targets ≤ ${params.progressionOverNadir} × nadir: no progression by size`,
        observed: mm2(spd),
        threshold: mm2(limit),
        source: sourceRef(params, 'progressionOverNadir'),
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
      if (compare(spd, multiply(add(ONE, exact(params.partialChange)), baseline)) <= 0) {
        return {
          response: 'PR',
          reason: {
            rule: `SPD change from baseline ≤ ${pct(params.partialChange)}: PR`,
            observed: percent(change),
            threshold: percent(params.partialChange),
            source: sourceRef(params, 'partialChange'),
          },
        };
      }
      if (compare(spd, multiply(add(ONE, exact(params.minorChange)), baseline)) <= 0) {
        return {
          response: 'MR',
          reason: {
            rule: `SPD change from baseline ≤ ${pct(params.minorChange)} and > ${pct(params.partialChange)}: MR`,
            observed: percent(change),
            threshold: percent(params.minorChange),
            source: sourceRef(params, 'minorChange'),
          },
        };
      }
      return {
        response: 'SD',
        reason: {
          rule: `SPD change from baseline > ${pct(params.minorChange)}, no progression: SD`,
          observed: percent(change),
          threshold: percent(params.minorChange),
          source: sourceRef(params, 'minorChange'),
        },
      };
    },
  };
}

/** The SWOG-with-MR response at each follow-up scan of a course (in date order). */
export function swogResponses(
  baseline: Scan | null,
  followUps: readonly Scan[],
  params: SwogMrCriterion = swogMr,
): ScanResponse[] {
  return assessScans(baseline, followUps, swogCriterion(params));
}
