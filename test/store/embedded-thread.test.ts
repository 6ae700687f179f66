import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { applyMigrations } from '../../src/store/migrator.js';
import { PG_URL } from '../helpers/db.js';

// The embedded database in its own thread (src/store/embedded): what Prisma sees must be what it saw in-process.
describe.skipIf(PG_URL)('embedded database thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'embedded', dir: 'memory' });
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the event loop free while the database works', async () => {
    const order: string[] = [];
    const query = db.prisma.$queryRawUnsafe('SELECT count(*) FROM generate_series(1, 3000000)').then(() => order.push('query'));
    // In-process PGlite runs the whole query synchronously: this timer could only fire after the query resolved.
    await new Promise((r) => setTimeout(r, 1)).then(() => order.push('timer'));
    await query;
    expect(order).toEqual(['timer', 'query']);
  });

  it('reports a unique violation as Prisma does (P2002)', async () => {
    await db.prisma.office.create({ data: { code: 'dup', name: 'A' } });
    await expect(db.prisma.office.create({ data: { code: 'dup', name: 'B' } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('commits a transaction that returns and rolls back one that throws', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.office.create({ data: { code: 'kept', name: 'kept' } });
    });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.office.create({ data: { code: 'gone', name: 'gone' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const codes = (await db.prisma.office.findMany({ where: { code: { in: ['kept', 'gone'] } } })).map((o) => o.code);
    expect(codes).toEqual(['kept']);
  });

  it('keeps what was written once closed, for the next start on the same folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pglite-thread-'));
    const first = await openDatabase({ kind: 'embedded', dir });
    await applyMigrations(first);
    await first.prisma.office.create({ data: { code: 'persisted', name: 'Phòng GD&ĐT' } });
    await first.close();
    const second = await openDatabase({ kind: 'embedded', dir });
    try {
      expect(await second.prisma.office.findUnique({ where: { code: 'persisted' } })).toMatchObject({ name: 'Phòng GD&ĐT' });
    } finally {
      await second.close();
    }
  });
});
