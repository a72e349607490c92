/**
 * The k-sample log-rank test and the Fleming–Harrington G(ρ) family, computed exactly as R's
 * `survdiff(Surv(time, status) ~ group [+ strata(s)], rho = ρ)` (survival 3.5-3, C routine survdiff2).
 */
import { chiSquareSurvival } from './distributions.js';
import { solveLinear } from './linear-solve.js';
import { numberKeyColumns, sortColumns } from './sort-index.js';
import { checkRightCensored, type Grouping, type RightCensored } from './survival-data.js';

export interface LogRankOptions {
  /**
   * The ρ of the G(ρ) weights S(t−)^ρ, where S is the Kaplan–Meier estimate of all groups pooled within
   * the stratum. 0 (the default) is the log-rank test, 1 the Peto–Peto (Prentice) modification.
   */
  readonly rho?: number;
  /** Strata: the groups are compared within each stratum and the sums are pooled, as `strata()` in R. */
  readonly strata?: Grouping;
}

/** Observed and expected (weighted) events of one stratum, by group. */
export interface LogRankStratum {
  /** The stratum's label, e.g. `ph.ecog=1`. */
  readonly label: string;
  /** Rows in the stratum. */
  readonly size: number;
  /** Observed (weighted) events per group, in the order of `groups`. */
  readonly obs: readonly number[];
  /** Expected (weighted) events per group. */
  readonly exp: readonly number[];
}

export interface LogRankResult {
  readonly rho: number;
  /** Labels of the groups that have rows, in the order of the grouping's labels (R's factor order). */
  readonly groups: readonly string[];
  /** Rows per group. */
  readonly n: readonly number[];
  /** Observed events per group (weighted by S(t−)^ρ), summed over strata. */
  readonly obs: readonly number[];
  /** Expected events per group (weighted), summed over strata. */
  readonly exp: readonly number[];
  /** obs − exp. */
  readonly oMinusE: readonly number[];
  /** (obs − exp)² / exp, the column R prints as (O-E)^2/E. */
  readonly oMinusESqOverE: readonly number[];
  /** (obs − exp)² / var[i][i], the column R prints as (O-E)^2/V. */
  readonly oMinusESqOverV: readonly number[];
  /** The k×k variance matrix of obs − exp (row-major, as R's `fit$var`). */
  readonly var: readonly (readonly number[])[];
  /** The chi-square statistic; 0 when fewer than two groups have expected events (no test). */
  readonly chisq: number;
  /** Degrees of freedom: the number of groups with exp > 0, minus 1 (R's print.survdiff rule). */
  readonly df: number;
  /** Upper-tail chi-square probability of `chisq` on `df`; NaN when df is 0. */
  readonly p: number;
  /** Per-stratum detail; present only for a stratified test. */
  readonly strata?: readonly LogRankStratum[];
}

interface CompactCodes {
  readonly codes: Int32Array;
  readonly labels: string[];
  readonly sizes: number[];
}

/** Renumbers a grouping so that only labels with rows remain, keeping the label order (R drops empty levels). */
function compact(grouping: Grouping, n: number, what: string): CompactCodes {
  if (grouping.codes.length !== n) {
    throw new RangeError(`${what} has ${grouping.codes.length} codes but the data have ${n} rows`);
  }
  const k = grouping.labels.length;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = grouping.codes[i]!;
    if (c < 0 || c >= k) throw new RangeError(`${what} code ${c} at row ${i} has no label`);
    counts[c]!++;
  }
  const remap = new Int32Array(k).fill(-1);
  const labels: string[] = [];
  const sizes: number[] = [];
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) {
      remap[c] = labels.length;
      labels.push(grouping.labels[c]!);
      sizes.push(counts[c]!);
    }
  }
  if (labels.length === k) return { codes: grouping.codes, labels, sizes };
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = remap[grouping.codes[i]!]!;
  return { codes, labels, sizes };
}

/**
 * Tests whether the survival of k groups differs, weighting each event time by S(t−)^ρ (Harrington and
 * Fleming, 1982): ρ = 0 is the log-rank (Mantel–Haenszel) test, ρ = 1 the Peto–Peto test.
 *
 * R conventions, all kept: groups without rows are dropped; the chi-square uses the variance matrix
 * without the first group that has expected events (`solve(var[-1, -1], (O-E)[-1])`); `df` is the
 * number of groups with exp > 0 minus one; tied event and censoring times count the censored as still
 * at risk. Times are compared exactly (R first merges times that differ by rounding error, `aeqSurv`).
 *
 * @example
 * const test = logRankTest({ time, status }, { codes: sexCodes, labels: ['sex=1', 'sex=2'] });
 * test.chisq; // 10.33 for R's lung data
 * logRankTest(data, group, { rho: 1, strata: ecog }); // Peto–Peto, stratified by ECOG
 */
