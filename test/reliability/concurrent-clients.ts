/**
 * The clients of the concurrency test: each signs requests with its own session, talks to one of the
 * listening servers with `fetch`, and does rounds of read-then-write with `If-Match` on records it
 * picks from a shared pool (now and then a summary read, a new lab, a deletion, or a retry with the
 * version a 409 named). Every answer is logged for the checks that follow.
 */
import {
  newLabBody,
  labTarget,
  patchBody,
  putBody,
  rng,
  type Rng,
  type Target,
} from './concurrent-records.js';

export type WriteMethod = 'PUT' | 'PATCH' | 'DELETE' | 'POST';

export interface ClientIdentity {
  readonly username: string;
  readonly cookie: string;
  readonly csrfToken: string;
  /** The server's origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** Which server (0 or 1). */
  readonly server: number;
}

/** One answer, as logged. */
export interface Answer {
  readonly client: number;
  readonly username: string;
  readonly server: number;
  readonly method: 'GET' | WriteMethod;
  readonly url: string;
  readonly target?: Target;
  /** The version sent in If-Match (writes to an existing record). */
  readonly ifMatch?: number;
  readonly body?: Record<string, unknown>;
  readonly status: number;
  readonly etag: string | null;
  readonly json: unknown;
  /** Whether the write was a retry with the version a 409 named, without reading again. */
  readonly blind?: boolean;
}

export interface StormPlan {
  readonly seed: number;
  readonly rounds: number;
  /** The summary date (summaries are read on it during the storm, filling the servers' caches). */
  readonly summaryDate: string;
  readonly patientIds: readonly string[];
}

/** The pool of records the clients write to; new labs join it once created. */
export class TargetPool {
  private readonly targets: Target[];

  constructor(initial: readonly Target[]) {
    this.targets = [...initial];
  }

  add(target: Target): void {
    this.targets.push(target);
  }

  /**
   * A record to write: a patient one time in four (patients and their records are written at once, as
   * when a form and a list are saved together), otherwise any record.
   */
  pick(r: Rng): Target {
    const patients = this.targets.filter((t) => t.kind === 'patient');
    return r.chance(0.25) && patients.length > 0 ? r.pick(patients) : r.pick(this.targets);
  }

  all(): readonly Target[] {
    return this.targets;
  }
}

export interface Sent {
  readonly status: number;
  readonly etag: string | null;
  readonly json: unknown;
}

/** One request with the client's session (and CSRF token, and `If-Match` when given); the answer parsed. */
export async function send(
  id: ClientIdentity,
  method: 'GET' | WriteMethod,
  url: string,
  options: { body?: Record<string, unknown>; ifMatch?: number } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { cookie: id.cookie };
  if (method !== 'GET') headers['x-csrf-token'] = id.csrfToken;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${String(options.ifMatch)}"`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${id.origin}${url}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
  }
  return { status: res.status, etag: res.headers.get('etag'), json };
}

/** The version a 409 answer names in its details (`current version: 4`), or 'deleted', or undefined. */
export function staleVersion(json: unknown): number | 'deleted' | undefined {
  const details = (json as { error?: { details?: { field?: string; message?: string }[] } } | null)?.error
    ?.details;
  const detail = details?.find((d) => d.field === 'headers.if-match');
  const m = /^current version: (\d+|deleted)$/.exec(detail?.message ?? '');
  if (m === null) return undefined;
  return m[1] === 'deleted' ? 'deleted' : Number(m[1]);
}

/** Runs one client's rounds; every answer goes to `log`. */
export async function runClient(
  index: number,
  id: ClientIdentity,
  plan: StormPlan,
  pool: TargetPool,
  log: Answer[],
): Promise<void> {
  const r = rng((plan.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const note = (a: Omit<Answer, 'client' | 'username' | 'server'>) => {
    log.push({ client: index, username: id.username, server: id.server, ...a });
  };
  const write = async (
    target: Target,
    method: WriteMethod,
    ifMatch: number,
    body: Record<string, unknown> | undefined,
    blind: boolean,
  ): Promise<Sent> => {
    const sent = await send(id, method, target.url, { ifMatch, ...(body === undefined ? {} : { body }) });
    note({
      method,
      url: target.url,
      target,
      ifMatch,
      ...(body === undefined ? {} : { body }),
      ...sent,
      blind,
    });
    return sent;
  };

  for (let round = 0; round < plan.rounds; round += 1) {
    if (r.chance(0.15)) {
      const url = `/api/patients/${encodeURIComponent(r.pick(plan.patientIds))}/summary?date=${plan.summaryDate}`;
      note({ method: 'GET', url, ...(await send(id, 'GET', url)) });
    }
    if (round === 1 && r.chance(0.5)) {
      // A new lab whose key no other client uses: 2019-01-01 plus the client's number in days.
      const day = new Date(Date.UTC(2019, 0, 1 + index)).toISOString().slice(0, 10);
      const target = labTarget(r.pick(plan.patientIds), day, 'albumin', true);
      const url = `/api/patients/${encodeURIComponent(target.patientId)}/labs`;
      const body = newLabBody(target, r);
      const sent = await send(id, 'POST', url, { body });
      note({ method: 'POST', url, target, body, ...sent });
      if (sent.status === 201) pool.add(target);
      continue;
    }

    const target = pool.pick(r);
    const read = await send(id, 'GET', target.url);
    note({ method: 'GET', url: target.url, target, ...read });
    if (read.status !== 200) continue;
    const envelope = read.json as { record: Record<string, unknown>; version: number };

    const choice = r.next();
    let method: WriteMethod;
    let body: Record<string, unknown> | undefined;
    if (target.deletable && choice < 0.15) {
      method = 'DELETE';
    } else if (choice < 0.55) {
      method = 'PUT';
      body = putBody(target, envelope.record, r);
    } else {
      method = 'PATCH';
      body = patchBody(target, envelope.record, r);
    }
    const first = await write(target, method, envelope.version, body, false);
    if (first.status === 409 && method !== 'DELETE' && r.chance(0.3)) {
      // Insist: send the same change again with the version the 409 named.
      const now = staleVersion(first.json);
      if (typeof now === 'number') await write(target, method, now, body, true);
    }
  }
}
