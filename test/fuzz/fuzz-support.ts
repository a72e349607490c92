/**
 * What the fuzz tests share: the fast-check settings (a fixed seed, so that every run checks the same
 * cases and a failure can be replayed; `PRRT_FUZZ_SEED` picks another, `PRRT_FUZZ_SCALE` multiplies the
 * number of cases), hostile values, and the checks every reported error must pass.
 */
import fc from 'fast-check';

const seedText = process.env.PRRT_FUZZ_SEED;
const scaleText = process.env.PRRT_FUZZ_SCALE;

/** The seed of every property; fast-check prints it, with the failing case's path, on a failure. */
export const FUZZ_SEED = seedText === undefined || seedText === '' ? 20260314 : Number(seedText);
const SCALE = scaleText === undefined || scaleText === '' ? 1 : Math.max(0.01, Number(scaleText));

/** fast-check parameters for `runs` cases (scaled by `PRRT_FUZZ_SCALE`). */
export function fuzzParameters<T>(runs: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * SCALE)), endOnFailure: true };
}

/** How many cases a test plans to run (scaled like `fuzzParameters`). */
export const scaledRuns = (runs: number): number => Math.max(1, Math.round(runs * SCALE));

/** Values that have broken parsers before: edge numbers, impossible dates, units, quoting, controls. */
export const NASTY_TEXT: readonly string[] = [
  '',
  ' ',
  '0',
  '-0',
  '-1',
  '1e308',
  '1e309',
  '-1e309',
  '9'.repeat(400),
  '0.000000000000000000000001',
  'NaN',
  'Infinity',
  '0x1F',
  '1_000',
  '7400',
  '7400 MBq',
  '7.4 GBq',
  '200 mCi',
  'MBq',
  '2026-02-30',
  '2007-02-29',
  '2009-13-01',
  '0000-01-01',
  '2009-01-12T25:00:00Z',
  '2009-01-12T10:00:00+25:00',
  '2009-01-12T10:00:00',
  '12/01/2009',
  '"',
  '""',
  '"a,b"',
  'a"b',
  '"unterminated',
  'line\nbreak',
  'cr\ronly',
  'crlf\r\nbreak',
  '\t',
  '\u0000',
  '\uFEFF',
  'µg/L',
  'μg/L',
  'é',
  '\u202Eevil',
  '👩‍⚕️',
  '\uD800',
  '__proto__',
  'constructor',
  'toString',
  "'; DROP TABLE patients; --",
  '<script>alert(1)</script>',
  'x'.repeat(5000),
];

/** Any text, from short hostile strings to random unicode. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', 'a', ' ', '1'), maxLength: 10 }),
  },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 100 }).map(String) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1999, max: 2031 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  },
);

/**
 * Text that reads as an unspecific or broken message: an internal exception leaking out, a value that
 * was never filled in, an object printed as text.
 */
const BROKEN_MESSAGE =
  /(?<!received )\bundefined\b|\[object |TypeError|RangeError|ReferenceError|Cannot read propert|is not a function|is not iterable/;

/** A message that says something specific: a sentence of its own, no leaked exception text. */
export function isSpecificMessage(message: unknown): boolean {
  return (
    typeof message === 'string' &&
    message.trim().length >= 10 &&
    !BROKEN_MESSAGE.test(message) &&
    message !== 'invalid' &&
    message !== 'Invalid input'
  );
}

/** Fails with `what` and the offending value when `ok` is false (a message fast-check shows in full). */
export function check(ok: boolean, what: string, value?: unknown): void {
  if (!ok) {
    const shown = value === undefined ? '' : `: ${JSON.stringify(value, null, 1).slice(0, 2000)}`;
    throw new Error(`${what}${shown}`);
  }
}
