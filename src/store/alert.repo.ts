import type { Db } from './database.js';

/** Operator alerts (one open alert per kind), shown in the console and on /metrics. */
export class AlertRepo {
  constructor(private readonly db: Db) {}

  /** Opens an alert of this kind, or updates the message of the one already open. */
  async raise(kind: string, message: string): Promise<void> {
    const open = await this.db.systemAlert.findFirst({ where: { kind, resolvedAt: null }, select: { id: true } });
    if (open) await this.db.systemAlert.update({ where: { id: open.id }, data: { message } });
    else await this.db.systemAlert.create({ data: { kind, message } });
  }

  /** Closes the open alert of this kind, if any. */
  async resolve(kind: string): Promise<void> {
    await this.db.systemAlert.updateMany({ where: { kind, resolvedAt: null }, data: { resolvedAt: new Date() } });
  }

  /** Open alerts, newest first. */
  async open(): Promise<{ kind: string; message: string; createdAt: Date }[]> {
    return this.db.systemAlert.findMany({ where: { resolvedAt: null }, orderBy: { createdAt: 'desc' }, select: { kind: true, message: true, createdAt: true } });
  }
}
