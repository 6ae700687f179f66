import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { laneKeyOf } from '../../../src/bot/log-keys.js';
import { TurnProcessor } from '../../../src/bot/turn-processor.js';
import { loadCatalogue } from '../../../src/content/catalogue.js';
import { createFlowEngine } from '../../../src/flows/index.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { SCHOOL_LIST_TTL_MS, SchoolListCache } from '../../../src/store/directory.repo.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { testTips } from '../../helpers/tips.js';

let db: TestDatabase;
let repos: Repos;
let clock = Date.now();
const schools = new SchoolListCache(SCHOOL_LIST_TTL_MS, () => clock);
let processor: TurnProcessor;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
  repos = createRepos(db.prisma);
  processor = new TurnProcessor({ prisma: db.prisma, engine: createFlowEngine({ ttlHours: 24 }), catalogue: loadCatalogue(), log: pino({ level: 'silent' }), tips: testTips(db.prisma), teacherInviteKey: randomBytes(32), schools });
});
afterAll(async () => {
  await db?.drop();
});

/** Stores one message of `userId`, runs its turn and returns the texts and button titles of the replies. */
async function say(userId: string, input: { kind: 'text'; text: string } | { kind: 'payload'; payload: string }): Promise<string[]> {
  await repos.inbox.insertMany([{ channel: 'simulator', accountId: 'zalo', dedupeKey: `turn-${seq++}`, laneKey: laneKeyOf('simulator', 'zalo', userId), payload: { userId, input } }]);
  const [event] = await repos.inbox.claim('test', 1, 60);
  if (!event) throw new Error('nothing claimed');
  const result = await processor.process(event, 'test');
  expect(result.ok).toBe(true);
  const rows = await db.prisma.delivery.findMany({ where: { inboundEventId: event.id }, orderBy: { id: 'asc' } });
  return rows.flatMap((r) => {
    const m = r.message as { text?: string; buttons?: { title: string }[] };
    return [m.text ?? '', ...(m.buttons ?? []).map((b) => b.title)];
  });
}

async function schoolPrompt(userId: string): Promise<string[]> {
  await say(userId, { kind: 'text', text: 'xin chào' });
  return say(userId, { kind: 'payload', payload: 'ROLE:parent' });
}

async function addSchool(name: string, code: string): Promise<void> {
  const office = await db.prisma.office.findFirstOrThrow();
  await db.prisma.school.create({ data: { officeId: office.id, code, name, level: 'thcs' } });
}

describe('turns', () => {
  it('shows onboarding a school added after the list was read once the list is older than its TTL', async () => {
    expect(await schoolPrompt('cache-1')).not.toContain('Trường THCS Mới Mở');
    await addSchool('Trường THCS Mới Mở', 'MOI');
    clock += SCHOOL_LIST_TTL_MS - 1;
    expect(await schoolPrompt('cache-2')).not.toContain('Trường THCS Mới Mở');
    clock += 1;
    expect(await schoolPrompt('cache-3')).toContain('Trường THCS Mới Mở');
  });

  it('shows a new school at once when the school list is invalidated', async () => {
    expect(await schoolPrompt('cache-4')).not.toContain('Trường THCS Vừa Thêm');
    await addSchool('Trường THCS Vừa Thêm', 'VUA');
    schools.invalidate();
    expect(await schoolPrompt('cache-5')).toContain('Trường THCS Vừa Thêm');
  });

  it('runs a known contact’s ordinary turn without a transaction and stores its profile change and touch', async () => {
    await say('no-tx', { kind: 'text', text: 'xin chào' });
    const spy = vi.spyOn(db.prisma, '$transaction');
    try {
      await say('no-tx', { kind: 'payload', payload: 'ROLE:parent' });
      const linked = await say('no-tx', { kind: 'text', text: 'NTT-6A1' });
      expect(linked.join('\n')).toContain('lớp 6A1 – Trường THCS Nguyễn Thị Thập');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    const contact = await db.prisma.contact.findFirstOrThrow({ where: { userId: 'no-tx' }, include: { class: true } });
    expect([contact.role, contact.class?.code]).toEqual(['parent', 'NTT-6A1']);
    const last = await db.prisma.inboundEvent.findFirstOrThrow({ where: { laneKey: laneKeyOf('simulator', 'zalo', 'no-tx') }, orderBy: { id: 'desc' } });
    expect(contact.lastInteractionAt?.getTime()).toBeGreaterThanOrEqual(last.receivedAt.getTime());
  });

  it('runs a turn that writes before its end (a tip) in a transaction, leaving the contact’s times as they were', async () => {
    await say('tx', { kind: 'text', text: 'xin chào' });
    const before = await db.prisma.contact.findFirstOrThrow({ where: { userId: 'tx' } });
    const spy = vi.spyOn(db.prisma, '$transaction');
    try {
      await say('tx', { kind: 'payload', payload: 'FLOW:tip' });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    const after = await db.prisma.contact.findFirstOrThrow({ where: { userId: 'tx' } });
    expect([after.lastInteractionAt, after.updatedAt]).toEqual([before.lastInteractionAt, before.updatedAt]);
  });
});