export function logRankTest(
  data: RightCensored,
  group: Grouping,
  options: LogRankOptions = {},
): LogRankResult {
  checkRightCensored(data);
  const rho = options.rho ?? 0;
  if (!Number.isFinite(rho)) throw new RangeError(`rho must be a finite number, got ${rho}`);
  const n = data.time.length;
  const groups = compact(group, n, 'group');
  const k = groups.labels.length;
  if (k < 2) throw new RangeError('there is only one group: the test needs at least two');
  const strata = options.strata ? compact(options.strata, n, 'strata') : null;
  const nStrata = strata ? strata.labels.length : 1;

  // One sort, by stratum then time; the order inside a tie does not matter.
  const packed = new Uint32Array(n);
  for (let i = 0; i < n; i++) packed[i] = (groups.codes[i]! << 1) | data.status[i]!;
  const timeKeys = numberKeyColumns(data.time);
  const columns = [packed, ...timeKeys];
  const keys = timeKeys.map((_, c) => c + 1);
  if (strata && nStrata > 1) {
    keys.push(columns.length);
    columns.push(new Uint32Array(strata.codes.buffer, strata.codes.byteOffset, n));
  }
  const sorted = sortColumns(columns, keys);
  const groupAndStatus = sorted[0]!;
  const low = sorted[1]!;
  const high = timeKeys.length === 2 ? sorted[2]! : low;
  const sameTime = (a: number, b: number) => low[a] === low[b] && high[a] === high[b];

  const obs = new Float64Array(nStrata * k);
  const exp = new Float64Array(nStrata * k);
  // Column-major like R's var.e: element (row r, column c) at c * k + r.
  const varE = new Float64Array(k * k);
  const risk = new Float64Array(k);
  const kaplan = rho === 0 ? null : new Float64Array(n);

  let start = 0;
  for (let s = 0; s < nStrata; s++) {
    const size = strata ? strata.sizes[s]! : n;
    const end = start + size;
    const offset = s * k;
    risk.fill(0);

    if (kaplan) {
      // S(t−) of the pooled Kaplan–Meier within the stratum, left-continuous.
      let km = 1;
      for (let i = start; i < end;) {
        kaplan[i] = km;
        const nRisk = end - i;
        let deaths = groupAndStatus[i]! & 1;
        let j = i + 1;
        for (; j < end && sameTime(j, i); j++) {
          kaplan[j] = km;
          deaths += groupAndStatus[j]! & 1;
        }
        km = (km * (nRisk - deaths)) / nRisk;
        i = j;
      }
    }

    // Backwards over the distinct times, accumulating the risk sets.
    for (let i = end - 1; i >= start; i--) {
      let wt = kaplan ? Math.pow(kaplan[i]!, rho) : 1;
      let deaths = 0;
      let j = i;
      for (; j >= start && sameTime(j, i); j--) {
        const g = groupAndStatus[j]! >>> 1;
        const d = groupAndStatus[j]! & 1;
        deaths += d;
        risk[g]!++;
        obs[g + offset] = obs[g + offset]! + d * wt;
      }
      i = j + 1;
      const nRisk = end - i;
      if (deaths === 0) continue;
      for (let g = 0; g < k; g++) exp[g + offset] = exp[g + offset]! + (wt * deaths * risk[g]!) / nRisk;
      if (nRisk === 1) continue;
      wt = wt * wt;
      let kk = 0;
      for (let c = 0; c < k; c++) {
        const tmp = (wt * deaths * risk[c]! * (nRisk - deaths)) / (nRisk * (nRisk - 1));
        varE[kk + c] = varE[kk + c]! + tmp;
        for (let r = 0; r < k; r++) {
          varE[kk] = varE[kk]! - (tmp * risk[r]!) / nRisk;
          kk++;
        }
      }
    }
    start = end;
  }

  const obsTotal: number[] = [];
  const expTotal: number[] = [];
  for (let g = 0; g < k; g++) {
    let o = 0;
    let e = 0;
    for (let s = 0; s < nStrata; s++) {
      o += obs[s * k + g]!;
      e += exp[s * k + g]!;
    }
    obsTotal.push(o);
    expTotal.push(e);
  }
  const variance: number[][] = [];
  for (let r = 0; r < k; r++) {
    const row: number[] = [];
    for (let c = 0; c < k; c++) row.push(varE[c * k + r]!);
    variance.push(row);
  }

  const tested: number[] = [];
  for (let g = 0; g < k; g++) if (expTotal[g]! > 0) tested.push(g);
  const df = tested.length - 1;
  let chisq = 0;
  if (tested.length >= 2) {
    const kept = tested.slice(1);
    const diff = kept.map((g) => obsTotal[g]! - expTotal[g]!);
    const sub = kept.map((r) => kept.map((c) => variance[r]![c]!));
    const solved = solveLinear(sub, diff);
    if (solved === null) {
      chisq = NaN;
    } else {
      chisq = 0;
      for (let i = 0; i < diff.length; i++) chisq += solved[i]! * diff[i]!;
    }
  }
  const p = df > 0 ? chiSquareSurvival(chisq, df) : NaN;

  const oMinusE = obsTotal.map((o, g) => o - expTotal[g]!);
  const result: LogRankResult = {
    rho,
    groups: groups.labels,
    n: groups.sizes,
    obs: obsTotal,
    exp: expTotal,
    oMinusE,
    oMinusESqOverE: oMinusE.map((d, g) => (d * d) / expTotal[g]!),
    oMinusESqOverV: oMinusE.map((d, g) => (d * d) / variance[g]![g]!),
    var: variance,
    chisq,
    df,
    p,
  };
  if (!strata) return result;
  const detail: LogRankStratum[] = strata.labels.map((label, s) => ({
    label,
    size: strata.sizes[s]!,
    obs: Array.from(obs.subarray(s * k, s * k + k)),
    exp: Array.from(exp.subarray(s * k, s * k + k)),
  }));
  return { ...result, strata: detail };
}
