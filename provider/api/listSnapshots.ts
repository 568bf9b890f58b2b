/**
 * The client's shared snapshots of the credentials list: concurrent reads share one scan, a
 * completed scan serves reads for a short time unless the client wrote since, and a miss in an
 * older snapshot is confirmed by one fresh scan before a credential is reported gone.
 */
import type { Credential } from "../contract/wire";
import type { Clock } from "../common/clock";

/** Options of a read: how old the data it is answered from may be. */
export interface ReadOptions {
  /**
   * Only answer from a list scan that started at or after this time (ms since epoch). Use
   * `fresh: true` for a read by the client's own clock; omit both to accept the shared snapshot.
   */
  notOlderThan?: number;
  /** Only answer from a list scan started by this call or later (the client's clock): for decisions. */
  fresh?: boolean;
}

interface Snapshot {
  startedAt: number;
  /** How many writes the client had completed when the scan started. */
  writes: number;
  promise: Promise<Credential[]>;
  /** True for a scan started to confirm misses; its misses are final. */
  confirmation?: boolean;
  /** The scan confirming misses in this snapshot, once one was needed. */
  confirmedBy?: Promise<Credential[]>;
}

/** The snapshots of one client; `scan` reads the whole list. */
export class ListSnapshots {
  private snapshot?: Snapshot;
  /**
   * Writes completed by the client; a snapshot started before the latest one is stale. A count,
   * not a time: a scan and a write within the same millisecond must still be ordered.
   */
  private writes = 0;

  constructor(
    private readonly scan: () => Promise<Credential[]>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Records a completed (or possibly applied) write: later reads need a newer scan. */
  markWrite(): void {
    this.writes++;
  }

  /** Every credential, from a snapshot as fresh as `options` asks. */
  all(options: ReadOptions): Promise<Credential[]> {
    return this.snapshotFor(options).promise;
  }

  /** The credential with this id; a miss in a snapshot older than this call is confirmed first. */
  async findById(id: string, options: ReadOptions): Promise<Credential | undefined> {
    const requestedAt = this.clock.now();
    const snapshot = this.snapshotFor(options);
    const hit = (await snapshot.promise).find((c) => c.id === id);
    if (hit || snapshot.startedAt >= requestedAt || snapshot.confirmation) return hit;
    snapshot.confirmedBy ??= (() => {
      const confirm = this.startScan(this.clock.now());
      confirm.confirmation = true;
      return confirm.promise;
    })();
    return (await snapshot.confirmedBy).find((c) => c.id === id);
  }

  private snapshotFor(options: ReadOptions): Snapshot {
    const now = this.clock.now();
    const floor = options.fresh ? now : (options.notOlderThan ?? now - this.ttlMs);
    const s = this.snapshot;
    if (s && s.startedAt >= floor && s.writes === this.writes) return s;
    return this.startScan(now);
  }

  private startScan(startedAt: number): Snapshot {
    const promise = this.scan();
    const snapshot: Snapshot = { startedAt, writes: this.writes, promise };
    this.snapshot = snapshot;
    promise.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    return snapshot;
  }
}
