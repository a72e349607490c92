/**
 * The roles an account can have. A route names the roles it admits; everything else is refused.
 *
 * - `admin`: manages accounts; may read the audit trail.
 * - `clinician`: reads and writes patients' records.
 * - `researcher`: reads pseudonymised data for analyses.
 * - `auditor`: reads and verifies the audit trail.
 */
export const Role = {
  admin: 'admin',
  clinician: 'clinician',
  researcher: 'researcher',
  auditor: 'auditor',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Every role, in a fixed order. */
export const ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
