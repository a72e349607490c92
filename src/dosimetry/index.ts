/**
 * Organ dosimetry for 177Lu-DOTATATE (pure): time–activity fitting and integration, single-time-point
 * estimates, S values and absorbed dose, red marrow from blood, kidney BED, and the cumulative kidney and
 * marrow budget of a patient with the largest next activity.
 */
export * from './dosimetry-protocol.js';
export * from './least-squares.js';
export * from './time-activity-fit.js';
export * from './trapezoid-tail.js';
export * from './single-point.js';
export * from './absorbed-dose.js';
export * from './red-marrow.js';
export * from './bed.js';
export * from './measurement-points.js';
export * from './region-tia.js';
export * from './cycle-measured.js';
export * from './kidney-budget.js';
export * from './marrow-budget.js';
export * from './patient-dosimetry.js';
export * from './dosimetry-json.js';
