/**
 * Who sees which patient, and as what. A clinician names a patient by its id and sees everything. A
 * researcher names a patient by its pseudonym and never receives a name, a record number, a full birth
 * date (only the year), a patient id or a free-text note: every occurrence of the id is replaced by the
 * pseudonym.
 */
import type { Patient } from '../../clinical/model.js';
import { PrrtError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import type { SessionUser } from '../session-user.js';

export const isResearcher = (user: SessionUser): boolean => user.role === 'researcher';

/** The patient id behind `idOrPseudonym` for this user; NOT_FOUND (404) for an unknown pseudonym. */
export async function patientIdFor(
  ctx: ServerContext,
  user: SessionUser,
  idOrPseudonym: string,
): Promise<string> {
  if (!isResearcher(user)) return idOrPseudonym;
  const id = await ctx.pseudonyms.resolve(idOrPseudonym);
  if (id === null) throw new PrrtError('NOT_FOUND', `patient ${idOrPseudonym} does not exist`);
  return id;
}

/** What a researcher may see of a patient: no name, no record number, the birth year only. */
export function researcherPatientJson(p: Patient, pseudonym: string): Record<string, unknown> {
  return {
    patient_id: pseudonym,
    sex: p.sex,
    birth_year: p.birthDate === null ? null : Number(p.birthDate.slice(0, 4)),
    primary_site: p.primarySite,
    diagnosis_date: p.diagnosisDate,
    grade: p.grade,
    ki67_percent: p.ki67Percent,
    karnofsky: p.karnofsky,
    weight_kg: p.weightKg,
    hypertension: p.hypertension,
    diabetes: p.diabetes,
    last_contact_date: p.lastContactDate,
    death_date: p.deathDate,
  };
}

/** Free-text fields a researcher never receives: a note may name people or dates. */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set(['note']);

/**
 * A deep copy of `value` for a researcher: every string equal to `patientId` is `pseudonym`, and
 * free-text notes (`note`) are left out, as in the pseudonymised research export.
 */
export function replaceId(value: unknown, patientId: string, pseudonym: string): unknown {
  if (typeof value === 'string') return value === patientId ? pseudonym : value;
  if (Array.isArray(value)) return value.map((v) => replaceId(v, patientId, pseudonym));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!FREE_TEXT_KEYS.has(k)) out[k] = replaceId(v, patientId, pseudonym);
    }
    return out;
  }
  return value;
}
