/**
 * Writes a synthetic cohort into an exchange folder: the 33-patient demo design (`demoDesign`) or, for
 * benchmarks, any number of patients of the same design (`largeDesign`), one patient at a time.
 */
import { CsvFolderWriter } from './csv-out.js';
import { DEFAULT_SEED, demoDesign, largeDesign, type PatientDesign } from './design.js';
import { type FileName, synthesisePatient } from './synthesise.js';

export interface CohortOptions {
  readonly dir: string;
  readonly seed?: number;
  /** Omit for the demo design; a number draws that many patients of the same design. */
  readonly patients?: number;
  /** Called after each patient (for progress on large cohorts). */
  readonly onPatient?: (done: number, total: number) => void;
}

export interface CohortSummary {
  readonly seed: number;
  readonly patients: number;
  readonly rows: Readonly<Record<FileName, number>>;
}

export function writeCohort(options: CohortOptions): CohortSummary {
  const seed = options.seed ?? DEFAULT_SEED;
  const writer = new CsvFolderWriter(options.dir);
  let total: number;
  try {
    if (options.patients === undefined) {
      const designs: PatientDesign[] = demoDesign(seed).sort((a, b) => a.index - b.index);
      total = designs.length;
      designs.forEach((d, i) => {
        synthesisePatient(d, seed, writer);
        options.onPatient?.(i + 1, total);
      });
    } else {
      total = options.patients;
      for (const d of largeDesign(seed, total)) {
        synthesisePatient(d, seed, writer);
        options.onPatient?.(d.index, total);
      }
    }
  } finally {
    writer.close();
  }
  return {
    seed,
    patients: total,
    rows: Object.fromEntries(writer.counts) as Record<FileName, number>,
  };
}
