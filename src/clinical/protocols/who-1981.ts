/**
 * WHO toxicity grading (Miller AB et al., Cancer 1981;47:207-214) as data. The published table gives
 * bands at one-decimal resolution (platelets 75–99 is grade 1, 50–74 grade 2); on a continuous value
 * each band's lower edge is the cut point, so a count grades when it is strictly below the cut
 * (exactly 75 → grade 1, 74.9 → grade 2) and a chemistry value when it is strictly above the multiple
 * of the upper limit of normal N (1.25×N is grade 0, 1.26×N grade 1).
 */
import type { DecreasingScale, IncreasingUlnScale } from './ctcae-5.js';
import type { ProtocolBase, SourceMap } from './protocol-types.js';

export interface Who1981Protocol extends ProtocolBase {
  readonly hemoglobin: DecreasingScale;
  readonly wbc: DecreasingScale;
  readonly granulocytes: DecreasingScale;
  readonly platelets: DecreasingScale;
  readonly creatinine: IncreasingUlnScale;
  readonly bilirubin: IncreasingUlnScale;
}

export const who1981 = {
  name: 'who',
  hemoglobin: { grade1Below: 11.0, grade2Below: 9.5, grade3Below: 8.0, grade4Below: 6.5 },
  wbc: { grade1Below: 4.0, grade2Below: 3.0, grade3Below: 2.0, grade4Below: 1.0 },
  granulocytes: { grade1Below: 2.0, grade2Below: 1.5, grade3Below: 1.0, grade4Below: 0.5 },
  platelets: { grade1Below: 100, grade2Below: 75, grade3Below: 50, grade4Below: 25 },
  creatinine: { grade1AboveUln: 1.25, grade2AboveUln: 2.5, grade3AboveUln: 5.0, grade4AboveUln: 10.0 },
  bilirubin: { grade1AboveUln: 1.25, grade2AboveUln: 2.5, grade3AboveUln: 5.0, grade4AboveUln: 10.0 },
} as const satisfies Who1981Protocol;

const m = {
  cite: 'Miller AB, Hoogstraten B, Staquet M, Winkler A. Reporting results of cancer treatment. Cancer 1981;47:207-214 (WHO grading table, from memory)',
  verified: false,
} as const;

export const who1981Sources: SourceMap<typeof who1981> = {
  'hemoglobin.grade1Below': m,
  'hemoglobin.grade2Below': m,
  'hemoglobin.grade3Below': m,
  'hemoglobin.grade4Below': m,
  'wbc.grade1Below': m,
  'wbc.grade2Below': m,
  'wbc.grade3Below': m,
  'wbc.grade4Below': m,
  'granulocytes.grade1Below': m,
  'granulocytes.grade2Below': m,
  'granulocytes.grade3Below': m,
  'granulocytes.grade4Below': m,
  'platelets.grade1Below': m,
  'platelets.grade2Below': m,
  'platelets.grade3Below': m,
  'platelets.grade4Below': m,
  'creatinine.grade1AboveUln': m,
  'creatinine.grade2AboveUln': m,
  'creatinine.grade3AboveUln': m,
  'creatinine.grade4AboveUln': m,
  'bilirubin.grade1AboveUln': m,
  'bilirubin.grade2AboveUln': m,
  'bilirubin.grade3AboveUln': m,
  'bilirubin.grade4AboveUln': m,
};
