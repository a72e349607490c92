/** The PDF print queue: at most `limit` at once, the rest in order, and 503 beyond the waiting room. */
import { describe, expect, test } from 'vitest';
import { PrrtError } from '../errors.js';
import { RenderQueue } from './report-pdf.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('RenderQueue', () => {
  test('runs two at once, queues the next in order, refuses beyond the waiting limit', async () => {
    const queue = new RenderQueue(2, 2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(queue.running).toBe(2);
    expect(queue.queued).toBe(2);

    const refused = queue.run(() => Promise.resolve(99));
    await expect(refused).rejects.toThrow(PrrtError);
    await expect(refused).rejects.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });

    gates[1]!.open();
    expect(await runs[1]).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    expect(queue.running).toBe(2);

    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(queue.running).toBe(0);
    expect(queue.queued).toBe(0);
  });

  test('a failing task frees its place', async () => {
    const queue = new RenderQueue(1, 1);
    await expect(queue.run(() => Promise.reject(new Error('chromium crashed')))).rejects.toThrow('crashed');
    expect(queue.running).toBe(0);
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
  });
});
