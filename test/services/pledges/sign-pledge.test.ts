import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPledgeTemplates } from '../../../src/content/pledge-templates.js';
import { AppError } from '../../../src/errors.js';
import { currentPledgeTemplate } from '../../../src/services/pledges/current-pledge-template.js';
import { seedPledgeTemplates } from '../../../src/services/pledges/seed-pledge-templates.js';
import { signPledge, type SignPledgeInput } from '../../../src/services/pledges/sign-pledge.js';
import { withdrawPledge } from '../../../src/services/pledges/withdraw-pledge.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos, inTransaction } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

let db: TestDatabase;
let classId: string;
let templates: { parent: string; student: string };
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction((tx) => seedDemoData(tx));
  const repo = createRepos(db.prisma).pledges;
  await seedPledgeTemplates(repo, loadPledgeTemplates());
  classId = (await db.prisma.class.findUniqueOrThrow({ where: { code: 'NTT-7A1' } })).id;
  templates = { parent: (await currentPledgeTemplate(repo, 'parent'))!.id, student: (await currentPledgeTemplate(repo, 'student'))!.id };
});
afterAll(async () => {
  await db?.drop();
});

/** A receipt-code source handing out the given codes in order, failing loudly when drawn once too often. */
function codes(...list: string[]): () => string {
  return () => {
    const next = list.shift();
    if (!next) throw new Error('drew more codes than the test expected');
    return next;
  };
}

const parent = (studentName: string, contactId: string, now = new Date()): SignPledgeInput => ({
  templateId: templates.parent,
  audience: 'parent',
  classId,
  studentName,
  parentName: 'Trần Văn Bình',
  contactId,
  now,
});
const student = (studentName: string, contactId: string, now = new Date()): SignPledgeInput => ({ ...parent(studentName, contactId, now), templateId: templates.student, audience: 'student', parentName: null });

describe('signing a pledge', () => {
  it('draws another receipt code when the drawn one is taken, and the turn transaction carries on', async () => {
    await signPledge(createRepos(db.prisma).pledges, parent('Ngô Thị Lan', 'c-first'), codes('CK-2222-2222'));
    const after = await inTransaction(db.prisma, async (repos) => {
      const out = await signPledge(repos.pledges, parent('Hồ Văn Nam', 'c-second'), codes('CK-2222-2222', 'CK-3333-3333'));
      // On PostgreSQL a unique violation would have aborted the transaction: this read would then fail.
      return { out, mine: await repos.pledges.listByContact('c-second') };
    });
    expect(after.out.ok && after.out.pledge.receiptCode).toBe('CK-3333-3333');
    expect(after.mine.map((p) => p.receiptCode)).toEqual(['CK-3333-3333']);
    expect((await db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: 'CK-2222-2222' } })).studentName).toBe('Ngô Thị Lan');
  });

  it('keeps the receipt code when the same contact signs again, and gives another signer a new one', async () => {
    const repo = createRepos(db.prisma).pledges;
    const first = await signPledge(repo, parent('Lý Minh Châu', 'c-mom'), codes('CK-4444-4444'));
    const again = await signPledge(repo, parent('Lý Minh Châu', 'c-mom'), codes());
    const other = await signPledge(repo, parent('Lý Minh Châu', 'c-dad'), codes('CK-5555-5555'));
    expect([first, again, other].map((r) => r.ok && [r.pledge.receiptCode, r.updated])).toEqual([
      ['CK-4444-4444', false],
      ['CK-4444-4444', true],
      ['CK-5555-5555', true],
    ]);
    expect(await db.prisma.pledge.count({ where: { studentName: 'Lý Minh Châu' } })).toBe(1);
  });

  it('stops with an error naming the code generator when every draw is taken, writing nothing', async () => {
    const repo = createRepos(db.prisma).pledges;
    const before = await db.prisma.pledge.count();
    const always = () => 'CK-2222-2222';
    const err = await signPledge(repo, parent('Đỗ Quang Khải', 'c-unlucky'), always).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('code generator');
    expect(await db.prisma.pledge.count()).toBe(before);
  });

  it('answers template_not_found for a template that does not exist', async () => {
    const out = await signPledge(createRepos(db.prisma).pledges, { ...parent('Mai Anh Thư', 'c-x'), templateId: '00000000-0000-0000-0000-000000000000' }, codes());
    expect(out).toEqual({ ok: false, reason: 'template_not_found' });
  });

  it('confirms the student pledge by a parent pledge, and withdrawing the parent pledge takes the confirmation back', async () => {
    const repo = createRepos(db.prisma).pledges;
    const kid = await signPledge(repo, student('Vũ Hoàng Long', 'c-kid'), codes('CK-6666-6666'));
    expect(kid.ok && kid.studentConfirmed).toBe(false);
    const mom = await signPledge(repo, parent('Vũ Hoàng Long', 'c-mom-long'), codes('CK-7777-7777'));
    expect(mom.ok && mom.studentConfirmed).toBe(true);
    expect((await db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: 'CK-6666-6666' } })).confirmedAt).not.toBeNull();

    expect(await withdrawPledge(repo, { contactId: 'c-kid', pledgeId: mom.ok ? mom.pledge.id : '', now: new Date() })).toEqual({ ok: false, reason: 'not_found' });
    const out = await withdrawPledge(repo, { contactId: 'c-mom-long', pledgeId: mom.ok ? mom.pledge.id : '', now: new Date() });
    expect(out.ok).toBe(true);
    expect((await db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: 'CK-6666-6666' } })).confirmedAt).toBeNull();
    expect(await withdrawPledge(repo, { contactId: 'c-mom-long', pledgeId: mom.ok ? mom.pledge.id : '', now: new Date() })).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('the pledge repository', () => {
  it('reports a taken receipt code or slot as a result instead of throwing', async () => {
    const repos = createRepos(db.prisma);
    const signed = await signPledge(repos.pledges, parent('Phan Gia Bảo', 'c-bao'), codes('CK-8888-8888'));
    if (!signed.ok) throw new Error('setup: the pledge was not signed');
    const slot = { campaignId: signed.pledge.campaignId, classId, studentKey: signed.pledge.studentKey, audience: 'parent' as const };
    const fields = { templateId: templates.parent, studentName: 'Phan Gia Bảo', parentName: null, contactId: 'c-other', consentAt: new Date(), confirmedAt: null };
    const otherSlot = { ...slot, studentKey: 'khac hoan toan' };
    expect(await repos.pledges.insert(otherSlot, { ...fields, receiptCode: 'CK-8888-8888' })).toEqual({ ok: false, reason: 'receipt_code_taken' });
    expect(await repos.pledges.insert(slot, { ...fields, receiptCode: 'CK-9999-9999' })).toEqual({ ok: false, reason: 'slot_taken' });
    const lan = await db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: 'CK-2222-2222' } });
    expect(await repos.pledges.update(lan.id, { ...fields, receiptCode: 'CK-8888-8888' })).toEqual({ ok: false, reason: 'receipt_code_taken' });
    expect(await db.prisma.pledge.count({ where: { receiptCode: { in: ['CK-9999-9999'] } } })).toBe(0);
  });
});
