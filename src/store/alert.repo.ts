import type { Db } from './database.js';

/** Operator alerts (one open alert per kind), shown in the console and on /metrics. */
export class AlertRepo {
  constructor(private readonly db: Db) {}

  /**
   * Opens an alert of this kind, or updates the message of the one already open. `coarse` stores its time to the
   * hour: an urgent-tip alert opened at the exact moment of a tip would date the tipster's turn (README "Anonymous tips").
   */
  async raise(kind: string, message: string, opts: { coarse?: boolean; now?: Date } = {}): Promise<void> {
    const open = await this.db.systemAlert.findFirst({ where: { kind, resolvedAt: null }, select: { id: true } });
    if (open) await this.db.systemAlert.update({ where: { id: open.id }, data: { message } });
    else await this.db.systemAlert.create({ data: { kind, message, createdAt: stamp(opts) } });
  }

  /** Closes the open alert of this kind, if any (`coarse`: at the hour, as for `raise`). */
  async resolve(kind: string, opts: { coarse?: boolean; now?: Date } = {}): Promise<void> {
    await this.db.systemAlert.updateMany({ where: { kind, resolvedAt: null }, data: { resolvedAt: stamp(opts) } });
  }

  /** Open alerts, newest first. */
  async open(): Promise<{ kind: string; message: string; createdAt: Date }[]> {
    return this.db.systemAlert.findMany({ where: { resolvedAt: null }, orderBy: { createdAt: 'desc' }, select: { kind: true, message: true, createdAt: true } });
  }
}

function stamp(opts: { coarse?: boolean; now?: Date }): Date {
  const now = opts.now ?? new Date();
  return opts.coarse ? new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000) : now;
}
