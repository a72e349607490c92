/**
 * The design table of the synthetic salvage cohort: one `PatientDesign` per patient, holding the outcomes
 * the synthesised raw rows must produce when prrt's rule engine derives them (best response,
 * progression or censoring day, follow-up, worst laboratory grades, …). `demoDesign` builds the 33
 * patients whose derived aggregates reproduce the published salvage study; `largeDesign` repeats that
 * design in blocks for benchmark cohorts of any size.
 */
import { Rng, mixSeed } from './prng.js';
import { DAYS_PER_MONTH, type DemoSex, type HaemTest } from './read-back.js';

export type Site = 'bronchial' | 'pancreatic' | 'midgut' | 'hindgut' | 'gastric' | 'duodenal' | 'other_gep';
export type RegularBest = 'PR' | 'MR' | 'SD';
export type SalvageBest = 'PR' | 'MR' | 'SD' | 'PD';
/** How a progression shows on the scan: SPD growth over the nadir, a new lesion, both, or a non-target. */
export type PdMode = 'spd' | 'new' | 'spd+new' | 'nontarget';

export interface PatientDesign {
  readonly index: number;
  readonly patientId: string;
  readonly sex: DemoSex;
  readonly site: Site;
  readonly ageAtSalvageYears: number;
  /** Day number (days since 1970-01-01) of the first salvage cycle; a weekday. */
  readonly salvageStart: number;
  readonly regular: {
    readonly cycles: 3 | 4;
    readonly intendedGbq: number;
    /** The last cycle given at half activity (3.7 GBq) after haematological toxicity. */
    readonly reducedLast: boolean;
    readonly best: RegularBest;
    /** Days from the regular course start to its progression (the prior-course TTP). */
    readonly ttpDays: number;
    readonly progressionBy: 'scan' | 'clinical';
    readonly pdMode: PdMode;
    /** Days from the regular course's progression to the salvage start. */
    readonly gapDays: number;
  };
  readonly salvage: {
    readonly cycles: 1 | 2;
    readonly stopReason: 'completed' | 'progression' | 'toxicity';
    readonly best: SalvageBest;
    /** Days after the salvage start of the progression date, or of the last follow-up scan when censored. */
    readonly endDay: number;
    readonly endKind: 'pd-scan' | 'clinical' | 'censored';
    readonly pdMode: PdMode;
    /** Follow-up scans before the progression scan miss one target lesion (not evaluable). */
    readonly neBeforePd: boolean;
  };
  /** Days from the salvage start to the last contact (the death date for the dead). */
  readonly followUpDays: number;
  readonly dead: boolean;
  readonly toxicity: {
    /** Designed worst CTCAE grade per test in the salvage toxicity window. */
    readonly grades: Readonly<Record<HaemTest, number>>;
    /** Slow platelet recovery after the worst cycle (long-lasting thrombocytopenia). */
    readonly longLasting: boolean;
  };
}

/** The seed of the committed demo cohort (the month the salvage study appeared: March 2010). */
export const DEFAULT_SEED = 20100301;
export const DEMO_PATIENTS = 33;

const MONTH = DAYS_PER_MONTH;
const months = (m: number): number => Math.round(m * MONTH);

