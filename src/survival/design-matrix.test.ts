import { describe, expect, test } from 'vitest';
import { buildDesign, clusterCodes, encodeRow, groupingOf, takeRows } from './design-matrix.js';

describe('buildDesign (R model.matrix with treatment contrasts, na.omit)', () => {
  test('a factor becomes indicators named <name><level>, first level the reference', () => {
    const rx = ['Obs', 'Lev+5FU', 'Lev', 'Obs'];
    const d = buildDesign([{ name: 'rx', values: rx, levels: ['Obs', 'Lev', 'Lev+5FU'] }]);
    expect(d.names).toEqual(['rxLev', 'rxLev+5FU']);
    expect(d.terms).toEqual(['rx']);
    expect(d.assign).toEqual([[0, 1]]);
    expect(Array.from(d.columns[0]!)).toEqual([0, 0, 1, 0]);
    expect(Array.from(d.columns[1]!)).toEqual([0, 1, 0, 0]);
  });

  test('without explicit levels the observed levels are sorted', () => {
    const d = buildDesign([{ name: 'celltype', values: ['squamous', 'adeno', 'smallcell', 'large'] }]);
    expect(d.names).toEqual(['celltypelarge', 'celltypesmallcell', 'celltypesquamous']);
  });

  test('numeric columns (also 0/1) stay numeric; rows with any missing value are dropped and counted', () => {
    const age = [50, null, 61, 70, 44];
    const sex = [1, 2, 2, NaN, 1];
    const time = [5, 6, 7, 8, null];
    const d = buildDesign(
      [
        { name: 'age', values: age },
        { name: 'x', values: ['a', 'b', null, 'a', 'b'] },
        { name: 'sex', values: sex },
      ],
      { required: [time] },
    );
    expect(Array.from(d.keep)).toEqual([0]);
    expect(d.dropped).toBe(4);
    expect(d.names).toEqual(['age', 'xb', 'sex']);
    expect(d.assign).toEqual([[0], [1], [2]]);
    const d2 = buildDesign([{ name: 'grp', values: [0, 1, 1, 0] }]);
    expect(d2.names).toEqual(['grp']);
    expect(Array.from(d2.columns[0]!)).toEqual([0, 1, 1, 0]);
  });

  test('a value outside the given levels counts as missing (as R factor())', () => {
    const d = buildDesign([{ name: 'x', values: ['A', 'B', 'C'], levels: ['A', 'B'] }]);
    expect(Array.from(d.keep)).toEqual([0, 1]);
    expect(d.dropped).toBe(1);
  });

  test('encodeRow codes new data like the design (numbers may be text)', () => {
    const d = buildDesign([
      { name: 'age', values: [50, 60] },
      { name: 'x', values: ['Maintained', 'Nonmaintained'] },
    ]);
    expect(Array.from(encodeRow(d, { age: '55', x: 'Nonmaintained' }))).toEqual([55, 1]);
    expect(() => encodeRow(d, { age: 55, x: 'Other' })).toThrow(RangeError);
    expect(() => encodeRow(d, { x: 'Maintained' })).toThrow(RangeError);
  });

  test('groupingOf labels strata as R (name=level, numeric levels in numeric order)', () => {
    const keep = Uint32Array.from([0, 1, 3]);
    const g = groupingOf('ph.ecog', [10, 2, null, 1], keep);
    expect(g.labels).toEqual(['ph.ecog=1', 'ph.ecog=2', 'ph.ecog=10']);
    expect(Array.from(g.codes)).toEqual([2, 1, 0]);
    expect(Array.from(clusterCodes([7, 3, 7, 9], Uint32Array.from([0, 1, 2, 3])))).toEqual([0, 1, 0, 2]);
    expect(Array.from(takeRows([1, 2, 3], Uint32Array.from([2, 0])))).toEqual([3, 1]);
  });
});
