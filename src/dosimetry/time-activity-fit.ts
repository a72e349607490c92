/**
 * Time–activity curve fitting: mono-exponential, bi-exponential (two washout phases) and uptake–washout
 * models fitted by bounded least squares (unweighted), every decay constant kept at or above physical
 * decay (the activities are not decay-corrected), and a choice between models by AIC that prefers the
 * simpler model when the AICs are close. Each fitted curve is a sum of exponentials Σ c_i·e^(−λ_i t), so
 * its integral to infinity is Σ c_i/λ_i.
 */
import type { Reason } from '../clinical/explain.js';
import { levenbergMarquardt, type LeastSquaresProblem } from './least-squares.js';

export const TacModel = {
  mono: 'mono-exponential',
  bi: 'bi-exponential',
  uptakeWashout: 'uptake-washout',
} as const;
export type TacModel = (typeof TacModel)[keyof typeof TacModel];

/** A measured point of a time–activity curve: hours after administration, activity (or concentration). */
export interface TacPoint {
  readonly tH: number;
  readonly value: number;
}

/** One term c·e^(−λt) of a fitted curve. */
export interface ExponentialTerm {
  readonly coefficient: number;
  /** h⁻¹ */
  readonly lambda: number;
}

export interface FittedTac {
  readonly model: TacModel;
  /** Named parameters: a, lambda (mono); a1, lambda1, a2, lambda2 (bi); a, lambdaWashout, lambdaUptake. */
  readonly parameters: Readonly<Record<string, number>>;
  readonly terms: readonly ExponentialTerm[];
  readonly sse: number;
  readonly aic: number;
  readonly nPoints: number;
  readonly nParameters: number;
  /** Degrees of freedom, points − parameters; a 0-d.o.f. fit interpolates rather than estimates. */
  readonly dof: number;
  /** ∫₀^∞ of the fitted curve, Σ c_i/λ_i (value unit × h). */
  readonly integral: number;
  readonly converged: boolean;
}

export interface FitOptions {
  /** The physical decay constant, h⁻¹: the lower bound of every decay constant. */
  readonly lambdaPhys: number;
  /** The upper bound of every decay constant, h⁻¹ (a numerical guard; default 50 h⁻¹, T½ ≈ 50 s). */
  readonly lambdaMax?: number;
}

/** Evaluates Σ c_i·e^(−λ_i t). */
export function evaluateTerms(terms: readonly ExponentialTerm[], tH: number): number {
  let s = 0;
  for (const term of terms) s += term.coefficient * Math.exp(-term.lambda * tH);
  return s;
}

/** ∫₀^∞ Σ c_i·e^(−λ_i t) dt = Σ c_i/λ_i. */
export function integrateTerms(terms: readonly ExponentialTerm[]): number {
  let s = 0;
  for (const term of terms) s += term.coefficient / term.lambda;
  return s;
}

interface ModelSpec {
  readonly nParameters: number;
  readonly terms: (p: readonly number[]) => ExponentialTerm[];
  readonly named: (p: readonly number[]) => Record<string, number>;
  readonly jacobianRow: (p: readonly number[], t: number) => number[];
  readonly lower: (o: Required<FitOptions>) => number[];
  readonly upper: (o: Required<FitOptions>) => number[];
  readonly starts: (points: readonly TacPoint[], o: Required<FitOptions>) => number[][];
}

const TINY = 1e-9;

