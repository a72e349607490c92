import { expect, test } from 'vitest';
import { foldForSearch } from './search-fold.js';

test('folding removes case and accents but keeps letters and punctuation', () => {
  expect(foldForSearch('Müller')).toBe('muller');
  expect(foldForSearch('ÅSTRÖM, Éva')).toBe('astrom, eva');
  expect(foldForSearch('de Vries-Ng')).toBe('de vries-ng');
  expect(foldForSearch('Ǆ')).toBe('dz');
});
