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
  const { time, status } = data;
  const n = time.length;
  if (n !== status.length) {
    throw new RangeError(`time has ${n} rows but status has ${status.length}`);
  }
  // One cheap pass that only looks for a bad row; the message is built once one is found.
  let bad = -1;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t - t !== 0 || status[i]! > 1) {
      bad = i;
      break;
    }
  }
  if (bad < 0) return;
  if (!Number.isFinite(time[bad]!)) throw new RangeError(`time[${bad}] is not a finite number`);
  throw new RangeError(`status[${bad}] must be 0 or 1, got ${status[bad]!}`);
}
