import { EventEmitter } from 'node:events';

export type SignalName = 'inbox' | 'outbox' | 'processed' | 'delivered';

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
}
