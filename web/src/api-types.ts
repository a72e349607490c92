/**
 * The shapes of the API answers the web app reads (see `docs/api.md`, `docs/server.md` and
 * `docs/report.md`). Only the fields the pages use are typed; the answers may carry more.
 */

import type { UnitRow } from '../../src/study/study-report';

export const Role = {
  admin: 'admin',
  clinician: 'clinician',
  researcher: 'researcher',
  auditor: 'auditor',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export interface SessionAnswer {
  readonly user: { readonly id: number; readonly username: string; readonly role: Role };
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Account {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly username: string | null;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

export interface PatientFlags {
  readonly due_for_cycle: boolean;
  readonly withheld: boolean;
  readonly eligible_for_salvage: boolean;
}

/** A patient as the list gives it: a researcher's has a pseudonym as id, `birth_year`, no name. */
export interface PatientRow {
  readonly patient_id: string;
  readonly name?: string | null;
  readonly mrn?: string | null;
  readonly sex: string;
  readonly birth_date?: string | null;
  readonly birth_year?: number | null;
  readonly primary_site: string;
  readonly diagnosis_date: string | null;
  readonly grade: string | null;
  readonly last_contact_date: string | null;
  readonly death_date: string | null;
  readonly [field: string]: unknown;
}

export interface PatientListAnswer {
  readonly total: number;
  readonly page: number;
  readonly page_size: number;
  readonly patients: readonly { readonly patient: PatientRow; readonly flags: PatientFlags }[];
}

export interface Reason {
  readonly rule: string;
  readonly observed?: { readonly value: unknown; readonly unit?: string } | null;
  readonly threshold?: { readonly value: unknown; readonly unit?: string } | null;
  readonly source?: string;
  readonly met?: boolean;
}

export interface PatientSummaryAnswer {
  readonly patient: PatientRow;
  readonly planned_date: string;
  readonly courses: readonly unknown[];
  readonly other_labs: readonly unknown[];
  readonly next: { readonly kind: string; readonly [field: string]: unknown };
  readonly flags: PatientFlags;
}

/** A Kaplan–Meier summary of the report: median with its 95% interval (null: not reached / open). */
export interface KmSummary {
  readonly n: number;
  readonly median: number | null;
  readonly ci95: readonly [number | null, number | null];
  readonly events: number;
  readonly censored: number;
}

export interface Spread {
  readonly n?: number;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export interface Proportion {
  readonly n: number;
  readonly total: number;
  readonly rate: number | null;
  readonly ci95: readonly [number, number] | null;
}

export interface Logrank {
  readonly chisq: number | null;
  readonly df: number;
  readonly p: number | null;
}

export interface Subgroup {
  readonly endpoint: string;
  readonly split_months?: number;
  readonly groups: readonly ({ readonly label: string } & KmSummary)[];
  readonly logrank: Logrank | null;
}

/** One unit of the study report, exactly as the report module defines it. */
export type { UnitRow };

export interface SwimmerLaneJson {
  readonly id: string;
  readonly courses: readonly { readonly kind: string; readonly start: number; readonly end: number }[];
  readonly cycles: readonly number[];
  readonly responses: readonly { readonly at: number; readonly response: string }[];
  readonly progressions: readonly number[];
  readonly end: number;
  readonly died: boolean;
}

/** `GET /api/report`: the study report JSON (`docs/report.md`). */
export interface StudyReportAnswer {
  readonly protocol: string;
  readonly course_kind: 'salvage' | 'regular';
  readonly criteria: { readonly response: string; readonly toxicity: string };
  readonly patients: number;
  readonly cohort: {
    readonly primary_site: Readonly<Record<string, number>>;
    readonly gep: number;
    readonly sex: Readonly<Record<string, number>>;
    readonly age_years: Spread;
    readonly grade: Readonly<Record<string, number>>;
    readonly karnofsky: Spread;
    readonly prior_activity_gbq: Spread;
    readonly prior_courses: Readonly<Record<string, number>>;
  };
  readonly activity: {
    readonly intended_gbq: Spread;
    readonly achieved: number;
    readonly not_achieved: number;
    readonly not_achieved_by_reason: Readonly<Record<string, number>>;
    readonly cumulative_gbq: Spread;
    readonly cycles_given: Readonly<Record<string, number>>;
  };
  readonly toxicity: {
    readonly units_with_labs: number;
    readonly hematologic_worst_grade: Readonly<Record<string, number>>;
    readonly hematologic_grade_3_or_4: number;
    readonly by_test: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly events: Readonly<Record<string, number>>;
    readonly adverse_events: readonly {
      readonly term: string;
      readonly patients: number;
      readonly worst_grade: Readonly<Record<string, number>>;
    }[];
  };
  readonly response: {
    readonly best: Readonly<Record<string, number>>;
    readonly regression: Proportion;
    readonly disease_control: Proportion;
  };
  readonly ttp_months: KmSummary;
  readonly pfs_months: KmSummary;
  readonly os_months: KmSummary;
  readonly follow_up_months: Spread & { readonly reverse_km_median: number | null };
  readonly prior_course_ttp_months: KmSummary;
  readonly subgroups: Readonly<Record<string, Subgroup>>;
  readonly cox_prior_ttp: {
    readonly model: string;
    readonly n: number;
    readonly events: number;
    readonly hr_per_12_months: number;
    readonly ci95: readonly [number, number];
    readonly p: number;
    readonly lrt_p: number;
  } | null;
  readonly units: readonly UnitRow[];
  /** Per-patient swimmer lanes, when the server sends them (cycles and scan responses). */
  readonly swimmer?: readonly SwimmerLaneJson[];
}

export const SurvivalEndpoint = { ttp: 'ttp', pfs: 'pfs', os: 'os' } as const;
export type SurvivalEndpoint = (typeof SurvivalEndpoint)[keyof typeof SurvivalEndpoint];

export const SurvivalGroupBy = {
  none: 'none',
  primary_site: 'primary_site',
  prior_ttp: 'prior_ttp',
  sex: 'sex',
  grade: 'grade',
  hypertension: 'hypertension',
  diabetes: 'diabetes',
} as const;
export type SurvivalGroupBy = (typeof SurvivalGroupBy)[keyof typeof SurvivalGroupBy];

/** `GET /api/survival`. */
export interface SurvivalAnswer {
  readonly endpoint: SurvivalEndpoint;
  readonly course_kind: 'salvage' | 'regular';
  readonly group_by: SurvivalGroupBy;
  readonly unit: 'months';
  readonly units: number;
  readonly groups: readonly {
    readonly label: string;
    readonly n: number;
    readonly events: number;
    readonly censored: number;
    readonly median: number | null;
    readonly ci95: readonly [number | null, number | null];
    readonly curve: {
      readonly time: readonly number[];
      readonly surv: readonly number[];
      readonly lower: readonly (number | null)[];
      readonly upper: readonly (number | null)[];
      readonly n_risk: readonly number[];
      readonly n_censor: readonly number[];
    };
  }[];
  readonly logrank: Logrank | null;
}
