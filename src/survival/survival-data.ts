/**
 * The column-oriented inputs shared by every estimator in this folder. Rows are subjects; `status` is
 * 1 for an event and 0 for a censored time. Group and stratum codes index into their label lists.
 */
export interface RightCensored {
  readonly time: Float64Array;
  readonly status: Uint8Array;
}

/** A partition of the rows: `codes[i]` is the index in `labels` of row i's group (R's stratum name). */
export interface Grouping {
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

export function checkRightCensored(data: RightCensored): void {
  if (data.time.length !== data.status.length) {
    throw new RangeError(`time has ${data.time.length} rows but status has ${data.status.length}`);
  }
  for (let i = 0; i < data.time.length; i++) {
    const t = data.time[i]!;
    if (!Number.isFinite(t)) throw new RangeError(`time[${i}] is not a finite number`);
    const s = data.status[i]!;
    if (s !== 0 && s !== 1) throw new RangeError(`status[${i}] must be 0 or 1, got ${s}`);
  }
}
