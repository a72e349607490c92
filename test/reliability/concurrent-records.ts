/**
 * The records the concurrency test fights over, and the model it checks the outcome against: how each
 * record is addressed over HTTP and in the audit trail, how a client makes a new valid body for it (a
 * whole record for PUT, a few fields for PATCH) from a seeded generator, and how a record's state follows
 * from replaying the accepted writes in version order.
 */
import type { RecordJson, RecordKind } from '../../src/server/routes/record-kinds.js';
import { cycleKind, labKind, patientKind } from '../../src/server/routes/record-kinds.js';
import { parseRecord } from '../../src/server/routes/record-body.js';
import { CANONICAL_UNIT, type LabTest } from '../../src/clinical/model.js';
import { Rng as Mulberry32 } from '../../examples/salvage-demo/prng.js';

/** A seeded generator of numbers in [0, 1) (the demo cohort's mulberry32). */
export function seededRandom(seed: number): () => number {
  const rng = new Mulberry32(seed);
  return () => rng.next();
}

export interface Rng {
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('nothing to pick from');
      return items[int(0, items.length - 1)]!;
    },
    chance: (p) => next() < p,
  };
}

export type TargetKind = 'patient' | 'cycle' | 'lab';
type Body = Record<string, unknown>;

/** One record the clients write to. */
export interface Target {
  readonly kind: TargetKind;
  /** The audit trail's entity and entity id, e.g. `cycle` and `NET-002/R1/2`. */
  readonly entity: string;
  readonly entityId: string;
  readonly patientId: string;
  /** The item URL (GET, PUT, PATCH, DELETE). */
  readonly url: string;
  /** The key fields the URL names, in the exchange format's field names. */
  readonly keyFields: Readonly<Record<string, unknown>>;
  /** Whether clients may delete it. */
  readonly deletable: boolean;
}

const enc = encodeURIComponent;

export function patientTarget(patientId: string): Target {
  return {
    kind: 'patient',
    entity: 'patient',
    entityId: patientId,
    patientId,
    url: `/api/patients/${enc(patientId)}`,
    keyFields: { patient_id: patientId },
    deletable: false,
  };
}

export function cycleTarget(patientId: string, courseId: string, cycle: number): Target {
  return {
    kind: 'cycle',
    entity: 'cycle',
    entityId: `${patientId}/${courseId}/${String(cycle)}`,
    patientId,
    url: `/api/patients/${enc(patientId)}/courses/${enc(courseId)}/cycles/${String(cycle)}`,
    keyFields: { patient_id: patientId, course_id: courseId, cycle },
    deletable: false,
  };
}

export function labTarget(patientId: string, takenAt: string, test: LabTest, deletable: boolean): Target {
  return {
    kind: 'lab',
    entity: 'lab',
    entityId: `${patientId}/${takenAt}/${test}`,
    patientId,
    url: `/api/patients/${enc(patientId)}/labs/${enc(takenAt)}/${test}`,
    keyFields: { patient_id: patientId, taken_at: takenAt, test },
    deletable,
  };
}

function kindOf(kind: TargetKind): RecordKind<object, object> {
  const kinds = { patient: patientKind, cycle: cycleKind, lab: labKind } as const;
  return kinds[kind];
}

/** A record as answered, reduced to the fields a client sends (a lab's `canonical` is derived). */
export function inputOf(record: Readonly<Record<string, unknown>>): Body {
  return Object.fromEntries(Object.entries(record).filter(([field]) => field !== 'canonical'));
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** A time of day on the date of `administeredAt` (which is kept, so that the cycle stays in place). */
function sameDay(administeredAt: unknown, r: Rng): string {
  const date = String(administeredAt).slice(0, 10);
  const hh = String(r.int(7, 16)).padStart(2, '0');
  const mm = String(r.int(0, 59)).padStart(2, '0');
  return `${date}T${hh}:${mm}:00Z`;
}

/** A plausible lab value: within ±30% of the record's present value (or of 100 when it has none). */
function labValue(current: unknown, r: Rng): number {
  const base = typeof current === 'number' && current > 0 ? current : 100;
  return round(base * (0.7 + 0.6 * r.next()), 2);
}

/**
 * A whole record for PUT, made from the record as read; now and then an optional field is left out,
 * which the contract says empties it.
 */
export function putBody(target: Target, read: Readonly<Record<string, unknown>>, r: Rng): Body {
  const current = inputOf(read);
  switch (target.kind) {
    case 'patient':
      return {
        ...current,
        weight_kg: round(50 + 40 * r.next(), 1),
        karnofsky: r.pick([60, 70, 80, 90, 100]),
      };
    case 'cycle': {
      const body: Body = {
        administered_at: sameDay(current.administered_at, r),
        activity_gbq: round(5 + 3 * r.next(), 2),
      };
      if (!r.chance(0.25)) body.planned_activity_gbq = round(6 + 2 * r.next(), 2);
      return body;
    }
    case 'lab': {
      const test = target.keyFields.test as LabTest;
      const body: Body = { value: labValue(current.value, r), unit: CANONICAL_UNIT[test] };
      if (!r.chance(0.3)) {
        body.lln = round(r.next() * 5, 1);
        body.uln = round(200 + r.next() * 100, 1);
      }
      return body;
    }
  }
}

/** A few fields for PATCH; `null` empties an optional field. */
export function patchBody(target: Target, read: Readonly<Record<string, unknown>>, r: Rng): Body {
  switch (target.kind) {
    case 'patient':
      return r.chance(0.5)
        ? { weight_kg: round(50 + 40 * r.next(), 1) }
        : { karnofsky: r.pick([60, 70, 80, 90, 100]), ...(r.chance(0.3) ? { weight_kg: null } : {}) };
    case 'cycle':
      return r.chance(0.6)
        ? { activity_gbq: round(5 + 3 * r.next(), 2) }
        : { planned_activity_gbq: r.chance(0.2) ? null : round(6 + 2 * r.next(), 2) };
    case 'lab':
      return r.chance(0.6)
        ? { value: labValue(read.value, r) }
        : { lln: r.chance(0.3) ? null : round(r.next() * 5, 1), uln: round(200 + r.next() * 100, 1) };
  }
}

/** A new lab for POST under `/api/patients/:id/labs`. */
export function newLabBody(target: Target, r: Rng): Body {
  const test = target.keyFields.test as LabTest;
  return {
    taken_at: target.keyFields.taken_at,
    test,
    value: round(20 + 30 * r.next(), 1),
    unit: CANONICAL_UNIT[test],
  };
}

/** The state after a PUT: the key, the fields sent, every other field empty. */
export function afterPut(target: Target, body: Readonly<Body>): Body {
  const empty = Object.fromEntries(Object.keys(kindOf(target.kind).shape).map((f) => [f, null]));
  return { ...empty, ...body, ...target.keyFields };
}

/** The state after a PATCH: the fields sent over the state before. */
export function afterPatch(target: Target, before: Readonly<Body>, body: Readonly<Body>): Body {
  return { ...before, ...body, ...target.keyFields };
}

/** The record the API answers for a state (with what it derives, such as a lab's `canonical`). */
export function answeredRecord(target: Target, state: Readonly<Body>): RecordJson {
  const kind = kindOf(target.kind);
  return kind.toJson(parseRecord(kind, state, target.keyFields));
}
