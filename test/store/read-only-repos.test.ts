import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadOnlyRepos, createRepos, WriteNeedsTransaction } from '../../src/store/repos.js';
import { seedDemoData } from '../../src/store/demo-seed.repo.js';
import { forecastReach } from '../../src/services/broadcasts/forecast-reach.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

describe('read-only repositories', () => {
  it('read through models and plain SELECTs', async () => {
    let writes = 0;
    const repos = createReadOnlyRepos(db.prisma, () => writes++);
    expect((await repos.directory.listSchools()).length).toBeGreaterThan(0);
    expect((await repos.directory.findClassByCode('ntt-6a1'))?.name).toBe('6A1');
    expect(await repos.turns.read({ channel: 'simulator', accountId: 'zalo', userId: 'nobody' })).toBeNull();
    // A statement led by WITH that only reads (the reach forecast's counts) is a read too.
    const school = (await repos.directory.listSchools())[0]!;
    const forecast = await forecastReach(repos, { schoolIds: [school.id], classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: true }, new Date(), { zaloQuietHours: { start: 22, end: 6 } });
    expect(forecast.people).toBe(0);
    expect(writes).toBe(0);
  });

  it('refuse every write before it reaches the database, and say so', async () => {
    let writes = 0;
    const repos = createReadOnlyRepos(db.prisma, () => writes++);
    const who = { channel: 'simulator', accountId: 'zalo', userId: 'guarded' };
    // A model write, a raw statement that writes, and one that locks rows.
    await expect(repos.conversations.save('no-such-contact', null)).rejects.toBeInstanceOf(WriteNeedsTransaction);
    await expect(repos.turns.start(who, new Date(), new Date())).rejects.toBeInstanceOf(WriteNeedsTransaction);
    await expect(repos.inbox.claim('w', 1, 60)).rejects.toBeInstanceOf(WriteNeedsTransaction);
    expect(writes).toBe(3);
    // With the direct path too: the turn's read takes it, its writes still meet the guard.
    const direct = createReadOnlyRepos(db.prisma, () => writes++, { direct: db.direct });
    expect(await direct.turns.read(who)).toBeNull();
    await expect(direct.turns.start(who, new Date(), new Date())).rejects.toBeInstanceOf(WriteNeedsTransaction);
    await expect(direct.outbox.claim('w', 1, 60, 'simulator')).rejects.toBeInstanceOf(WriteNeedsTransaction);
    expect(writes).toBe(5);
    expect(await db.prisma.contact.count({ where: { userId: 'guarded' } })).toBe(0);
    // The same repositories over the client write.
    await createRepos(db.prisma).turns.start(who, new Date(), new Date());
    expect(await db.prisma.contact.count({ where: { userId: 'guarded' } })).toBe(1);
  });
});
