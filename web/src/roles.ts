/**
 * What each role sees: the navigation, its first page, and which roles each page admits. The server
 * enforces the same limits on every API route; hiding what a role may not use keeps the pages honest.
 */
import type { Role } from './api-types';

export interface NavItem {
  readonly to: string;
  readonly label: string;
}

export const NAVIGATION: Readonly<Record<Role, readonly NavItem[]>> = {
  clinician: [
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/patients', label: 'Patients' },
    { to: '/import', label: 'Import' },
  ],
  researcher: [
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/patients', label: 'Patients' },
  ],
  auditor: [{ to: '/audit', label: 'Audit log' }],
  admin: [
    { to: '/accounts', label: 'Accounts' },
    { to: '/audit', label: 'Audit log' },
  ],
};

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  clinician: 'Clinician',
  researcher: 'Researcher',
  auditor: 'Auditor',
};

/** The page a role lands on after signing in. */
export function homeOf(role: Role): string {
  return NAVIGATION[role][0]!.to;
}

/** Roles that read patients' data (researchers pseudonymised). */
export const PATIENT_READERS: readonly Role[] = ['clinician', 'researcher'];
/** Roles that may see names, record numbers and full birth dates. */
export const SEES_IDENTITY: readonly Role[] = ['clinician'];
