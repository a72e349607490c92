/**
 * The primary process of `prrt serve --workers N`: forks N workers that run the same command and
 * share its port (node:cluster hands out the connections), restarts a worker that stops
 * unexpectedly after a growing pause, and on SIGINT or SIGTERM asks every worker to stop and waits
 * for them. Nothing a request depends on lives in one worker only: sessions, the audit trail and the
 * change stamps that derived caches check are in the database.
 */
import cluster, { type Worker } from 'node:cluster';

export interface WorkerPoolOptions {
  readonly count: number;
  /** Called once, when every worker of the first generation listens, with the shared port. */
  readonly announce: (port: number) => void;
  /** Messages for the operator; standard error by default. */
  readonly report?: (line: string) => void;
  /** The first pause before a restart, doubled for each quick failure in a row. Default 1 s. */
  readonly restartDelayMs?: number;
  /** The longest pause before a restart. Default 30 s. */
  readonly maxRestartDelayMs?: number;
  /** A worker that ran this long before it stopped counts as healthy. Default 60 s. */
  readonly healthyAfterMs?: number;
  /** How long workers may take to stop before they are killed. Default 30 s. */
  readonly stopTimeoutMs?: number;
}

/**
 * Runs the workers until a signal stops them; resolves with the exit status: 0 after a clean stop,
 * 1 when the first workers failed to start (nothing would ever answer).
 */
export function runWorkerPool(options: WorkerPoolOptions): Promise<number> {
  const report = options.report ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const baseDelay = options.restartDelayMs ?? 1000;
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const healthyAfter = options.healthyAfterMs ?? 60_000;
  const stopTimeout = options.stopTimeoutMs ?? 30_000;

  return new Promise((resolve) => {
    const live = new Map<Worker, { startedAt: number; listening: boolean }>();
    const restarts = new Set<NodeJS.Timeout>();
    let announced = false;
    let quickFailures = 0;
    let stopping = false;
    let exitCode = 0;
    let killTimer: NodeJS.Timeout | undefined;

    const fork = (): void => {
      live.set(cluster.fork(), { startedAt: Date.now(), listening: false });
    };

    const onListening = (worker: Worker, address: { port: number }): void => {
      const state = live.get(worker);
      if (state === undefined) return;
      state.listening = true;
      if (!announced && [...live.values()].filter((s) => s.listening).length >= options.count) {
        announced = true;
        options.announce(address.port);
      }
    };

    const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
      const state = live.get(worker);
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) finish();
        return;
      }
      const how = signal === null ? `exit status ${String(code)}` : `signal ${signal}`;
      if (!announced) {
        report(`worker ${worker.id} (pid ${String(worker.process.pid)}) failed at start (${how}): stopping`);
        exitCode = 1;
        stop();
        return;
      }
      const ranFor = Date.now() - (state?.startedAt ?? 0);
      quickFailures = ranFor >= healthyAfter ? 1 : quickFailures + 1;
      const delay = Math.min(maxDelay, baseDelay * 2 ** (quickFailures - 1));
      report(
        `worker ${worker.id} (pid ${String(worker.process.pid)}) stopped unexpectedly (${how}); ` +
          `starting another in ${delay / 1000} s`,
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork();
      }, delay);
      restarts.add(timer);
    };

    const stop = (signal?: NodeJS.Signals): void => {
      if (signal !== undefined) report(`${signal}: stopping`);
      if (stopping) return;
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      if (live.size === 0) {
        finish();
        return;
      }
      for (const worker of live.keys()) worker.process.kill('SIGTERM');
      killTimer = setTimeout(() => {
        report(`workers still running after ${stopTimeout / 1000} s: killing them`);
        for (const worker of live.keys()) worker.process.kill('SIGKILL');
      }, stopTimeout);
    };

    const onSignal = (signal: NodeJS.Signals): void => {
      stop(signal);
    };

    function finish(): void {
      if (killTimer !== undefined) clearTimeout(killTimer);
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(exitCode);
    }

    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    for (let i = 0; i < options.count; i++) fork();
  });
}
