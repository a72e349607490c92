import { describe, expect, test } from 'vitest';
import { LU177_HALF_LIFE_DAYS } from '../clinical/lu177.js';
import { checkSourcesComplete, parameterPaths } from '../clinical/protocols/protocol-types.js';
import {
  erasmus2010Dosimetry,
  erasmus2010DosimetrySources,
  physicalDecayPerHour,
} from './dosimetry-protocol.js';

describe('erasmus-2010 dosimetry protocol', () => {
  test('every parameter has a source, and no source names an unknown parameter', () => {
    expect(parameterPaths(erasmus2010Dosimetry).length).toBeGreaterThan(20);
    expect(checkSourcesComplete(erasmus2010Dosimetry, erasmus2010DosimetrySources)).toEqual({
      missing: [],
      unknown: [],
      empty: [],
    });
  });

  test('values recalled but not checked in the domain notes are flagged unverified', () => {
    expect(erasmus2010DosimetrySources['limits.kidneysDoseGy'].verified).toBe(false);
    expect(erasmus2010DosimetrySources['limits.marrowDoseGy'].verified).toBe(false);
    expect(erasmus2010DosimetrySources['kidneys.defaultDosePerGbq'].verified).toBe(false);
    expect(erasmus2010DosimetrySources['limits.kidneysBedGy'].verified).toBe(true);
    expect(erasmus2010DosimetrySources['kidneys.sValueMGyPerMBqS'].cite).toContain('CC BY-SA');
  });

  test('the physical decay constant is ln 2 / 159.528 h = 0.0043450 per hour', () => {
    expect(physicalDecayPerHour(erasmus2010Dosimetry)).toBeCloseTo(0.004345, 6);
    // the same half-life as the clinical decay module, 6.647 d
    expect(erasmus2010Dosimetry.lu177.halfLifeH / 24).toBeCloseTo(LU177_HALF_LIFE_DAYS, 12);
  });

  test('the kidney S value is the mean of the two OpenDose kidney sources', () => {
    expect(erasmus2010Dosimetry.kidneys.sValueMGyPerMBqS).toBeCloseTo((7.706e-5 + 7.7176e-5) / 2, 12);
  });
});
