/**
 * Turns any CSV into the columns the survival engine takes, the way R's model frame would: rows with an
 * empty cell in a used column are dropped and counted; the event column follows R's `Surv()` coding
 * unless `eventValue` says which value is an event; a text column is categorical with sorted levels
 * (numeric-looking levels sorted numerically) unless an explicit order is given.
 */
import type { CsvTable } from '../interop/csv-table.js';
import { PrrtError } from '../errors.js';
import type { CovariateColumn } from '../survival/design-matrix.js';

export interface SurvivalColumnsRequest {
  readonly time: string;
  readonly event: string;
  readonly eventValue?: string | undefined;
  readonly group?: string | undefined;
  readonly strata?: string | undefined;
  readonly cluster?: string | undefined;
  readonly covariates?: readonly string[] | undefined;
  /** Explicit level order per column (`--levels col=a,b,c`). */
  readonly levels?: ReadonlyMap<string, readonly string[]> | undefined;
}

/** A categorical column: `codes[i]` indexes `levels`. */
export interface Factor {
  readonly name: string;
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export interface SurvivalColumns {
  readonly time: Float64Array;
  readonly status: Uint8Array;
  readonly group: Factor | null;
  readonly strata: Factor | null;
  readonly cluster: Factor | null;
  /** Covariates for the design matrix: numbers, or text with its level order (first = reference). */
  readonly covariates: readonly CovariateColumn[];
  /** Rows kept / rows dropped because a used column was empty. */
  readonly n: number;
  readonly dropped: number;
}

function usage(message: string): PrrtError {
  return new PrrtError('USAGE', message);
}

function isNumeric(cells: readonly (string | null)[]): boolean {
  return cells.every((c) => c === null || (c.trim() !== '' && Number.isFinite(Number(c))));
}

function sortLevels(values: Iterable<string>, numeric: boolean): string[] {
  const unique = [...new Set(values)];
  return numeric
    ? unique.sort((a, b) => Number(a) - Number(b))
    : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function factorOf(name: string, cells: readonly string[], explicit: readonly string[] | undefined): Factor {
  const numeric = isNumeric(cells);
  let levels: string[];
  if (explicit) {
    const known = new Set(explicit);
    const unknown = [...new Set(cells.filter((c) => !known.has(c)))];
    if (unknown.length > 0) {
      throw usage(
        `--levels ${name}: value(s) ${unknown.map((u) => `"${u}"`).join(', ')} not in the given levels`,
      );
    }
    const used = new Set(cells);
    levels = explicit.filter((l) => used.has(l));
  } else {
    levels = sortLevels(cells, numeric);
  }
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) codes[i] = index.get(cells[i]!)!;
  return { name, codes, levels };
}

/** R's `Surv(time, status)` event coding, or `cell === eventValue` when given. */
function eventCoding(name: string, cells: readonly string[], eventValue: string | undefined): Uint8Array {
  const status = new Uint8Array(cells.length);
  if (eventValue !== undefined) {
    for (let i = 0; i < cells.length; i++) status[i] = cells[i] === eventValue ? 1 : 0;
    return status;
  }
  const lower = cells.map((c) => c.trim().toLowerCase());
  if (lower.every((c) => c === 'true' || c === 'false')) {
    for (let i = 0; i < cells.length; i++) status[i] = lower[i] === 'true' ? 1 : 0;
    return status;
  }
  const nums = cells.map(Number);
  const bad = nums.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw usage(
      `event column "${name}" holds "${cells[bad]}": use --event-value to say which value is an event`,
    );
  }
  const oneTwo = nums.every((v) => v === 1 || v === 2) && nums.includes(2);
  for (let i = 0; i < nums.length; i++) {
    const v = nums[i]!;
    if (oneTwo) status[i] = v === 2 ? 1 : 0;
    else if (v === 0 || v === 1) status[i] = v;
    else throw usage(`event column "${name}" holds ${v}: expected 0/1 or 1/2 coding, or give --event-value`);
  }
  return status;
}

/** Extracts, checks and codes the columns a survival analysis uses. */
export function survivalColumns(table: CsvTable, req: SurvivalColumnsRequest): SurvivalColumns {
  const used = [req.time, req.event, req.group, req.strata, req.cluster, ...(req.covariates ?? [])].filter(
    (c): c is string => c !== undefined,
  );
  for (const c of used) {
    if (!table.columns.has(c)) {
      throw usage(`no column "${c}" in the CSV (columns: ${table.names.join(', ')})`);
    }
  }
  for (const c of req.levels?.keys() ?? []) {
    if (!used.includes(c)) throw usage(`--levels names column "${c}", which the analysis does not use`);
  }
  const cols = used.map((c) => table.columns.get(c)!);
  const keep: number[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    if (cols.every((col) => col[r] !== null)) keep.push(r);
  }
  const take = (name: string): string[] => {
    const col = table.columns.get(name)!;
    return keep.map((r) => col[r]!);
  };
  const timeCells = take(req.time);
  const time = new Float64Array(timeCells.length);
  for (let i = 0; i < timeCells.length; i++) {
    const v = Number(timeCells[i]);
    if (!Number.isFinite(v)) throw usage(`time column "${req.time}" holds "${timeCells[i]}", not a number`);
    time[i] = v;
  }
  const status = eventCoding(req.event, take(req.event), req.eventValue);
  const factor = (name: string | undefined): Factor | null =>
    name === undefined ? null : factorOf(name, take(name), req.levels?.get(name));
  const covariates: CovariateColumn[] = (req.covariates ?? []).map((name) => {
    const cells = take(name);
    if (isNumeric(cells) && !req.levels?.has(name)) return { name, values: Float64Array.from(cells, Number) };
    return { name, values: cells, levels: factorOf(name, cells, req.levels?.get(name)).levels };
  });
  return {
    time,
    status,
    group: factor(req.group),
    strata: factor(req.strata),
    cluster: factor(req.cluster),
    covariates,
    n: keep.length,
    dropped: table.rowCount - keep.length,
  };
}

/** R's stratum label, `name=level`. */
export function stratumLabels(f: Factor): string[] {
  return f.levels.map((l) => `${f.name}=${l}`);
}