/** Log-linear regression of the positive points: [a, λ] of a·e^(−λt). */
function logLinear(points: readonly TacPoint[]): [number, number] | null {
  const pos = points.filter((p) => p.value > 0);
  if (pos.length < 2) return null;
  const n = pos.length;
  const mt = pos.reduce((s, p) => s + p.tH, 0) / n;
  const my = pos.reduce((s, p) => s + Math.log(p.value), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of pos) {
    sxy += (p.tH - mt) * (Math.log(p.value) - my);
    sxx += (p.tH - mt) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return [Math.exp(my - slope * mt), -slope];
}

function monoStart(points: readonly TacPoint[], o: Required<FitOptions>): [number, number] {
  const ll = logLinear(points);
  const maxValue = Math.max(...points.map((p) => p.value), TINY);
  if (ll === null) return [maxValue, o.lambdaPhys];
  return [ll[0], Math.min(Math.max(ll[1], o.lambdaPhys), o.lambdaMax)];
}

const mono: ModelSpec = {
  nParameters: 2,
  terms: ([a, l]) => [{ coefficient: a!, lambda: l! }],
  named: ([a, l]) => ({ a: a!, lambda: l! }),
  jacobianRow: ([a, l], t) => {
    const e = Math.exp(-l! * t);
    return [e, -t * a! * e];
  },
  lower: (o) => [0, o.lambdaPhys],
  upper: (o) => [Infinity, o.lambdaMax],
  starts: (points, o) => {
    const last2 = points.slice(-2);
    return [monoStart(points, o), monoStart(last2, o)];
  },
};

/** Parameters [a1, δ, a2, λ2] with λ1 = λ2 + δ, so that term 1 is always the faster one. */
const bi: ModelSpec = {
  nParameters: 4,
  terms: ([a1, d, a2, l2]) => [
    { coefficient: a1!, lambda: l2! + d! },
    { coefficient: a2!, lambda: l2! },
  ],
  named: ([a1, d, a2, l2]) => ({ a1: a1!, lambda1: l2! + d!, a2: a2!, lambda2: l2! }),
  jacobianRow: ([a1, d, a2, l2], t) => {
    const e1 = Math.exp(-(l2! + d!) * t);
    const e2 = Math.exp(-l2! * t);
    return [e1, -t * a1! * e1, e2, -t * (a1! * e1 + a2! * e2)];
  },
  lower: (o) => [0, TINY, 0, o.lambdaPhys],
  upper: (o) => [Infinity, o.lambdaMax, Infinity, o.lambdaMax],
  starts: (points, o) => {
    const half = Math.max(2, Math.floor(points.length / 2));
    const [a2, l2] = monoStart(points.slice(-half), o);
    const early = points.slice(0, points.length - half);
    const starts: number[][] = [];
    for (const factor of [2, 5, 10, 30, 100]) {
      const l1 = Math.min(l2 * factor, o.lambdaMax);
      const residual = early.map((p) => p.value - a2 * Math.exp(-l2 * p.tH));
      const first = early[0];
      const r0 = residual[0];
      const a1 = first !== undefined && r0 !== undefined ? Math.max(r0, 0) * Math.exp(l1 * first.tH) : a2;
      starts.push([Math.min(a1, 1e12), Math.max(l1 - l2, TINY), a2, l2]);
    }
    return starts;
  },
};

/** Parameters [a, λw, δ] with λu = λw + δ > λw: A(t) = a·(e^(−λw t) − e^(−λu t)). */
const uptakeWashout: ModelSpec = {
  nParameters: 3,
  terms: ([a, lw, d]) => [
    { coefficient: a!, lambda: lw! },
    { coefficient: -a!, lambda: lw! + d! },
  ],
  named: ([a, lw, d]) => ({ a: a!, lambdaWashout: lw!, lambdaUptake: lw! + d! }),
  jacobianRow: ([a, lw, d], t) => {
    const ew = Math.exp(-lw! * t);
    const eu = Math.exp(-(lw! + d!) * t);
    return [ew - eu, a! * t * (eu - ew), a! * t * eu];
  },
  lower: (o) => [0, o.lambdaPhys, TINY],
  upper: (o) => [Infinity, o.lambdaMax, o.lambdaMax],
  starts: (points, o) => {
    let peak = 0;
    points.forEach((p, i) => {
      if (p.value > points[peak]!.value) peak = i;
    });
    const after = points.slice(peak);
    const [a, lw] = monoStart(after.length >= 2 ? after : points, o);
    return [2, 5, 20, 100, 1000].map((factor) => {
      const lu = Math.min(lw * factor, o.lambdaMax);
      return [a, lw, Math.max(lu - lw, TINY)];
    });
  },
};

const SPECS: Readonly<Record<TacModel, ModelSpec>> = {
  'mono-exponential': mono,
  'bi-exponential': bi,
  'uptake-washout': uptakeWashout,
};

/** Akaike's information criterion of a least-squares fit, n·ln(SSE/n) + 2k. */
export function aic(sse: number, nPoints: number, nParameters: number): number {
  return nPoints * Math.log(Math.max(sse, Number.MIN_VALUE) / nPoints) + 2 * nParameters;
}

/** The number of parameters of a model. */
export function parameterCount(model: TacModel): number {
  return SPECS[model].nParameters;
}

/** Fits one model (unweighted least squares, several starts, the best kept). */
export function fitTac(model: TacModel, points: readonly TacPoint[], options: FitOptions): FittedTac {
  const spec = SPECS[model];
  if (points.length < spec.nParameters) {
    throw new RangeError(`a ${model} fit needs at least ${spec.nParameters} points, got ${points.length}`);
  }
  if (!(options.lambdaPhys > 0)) throw new RangeError('the physical decay constant must be positive');
  const o: Required<FitOptions> = { lambdaMax: 50, ...options };
  const sorted = [...points].sort((x, y) => x.tH - y.tH);
  const observed = sorted.map((p) => p.value);
  const problem: LeastSquaresProblem = {
    model: (p) => sorted.map((pt) => evaluateTerms(spec.terms(p), pt.tH)),
    jacobian: (p) => sorted.map((pt) => spec.jacobianRow(p, pt.tH)),
    observed,
    lower: spec.lower(o),
    upper: spec.upper(o),
  };
  let best: ReturnType<typeof levenbergMarquardt> | null = null;
  for (const start of spec.starts(sorted, o)) {
    const r = levenbergMarquardt(problem, start);
    if (best === null || r.sse < best.sse) best = r;
  }
  if (best === null) throw new RangeError(`no start for a ${model} fit`);
  const terms = spec.terms(best.parameters);
  return {
    model,
    parameters: spec.named(best.parameters),
    terms,
    sse: best.sse,
    aic: aic(best.sse, sorted.length, spec.nParameters),
    nPoints: sorted.length,
    nParameters: spec.nParameters,
    dof: sorted.length - spec.nParameters,
    integral: integrateTerms(terms),
    converged: best.converged,
  };
}

export interface ModelChoice {
  /** The chosen fit, or null when no model has few enough parameters for the points. */
  readonly chosen: FittedTac | null;
  readonly candidates: readonly FittedTac[];
  readonly because: readonly Reason[];
}

export interface ChooseOptions extends FitOptions {
  /** A simpler model wins when its AIC is within this margin of the lowest. */
  readonly aicMargin: number;
  /** Models to consider; default all three. */
  readonly models?: readonly TacModel[];
  /** Where the margin and the rules come from, for the reasons. */
  readonly source?: string;
}

/**
 * Fits every candidate model that has no more parameters than half the points, and chooses by AIC: the
 * model with the fewest parameters whose AIC is within `aicMargin` of the lowest.
 */
export function chooseTacModel(points: readonly TacPoint[], options: ChooseOptions): ModelChoice {
  const source = options.source ?? 'model choice by AIC';
  const models = options.models ?? [TacModel.mono, TacModel.uptakeWashout, TacModel.bi];
  const eligible = models.filter((m) => SPECS[m].nParameters <= points.length / 2);
  const because: Reason[] = [];
  for (const m of models.filter((x) => !eligible.includes(x))) {
    because.push({
      rule: `${m} not fitted: ${SPECS[m].nParameters} parameters need at least ${2 * SPECS[m].nParameters} points`,
      observed: { value: points.length, unit: 'points' },
      threshold: { value: 2 * SPECS[m].nParameters, unit: 'points' },
      source,
    });
  }
  const candidates = eligible.map((m) => fitTac(m, points, options));
  if (candidates.length === 0) return { chosen: null, candidates, because };
  const lowest = Math.min(...candidates.map((c) => c.aic));
  const within = candidates
    .filter((c) => c.aic <= lowest + options.aicMargin)
    .sort((x, y) => x.nParameters - y.nParameters || x.aic - y.aic);
  const chosen = within[0]!;
  because.push({
    rule:
      `${chosen.model} chosen: the fewest parameters among the models whose AIC is within ` +
      `${options.aicMargin} of the lowest (${candidates.map((c) => `${c.model} ${c.aic.toFixed(2)}`).join(', ')})`,
    observed: { value: chosen.aic, unit: 'AIC' },
    threshold: { value: lowest + options.aicMargin, unit: 'AIC' },
    source,
  });
  return { chosen, candidates, because };
}
