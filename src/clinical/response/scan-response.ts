/**
 * The response of a course at one follow-up scan, with the numbers behind it, as SWOG with minor response
 * and RECIST 1.1 both report it.
 */
import type { Decision } from '../explain.js';
import type { IsoDate } from '../model.js';
import type { TumourResponse } from './tumour-response.js';

export interface ScanResponse {
  readonly date: IsoDate;
  readonly response: TumourResponse;
  /**
   * The tumour sum of the course's target lesions measured at this scan: SPD in mm² (SWOG) or sum of
   * diameters in mm (RECIST). Partial when a target is missing (`complete` false); null when the course
   * has no usable baseline.
   */
  readonly sum: number | null;
  readonly sumUnit: 'mm²' | 'mm';
  /** Every target lesion of the baseline is measured at this scan. */
  readonly complete: boolean;
  readonly baselineSum: number | null;
  /** The nadir this scan is compared with: the smallest sum of the baseline and earlier evaluable scans. */
  readonly nadir: number | null;
  /** (sum − baseline) / baseline, as a fraction (−0.5 = −50%); null unless complete with a baseline sum > 0. */
  readonly changeFromBaseline: number | null;
  /** (sum − nadir) / nadir, as a fraction; null when there is no sum or the nadir is 0. */
  readonly changeFromNadir: number | null;
  readonly explanation: Decision<TumourResponse>;
}
