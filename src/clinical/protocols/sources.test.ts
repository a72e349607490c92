import { describe, expect, test } from 'vitest';
import { cockcroftGault, cockcroftGaultSources } from '../toxicity/cockcroft-gault.js';
import { exchangeFormatLimits, exchangeFormatLimitsSources } from '../toxicity/normal-limits.js';
import { ctcae5, ctcae5Sources } from './ctcae-5.js';
import { erasmus2010Eligibility, erasmus2010EligibilitySources } from './erasmus-2010-eligibility.js';
import { lutatheraLabel, lutatheraLabelSources } from './lutathera-label.js';
import { checkSourcesComplete, parameterPaths } from './protocol-types.js';
import { who1981, who1981Sources } from './who-1981.js';

const protocols = [
  ['ctcae-5.0', ctcae5, ctcae5Sources],
  ['who', who1981, who1981Sources],
  ['lutathera-label', lutatheraLabel, lutatheraLabelSources],
  ['erasmus-2010 eligibility', erasmus2010Eligibility, erasmus2010EligibilitySources],
  ['cockcroft-gault', cockcroftGault, cockcroftGaultSources],
  ['exchange-format v1 limits', exchangeFormatLimits, exchangeFormatLimitsSources],
] as const;

describe.each(protocols)('%s', (_name, protocol, sources) => {
  test('every parameter has a source, and no source names an unknown parameter', () => {
    expect(parameterPaths(protocol).length).toBeGreaterThan(0);
    expect(checkSourcesComplete(protocol, sources)).toEqual({ missing: [], unknown: [], empty: [] });
  });
});

test('facts marked [M] in the domain notes are flagged unverified', () => {
  expect(lutatheraLabelSources.reducedActivityGbq.verified).toBe(false);
  expect(lutatheraLabelSources['renal.minClearanceMlMin'].verified).toBe(false);
  expect(erasmus2010EligibilitySources['salvage.maxPriorCumulativeActivityGbq'].verified).toBe(false);
  expect(ctcae5Sources['chronicKidneyDisease.grade2Below'].verified).toBe(false);
  expect(who1981Sources['platelets.grade1Below'].verified).toBe(false);
  expect(lutatheraLabelSources['hepatic.albuminBelowGL'].cite).toContain('prothrombin');
});
