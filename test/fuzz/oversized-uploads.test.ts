/**
 * Oversized uploads are refused early, over a real socket: a body declared larger than the limit
 * (Content-Length) is answered 413 while the client has sent only a small part of it, and a chunked body
 * that keeps coming is answered 413 soon after it passes the limit, for `POST /api/import` (50 MiB) and
 * for a JSON route (1 MiB); the server's memory does not grow with what the client says it will send.
 * A zip archive whose entries would unpack to more than allowed (a zip bomb) is refused with a specific
 * error, and nothing is unpacked or stored.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  MAX_UNZIPPED_BYTES,
  readExchangeFolder,
} from '../../src/interop/exchange-folder/read-exchange-folder.js';
import { IMPORT_BODY_LIMIT_BYTES } from '../../src/server/routes/import.js';
import { loadCohort } from '../../src/store/index.js';
import { testDatabases } from '../store/test-databases.js';
import { openHarness, type Harness, type Signed } from '../server/server-harness.js';
import { SMALL_FOLDER } from './small-folder.js';

const MIB = 1024 * 1024;

interface Upload {
  readonly status: number;
  readonly body: string;
  /** Bytes the client had written when the answer's head arrived. */
  readonly sentWhenAnswered: number;
}

/**
 * Sends `piece` again and again (every `pauseMs`, or as fast as the socket takes it) until the server
 * answers or `maxBytes` are sent; with `declared`, as a body of that Content-Length, else chunked.
 */
function upload(
  port: number,
  path: string,
  headers: Record<string, string>,
  options: { declared?: number; pieceBytes: number; pauseMs: number; maxBytes: number },
): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: {
        ...headers,
        ...(options.declared === undefined
          ? { 'transfer-encoding': 'chunked' }
          : { 'content-length': String(options.declared) }),
      },
    });
    const piece = Buffer.alloc(options.pieceBytes, 0x20);
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          sentWhenAnswered,
        });
      });
    });
    req.on('error', (e) => {
      // The server may close the connection after answering; only an error before any answer counts.
      if (!answered) reject(e);
    });
    const next = () => {
      if (answered || req.destroyed) return;
      if (sent >= options.maxBytes) {
        reject(new Error(`no answer after ${String(sent)} bytes`));
        req.destroy();
        return;
      }
      sent += piece.length;
      const more = req.write(piece);
      if (options.pauseMs > 0) setTimeout(next, options.pauseMs);
      else if (more) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function expectTooLarge(r: Upload): void {
  expect(r.status).toBe(413);
  expect(JSON.parse(r.body)).toMatchObject({
    error: { code: 'PRRT_E_TOO_LARGE', message: 'the request body is too large' },
  });
}

describe('oversized uploads over a real socket', () => {
  let h: Harness;
  let port: number;
  let signed: Signed;
  let headers: (type: string) => Record<string, string>;

  beforeAll(async () => {
    h = await openHarness(testDatabases()[0]!);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
    signed = await h.sessionFor('clinician');
    headers = (type) => ({ cookie: signed.cookie, 'x-csrf-token': signed.csrfToken, 'content-type': type });
  });
  afterAll(() => h.close());

  test('POST /api/import declaring 1 GiB, sent slowly: 413 after a few KiB; memory does not grow', async () => {
    const before = memory();
    const r = await upload(port, '/api/import', headers('application/zip'), {
      declared: 1024 * MIB,
      pieceBytes: 16 * 1024,
      pauseMs: 20,
      maxBytes: 64 * MIB,
    });
    expectTooLarge(r);
    expect(r.sentWhenAnswered).toBeLessThan(MIB);
    expect(memory() - before).toBeLessThan(32 * MIB);
  }, 60_000);

  test('POST /api/import chunked, never ending: 413 soon after the 50 MiB limit is passed', async () => {
    const r = await upload(port, '/api/import', headers('application/zip'), {
      pieceBytes: 256 * 1024,
      pauseMs: 0,
      maxBytes: 4 * IMPORT_BODY_LIMIT_BYTES,
    });
    expectTooLarge(r);
    expect(r.sentWhenAnswered).toBeGreaterThan(IMPORT_BODY_LIMIT_BYTES);
    // The answer comes while the client is still sending: long before it would have stopped.
    expect(r.sentWhenAnswered).toBeLessThan(IMPORT_BODY_LIMIT_BYTES + 32 * MIB);
  }, 120_000);

  test('a JSON route declaring 100 MiB, sent slowly: 413 after a few KiB', async () => {
    const before = memory();
    const r = await upload(port, '/api/patients', headers('application/json'), {
      declared: 100 * MIB,
      pieceBytes: 4 * 1024,
      pauseMs: 20,
      maxBytes: 8 * MIB,
    });
    expectTooLarge(r);
    expect(r.sentWhenAnswered).toBeLessThan(256 * 1024);
    expect(memory() - before).toBeLessThan(16 * MIB);
  }, 60_000);

  test('a JSON route chunked, never ending: 413 soon after the 1 MiB limit is passed', async () => {
    const r = await upload(port, '/api/patients', headers('application/json'), {
      pieceBytes: 16 * 1024,
      pauseMs: 0,
      maxBytes: 256 * MIB,
    });
    expectTooLarge(r);
    expect(r.sentWhenAnswered).toBeGreaterThan(MIB);
    expect(r.sentWhenAnswered).toBeLessThan(16 * MIB);
  }, 60_000);
});

/** A real zip of the small folder whose patients.csv entry declares `size` bytes when unpacked. */
function zipDeclaring(size: number): Buffer {
  const zip = Buffer.from(
    zipSync(
      Object.fromEntries(Object.entries(SMALL_FOLDER).map(([n, t]) => [n, new TextEncoder().encode(t)])),
      { level: 0 },
    ),
  );
  // The central directory entry of patients.csv: signature PK\x01\x02, uncompressed size at offset 24.
  const name = Buffer.from('patients.csv');
  for (let at = zip.indexOf('PK\x01\x02'); at >= 0; at = zip.indexOf('PK\x01\x02', at + 4)) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.subarray(at + 46, at + 46 + nameLength).equals(name)) {
      zip.writeUInt32LE(size, at + 24);
      return zip;
    }
  }
  throw new Error('patients.csv not found in the zip');
}

