/**
 * How every clinical decision explains itself: the rule applied, the value observed, the threshold it
 * was compared with, and the source of that threshold. The web page, the API and the report show
 * `because` as it is; nothing re-derives a reason elsewhere.
 */

export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

/** Where a threshold comes from, and whether it was checked against the primary source. */
export interface Source {
  readonly cite: string;
  readonly verified: boolean;
}

export interface Reason {
  /** The rule in words, e.g. `CTCAE v5.0 platelet count decreased: <50–25 ×10⁹/L is grade 3`. */
  readonly rule: string;
  readonly observed?: Quantity | string | null;
  readonly threshold?: Quantity | string | null;
  /** Protocol name and parameter path, e.g. `ctcae-5.0`, or a citation. */
  readonly source: string;
  /** For eligibility criteria: whether this criterion is met. */
  readonly met?: boolean;
}

export interface Decision<T> {
  readonly value: T;
  readonly because: readonly Reason[];
}

export function decide<T>(value: T, ...because: Reason[]): Decision<T> {
  return { value, because };
}

/**
 * A decision whose reasons are written only when someone reads them. The value is computed at once;
 * `because` is built on first access and kept. Used where decisions are made in bulk (every lab value
 * of a cohort) but read one by one; it serialises and compares like any other decision.
 */
export function lazyDecision<T>(value: T, reasons: () => readonly Reason[]): Decision<T> {
  let cache: readonly Reason[] | undefined;
  return {
    value,
    get because(): readonly Reason[] {
      cache ??= reasons();
      return cache;
    },
  };
}
