/**
 * Tumour measurements of the synthetic patients. Each scan carries a tumour-burden factor (the SPD
 * relative to the regular course's baseline); every target lesion's two diameters scale with its square
 * root, with a little per-lesion variation and whole-millimetre rounding. The burdens are designed
 * relative to the protocol's SWOG thresholds; the generator then has prrt read the scans back and keeps
 * a draw only when it gives the designed categories, clear of the thresholds.
 */
import type { Rng } from './prng.js';
import type { PdMode, RegularBest, Site } from './design.js';
import { type LesionRow, type Scan, SWOG } from './read-back.js';

/**
 * The SWOG thresholds as tumour burden: the SPD relative to the baseline at the PR and MR limits, and
 * the SPD over the nadir at the PD limit. Designed burdens keep clear of them.
 */
export const SPD_AT = {
  partial: 1 + SWOG.partialChange,
  minor: 1 + SWOG.minorChange,
  progression: SWOG.progressionOverNadir,
} as const;

export interface LesionSpec {
  readonly lesionId: string;
  readonly organ: string;
  readonly lymphNode: boolean;
  readonly longest: number;
  readonly perpendicular: number;
}

export interface ScanPlan {
  readonly day: number;
  /** SPD relative to the regular baseline. */
  readonly burden: number;
  /** A new lesion is first seen at this scan. */
  readonly newLesion: boolean;
  /** A non-target lesion shows unequivocal progression. */
  readonly nonTargetProgressed: boolean;
  /** A target lesion not measured at this scan. */
  readonly omitTarget: string | null;
}

const SIZE: Readonly<Record<string, readonly [number, number]>> = {
  liver: [20, 50],
  lymph_node: [15, 35],
  pancreas: [20, 45],
  lung: [12, 30],
  bone: [15, 35],
};

/** Target and non-target lesions typical of the primary site; `needBone` adds a bone target. */
export function chooseLesions(
  rng: Rng,
  site: Site,
  needBone: boolean,
): { targets: LesionSpec[]; nonTargets: { lesionId: string; organ: string; lymphNode: boolean }[] } {
  const n = needBone ? rng.int(3, 5) : rng.int(2, 5);
  const organs: string[] = [];
  if (site === 'pancreatic' && rng.chance(0.7)) organs.push('pancreas');
  if (site === 'bronchial' && rng.chance(0.7)) organs.push('lung');
  if (needBone) organs.push('bone');
  while (organs.length < n) {
    organs.push(
      rng.weighted<string>([
        ['liver', 6],
        ['lymph_node', 3],
        ['bone', needBone ? 0 : 1],
        ['lung', site === 'bronchial' ? 2 : 0.3],
      ]),
    );
  }
  const targets = organs.map((organ, i) => {
    const [lo, hi] = SIZE[organ]!;
    const longest = rng.uniform(lo, hi);
    return {
      lesionId: `T${i + 1}`,
      organ,
      lymphNode: organ === 'lymph_node',
      longest,
      perpendicular: longest * rng.uniform(0.6, 0.92),
    };
  });
  const ntOrgans = rng.shuffle(['liver', 'bone', 'peritoneum', 'lymph_node']).slice(0, rng.int(1, 2));
  const nonTargets = ntOrgans.map((organ, i) => ({
    lesionId: `NT${i + 1}`,
    organ,
    lymphNode: organ === 'lymph_node',
  }));
  return { targets, nonTargets };
}

/** Burden of the follow-up scans of a course without progression, relative to its baseline. */
export function trajectory(rng: Rng, best: RegularBest, n: number): { values: number[]; nadir: number } {
  const { partial, minor } = SPD_AT;
  const nadir =
    best === 'PR'
      ? rng.uniform(partial - 0.17, partial - 0.06)
      : best === 'MR'
        ? rng.uniform(partial + 0.05, minor - 0.07)
        : rng.uniform(minor + 0.09, 0.97);
  const rise = rng.uniform(0.03, 0.1);
  const values: number[] = [];
  const nadirAt = n >= 2 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (i < nadirAt) {
      values.push(
        best === 'PR'
          ? rng.uniform(partial + 0.06, minor - 0.07)
          : best === 'MR'
            ? rng.uniform(minor + 0.05, minor + 0.17)
            : rng.uniform(nadir, Math.min(1.05, nadir * 1.1)),
      );
    } else if (i === nadirAt) values.push(nadir);
    else values.push(nadir * (1 + (rise * (i - nadirAt)) / Math.max(1, n - 1 - nadirAt)));
  }
  return { values, nadir };
}

/** Burden of a progression scan over the nadir, by how the progression shows. */
export function progressionOverNadir(rng: Rng, mode: PdMode): number {
  const pd = SPD_AT.progression;
  return mode === 'spd' || mode === 'spd+new'
    ? rng.uniform(pd + 0.17, pd + 0.35)
    : rng.uniform(1.0, pd - 0.13);
}

/** Lesion rows of every planned scan, in date order. */
export function measureScans(
  rng: Rng,
  targets: readonly LesionSpec[],
  nonTargets: readonly { lesionId: string; organ: string; lymphNode: boolean }[],
  plans: readonly ScanPlan[],
): Scan[] {
  const seenNew: { lesionId: string; organ: string; lymphNode: boolean }[] = [];
  return plans.map((plan) => {
    const rows: LesionRow[] = [];
    for (const t of targets) {
      if (t.lesionId === plan.omitTarget) continue;
      const f = Math.sqrt(plan.burden * rng.uniform(0.95, 1.05));
      const longest = Math.max(3, Math.round(t.longest * f));
      const perpendicular = Math.max(
        2,
        Math.min(longest, Math.round(t.perpendicular * f * rng.uniform(0.98, 1.02))),
      );
      rows.push({
        lesionId: t.lesionId,
        organ: t.organ,
        lymphNode: t.lymphNode,
        role: 'target',
        longestMm: longest,
        perpendicularMm: perpendicular,
        status: null,
      });
    }
    const progressed = plan.nonTargetProgressed ? 0 : -1;
    nonTargets.forEach((nt, i) => {
      rows.push({
        ...nt,
        role: 'non_target',
        longestMm: null,
        perpendicularMm: null,
        status: i === progressed ? 'progressed' : 'present',
      });
    });
    for (const nl of seenNew)
      rows.push({ ...nl, role: 'non_target', longestMm: null, perpendicularMm: null, status: 'present' });
    if (plan.newLesion) {
      const organ = rng.pick(['liver', 'liver', 'bone', 'lymph_node']);
      const nl = { lesionId: `N${seenNew.length + 1}`, organ, lymphNode: organ === 'lymph_node' };
      const longest = rng.int(8, 16);
      rows.push({
        ...nl,
        role: 'new',
        longestMm: longest,
        perpendicularMm: Math.max(5, longest - rng.int(1, 4)),
        status: null,
      });
      seenNew.push(nl);
    }
    return { day: plan.day, rows };
  });
}
