/**
 * A cohort made fit for research outside the site (docs/pseudonymisation.md). Names, MRNs and free-text
 * notes are removed; each patient id becomes a keyed pseudonym, `P-` and 12 base32 characters of
 * HMAC-SHA-256(site secret, id); the birth date keeps its year only (written as 1 July of that year, so the
 * cohort stays valid); every other date and date-time of a patient moves by one offset of 1 to 180 days,
 * earlier or later, also derived from the HMAC. Intervals within a patient, the time of day and the UTC
 * offset of date-times are unchanged, so every derived endpoint is the same. The same id and secret always
 * give the same pseudonym and offset; without the secret neither can be recomputed or reversed.
 */
import { createHmac } from 'node:crypto';
import { addDays } from '../clinical/dates.js';
import type { Cohort, IsoDate, Patient } from '../clinical/model.js';

export interface PseudonymiseOptions {
  /** The site's secret key: at least 16 bytes (characters), kept at the site. */
  readonly secret: string | Uint8Array;
  /** The largest date shift in days (default 180). */
  readonly maxShiftDays?: number;
}

export const MIN_SECRET_BYTES = 16;
const DEFAULT_MAX_SHIFT_DAYS = 180;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first `chars` × 5 bits of `bytes`. */
function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    const bit = i * 5;
    const hi = bytes[bit >> 3] ?? 0;
    const lo = bytes[(bit >> 3) + 1] ?? 0;
    out += BASE32.charAt((((hi << 8) | lo) >> (11 - (bit & 7))) & 31);
  }
  return out;
}

/** The keyed pseudonyms of one site secret. */
export class Pseudonymiser {
  private readonly key: Buffer;
  private readonly maxShift: number;

  constructor(options: PseudonymiseOptions) {
    this.key = Buffer.from(options.secret);
    if (this.key.length < MIN_SECRET_BYTES) {
      throw new RangeError(`the pseudonymisation secret must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    this.maxShift = options.maxShiftDays ?? DEFAULT_MAX_SHIFT_DAYS;
    if (!Number.isInteger(this.maxShift) || this.maxShift < 1) {
      throw new RangeError('maxShiftDays must be a whole number of days, at least 1');
    }
  }

  private mac(purpose: string, patientId: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\u0000${patientId}`, 'utf8').digest();
  }

  /** `P-` and 12 base32 characters (60 bits) of the HMAC of the id. */
  patientId(patientId: string): string {
    return `P-${base32(this.mac('patient-id', patientId), 12)}`;
  }

  /** The patient's date shift in days: ±1 to ±maxShiftDays, never 0. */
  shiftDays(patientId: string): number {
    const mac = this.mac('date-shift', patientId);
    const magnitude = 1 + (mac.readUInt32BE(0) % this.maxShift);
    return (mac[4]! & 1) === 0 ? magnitude : -magnitude;
  }
}

/** A date or a date-time moved by `days`; a date-time keeps its time of day and offset as written. */
export function shiftDateText(text: string, days: number): string {
  return addDays(text.slice(0, 10), days) + text.slice(10);
}

/** The birth date reduced to its year, as 1 July of that year (the middle of the year). */
export function birthYearOnly(date: IsoDate | null): IsoDate | null {
  return date === null ? null : `${date.slice(0, 4)}-07-01`;
}

export function pseudonymiseCohort(cohort: Cohort, options: PseudonymiseOptions): Cohort {
  const p = new Pseudonymiser(options);
  const ids = new Map<string, { id: string; shift: number }>();
  const of = (patientId: string) => {
    let found = ids.get(patientId);
    if (found === undefined) {
      found = { id: p.patientId(patientId), shift: p.shiftDays(patientId) };
      ids.set(patientId, found);
    }
    return found;
  };
  const date = (d: IsoDate, patientId: string) => shiftDateText(d, of(patientId).shift);
  const maybe = (d: IsoDate | null, patientId: string) => (d === null ? null : date(d, patientId));

  return {
    patients: cohort.patients.map((x): Patient => ({
      ...x,
      patientId: of(x.patientId).id,
      name: null,
      mrn: null,
      birthDate: birthYearOnly(x.birthDate),
      diagnosisDate: maybe(x.diagnosisDate, x.patientId),
      lastContactDate: date(x.lastContactDate, x.patientId),
      deathDate: maybe(x.deathDate, x.patientId),
    })),
    courses: cohort.courses.map((x) => ({ ...x, patientId: of(x.patientId).id })),
    cycles: cohort.cycles.map((x) => ({
      ...x,
      patientId: of(x.patientId).id,
      administeredAt: date(x.administeredAt, x.patientId),
      administeredDate: date(x.administeredDate, x.patientId),
    })),
    labs: cohort.labs.map((x) => ({
      ...x,
      patientId: of(x.patientId).id,
      takenAt: date(x.takenAt, x.patientId),
      takenDate: date(x.takenDate, x.patientId),
    })),
    lesions: cohort.lesions.map((x) => ({
      ...x,
      patientId: of(x.patientId).id,
      scanDate: date(x.scanDate, x.patientId),
    })),
    events: cohort.events.map((x) => ({
      ...x,
      patientId: of(x.patientId).id,
      date: date(x.date, x.patientId),
      note: null,
    })),
    dosimetry: cohort.dosimetry.map((x) => ({ ...x, patientId: of(x.patientId).id })),
  };
}
