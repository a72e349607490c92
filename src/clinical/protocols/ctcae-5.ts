/**
 * CTCAE v5.0 laboratory grading as data (NCI Common Terminology Criteria for Adverse Events v5.0, as
 * transcribed in pharmaverse/admiral `data-raw/adlb_grading/ncictcaev5.json`). Every cut point is strict:
 * a count grades when it is below the cut (`<`), a chemistry value when it is above (`>`).
 *
 * Decreasing terms: grade 1 below the LLN, grade g ≥ 2 below `grade{g}Below`; `null` = no laboratory
 * grade (e.g. anaemia grade 4 is "life-threatening", with no number).
 * Increasing terms: grade g above `grade{g}AboveUln` × ULN (creatinine also against its baseline).
 */
import type { ProtocolBase, SourceMap } from './protocol-types.js';

export interface DecreasingScale {
  /** `lln` = below the lower limit of normal (the row's, else the default). */
  readonly grade1Below: number | 'lln';
  readonly grade2Below: number;
  readonly grade3Below: number;
  readonly grade4Below: number | null;
}

export interface IncreasingUlnScale {
  readonly grade1AboveUln: number;
  readonly grade2AboveUln: number;
  readonly grade3AboveUln: number;
  readonly grade4AboveUln: number | null;
}

export interface Ctcae5Protocol extends ProtocolBase {
  readonly platelets: DecreasingScale;
  readonly anemia: DecreasingScale;
  readonly neutrophils: DecreasingScale;
  readonly wbc: DecreasingScale;
  readonly lymphocytes: DecreasingScale;
  readonly hypoalbuminemia: DecreasingScale;
  readonly creatinine: IncreasingUlnScale & {
    readonly grade2AboveBaseline: number;
    readonly grade3AboveBaseline: number;
  };
  readonly bilirubin: IncreasingUlnScale;
  readonly transaminases: IncreasingUlnScale;
  /** Chronic kidney disease by eGFR (mL/min/1.73m²) or creatinine clearance (mL/min). */
  readonly chronicKidneyDisease: DecreasingScale & {
    /** LLN of eGFR and clearance when the row has none (the exchange format gives no default). */
    readonly defaultLln: number;
  };
}

export const ctcae5 = {
  name: 'ctcae-5.0',
  platelets: { grade1Below: 'lln', grade2Below: 75, grade3Below: 50, grade4Below: 25 },
  anemia: { grade1Below: 'lln', grade2Below: 10.0, grade3Below: 8.0, grade4Below: null },
  neutrophils: { grade1Below: 'lln', grade2Below: 1.5, grade3Below: 1.0, grade4Below: 0.5 },
  wbc: { grade1Below: 'lln', grade2Below: 3.0, grade3Below: 2.0, grade4Below: 1.0 },
  lymphocytes: { grade1Below: 'lln', grade2Below: 0.8, grade3Below: 0.5, grade4Below: 0.2 },
  hypoalbuminemia: { grade1Below: 'lln', grade2Below: 30, grade3Below: 20, grade4Below: null },
  creatinine: {
    grade1AboveUln: 1,
    grade2AboveUln: 1.5,
    grade3AboveUln: 3.0,
    grade4AboveUln: 6.0,
    grade2AboveBaseline: 1.5,
    grade3AboveBaseline: 3.0,
  },
  bilirubin: { grade1AboveUln: 1, grade2AboveUln: 1.5, grade3AboveUln: 3.0, grade4AboveUln: 10.0 },
  transaminases: { grade1AboveUln: 1, grade2AboveUln: 3.0, grade3AboveUln: 5.0, grade4AboveUln: 20.0 },
  chronicKidneyDisease: {
    grade1Below: 'lln',
    grade2Below: 60,
    grade3Below: 30,
    grade4Below: 15,
    defaultLln: 90,
  },
} as const satisfies Ctcae5Protocol;

const ADMIRAL =
  'NCI CTCAE v5.0 (2017), as transcribed in pharmaverse/admiral data-raw/adlb_grading/ncictcaev5.json';
const v = { cite: ADMIRAL, verified: true } as const;
const CKD =
  'NCI CTCAE v5.0 chronic kidney disease (eGFR or CrCl <LLN–60, 59–30, 29–15, <15); not in the admiral lab list, from memory';
const ckd = { cite: CKD, verified: false } as const;

export const ctcae5Sources: SourceMap<typeof ctcae5> = {
  'platelets.grade1Below': v,
  'platelets.grade2Below': v,
  'platelets.grade3Below': v,
  'platelets.grade4Below': v,
  'anemia.grade1Below': v,
  'anemia.grade2Below': v,
  'anemia.grade3Below': v,
  'anemia.grade4Below': {
    cite: `${ADMIRAL}: grade 4 is life-threatening, no numeric threshold`,
    verified: true,
  },
  'neutrophils.grade1Below': v,
  'neutrophils.grade2Below': v,
  'neutrophils.grade3Below': v,
  'neutrophils.grade4Below': v,
  'wbc.grade1Below': v,
  'wbc.grade2Below': v,
  'wbc.grade3Below': v,
  'wbc.grade4Below': v,
  'lymphocytes.grade1Below': v,
  'lymphocytes.grade2Below': v,
  'lymphocytes.grade3Below': v,
  'lymphocytes.grade4Below': v,
  'hypoalbuminemia.grade1Below': v,
  'hypoalbuminemia.grade2Below': v,
  'hypoalbuminemia.grade3Below': v,
  'hypoalbuminemia.grade4Below': {
    cite: `${ADMIRAL}: grade 4 is life-threatening, no numeric threshold`,
    verified: true,
  },
  'creatinine.grade1AboveUln': v,
  'creatinine.grade2AboveUln': v,
  'creatinine.grade3AboveUln': v,
  'creatinine.grade4AboveUln': v,
  'creatinine.grade2AboveBaseline': v,
  'creatinine.grade3AboveBaseline': v,
  'bilirubin.grade1AboveUln': { cite: `${ADMIRAL} (normal baseline)`, verified: true },
  'bilirubin.grade2AboveUln': { cite: `${ADMIRAL} (normal baseline)`, verified: true },
  'bilirubin.grade3AboveUln': { cite: `${ADMIRAL} (normal baseline)`, verified: true },
  'bilirubin.grade4AboveUln': { cite: `${ADMIRAL} (normal baseline)`, verified: true },
  'transaminases.grade1AboveUln': { cite: `${ADMIRAL} ALT/AST (normal baseline)`, verified: true },
  'transaminases.grade2AboveUln': { cite: `${ADMIRAL} ALT/AST (normal baseline)`, verified: true },
  'transaminases.grade3AboveUln': { cite: `${ADMIRAL} ALT/AST (normal baseline)`, verified: true },
  'transaminases.grade4AboveUln': { cite: `${ADMIRAL} ALT/AST (normal baseline)`, verified: true },
  'chronicKidneyDisease.grade1Below': ckd,
  'chronicKidneyDisease.grade2Below': ckd,
  'chronicKidneyDisease.grade3Below': ckd,
  'chronicKidneyDisease.grade4Below': ckd,
  'chronicKidneyDisease.defaultLln': {
    cite: 'Normal GFR ≥90 mL/min/1.73m² (KDIGO stage G1), used when the row gives no LLN; from memory',
    verified: false,
  },
};
