/**
 * Turns covariate columns into the numeric design matrix of a regression model, as R's
 * `model.frame` + `model.matrix` do for a formula of main effects: a numeric column is used as it
 * is; a text (categorical) column becomes treatment-contrast indicators with its first level as the
 * reference, named `<name><level>` (`xNonmaintained`, `rxLev+5FU`); a row with a missing value in
 * any used column (covariates and any extra required columns, such as time, status, strata or
 * cluster) is dropped, as `na.omit` does, and counted.
 */
import type { Grouping } from './survival-data.js';

/** A covariate column: numbers, or text for a categorical variable; null (or NaN) is missing. */
export type CovariateColumn =
  | {
      readonly name: string;
      readonly values: readonly (number | null)[] | Float64Array;
    }
  | {
      readonly name: string;
      readonly values: readonly (string | null)[];
      /** Level order; the first is the reference. Default: the observed values, sorted. */
      readonly levels?: readonly string[];
    };

/** How one covariate was coded: enough to code new rows the same way. */
export type CovariateCoding =
  | { readonly name: string; readonly kind: 'numeric' }
  | { readonly name: string; readonly kind: 'categorical'; readonly levels: readonly string[] };

export interface Design {
  /** Design columns over the kept rows. */
  readonly columns: Float64Array[];
  /** Column names, as R's model.matrix names them. */
  readonly names: string[];
  /** Term names (one per covariate). */
  readonly terms: string[];
  /** For each term, the indices of its columns (R's `assign` list). */
  readonly assign: number[][];
  /** Original row indices of the kept rows, ascending. */
  readonly keep: Uint32Array;
  /** Number of rows dropped for a missing value (R's `n_dropped_na`). */
  readonly dropped: number;
  /** The coding of each covariate, for {@link encodeRow}. */
  readonly coding: CovariateCoding[];
}

export interface DesignOptions {
  /** Further columns that must be present on a row for it to be used (time, status, strata, cluster…). */
  readonly required?: readonly (ArrayLike<unknown> | readonly unknown[])[];
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function isTextColumn(
  c: CovariateColumn,
): c is { name: string; values: readonly (string | null)[]; levels?: readonly string[] } {
  if (c.values instanceof Float64Array) return false;
  return (c.values as readonly unknown[]).some((v) => typeof v === 'string') || 'levels' in c;
}

/**
 * Builds the design matrix from covariate columns of equal length.
 *
 * @example
 * const d = buildDesign([{ name: 'age', values: age }, { name: 'rx', values: rx, levels: ['Obs', 'Lev', 'Lev+5FU'] }],
 *   { required: [time, status] });
 * d.names; // ['age', 'rxLev', 'rxLev+5FU']
 */
export function buildDesign(covariates: readonly CovariateColumn[], options: DesignOptions = {}): Design {
  const n = covariates[0]?.values.length ?? options.required?.[0]?.length ?? 0;
  for (const c of covariates) {
    if (c.values.length !== n)
      throw new RangeError(`covariate ${c.name} has ${c.values.length} rows, expected ${n}`);
  }
  for (const r of options.required ?? []) {
    if (r.length !== n) throw new RangeError(`a required column has ${r.length} rows, expected ${n}`);
  }

  const coding: CovariateCoding[] = covariates.map((c) => {
    if (!isTextColumn(c)) return { name: c.name, kind: 'numeric' };
    const levels = c.levels ?? [...new Set(c.values.filter((v): v is string => v !== null))].sort();
    return { name: c.name, kind: 'categorical', levels: [...levels] };
  });

  const ok = new Uint8Array(n).fill(1);
  covariates.forEach((c, k) => {
    const code = coding[k]!;
    const levelSet = code.kind === 'categorical' ? new Set(code.levels) : null;
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (isMissing(v) || (levelSet !== null && !levelSet.has(v as string))) ok[i] = 0;
    }
  });
  for (const r of options.required ?? []) {
    for (let i = 0; i < n; i++) if (isMissing(r[i])) ok[i] = 0;
  }
  let kept = 0;
  for (let i = 0; i < n; i++) kept += ok[i]!;
  const keep = new Uint32Array(kept);
  for (let i = 0, j = 0; i < n; i++) if (ok[i] === 1) keep[j++] = i;

