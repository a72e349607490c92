/** Tumour response per scan (SWOG with minor response, RECIST 1.1) and the best response of a course. */
export { assessScans, percent, percentText } from './assess-scans.js';
export type { RegressionDecision, SumCriterion, TargetAtScan } from './assess-scans.js';
export { bestResponse, inBestResponseWindow } from './best-response.js';
export type { BestResponse, BestResponseRules, BestResponseWindow } from './best-response.js';
export { add, compare, exact, multiply, subtract, sum, toNumber, ZERO } from './exact-decimal.js';
export type { ExactDecimal } from './exact-decimal.js';
export { recistCriterion, recistResponses } from './recist.js';
export { findBaselineScan, groupScans } from './scan.js';
export type { Scan } from './scan.js';
export type { ScanResponse } from './scan-response.js';
export { swogCriterion, swogResponses } from './swog.js';
export { ResponseCriterion, TumourResponse } from './tumour-response.js';
export type { ConfirmationRule } from './tumour-response.js';
