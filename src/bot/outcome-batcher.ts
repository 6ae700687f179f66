import type { DeliveryResult } from '../store/outbox.repo.js';

/** The outcomes of finished sends, as one write takes them; returns the ids it recorded (lease still held). */
export type RecordMany = (outcomes: { id: bigint; result: DeliveryResult }[]) => Promise<bigint[]>;

interface Waiting {
  id: bigint;
  result: DeliveryResult;
  resolve: (recorded: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for send outcomes: sends that finish together are recorded by one statement. One write runs at a time;
 * outcomes that finish meanwhile go together in the next write as soon as it ends, so a lone outcome is written at
 * once (on the next turn of the event loop) and a saturated dispatcher costs one statement per batch, not per send.
 */
export class OutcomeBatcher {
  private queue: Waiting[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    private readonly write: RecordMany,
    private readonly maxBatch = 200,
  ) {}

  /** Resolves once the outcome is written: true if recorded, false if the lease was lost; rejects with the write's error. */
  record(id: bigint, result: DeliveryResult): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id, result, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate: outcomes that finish in this turn of the loop join the write.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    const batch = this.queue.slice(0, this.maxBatch);
    this.queue = this.queue.slice(batch.length);
    try {
      const recorded = new Set((await this.write(batch.map(({ id, result }) => ({ id, result })))).map(String));
      for (const w of batch) w.resolve(recorded.has(String(w.id)));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.writing = false;
      this.schedule();
    }
  }
}
