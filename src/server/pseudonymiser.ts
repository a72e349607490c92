/**
 * Stable pseudonyms for patients, the same as the pseudonymised research export gives them
 * (`src/interop/pseudonymise.ts`: `P-` and 12 base32 characters of an HMAC-SHA-256 of the patient id
 * under the site secret). The secret is 32 random bytes kept in `site_settings`
 * (`pseudonym_secret`), created on first use and never exported, so a pseudonym cannot be recomputed
 * outside this site. `resolve` maps a pseudonym back to the patient for researchers' URLs.
 */
import { randomBytes } from 'node:crypto';
import { Pseudonymiser as KeyedPseudonyms } from '../interop/pseudonymise.js';
import type { Store } from '../store/index.js';

const SECRET_KEY = 'pseudonym_secret';
const PSEUDONYM = /^P-[A-Z2-7]{12}$/;

export interface Pseudonymiser {
  pseudonym(patientId: string): string;
  /** The patient behind a pseudonym, or null when no stored patient has it. */
  resolve(pseudonym: string): Promise<string | null>;
}

/** Reads the site secret, creating it when this is the first use, and returns the pseudonymiser. */
export async function openPseudonymiser(
  store: Store,
  now: () => Date = () => new Date(),
): Promise<Pseudonymiser> {
  const keyed = new KeyedPseudonyms({ secret: await siteSecret(store, now) });
  const pseudonym = (patientId: string): string => keyed.patientId(patientId);
  let known = new Map<string, string>();

  return {
    pseudonym,
    async resolve(value) {
      if (!PSEUDONYM.test(value)) return null;
      const cached = known.get(value);
      if (cached !== undefined) {
        const stillThere = await store.db
          .selectFrom('patients')
          .select('patient_id')
          .where('patient_id', '=', cached)
          .executeTakeFirst();
        if (stillThere !== undefined) return cached;
      }
      const rows = await store.db.selectFrom('patients').select('patient_id').execute();
      known = new Map(rows.map((r) => [pseudonym(r.patient_id), r.patient_id]));
      return known.get(value) ?? null;
    },
  };
}

/** The site's pseudonymisation secret (created on first use); it never leaves the site. */
export async function siteSecret(store: Store, now: () => Date): Promise<Buffer> {
  await store.db
    .insertInto('site_settings')
    .values({ key: SECRET_KEY, value: randomBytes(32).toString('base64'), updated_at: now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await store.db
    .selectFrom('site_settings')
    .select('value')
    .where('key', '=', SECRET_KEY)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}
