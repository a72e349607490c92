/**
 * The demo cohort made easy to spot when it leaks: every patient id becomes `HOSPID-nnn`, every name
 * `Zyxwvut… Qorvath…`, every record number `MRN-UNIQUE-nnn`, every birth date a full date found nowhere
 * else in the cohort, and every event carries a note naming the patient (`NOTEMARKER …`). `needles`
 * lists what must never reach a researcher, birth dates in every way a date is commonly written.
 */
import { join } from 'node:path';
import type { Cohort, Patient } from '../../src/clinical/model.js';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';

export const DEMO_FOLDER = join(import.meta.dirname, '..', '..', 'examples', 'salvage-demo');

export interface Identity {
  readonly patientId: string;
  readonly name: string;
  readonly mrn: string;
  readonly birthDate: string;
}

export interface IdentifyingCohort {
  readonly cohort: Cohort;
  readonly identities: readonly Identity[];
  /** What must appear in nothing a researcher receives (matched ignoring case). */
  readonly needles: readonly RegExp[];
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Birth months: never July, so that a birth date is never the 1 July the pseudonymised export writes. */
const BIRTH_MONTHS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12];

const letters = (i: number): string =>
  String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));

/** The ways a calendar date is commonly written: ISO, day-first, month-first, compact, in words, as a timestamp. */
export function dateSpellings(iso: string): string[] {
  const [y, mm, dd] = iso.split('-') as [string, string, string];
  const m = String(Number(mm));
  const d = String(Number(dd));
  const month = MONTHS[Number(mm) - 1]!;
  const mon = month.slice(0, 3);
  const ms = Date.UTC(Number(y), Number(mm) - 1, Number(dd));
  return [
    iso,
    `${y}/${mm}/${dd}`,
    `${y}${mm}${dd}`,
    `${dd}-${mm}-${y}`,
    `${dd}/${mm}/${y}`,
    `${dd}.${mm}.${y}`,
    `${mm}/${dd}/${y}`,
    `${mm}-${dd}-${y}`,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${d}.${m}.${y}`,
    `${d} ${month} ${y}`,
    `${d} ${mon} ${y}`,
    `${month} ${d}, ${y}`,
    `${mon} ${d}, ${y}`,
    `${mon} ${dd} ${y}`,
    `${dd}-${mon}-${y}`,
    `${dd}${mon}${y}`,
    String(ms),
    String(ms / 1000),
  ];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `text` as a case-insensitive pattern; a spelling of digits only must not sit inside a longer number. */
function needle(text: string): RegExp {
  const digitsOnly = /^-?\d+$/.test(text);
  return new RegExp(digitsOnly ? `(?<![\\d.])${escapeRegExp(text)}(?![\\d.])` : escapeRegExp(text), 'i');
}

export async function identifyingCohort(): Promise<IdentifyingCohort> {
  const r = await readExchangeFolder(DEMO_FOLDER);
  if (!r.ok) throw new Error('the demo cohort is invalid');
  const demo = r.cohort;
  const newId = new Map(
    demo.patients.map((p, i) => [p.patientId, `HOSPID-${String(i + 1).padStart(3, '0')}`]),
  );
  const id = (old: string): string => newId.get(old)!;
  const identities = new Map<string, Identity>();
  const patients: Patient[] = demo.patients.map((p, i) => {
    const tag = letters(i);
    const month = BIRTH_MONTHS[i % BIRTH_MONTHS.length]!;
    const birthDate = `${String(1930 + (i % 23))}-${String(month).padStart(2, '0')}-${String(13 + (i % 15))}`;
    const identity: Identity = {
      patientId: id(p.patientId),
      name: `Zyxwvut${tag} Qorvath${tag}`,
      mrn: `MRN-UNIQUE-${String(100 + i)}`,
      birthDate,
    };
    identities.set(p.patientId, identity);
    return { ...p, patientId: identity.patientId, name: identity.name, mrn: identity.mrn, birthDate };
  });
  const note = (old: string): string => {
    const who = identities.get(old)!;
    return `NOTEMARKER seen with ${who.name} (${who.mrn}), born ${who.birthDate}`;
  };
  const cohort: Cohort = {
    patients,
    courses: demo.courses.map((x) => ({ ...x, patientId: id(x.patientId) })),
    cycles: demo.cycles.map((x) => ({ ...x, patientId: id(x.patientId) })),
    labs: demo.labs.map((x) => ({ ...x, patientId: id(x.patientId) })),
    lesions: demo.lesions.map((x) => ({ ...x, patientId: id(x.patientId) })),
    events: demo.events.map((x) => ({ ...x, patientId: id(x.patientId), note: note(x.patientId) })),
    dosimetry: demo.dosimetry.map((x) => ({ ...x, patientId: id(x.patientId) })),
  };
  const list = [...identities.values()];
  const texts = new Set<string>(['Zyxwvut', 'Qorvath', 'MRN-UNIQUE', 'HOSPID', 'NOTEMARKER']);
  for (const who of list) for (const s of dateSpellings(who.birthDate)) texts.add(s);
  return { cohort, identities: list, needles: [...texts].map(needle) };
}

/** The needles found in `text`, as their patterns. */
export function identifyingIn(text: string, needles: readonly RegExp[]): string[] {
  return needles.filter((n) => n.test(text)).map((n) => n.source);
}