/** Day number of a `YYYY-MM-DD` date. */
export function dayOf(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

/** The nearest weekday: Saturday moves back to Friday, Sunday forward to Monday. */
export function weekday(day: number): number {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
  return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
}

export function patientIdOf(index: number, total: number): string {
  return `SD-${String(index).padStart(Math.max(3, String(total).length), '0')}`;
}

// Bounds of the calendar: regular courses from 2000, everything recorded by the end of 2009.
const FIRST_REGULAR = dayOf('2000-03-01');
const EARLIEST_SALVAGE = dayOf('2005-01-10');
const LAST_DEATH = dayOf('2009-10-30');
const CUTOFF_FROM = dayOf('2009-05-04');
const CUTOFF_TO = dayOf('2009-11-27');

/** Grades per test for a designed worst haematological grade `worst`, driven by `driver`. */
function testGrades(rng: Rng, worst: number, driver: HaemTest): Record<HaemTest, number> {
  const g: Record<HaemTest, number> = { platelets: 0, hemoglobin: 0, wbc: 0, neutrophils: 0 };
  if (worst === 0) return g;
  for (const t of ['platelets', 'hemoglobin', 'wbc', 'neutrophils'] as const) {
    const cap = t === 'hemoglobin' ? Math.min(worst, 2) : worst;
    g[t] = Math.min(
      cap,
      rng.weighted([
        [0, 0.45],
        [1, 0.4],
        [2, 0.15],
      ]),
    );
  }
  g[driver] = worst;
  // White cells and neutrophils move together: their grades differ by at most one.
  if (g.wbc > g.neutrophils + 1) g.neutrophils = g.wbc - 1;
  if (g.neutrophils > g.wbc + 1) g.wbc = g.neutrophils - 1;
  return g;
}

function driverFor(rng: Rng, worst: number): HaemTest {
  if (worst >= 3)
    return rng.weighted<HaemTest>([
      ['platelets', 0.6],
      ['wbc', 0.2],
      ['neutrophils', 0.2],
    ]);
  return rng.weighted<HaemTest>([
    ['platelets', 0.5],
    ['hemoglobin', 0.25],
    ['wbc', 0.13],
    ['neutrophils', 0.12],
  ]);
}

interface Slot {
  group: 'early-pd' | 'other';
  best: SalvageBest;
  endKind: PatientDesign['salvage']['endKind'];
  endDay: number | null;
  followUpDays: number;
  dead: boolean;
  priorMonths: number | null;
  stopReason: PatientDesign['salvage']['stopReason'];
  cycles: 1 | 2;
  pdMode: PdMode | null;
  neBeforePd: boolean;
  worst: number | null;
  driver: HaemTest | null;
  longLasting: boolean;
  site: Site | null;
  regularBest: RegularBest | null;
}

const slot = (s: Partial<Slot> & Pick<Slot, 'group' | 'best' | 'endKind' | 'followUpDays'>): Slot => ({
  endDay: null,
  dead: false,
  priorMonths: null,
  stopReason: 'completed',
  cycles: 2,
  pdMode: null,
  neBeforePd: false,
  worst: null,
  driver: null,
  longLasting: false,
  site: null,
  regularBest: null,
  ...s,
});

/**
 * The 33 demo patients. Their derived aggregates (salvage course) are fixed by construction:
 * 2 PR, 6 MR, 8 SD, 17 PD; 20 progressions, the 17th-ranked TTP at 17.0 months with one earlier censoring
 * (so the Kaplan–Meier median is 17.0); prior-course TTP of the 17th-ranked patient 27.0 months (all
 * progressed); follow-up median 16.0 months, range 1.3–40.0; 4 not achieved (2 progression, 2 toxicity);
 * worst haematological grade 0/1/2/3/4 in 6/14/8/4/1 patients; 9 deaths (one without progression).
 */
export function demoDesign(seed: number = DEFAULT_SEED): PatientDesign[] {
  const rng = new Rng(mixSeed(seed, 0));
  const slots: Slot[] = [];

  // Seventeen PD best responses. Sixteen progress at their first follow-up scan; their follow-up is
  // shorter than the cohort median (many die, the others started salvage recently).
  const earlyFollowUp = [3.2, 4.9, 5.6, 6.4, 7.5, 8.3, 9.2, 10.1, 11.0, 11.9, 12.8, 13.6, 14.4, 15.1];
  const earlyPriors = rng.shuffle([
    10.5, 11.8, 12.6, 13.4, 14.1, 15.0, 15.9, 16.7, 19.4, 20.8, 22.1, 23.5, 24.6, 28.0, 30.2, 35.5,
  ]);
  const earlyDead = new Set(rng.shuffle(earlyFollowUp).slice(0, 5));
  // Two stop after one cycle because of progression; one of them dies six weeks after the start.
  slots.push(
    slot({
      group: 'early-pd',
      best: 'PD',
      endKind: 'pd-scan',
      endDay: 35,
      followUpDays: 40,
      dead: true,
      stopReason: 'progression',
      cycles: 1,
      worst: 1,
      driver: 'platelets',
    }),
    slot({
      group: 'early-pd',
      best: 'PD',
      endKind: 'pd-scan',
      endDay: rng.int(49, 56),
      followUpDays: months(4.1),
      stopReason: 'progression',
      cycles: 1,
    }),
  );
  for (const f of earlyFollowUp) {
    const fu = months(f) + rng.int(-4, 4);
    slots.push(
      slot({
        group: 'early-pd',
        best: 'PD',
        endKind: 'pd-scan',
        endDay: Math.min(rng.int(95, 150), fu - rng.int(3, 9)),
        followUpDays: fu,
        dead: earlyDead.has(f),
      }),
    );
  }
  const earlyModes = rng.shuffle<PdMode>([
    ...Array<PdMode>(8).fill('spd'),
    ...Array<PdMode>(4).fill('new'),
    ...Array<PdMode>(2).fill('spd+new'),
    ...Array<PdMode>(2).fill('nontarget'),
  ]);
  slots.forEach((s, i) => {
    s.priorMonths = earlyPriors[i]!;
    s.pdMode = earlyModes[i]!;
  });

  // The seventeenth PD: intermediate scans not evaluable (a bone target not re-measured), progression
  // by a new lesion at 19.5 months.
  slots.push(
    slot({
      group: 'other',
      best: 'PD',
      endKind: 'pd-scan',
      endDay: months(19.5) + rng.int(-5, 5),
      followUpDays: months(24.4) + rng.int(-5, 5),
      dead: true,
      priorMonths: 26.3,
      pdMode: 'spd+new',
      neBeforePd: true,
    }),
  );
  // The cohort's median follow-up: stable disease, censored at its last scan before 17 months.
  slots.push(
    slot({
      group: 'other',
      best: 'SD',
      endKind: 'censored',
      endDay: months(15.0) + rng.int(-8, 4),
      followUpDays: months(16.0) + rng.int(-3, 3),
      priorMonths: 16.2,
    }),
  );
  // The seventeenth event, at 17.0 months: the Kaplan–Meier median.
  slots.push(
    slot({
      group: 'other',
      best: 'SD',
      endKind: 'pd-scan',
      endDay: 518,
      followUpDays: months(28.6) + rng.int(-5, 5),
      dead: true,
      priorMonths: 21.3,
      pdMode: rng.pick<PdMode>(['spd', 'new']),
    }),
  );
  const lateFollowUp = rng.shuffle([17.9, 19.3, 20.6, 21.8, 23.1, 25.7, 27.0, 31.7, 33.1, 36.3, 38.0, 40.0]);
  const latePriors = rng.shuffle([
    27.0, 28.4, 29.6, 31.1, 32.7, 34.2, 36.8, 38.5, 41.0, 44.3, 47.9, 52.6, 57.4, 60.5,
  ]);
  // Two later progressions among the responders.
  slots.push(
    slot({
      group: 'other',
      best: 'MR',
      endKind: 'pd-scan',
      endDay: months(22.5) + rng.int(-6, 6),
      followUpDays: months(30.2) + rng.int(-5, 5),
      pdMode: rng.pick<PdMode>(['spd', 'spd+new']),
      site: 'pancreatic',
    }),
    slot({
      group: 'other',
      best: 'PR',
      endKind: 'clinical',
      endDay: months(27.2) + rng.int(-6, 6),
      followUpDays: months(34.8) + rng.int(-5, 5),
    }),
  );
  // Twelve without progression, censored at a last scan after 17.4 months; two of them stopped after one
  // cycle because of long-lasting thrombocytopenia, one dies without progression.
  const diesUnprogressed = rng.int(2, 11);
  const lateCensored: Slot[] = [];
  const lateBest: SalvageBest[] = ['SD', 'MR', 'SD', 'SD', 'SD', 'SD', 'SD', 'MR', 'MR', 'MR', 'MR', 'PR'];
  lateBest.forEach((best, i) => {
    const fu =
      lateFollowUp[i] === 40.0 ? months(40.0) + rng.int(-3, 3) : months(lateFollowUp[i]!) + rng.int(-5, 5);
    const end = rng.int(Math.max(530, fu - 80), fu - 7);
    const s = slot({
      group: 'other',
      best,
      endKind: 'censored',
      endDay: end,
      followUpDays: fu,
      dead: i === diesUnprogressed,
    });
    if (i === 0)
      Object.assign(s, {
        stopReason: 'toxicity',
        cycles: 1,
        worst: 4,
        driver: 'platelets',
        longLasting: true,
      });
    if (i === 1)
      Object.assign(s, {
        stopReason: 'toxicity',
        cycles: 1,
        worst: 3,
        driver: 'platelets',
        longLasting: true,
      });
    slots.push(s);
    lateCensored.push(s);
  });
  slots.filter((s) => s.priorMonths === null).forEach((s, i) => (s.priorMonths = latePriors[i]!));

  // Worst haematological grades: 6 × 0, 14 × 1, 8 × 2, 4 × 3, 1 × 4 (the two toxicity stops and the first
  // progression stop are fixed above).
  const open = rng.shuffle(slots.filter((s) => s.worst === null));
  const grades = [
    3,
    3,
    3,
    ...Array<number>(8).fill(2),
    ...Array<number>(13).fill(1),
    ...Array<number>(6).fill(0),
  ];
  const g3Drivers: HaemTest[] = ['platelets', 'wbc', 'neutrophils'];
  open.forEach((s, i) => {
    s.worst = grades[i]!;
    s.driver = s.worst === 3 ? g3Drivers[i]! : driverFor(rng, s.worst);
  });

  // Primary sites. Pancreatic patients fare like the other GEP patients: 3 of 7 progress early, as 11 of
  // 23 other GEP patients do, and each group's Kaplan–Meier curve stays above one half until its first
  // later event (17.0 months for the other GEP, 22.5 months for the pancreatic group).
  const otherGep = rng.shuffle<Site>([
    ...Array<Site>(16).fill('midgut'),
    ...Array<Site>(3).fill('hindgut'),
    'gastric',
    'gastric',
    'duodenal',
    'other_gep',
  ]);
  const early = slots.filter((s) => s.group === 'early-pd');
  const earlySites = rng.shuffle<Site>([
    'pancreatic',
    'pancreatic',
    'pancreatic',
    'bronchial',
    'bronchial',
    ...otherGep.slice(0, 11),
  ]);
  early.forEach((s, i) => (s.site = earlySites[i]!));
  const censoredSites = rng.shuffle<Site>([
    'pancreatic',
    'pancreatic',
    'pancreatic',
    'bronchial',
    ...otherGep.slice(11, 19),
  ]);
  lateCensored.forEach((s, i) => (s.site = censoredSites[i]!));
  let nextOther = 19;
  for (const s of slots) s.site ??= otherGep[nextOther++]!;

  // Every patient had responded to the regular course (radiologically or clinically) before progressing.
  const regularBest = rng.shuffle<RegularBest>([
    ...Array<RegularBest>(12).fill('PR'),
    ...Array<RegularBest>(12).fill('MR'),
    ...Array<RegularBest>(9).fill('SD'),
  ]);
  slots.forEach((s, i) => (s.regularBest = regularBest[i]!));

  // Regular-course progression by a clinical event for three patients.
  const clinicalRegular = new Set(rng.shuffle(slots).slice(0, 3));
  const order = rng.shuffle(slots);
  return order.map((s, i) => {
    const prior = s.priorMonths === 27.0 ? months(27.0) : months(s.priorMonths!) + rng.int(-3, 3);
    return finishDesign(rng, {
      index: i + 1,
      total: order.length,
      slot: s,
      site: s.site!,
      priorDays: prior,
      regularClinical: clinicalRegular.has(s),
    });
  });
}

function finishDesign(
  rng: Rng,
  a: { index: number; total: number; slot: Slot; site: Site; priorDays: number; regularClinical: boolean },
): PatientDesign {
  const s = a.slot;
  const gapDays = rng.int(45, 200);
  const fourCycles = rng.chance(0.75);
  const regular: PatientDesign['regular'] = {
    cycles: fourCycles ? 4 : 3,
    intendedGbq: fourCycles ? 29.6 : 22.2,
    reducedLast: fourCycles && rng.chance(0.12),
    best: s.regularBest ?? 'SD',
    ttpDays: a.priorDays,
    progressionBy: a.regularClinical ? 'clinical' : 'scan',
    pdMode: rng.weighted<PdMode>([
      ['spd', 0.6],
      ['new', 0.2],
      ['spd+new', 0.2],
    ]),
    gapDays,
  };
  // Calendar: the alive are last seen at a cut-off in 2009; the dead die by the end of October 2009.
  const fu = s.followUpDays;
  let start: number;
  if (s.dead) {
    const lo = Math.max(EARLIEST_SALVAGE, FIRST_REGULAR + a.priorDays + gapDays + 14);
    const hi = LAST_DEATH - fu;
    start = lo <= hi ? rng.int(lo, hi) : hi;
  } else {
    start = rng.int(CUTOFF_FROM, CUTOFF_TO) - fu;
  }
  start = weekday(start);
  const worst = s.worst ?? 0;
  return {
    index: a.index,
    patientId: patientIdOf(a.index, a.total),
    sex: rng.chance(0.55) ? 'M' : 'F',
    site: a.site,
    ageAtSalvageYears: rng.uniform(47, 78),
    salvageStart: start,
    regular,
    salvage: {
      cycles: s.cycles,
      stopReason: s.stopReason,
      best: s.best,
      endDay: s.endDay ?? 0,
      endKind: s.endKind,
      pdMode: s.pdMode ?? 'spd',
      neBeforePd: s.neBeforePd,
    },
    followUpDays: fu,
    dead: s.dead,
    toxicity: { grades: testGrades(rng, worst, s.driver ?? 'platelets'), longLasting: s.longLasting },
  };
}

/**
 * A large cohort of the same design: consecutive blocks of 33 patients, each block a demo design of its
 * own seed (so every block, and hence the whole cohort, reproduces the demo's aggregates), renumbered
 * `SD-00001`, `SD-00002`, …; the last block is cut short when `total` is not a multiple of 33.
 */
export function* largeDesign(seed: number, total: number): Generator<PatientDesign> {
  let index = 0;
  for (let block = 0; index < total; block++) {
    const designs = demoDesign(mixSeed(seed, 0x10000 + block)).sort((a, b) => a.index - b.index);
    for (const d of designs) {
      if (index >= total) return;
      index++;
      yield { ...d, index, patientId: patientIdOf(index, total) };
    }
  }
}
