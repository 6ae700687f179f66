import { EventEmitter } from 'node:events';

/** `broadcast`: a broadcast was created, approved or is due (the expander looks at once). */
export type SignalName = 'inbox' | 'outbox' | 'processed' | 'delivered' | 'broadcast';

/**
 * In-process wake-ups between the HTTP edge, the worker and the dispatcher. They only shorten waits:
 * every loop also polls the database, so replicas (which do not share these signals) still make progress.
 */
export class Signals {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Tells waiters that something changed. */
  emit(name: SignalName): void {
    this.emitter.emit(name);
  }

  /** Resolves on the next signal of that name or after `ms`, whichever comes first. */
  wait(name: SignalName, ms: number, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(name, done);
        abort?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.on(name, done);
      abort?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * A waiter for one loop that remembers a signal sent while the loop was busy: its next `wait` then returns at once
   * instead of sleeping until the poll interval.
   */
  latch(name: SignalName): Latch {
    let pending = false;
    let wake: (() => void) | undefined;
    const onSignal = () => {
      pending = true;
      wake?.();
    };
    this.emitter.on(name, onSignal);
    return {
      wait: (ms, abort) =>
        new Promise<boolean>((resolve) => {
          if (pending || abort?.aborted) {
            const signalled = pending;
            pending = false;
            return resolve(signalled);
          }
          const done = () => {
            clearTimeout(timer);
            abort?.removeEventListener('abort', done);
            wake = undefined;
            const signalled = pending;
            pending = false;
            resolve(signalled);
          };
          const timer = setTimeout(done, ms);
          wake = done;
          abort?.addEventListener('abort', done, { once: true });
        }),
      close: () => {
        this.emitter.off(name, onSignal);
        wake?.();
      },
    };
  }
}

/** See `Signals.latch`. */
export interface Latch {
  /** Resolves at once if signalled since the last wait, else on the next signal or after `ms`; true if a signal ended it. */
  wait(ms: number, abort?: AbortSignal): Promise<boolean>;
  /** Stops listening (and releases a pending wait). */
  close(): void;
}
