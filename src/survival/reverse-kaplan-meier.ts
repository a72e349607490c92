import { kaplanMeier, type KaplanMeierFit, type KaplanMeierOptions } from './kaplan-meier.js';
import type { RightCensored } from './survival-data.js';

/**
 * The reverse Kaplan–Meier estimate of follow-up: censoring is the event and events are censorings,
 * as R's `survfit(Surv(time, 1 - status) ~ group)`. Its median is the median follow-up time.
 *
 * @example
 * reverseKaplanMeier({ time, status }).curves[0].median; // { estimate: 588, lower: 511, upper: 1010 } for lung
 */
export function reverseKaplanMeier(data: RightCensored, options: KaplanMeierOptions = {}): KaplanMeierFit {
  const status = new Uint8Array(data.status.length);
  for (let i = 0; i < status.length; i++) status[i] = data.status[i] === 1 ? 0 : 1;
  return kaplanMeier({ time: data.time, status }, options);
}
