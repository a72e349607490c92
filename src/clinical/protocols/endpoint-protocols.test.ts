import { describe, expect, test } from 'vitest';
import { erasmus2010Endpoints, erasmus2010EndpointsSources } from './erasmus-2010-endpoints.js';
import { checkSourcesComplete, parameterPaths, unverifiedParameters } from './protocol-types.js';
import { recist11, recist11Sources } from './recist-1.1.js';
import { swogMr, swogMrSources } from './swog-1992.js';

describe.each([
  ['erasmus-2010 endpoints', erasmus2010Endpoints, erasmus2010EndpointsSources],
  ['swog-mr', swogMr, swogMrSources],
  ['recist-1.1', recist11, recist11Sources],
] as const)('%s', (_name, protocol, sources) => {
  test('every parameter has a non-empty source and no source names a missing parameter', () => {
    expect(checkSourcesComplete(protocol, sources)).toEqual({ missing: [], unknown: [], empty: [] });
    expect(Object.keys(sources).sort()).toEqual(parameterPaths(protocol).sort());
  });
});

test('facts recalled but not read in a primary source are marked unverified', () => {
  const unverified = unverifiedParameters(erasmus2010EndpointsSources);
  expect(unverified).toContain('response.swogMr.progressionOverNadir');
  expect(unverified).toContain('toxicity.criteria');
  expect(unverified).not.toContain('response.swogMr.minorChange');
});

test('the defaults are those of the exchange format', () => {
  expect(erasmus2010Endpoints).toMatchObject({
    name: 'erasmus-2010',
    baselineMaxDaysBefore: 120,
    achievedFraction: 0.95,
    daysPerMonth: 30.4375,
    toxicity: { criteria: 'ctcae-5.0', windowDaysAfterLastCycle: 182 },
    response: { criterion: 'swog-mr', bestOrder: ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'] },
  });
  expect(swogMr).toMatchObject({
    partialChange: -0.5,
    minorChange: -0.25,
    progressionOverNadir: 1.25,
    sdMinimumDays: null,
  });
  expect(swogMr.confirmation.required).toBe(false);
  expect(recist11).toMatchObject({
    partialChange: -0.3,
    progressionChange: 0.2,
    progressionAbsoluteMm: 5,
    nodalCrShortAxisBelowMm: 10,
  });
  expect(recist11.confirmation).toMatchObject({ required: false, minDays: 28 });
});
