/**
 * The reading side of `prrt import`, run in a worker thread (`folder-import.ts`): it reads and checks
 * the exchange folder in one streaming pass and posts the valid rows, a piece of a file at a time, as
 * JSON text (each row encoded as it is read), while the main thread writes them. It waits for the main
 * thread's acknowledgements so that at most a few pieces are ever on their way.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PrrtError } from '../errors.js';
import { readExchangeFolderStream } from '../interop/exchange-folder/index.js';
import type { FromReader } from './folder-import.js';
import { encodingSink } from './rows-sink.js';

/** Pieces posted and not yet written. */
const IN_FLIGHT = 2;

interface Task {
  readonly path: string;
}

const port = parentPort!;
const task = workerData as Task;
const post = (message: FromReader) => {
  port.postMessage(message);
};

let inFlight = 0;
let waiting: (() => void) | null = null;
// The only message the main thread sends: a piece has been written (`ToReader`).
port.on('message', () => {
  inFlight--;
  const wake = waiting;
  waiting = null;
  wake?.();
});

try {
  const result = await readExchangeFolderStream(task.path, {
    onProgress: (bytes, total) => {
      post({ t: 'progress', bytes, total });
    },
    rowSink: encodingSink(async (part, rows) => {
      inFlight++;
      post({ t: 'rows', part, rows });
      while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (waiting = resolve));
    }),
  });
  post({ t: 'done', result });
} catch (error) {
  post(
    error instanceof PrrtError
      ? { t: 'failed', kind: error.kind, message: error.message, details: [...error.details] }
      : {
          t: 'failed',
          kind: null,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        },
  );
}
// Nothing more to wait for: the worker ends once its last message is out.
port.removeAllListeners('message');
port.unref();
