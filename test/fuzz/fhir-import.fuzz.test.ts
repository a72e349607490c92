/**
 * Property-based fuzzing of the FHIR Bundle import (`readFhirBundle`, what `prrt import x.json` runs):
 * the exported bundle of a small cohort, damaged at random (elements dropped or replaced by values of
 * the wrong type, hostile text, other units, unknown codes, references to resources that are not in the
 * bundle, huge strings, deep nesting, entries removed or repeated, the JSON text itself cut or garbled).
 *
 * Properties: nothing but the product's own error is thrown; every rejection lists errors that name the
 * file, the entry (its 1-based number, when the problem is in one) and the element, with a specific
 * message; a bundle that is accepted gives a cohort that goes out to FHIR and back unchanged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cohort } from '../../src/clinical/model.js';
import { readFhirBundle } from '../../src/cli/store-commands.js';
import { PrrtError } from '../../src/errors.js';
import { bundleToCohort, cohortToBundle } from '../../src/interop/fhir/index.js';
import { check, fuzzParameters, isSpecificMessage, nastyText, scaledRuns } from './fuzz-support.js';
import { smallCohort } from './small-folder.js';

const RUNS = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const BASE = JSON.parse(JSON.stringify(cohortToBundle(smallCohort()))) as Json;
const BASE_ENTRIES = (BASE as { entry: Json[] }).entry.length;

/** Every element of a JSON value (down to 24 levels), as a path from the root. */
function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  // Not into a deep nesting made by an earlier damage: its thousands of levels add nothing new.
  if (at.length >= 24) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  }
  return out;
}

function parentOf(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, Json>)[key];
  }
  return node;
}

function nested(depth: number, leaf: Json, asArray: boolean): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { extension: v };
  return v;
}

const UNITS = [
  'MBq',
  'mCi',
  'GBq',
  'gbq',
  'kg',
  'lb',
  'mm',
  'cm',
  'h',
  'min',
  '%',
  'L/L',
  'g/L',
  '10*9/L',
  '',
  'µmol/L',
];
const REFERENCES = [
  'Patient/missing',
  'CarePlan/missing',
  'Patient/',
  '',
  'http://elsewhere.example/Patient/1',
  '#x',
];

/** A value of any JSON type, hostile where it can be. */
const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: nastyText },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Json>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      2 ** 53 + 1,
      [],
      {},
      [null],
      { value: 'x' },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom(...UNITS) },
  { weight: 1, arbitrary: fc.constantFrom(...REFERENCES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Patient', 'Observation', 'Encounter', 'Bundle', 'patient', '__proto__'),
  },
);

type Damage =
  | { kind: 'replace'; at: number; value: Json }
  | {
      kind: 'delete' | 'wrap' | 'duplicate-entry' | 'drop-entry' | 'unit' | 'code' | 'reference';
      at: number;
      pick: number;
    }
  | { kind: 'huge'; at: number; size: number }
  | { kind: 'deep'; at: number; depth: number; asArray: boolean }
  | { kind: 'prototype'; at: number; key: '__proto__' | 'constructor' | 'prototype'; value: Json };

const at = fc.nat({ max: 1_000_000 });
const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: jsonValue }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'delete' as const,
        'wrap' as const,
        'duplicate-entry' as const,
        'drop-entry' as const,
        'unit' as const,
        'code' as const,
        'reference' as const,
      ),
      at,
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at,
      size: fc.integer({ min: 1000, max: 200_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      at,
      depth: fc.integer({ min: 10, max: 3000 }),
      asArray: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('prototype' as const),
      at,
      key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const),
      value: jsonValue,
    }),
  },
);

/** Sets (or, with `undefined`, deletes) the element at `path`; the root is replaced through `root`. */
function setAt(root: { v: Json }, path: Path, value: Json | undefined): void {
  if (path.length === 0) {
    root.v = value ?? null;
    return;
  }
  const parent = parentOf(root.v, path);
  if (parent === null || typeof parent !== 'object') return;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (value === undefined) parent.splice(key, 1);
    else parent[key] = value;
  } else if (!Array.isArray(parent)) {
    if (value === undefined) Reflect.deleteProperty(parent, key);
    else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

function getAt(root: Json, path: Path): Json | undefined {
  if (path.length === 0) return root;
  const parent = parentOf(root, path);
  if (parent === null || typeof parent !== 'object') return undefined;
  return (parent as Record<string | number, Json>)[path[path.length - 1]!];
}

/** Paths whose last key is one of `keys`. */
const pathsEnding = (all: Path[], keys: readonly string[]) =>
  all.filter((p) => keys.includes(String(p[p.length - 1])));

function applyDamage(root: { v: Json }, d: Damage): void {
  const all = paths(root.v);
  const path = all[d.at % all.length]!;
  const entries = (root.v as { entry?: unknown } | null)?.entry;
  switch (d.kind) {
    case 'replace':
      setAt(root, path, d.value);
      return;
    case 'delete':
      setAt(root, path, undefined);
      return;
    case 'wrap': {
      const v = getAt(root.v, path);
      if (v !== undefined) setAt(root, path, d.pick % 2 === 0 ? [v] : { value: v });
      return;
    }
    case 'duplicate-entry':
    case 'drop-entry': {
      if (!Array.isArray(entries) || entries.length === 0) return;
      const i = d.pick % entries.length;
      if (d.kind === 'drop-entry') entries.splice(i, 1);
      else entries.push(structuredClone(entries[i]) as Json);
      return;
    }
    case 'unit':
    case 'code':
    case 'reference': {
      const keys =
        d.kind === 'unit'
          ? ['unit', 'code']
          : d.kind === 'code'
            ? ['code', 'system', 'url']
            : ['reference', 'fullUrl', 'id'];
      const targets = pathsEnding(all, keys);
      if (targets.length === 0) return;
      const pool =
        d.kind === 'unit'
          ? UNITS
          : d.kind === 'code'
            ? ['unknown-code', 'C0000', 'http://example.org/x', '']
            : REFERENCES;
      setAt(root, targets[d.at % targets.length]!, pool[d.pick % pool.length]);
      return;
    }
    case 'huge':
      setAt(root, path, 'x'.repeat(d.size));
      return;
    case 'deep':
      // Not inside an earlier deep nesting: the test's own JSON.stringify must still manage it.
      if (path.length < 20) setAt(root, path, nested(d.depth, getAt(root.v, path) ?? null, d.asArray));
      return;
    case 'prototype': {
      const v = getAt(root.v, path);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) setAt(root, [...path, d.key], d.value);
      return;
    }
  }
}

