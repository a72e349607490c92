/**
 * RECIST 1.1, per follow-up scan of a course: the sum of diameters (longest for non-nodal targets, short
 * axis for nodal targets, as the baseline row marks them); PD when the sum of the measured targets is at
 * least `progressionChange` over the nadir and at least `progressionAbsoluteMm` mm over it; CR when every
 * non-nodal target is 0 mm, every nodal target's short axis is below `nodalCrShortAxisBelowMm` and every
 * non-target absent; PR at or below `partialChange` from baseline; no minor response. The absolute 5 mm
 * rule makes RECIST, unlike SWOG, depend on the scale of the measurements.
 */
import { sourceRef } from '../protocols/protocol-types.js';
import { recist11 } from '../protocols/recist-1.1.js';
import type { Recist11Criterion } from '../protocols/recist-1.1.js';
import { assessScans, percent, percentText as pct } from './assess-scans.js';
import type { SumCriterion } from './assess-scans.js';
import { add, compare, exact, multiply, subtract, toNumber } from './exact-decimal.js';
import type { ExactDecimal } from './exact-decimal.js';
import type { Scan } from './scan.js';
import type { ScanResponse } from './scan-response.js';

const ONE = exact(1);

/** The RECIST 1.1 rules as a tumour-sum criterion for `assessScans`. */
export function recistCriterion(params: Recist11Criterion = recist11): SumCriterion {
  const mm = (d: ExactDecimal) => ({ value: toNumber(d), unit: 'mm' });
  return {
    name: params.name,
    sumLabel: 'sum of diameters',
    sumUnit: 'mm',
    measure(row, baseline) {
      const value = baseline.lymphNode ? row.shortAxisMm : row.longestMm;
      return value === null ? null : exact(value);
    },
    progression(total, nadir) {
      const relative = multiply(add(ONE, exact(params.progressionChange)), nadir);
      const absolute = add(nadir, exact(params.progressionAbsoluteMm));
      const limit = compare(relative, absolute) >= 0 ? relative : absolute;
      const met = compare(total, limit) >= 0;
      const rule = `sum of diameters ≥ ${pct(params.progressionChange)} and ≥ ${params.progressionAbsoluteMm} mm over the nadir`;
      return {
        rule: met ? `${rule}: PD` : `not (${rule}): no progression by size`,
        observed: mm(total),
        threshold: mm(limit),
        source: `${sourceRef(params, 'progressionChange')}, ${sourceRef(params, 'progressionAbsoluteMm')}`,
        met,
      };
    },
    targetsResolved(targets) {
      const limit = exact(params.nodalCrShortAxisBelowMm);
      const ok = targets.every((t) => {
        const v = t.baseline.lymphNode ? t.row.shortAxisMm : t.row.longestMm;
        if (v === null) return false;
        return t.baseline.lymphNode ? compare(exact(v), limit) < 0 : v === 0;
      });
      if (!ok) return null;
      return {
        rule: `every non-nodal target 0 mm, every nodal target short axis < ${params.nodalCrShortAxisBelowMm} mm, every non-target absent, no new lesion: CR`,
        observed: null,
        threshold: { value: params.nodalCrShortAxisBelowMm, unit: 'mm' },
        source: sourceRef(params, 'nodalCrShortAxisBelowMm'),
      };
    },
    regression(total, baseline) {
      const change = toNumber(subtract(total, baseline)) / toNumber(baseline);
      const pr = compare(total, multiply(add(ONE, exact(params.partialChange)), baseline)) <= 0;
      return {
        response: pr ? 'PR' : 'SD',
        reason: {
          rule: pr
            ? `sum of diameters change from baseline ≤ ${pct(params.partialChange)}: PR`
            : `sum of diameters change from baseline > ${pct(params.partialChange)}, no progression: SD`,
          observed: percent(change),
          threshold: percent(params.partialChange),
          source: sourceRef(params, 'partialChange'),
        },
      };
    },
  };
}

/** The RECIST 1.1 response at each follow-up scan of a course (in date order). */
export function recistResponses(
  baseline: Scan | null,
  followUps: readonly Scan[],
  params: Recist11Criterion = recist11,
): ScanResponse[] {
  return assessScans(baseline, followUps, recistCriterion(params));
}
