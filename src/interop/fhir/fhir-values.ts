/**
 * Small pieces of the FHIR mapping shared by export and import: stable resource ids, FHIR dateTime text,
 * UCUM quantities and extensions.
 */
import { createHash } from 'node:crypto';
import type { Extension, Quantity } from '@medplum/fhirtypes';
import type { LabTest } from '../../clinical/model.js';
import { findLabUnit, unitKey } from '../../clinical/units.js';
import { UCUM, UCUM_OF_UNIT } from './fhir-codes.js';

/**
 * Makes resource ids from a record's natural key: 32 hex characters of its SHA-256, so that the same record
 * always gets the same id (an export loaded twice updates rather than duplicates). A key seen again gets
 * its occurrence number added.
 */
export class ResourceIds {
  private readonly seen = new Map<string, number>();

  id(...parts: readonly (string | number)[]): string {
    const key = parts.map(String).join('\u0000');
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    return n === 1 ? stableId(...parts) : stableId(...parts, `#${n}`);
  }
}

/** The id of a record whose key is unique (a patient, a course, a cycle). */
export function stableId(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.map(String).join('\u0000'), 'utf8').digest('hex').slice(0, 32);
}

/** FHIR R4's dateTime pattern. */
const FHIR_DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

export function isFhirDateTime(text: string): boolean {
  return FHIR_DATE_TIME.test(text);
}

/**
 * A date or date-time of the exchange format as a FHIR dateTime: seconds added when they were left out,
 * and the offset written with a colon. Returns the text unchanged when it already is one.
 */
export function toFhirDateTime(text: string): string {
  if (isFhirDateTime(text)) return text;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (!m) return text;
  const offset = m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3]!;
  return `${m[1]!}${m[2] ?? ':00'}${offset}`;
}

export const extension = (url: string, value: Omit<Extension, 'url'>): Extension => ({ url, ...value });

/** The first extension of `url` on an element, if any. */
export function findExtension(
  extensions: readonly Extension[] | undefined,
  url: string,
): Extension | undefined {
  return extensions?.find((e) => e.url === url);
}

/** A UCUM quantity whose unit is a UCUM code (GBq, mm, h, …). */
export const ucum = (value: number, code: string): Quantity => ({ value, unit: code, system: UCUM, code });

/** A lab value as written: `unit` as the row writes it, `code` its UCUM spelling. */
export function labQuantity(value: number, unit: string): Quantity {
  const code = UCUM_OF_UNIT[unitKey(unit)];
  return code === undefined ? { value, unit } : { value, unit, system: UCUM, code };
}

/**
 * The exchange format's spelling of a lab quantity's unit: the written unit when the test accepts it,
 * else the unit its UCUM code stands for (`10*9/L` → `10^9/L`); undefined when neither fits.
 */
export function labUnitOf(test: LabTest, q: Quantity): string | undefined {
  if (q.unit !== undefined && findLabUnit(test, q.unit) !== undefined) return q.unit;
  if (q.code === undefined) return undefined;
  const key = Object.entries(UCUM_OF_UNIT).find(([, c]) => c === q.code)?.[0];
  return key === undefined ? undefined : findLabUnit(test, key)?.unit;
}
