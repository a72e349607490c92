import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvRecordParser, readCsvRecords, type CsvRecord } from './csv-records.js';

const lines = (text: string) => readCsvRecords(text).map((r) => [r.line, ...r.fields]);

describe('readCsvRecords', () => {
  test('a byte-order mark is dropped; LF, CRLF and CR end lines', () => {
    expect(lines('\uFEFFa,b\r\n1,2\n3,4\r5,6')).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
      [4, '5', '6'],
    ]);
  });

  test('a record starts on the physical line of its first field, even after multi-line fields', () => {
    const text = 'a,b\n"x\ny\r\nz",1\n2,"p"\n"q\n",3\n';
    expect(lines(text)).toEqual([
      [1, 'a', 'b'],
      [2, 'x\ny\nz', '1'],
      [5, '2', 'p'],
      [6, 'q\n', '3'],
    ]);
  });

  test('doubled quotes inside a quoted field are one quote; commas inside quotes are text', () => {
    expect(lines('"say ""hi"", then go",2')).toEqual([[1, 'say "hi", then go', '2']]);
  });

  test('blank lines at the end are ignored; blank lines inside are kept as blank records', () => {
    const records = readCsvRecords('a,b\n\n1,2\n\n  \r\n\n');
    expect(records.map((r) => [r.line, r.blank])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  test('empty fields, trailing commas and a last line without a line end', () => {
    expect(lines('a,,c\n,,\n1,2,')).toEqual([
      [1, 'a', '', 'c'],
      [2, '', '', ''],
      [3, '1', '2', ''],
    ]);
  });

  test('an unclosed quote and text after a closing quote are problems of the record', () => {
    expect(readCsvRecords('a,b\n"x"y,1\n2,"open\n3,4\n').map((r) => [r.line, r.problem !== null])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(readCsvRecords('a\n"open\nmore').at(-1)?.problem).toMatch(/opened on line 2 is never closed/);
  });

  test('property: quoting any cells and joining with LF or CRLF reads back the cells and the start lines', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'µ'),
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        (rows, eol) => {
          const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
          const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
          let line = 1;
          const expected = rows.map((r) => {
            const start = line;
            line += r.join(',').split(/\r\n|\n/).length;
            return [start, ...r.map((c) => c.replace(/\r\n/g, '\n'))];
          });
          expect(lines(text)).toEqual(expected);
        },
      ),
    );
  });

  test('property: a text fed in pieces cut anywhere gives the records of the whole text', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ',', '"', '\n', '\r', '\r\n', ' ', '\uFEFF', 'µ'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (t, cuts) => {
        const records: CsvRecord[] = [];
        const parser = new CsvRecordParser((r) => records.push(r));
        const at = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const cut of [...at, t.length]) {
          parser.push(t.slice(from, cut));
          from = cut;
        }
        parser.end();
        expect(records).toEqual(readCsvRecords(t));
      }),
      { numRuns: 2000 },
    );
  });
});