/** The JSON text of the file, itself sometimes damaged. */
const textDamage = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      at: fc.nat(),
      text: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
    }),
  },
);

function damagedText(
  value: Json,
  d:
    | { kind: 'none' }
    | { kind: 'truncate'; at: number }
    | { kind: 'bom' }
    | { kind: 'bytes'; at: number; text: string },
): string {
  const text = JSON.stringify(value);
  switch (d.kind) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, d.at % (text.length + 1));
    case 'bom':
      return `\uFEFF${text}`;
    case 'bytes': {
      const i = d.at % (text.length + 1);
      return text.slice(0, i) + d.text + text.slice(i);
    }
  }
}

describe('FHIR Bundle import under random damage', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'prrt-fuzz-fhir-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  test('the undamaged bundle imports and round-trips', () => {
    const path = join(work, 'base.json');
    writeFileSync(path, JSON.stringify(BASE));
    expect(readFhirBundle(path)).toStrictEqual(smallCohort());
  });

  test('no crash; every rejection names the file, entry and element; what is accepted round-trips', () => {
    const tally = { rejected: 0, accepted: 0, notJson: 0, located: 0 };
    let n = 0;
    fc.assert(
      fc.property(fc.array(damage, { minLength: 1, maxLength: 3 }), textDamage, (damages, text) => {
        const root = { v: structuredClone(BASE) };
        for (const d of damages) applyDamage(root, d);
        const path = join(work, `b${n++ % 8}.json`);
        writeFileSync(path, damagedText(root.v, text));
        let cohort: Cohort;
        try {
          cohort = readFhirBundle(path);
        } catch (e) {
          check(e instanceof PrrtError, 'only the product’s own error is thrown', String((e as Error).stack));
          const error = e as PrrtError;
          check(error.kind === 'INVALID_INPUT', 'a bad bundle is invalid input', error.kind);
          check(isSpecificMessage(error.message), 'the error says what is wrong', error.message);
          check(error.message.includes(path), 'the error names the file', error.message);
          tally.rejected++;
          if (error.details.length === 0) {
            check(error.message.includes('is not JSON'), 'an error without details is about the JSON text');
            tally.notJson++;
            return;
          }
          const entries = (root.v as { entry?: unknown } | null)?.entry;
          const count = Array.isArray(entries) ? entries.length : 0;
          for (const detail of error.details) {
            check(detail.file === path, 'every detail names the file', detail);
            if (detail.line !== undefined) {
              check(
                Number.isInteger(detail.line) && detail.line >= 1 && detail.line <= count,
                'the entry exists',
                detail,
              );
              tally.located++;
            }
            check(
              typeof detail.column === 'string' && detail.column !== '',
              'every detail names the element',
              detail,
            );
            check(isSpecificMessage(detail.message), 'every detail has a specific message', detail);
          }
          return;
        }
        tally.accepted++;
        const back = bundleToCohort(cohortToBundle(cohort));
        check(back.ok, 'an accepted cohort exports and imports again', back.ok ? undefined : back.errors);
        if (back.ok) expect(back.cohort).toStrictEqual(cohort);
      }),
      fuzzParameters(RUNS),
    );
    const runs = scaledRuns(RUNS);
    expect(tally.rejected + tally.accepted).toBe(runs);
    // Varied damage: most bundles are refused, mostly with errors located at an entry; some still pass.
    expect(tally.rejected).toBeGreaterThan(runs * 0.5);
    expect(tally.located).toBeGreaterThan(runs * 0.3);
    expect(tally.accepted).toBeGreaterThan(runs * 0.01);
    expect(tally.notJson).toBeGreaterThan(runs * 0.01);
    expect(BASE_ENTRIES).toBeGreaterThan(20);
  }, 240_000);
});
