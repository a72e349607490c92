/**
 * Laboratory trajectories of the synthetic patients: a baseline per test, a nadir 4–6 weeks after each
 * cycle and recovery afterwards. The salvage course's worst value of each blood count is chosen inside
 * the band of its designed CTCAE grade, well away from the band's edges; every other value of the
 * course lies between that nadir and the baseline, so the designed grade is the worst one.
 */
import type { Rng } from './prng.js';
import { type DemoSex, type HaemTest, gradeInterval, lln } from './read-back.js';

/** A designed worst value lies in the middle of its grade's interval, this share of the width from either edge. */
const BAND_EDGE = 0.2;
/** Grade 0 (no upper bound): this many times the LLN. */
const ABOVE_LLN: readonly [number, number] = [1.05, 1.15];
/** The lowest numbered grade (no lower bound): this many times its cut. */
const BELOW_LOWEST_CUT: readonly [number, number] = [0.5, 0.8];

/**
 * Values chosen for a designed grade, in canonical units, clear of the grade's bounds. The bounds are
 * those of CTCAE v5.0 with the exchange format's default LLN, as prrt grades them.
 */
export function gradeBand(test: HaemTest, grade: number, sex: DemoSex): readonly [number, number] {
  const { lower, upper } = gradeInterval(test, grade, sex);
  if (upper === Infinity) return [ABOVE_LLN[0] * lln(test, sex), ABOVE_LLN[1] * lln(test, sex)];
  if (lower === null) return [BELOW_LOWEST_CUT[0] * upper, BELOW_LOWEST_CUT[1] * upper];
  const edge = BAND_EDGE * (upper - lower);
  return [lower + edge, upper - edge];
}

export interface CountPlan {
  /** Baseline before the course. */
  readonly baseline: number;
  /** The nadir of each cycle of the course, canonical units. */
  readonly nadirs: readonly number[];
}

export type LabPlan = Readonly<Record<HaemTest | 'lymphocytes', CountPlan>>;

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export const LAB_DIGITS: Readonly<Record<HaemTest | 'lymphocytes', number>> = {
  platelets: 0,
  hemoglobin: 1,
  wbc: 1,
  neutrophils: 2,
  lymphocytes: 2,
};

/**
 * The salvage course's blood-count plan for designed grades: the worst cycle's nadir in the grade band,
 * the other cycles' nadirs milder. White cells and neutrophils are drawn together so that neutrophils
 * stay a plausible share (30–75 %) of the white cells.
 */
export function salvagePlan(
  rng: Rng,
  grades: Readonly<Record<HaemTest, number>>,
  sex: DemoSex,
  cycles: number,
  worstCycle: number,
  slowRecovery: boolean,
): LabPlan {
  const pick = (t: HaemTest): number => {
    const [lo, hi] = gradeBand(t, grades[t], sex);
    return round(rng.uniform(lo, hi), LAB_DIGITS[t]);
  };
  let wbc = pick('wbc');
  let neu = pick('neutrophils');
  for (let i = 0; i < 500 && (neu / wbc < 0.3 || neu / wbc > 0.75); i++) {
    wbc = pick('wbc');
    neu = pick('neutrophils');
  }
  if (neu / wbc < 0.3 || neu / wbc > 0.75)
    throw new Error(`no plausible wbc/neutrophil pair for ${JSON.stringify(grades)}`);
  const hb = pick('hemoglobin');
  const plt = pick('platelets');
  const wbcBase = Math.max(wbc / 0.7, rng.uniform(5.0, 8.0));
  const neuBase = Math.max(neu * 1.2, wbcBase * rng.uniform(0.55, 0.68));
  const hbLln = lln('hemoglobin', sex);
  const hbBase =
    grades.hemoglobin === 0
      ? hb + rng.uniform(0.4, 1.2)
      : Math.max(hb + rng.uniform(0.5, 1.5), rng.uniform(hbLln - 1.2, hbLln + 1));
  // A patient with long-lasting thrombocytopenia starts from a lower marrow reserve.
  const pltBase = Math.max(plt / 0.75, slowRecovery ? rng.uniform(160, 215) : rng.uniform(190, 330));
  const lymBase = rng.uniform(1.1, 2.2);
  const nadirs = (worst: number, base: number, digits: number): number[] =>
    Array.from({ length: cycles }, (_, c) =>
      c === worstCycle ? worst : round(worst + (base - worst) * rng.uniform(0.25, 0.6), digits),
    );
  return {
    platelets: { baseline: pltBase, nadirs: nadirs(plt, pltBase, 0) },
    hemoglobin: { baseline: hbBase, nadirs: nadirs(hb, hbBase, 1) },
    wbc: { baseline: wbcBase, nadirs: nadirs(wbc, wbcBase, 1) },
    neutrophils: { baseline: neuBase, nadirs: nadirs(neu, neuBase, 2) },
    lymphocytes: {
      baseline: lymBase,
      nadirs: Array.from({ length: cycles }, () => round(lymBase * rng.uniform(0.4, 0.7), 2)),
    },
  };
}