  const columns: Float64Array[] = [];
  const names: string[] = [];
  const assign: number[][] = [];
  covariates.forEach((c, k) => {
    const code = coding[k]!;
    const cols: number[] = [];
    if (code.kind === 'numeric') {
      const col = new Float64Array(kept);
      for (let j = 0; j < kept; j++) col[j] = c.values[keep[j]!] as number;
      cols.push(columns.length);
      columns.push(col);
      names.push(c.name);
    } else {
      for (const level of code.levels.slice(1)) {
        const col = new Float64Array(kept);
        for (let j = 0; j < kept; j++) col[j] = c.values[keep[j]!] === level ? 1 : 0;
        cols.push(columns.length);
        columns.push(col);
        names.push(`${c.name}${level}`);
      }
    }
    assign.push(cols);
  });

  return { columns, names, terms: covariates.map((c) => c.name), assign, keep, dropped: n - kept, coding };
}

/**
 * Codes one new row of covariate values the way the design coded its data (R's model.matrix on
 * `newdata`). Numbers may be given as text (`"50"`), as R's data frames of strings are.
 */
export function encodeRow(
  design: Pick<Design, 'coding' | 'names'>,
  values: Readonly<Record<string, number | string>>,
): Float64Array {
  const row = new Float64Array(design.names.length);
  let j = 0;
  for (const code of design.coding) {
    const v = values[code.name];
    if (v === undefined) throw new RangeError(`new data has no value for ${code.name}`);
    if (code.kind === 'numeric') {
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) throw new RangeError(`${code.name} = ${v} is not a number`);
      row[j++] = x;
    } else {
      const level = String(v);
      if (!code.levels.includes(level)) throw new RangeError(`${code.name} has no level ${level}`);
      for (const l of code.levels.slice(1)) row[j++] = l === level ? 1 : 0;
    }
  }
  return row;
}

/** The kept rows of a numeric column, as a `Float64Array`. */
export function takeRows(values: ArrayLike<number | null>, keep: Uint32Array): Float64Array {
  const out = new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) out[j] = values[keep[j]!] ?? NaN;
  return out;
}

/**
 * A grouping of the kept rows by the values of one column, as R's `strata(x)` labels it (`"x=1"`):
 * levels sorted (numbers numerically), or in the given order.
 */
export function groupingOf(
  name: string,
  values: readonly (number | string | null)[],
  keep: Uint32Array,
  levels?: readonly (number | string)[],
): Grouping {
  const kept = Array.from(keep, (i) => values[i]);
  let lv: (number | string)[];
  if (levels) lv = [...levels];
  else {
    lv = [...new Set(kept.filter((v): v is number | string => v !== null))];
    if (lv.every((v) => typeof v === 'number')) lv.sort((a, b) => a - b);
    else lv = lv.map(String).sort();
  }
  const index = new Map(lv.map((v, k) => [String(v), k]));
  const codes = new Int32Array(kept.length);
  kept.forEach((v, j) => {
    const k = v === null ? undefined : index.get(String(v));
    if (k === undefined)
      throw new RangeError(`${name} value ${v} at kept row ${j} is missing or not a level`);
    codes[j] = k;
  });
  return { codes, labels: lv.map((v) => `${name}=${String(v)}`) };
}

/** Integer cluster codes (1, 2, …) of the kept rows, from any column of identifiers. */
export function clusterCodes(values: readonly (number | string | null)[], keep: Uint32Array): Int32Array {
  const index = new Map<string, number>();
  const codes = new Int32Array(keep.length);
  for (let j = 0; j < keep.length; j++) {
    const key = String(values[keep[j]!]);
    let k = index.get(key);
    if (k === undefined) {
      k = index.size;
      index.set(key, k);
    }
    codes[j] = k;
  }
  return codes;
}
