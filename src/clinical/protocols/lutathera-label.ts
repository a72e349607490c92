/**
 * Dose modification of 177Lu-DOTATATE as in the Lutathera US prescribing information (§2.4, Table 2),
 * as data. Severity is graded by CTCAE v5.0 ("the most current NCI CTCAE"). A toxicity withholds the
 * cycle until it no longer meets its rule; the next dose is then reduced, and the one after that is
 * full again if the toxicity has not recurred. Recurrence after a reduced dose, or a toxicity that
 * delays a cycle by the maximum delay or more from its due date, discontinues treatment permanently.
 */
import type { LabTest } from '../model.js';
import type { ProtocolBase, SourceMap } from './protocol-types.js';

export interface LutatheraLabelProtocol extends ProtocolBase {
  readonly gradingCriteria: 'ctcae-5.0';
  readonly fullActivityGbq: number;
  readonly reducedActivityGbq: number;
  readonly intervalWeeks: number;
  readonly maxToxicityDelayWeeks: number;
  readonly labsMaxDaysBefore: number;
  readonly requiredTests: readonly LabTest[];
  readonly thrombocytopenia: { readonly withholdFromGrade: number };
  readonly anemia: { readonly withholdFromGrade: number };
  readonly neutropenia: { readonly withholdFromGrade: number };
  readonly lymphopenia: { readonly exempt: boolean; readonly withholdFromGrade: number };
  readonly renal: {
    readonly minClearanceMlMin: number;
    readonly maxCreatinineRiseFraction: number;
    readonly maxClearanceFallFraction: number;
  };
  readonly hepatic: { readonly bilirubinAboveUlnTimes: number; readonly albuminBelowGL: number };
  /** `same-category`: only the toxicity that led to the reduction discontinues when it recurs. */
  readonly recurrenceScope: 'same-category' | 'any-category';
}

export const lutatheraLabel = {
  name: 'lutathera-label',
  gradingCriteria: 'ctcae-5.0',
  fullActivityGbq: 7.4,
  reducedActivityGbq: 3.7,
  intervalWeeks: 8,
  maxToxicityDelayWeeks: 16,
  labsMaxDaysBefore: 28,
  requiredTests: ['platelets', 'hemoglobin', 'neutrophils', 'creatinine', 'bilirubin', 'albumin'],
  thrombocytopenia: { withholdFromGrade: 2 },
  anemia: { withholdFromGrade: 3 },
  neutropenia: { withholdFromGrade: 3 },
  lymphopenia: { exempt: true, withholdFromGrade: 3 },
  renal: { minClearanceMlMin: 40, maxCreatinineRiseFraction: 0.4, maxClearanceFallFraction: 0.4 },
  hepatic: { bilirubinAboveUlnTimes: 3, albuminBelowGL: 30 },
  recurrenceScope: 'same-category',
} as const satisfies LutatheraLabelProtocol;

const LABEL = 'Lutathera (lutetium Lu 177 dotatate) US prescribing information, 4/2024';
const TABLE2 = `${LABEL}, §2.4 Table 2 (framework via AJR 2023 Table 1, PMC10133840, and lutathera-hcp.com)`;

export const lutatheraLabelSources: SourceMap<typeof lutatheraLabel> = {
  gradingCriteria: {
    cite: `${LABEL}, Table 2 footnote: severity by the most current NCI CTCAE`,
    verified: true,
  },
  fullActivityGbq: { cite: `${LABEL}, §2.2: 7.4 GBq (200 mCi) every 8 weeks, 4 doses`, verified: true },
  reducedActivityGbq: {
    cite: `${TABLE2}: resume at 3.7 GBq (100 mCi); label wording from memory`,
    verified: false,
  },
  intervalWeeks: {
    cite: `${LABEL}, §2.2: every 8 weeks (±1 week); a withheld cycle is due 8 weeks after the last`,
    verified: true,
  },
  maxToxicityDelayWeeks: {
    cite: `${TABLE2}: permanently discontinue for a toxicity requiring a delay of 16 weeks or longer`,
    verified: false,
  },
  labsMaxDaysBefore: {
    cite: 'Lutathera EU SmPC §4.4: blood tests at least once within 2–4 weeks before each infusion',
    verified: true,
  },
  requiredTests: {
    cite: `${LABEL}, §5: monitor blood counts, creatinine and CrCl, bilirubin and albumin before each dose`,
    verified: true,
  },
  'thrombocytopenia.withholdFromGrade': {
    cite: `${TABLE2}: thrombocytopenia grade 2, 3 or 4 — withhold until grade 0–1`,
    verified: false,
  },
  'anemia.withholdFromGrade': {
    cite: `${TABLE2}: anaemia grade 3 or 4 — withhold until grade 0–2`,
    verified: false,
  },
  'neutropenia.withholdFromGrade': {
    cite: `${TABLE2}: neutropenia grade 3 or 4 — withhold until grade 0–2`,
    verified: false,
  },
  'lymphopenia.exempt': {
    cite: `${LABEL}, Table 2 footnote: no dose modification for grade 3/4 lymphopenia alone`,
    verified: true,
  },
  'lymphopenia.withholdFromGrade': {
    cite: `${LABEL}, Table 2 footnote: the grade 3/4 haematological toxicity exempted when it is solely lymphopenia (used only if the exemption is switched off)`,
    verified: true,
  },
  'renal.minClearanceMlMin': {
    cite: `${TABLE2}: renal toxicity = CrCl <40 mL/min (Cockcroft–Gault, actual body weight); label wording from memory`,
    verified: false,
  },
  'renal.maxCreatinineRiseFraction': {
    cite: `${TABLE2}: renal toxicity = serum creatinine up ≥40% from baseline; from memory`,
    verified: false,
  },
  'renal.maxClearanceFallFraction': {
    cite: `${TABLE2}: renal toxicity = CrCl down ≥40% from baseline; from memory`,
    verified: false,
  },
  'hepatic.bilirubinAboveUlnTimes': {
    cite: `${TABLE2}: hepatotoxicity = bilirubin >3×ULN (grade 3/4); from memory`,
    verified: false,
  },
  'hepatic.albuminBelowGL': {
    cite: `${TABLE2}: hepatotoxicity = albumin <30 g/L with prothrombin ratio <70%; from memory. The prothrombin ratio is not recorded in prrt's data, so albumin <30 g/L alone counts (stricter than the label)`,
    verified: false,
  },
  recurrenceScope: {
    cite: `${TABLE2}: permanently discontinue for recurrent toxicity after a dose reduction (read per adverse reaction)`,
    verified: false,
  },
};