/** The regular course's plan: healthier baselines and mild nadirs (grade 0–2), not part of the design. */
export function regularPlan(rng: Rng, salvage: LabPlan, sex: DemoSex, cycles: number): LabPlan {
  const mild = (t: HaemTest | 'lymphocytes', base: number, lo: number, hi: number): CountPlan => ({
    baseline: base,
    nadirs: Array.from({ length: cycles }, () => round(base * rng.uniform(lo, hi), LAB_DIGITS[t])),
  });
  const hbLln = lln('hemoglobin', sex);
  return {
    platelets: mild(
      'platelets',
      Math.min(380, salvage.platelets.baseline * rng.uniform(1.08, 1.25)),
      0.45,
      0.8,
    ),
    hemoglobin: mild(
      'hemoglobin',
      Math.max(hbLln + 0.3, salvage.hemoglobin.baseline + rng.uniform(0.3, 1.0)),
      0.86,
      0.96,
    ),
    wbc: mild('wbc', salvage.wbc.baseline * rng.uniform(1.0, 1.2), 0.55, 0.8),
    neutrophils: mild('neutrophils', salvage.neutrophils.baseline * rng.uniform(1.0, 1.2), 0.55, 0.8),
    lymphocytes: mild('lymphocytes', salvage.lymphocytes.baseline * rng.uniform(1.1, 1.4), 0.4, 0.7),
  };
}

/**
 * Depth of the effect of one cycle, 0–1, `days` after it with the nadir `nadirWeek` weeks after the
 * cycle; `slow` stretches the recovery (long-lasting thrombocytopenia).
 */
export function cycleEffect(days: number, nadirWeek: number, slow: boolean): number {
  const w = days / 7;
  const pts: readonly (readonly [number, number])[] = slow
    ? [
        [0, 0],
        [2, 0.45],
        [nadirWeek, 1],
        [nadirWeek + 4, 0.95],
        [nadirWeek + 8, 0.85],
        [nadirWeek + 14, 0.65],
        [nadirWeek + 22, 0.35],
        [nadirWeek + 30, 0.1],
        [nadirWeek + 40, 0],
      ]
    : [
        [0, 0],
        [2, 0.45],
        [nadirWeek, 1],
        [nadirWeek + 3, 0.45],
        [nadirWeek + 6, 0.12],
        [nadirWeek + 10, 0],
      ];
  if (w <= 0) return 0;
  for (let i = 1; i < pts.length; i++) {
    const [w1, y1] = pts[i]!;
    const [w0, y0] = pts[i - 1]!;
    if (w <= w1) return y0 + ((y1 - y0) * (w - w0)) / (w1 - w0);
  }
  return 0;
}

/** A canonical value of a count at `day`, given the course's cycles (day numbers) and nadir weeks. */
export function countAt(
  plan: CountPlan,
  day: number,
  cycleDays: readonly number[],
  nadirWeeks: readonly number[],
  slowCycle: number | null,
): number {
  let depth = 0;
  for (let c = 0; c < cycleDays.length; c++) {
    const e = cycleEffect(day - cycleDays[c]!, nadirWeeks[c]!, c === slowCycle);
    depth = Math.max(depth, (plan.baseline - plan.nadirs[c]!) * e);
  }
  return plan.baseline - depth;
}

/** The lowest value a count may take in the salvage course: its designed worst value. */
export function floorOf(plan: CountPlan): number {
  return Math.min(...plan.nadirs);
}
