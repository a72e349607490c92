/**
 * Writes a synthetic cohort into an exchange folder: the 33-patient demo design (`demoDesign`) or, for
 * benchmarks, any number of patients of the same design (`largeDesign`), one patient at a time. Each
 * patient's rows are first imported and derived by prrt; a patient whose endpoints differ from its
 * design stops the run.
 */
import { CsvFolderWriter, PatientRows } from './csv-out.js';
import { DEFAULT_SEED, demoDesign, largeDesign, type PatientDesign } from './design.js';
import { verifyPatient } from './read-back.js';
import { type FileName, type RowSink, synthesisePatient } from './synthesise.js';

/** Synthesises one patient, reads the rows back with prrt's rules, and passes them to `sink`. */
function writePatient(d: PatientDesign, seed: number, sink: RowSink): void {
  const rows = new PatientRows();
  const target = synthesisePatient(d, seed, rows);
  try {
    verifyPatient(rows.files(), target);
  } catch (e) {
    throw new Error(`${d.patientId} (seed ${seed}): ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  rows.writeTo(sink);
}

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
        writePatient(d, seed, writer);
        options.onPatient?.(i + 1, total);
      });
    } else {
      total = options.patients;
      for (const d of largeDesign(seed, total)) {
        writePatient(d, seed, writer);
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
