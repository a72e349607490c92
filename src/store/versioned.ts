/** A stored record with what optimistic concurrency needs: its version and when it last changed. */
export interface Versioned<T> {
  readonly value: T;
  /** 1 when inserted; one more on every change. Pass it back to update or delete. */
  readonly version: number;
  /** ISO 8601 UTC. */
  readonly updatedAt: string;
}