describe('zip bombs', () => {
  test('an archive that would unpack past the limit is refused by name, before anything is unpacked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prrt-bomb-'));
    try {
      // Honest compression: 8 MiB of spaces in a tiny archive, against a 1 MiB limit.
      const honest = join(dir, 'honest.zip');
      writeFileSync(
        honest,
        zipSync({ 'patients.csv': new Uint8Array(8 * MIB).fill(0x20), 'courses.csv': new Uint8Array(10) }),
      );
      const r = await readExchangeFolder(honest, { maxUnzippedBytes: MIB });
      // The archive's own error, and (as for any unreadable archive) the required files it did not give.
      expect(r.ok ? [] : r.errors).toContainEqual({
        file: 'honest.zip',
        column: '',
        message: 'honest.zip would unpack to 8 MiB, more than the 1 MiB allowed: nothing was unpacked',
      });
      expect(r.ok ? [] : r.errors.filter((e) => e.line !== undefined)).toEqual([]);
      // The same archive within the default limit is unpacked and checked as usual.
      const within = await readExchangeFolder(honest);
      expect(within.ok ? [] : within.errors.map((e) => e.file)).toContain('patients.csv');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('POST /api/import of an archive declaring 4 GiB: 400 naming the archive; nothing stored or left behind', async () => {
    const h = await openHarness(testDatabases()[0]!);
    try {
      const signed = await h.sessionFor('clinician');
      const bomb = zipDeclaring(0xfff00000);
      const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('prrt-import-')).length;
      const before = { files: leftovers(), memory: memory() };
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/import?name=bomb.zip',
        headers: {
          cookie: signed.cookie,
          'x-csrf-token': signed.csrfToken,
          'content-type': 'application/zip',
        },
        payload: bomb,
      });
      expect(res.statusCode).toBe(400);
      const details = res.json<{ error: { details: { file: string; message: string }[] } }>().error.details;
      const own = details.filter((d) => d.file === 'bomb.zip');
      expect(own).toHaveLength(1);
      expect(own[0]!.message).toMatch(
        new RegExp(
          `^bomb\\.zip would unpack to 4095 MiB, more than the ${String(MAX_UNZIPPED_BYTES / MIB)} MiB allowed`,
        ),
      );
      // Nothing of the archive was read: the other errors only say which required files it did not give.
      for (const d of details.filter((x) => x.file !== 'bomb.zip')) expect(d.message).toMatch(/is missing/);
      expect(memory() - before.memory).toBeLessThan(64 * MIB);
      expect(leftovers()).toBe(before.files);
      expect((await loadCohort(h.store)).patients).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
