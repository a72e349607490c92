import { describe, expect, test } from 'vitest';
import { parseCsvTable } from '../interop/csv-table.js';
import { survivalColumns, stratumLabels } from './survival-input.js';

const csv = (s: string) => parseCsvTable(s.trim() + '\n');

describe('survivalColumns', () => {
  test('1/2 event coding follows R: 2 is the event', () => {
    const cols = survivalColumns(csv('time,status\n5,1\n6,2\n7,2'), { time: 'time', event: 'status' });
    expect([...cols.status]).toEqual([0, 1, 1]);
  });

  test('0/1 coding is kept; --event-value overrides', () => {
    const t = csv('time,status\n5,0\n6,1\n7,1');
    expect([...survivalColumns(t, { time: 'time', event: 'status' }).status]).toEqual([0, 1, 1]);
    expect([...survivalColumns(t, { time: 'time', event: 'status', eventValue: '0' }).status]).toEqual([
      1, 0, 0,
    ]);
  });

  test('rows with an empty cell in a used column are dropped and counted; unused columns do not matter', () => {
    const t = csv('time,status,age,unused\n5,1,60,\n6,1,,x\n,1,70,x\n8,0,71,');
    const cols = survivalColumns(t, { time: 'time', event: 'status', covariates: ['age'] });
    expect(cols.n).toBe(2);
    expect(cols.dropped).toBe(2);
    expect([...cols.time]).toEqual([5, 8]);
  });

  test('a text covariate is a factor with sorted levels unless --levels orders them', () => {
    const t = csv('time,status,cell\n1,1,squamous\n2,1,adeno\n3,0,large\n4,1,adeno');
    const sorted = survivalColumns(t, { time: 'time', event: 'status', covariates: ['cell'] }).covariates[0]!;
    expect('levels' in sorted && sorted.levels).toEqual(['adeno', 'large', 'squamous']);
    const ordered = survivalColumns(t, {
      time: 'time',
      event: 'status',
      covariates: ['cell'],
      levels: new Map([['cell', ['squamous', 'large', 'adeno']]]),
    }).covariates[0]!;
    expect('levels' in ordered && ordered.levels).toEqual(['squamous', 'large', 'adeno']);
  });

  test('numeric group levels sort numerically and are named as R names strata', () => {
    const t = csv('time,status,ecog\n1,1,10\n2,1,2\n3,0,1');
    const g = survivalColumns(t, { time: 'time', event: 'status', group: 'ecog' }).group!;
    expect(stratumLabels(g)).toEqual(['ecog=1', 'ecog=2', 'ecog=10']);
  });

  test('unknown columns and undecodable events are usage errors naming the problem', () => {
    const t = csv('time,status\n1,dead\n2,alive');
    expect(() => survivalColumns(t, { time: 'time', event: 'state' })).toThrow(/no column "state"/);
    expect(() => survivalColumns(t, { time: 'time', event: 'status' })).toThrow(/--event-value/);
    expect([...survivalColumns(t, { time: 'time', event: 'status', eventValue: 'dead' }).status]).toEqual([
      1, 0,
    ]);
  });
});
