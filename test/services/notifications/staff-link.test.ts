import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeStaffLinkCode } from '../../../src/content/staff-code.js';
import { createStaffLinkCode, LINK_CODE_TTL_MS } from '../../../src/services/notifications/create-staff-link-code.js';
import { linkStaffChat, LINK_TRIES } from '../../../src/services/notifications/link-staff-chat.js';
import { hashStaffLinkCode } from '../../../src/services/notifications/staff-link-keys.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { chatContact, LINK_KEY } from './fixtures.js';

let db: TestDatabase;
let repos: Repos;
const HOUR = 3600_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const staff = (email: string) => db.prisma.staffUser.findUniqueOrThrow({ where: { email } });

async function code(email: string, now = new Date()): Promise<string> {
  const out = await createStaffLinkCode(repos, LINK_KEY, { email, now });
  if (!out.ok) throw new Error(out.reason);
  return out.code;
}

describe('staff chat link codes (npm run staff:link)', () => {
  it('issues a code valid 24 hours and stores only its keyed hash', async () => {
    const now = new Date();
    const out = await createStaffLinkCode(repos, LINK_KEY, { email: ' Tin-Bao@Demo.Local ', now });
    expect(out).toMatchObject({ ok: true, code: expect.stringMatching(/^NV-[2-9BCFGHJKMNPQRSTVXZ]{3}-[2-9BCFGHJKMNPQRSTVXZ]{3}-[2-9BCFGHJKMNPQRSTVXZ]{3}$/), account: { role: 'tip_handler' } });
    if (!out.ok) return;
    expect(out.expiresAt.getTime() - now.getTime()).toBe(LINK_CODE_TTL_MS);
    const row = await staff('tin-bao@demo.local');
    expect(row.linkCodeHash).toBe(hashStaffLinkCode(LINK_KEY, out.code));
    expect(JSON.stringify(row)).not.toContain(out.code.slice(3, 6));
    expect(await createStaffLinkCode(repos, LINK_KEY, { email: 'nobody@demo.local', now })).toEqual({ ok: false, reason: 'unknown_account' });
  });

  it('links the contact that sends it, once: another contact is told it was used; the same one again is fine', async () => {
    const c = await code('admin@demo.local');
    const first = await chatContact(db.prisma, 'link-first');
    const second = await chatContact(db.prisma, 'link-second');
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: first.id, typed: `nv ${c.slice(3).toLowerCase().replace(/-/g, ' ')}`, now: new Date() })).toMatchObject({ ok: true, role: 'admin' });
    expect((await staff('admin@demo.local')).chatContactId).toBe(first.id);
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: second.id, typed: c, now: new Date() })).toEqual({ ok: false, reason: 'used' });
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: first.id, typed: c, now: new Date() })).toMatchObject({ ok: true });
    expect((await staff('admin@demo.local')).chatContactId).toBe(first.id);
  });

  it('refuses an expired code and a code replaced by a newer one', async () => {
    const old = await code('gv.6a1@demo.local');
    const contact = await chatContact(db.prisma, 'link-late');
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: old, now: new Date(Date.now() + LINK_CODE_TTL_MS + 1) })).toEqual({ ok: false, reason: 'expired' });
    const fresh = await code('gv.6a1@demo.local');
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: old, now: new Date() })).toEqual({ ok: false, reason: 'unknown' });
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: fresh, now: new Date() })).toMatchObject({ ok: true });
  });

  it('moves a chat to the account it links last (a chat reaches one account)', async () => {
    const contact = await chatContact(db.prisma, 'link-move');
    await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: await code('tin-bao@demo.local'), now: new Date() });
    await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: await code('tin-bao.phong@demo.local'), now: new Date() });
    expect((await staff('tin-bao@demo.local')).chatContactId).toBeNull();
    expect((await staff('tin-bao.phong@demo.local')).chatContactId).toBe(contact.id);
  });

  it(`limits wrong codes to ${LINK_TRIES.limit} an hour per contact, right or not, and text not shaped like a code costs nothing`, async () => {
    const now = new Date(Math.floor(Date.now() / HOUR) * HOUR + 60_000);
    const right = await code('tin-bao@demo.local', now);
    const guesser = await chatContact(db.prisma, 'link-guesser');
    const other = await chatContact(db.prisma, 'link-other');
    for (let i = 0; i < 10; i++) expect(await linkStaffChat(repos, LINK_KEY, { contactId: guesser.id, typed: 'NV 123', now })).toEqual({ ok: false, reason: 'malformed' });
    for (let i = 0; i < LINK_TRIES.limit; i++) {
      const wrong = normalizeStaffLinkCode(`NV${'BCFGHJKMN'.slice(0, 8)}${'PQRSTVXZ2'[i]}`)!;
      expect(await linkStaffChat(repos, LINK_KEY, { contactId: guesser.id, typed: wrong, now })).toEqual({ ok: false, reason: 'unknown' });
    }
    const blocked = await linkStaffChat(repos, LINK_KEY, { contactId: guesser.id, typed: right, now });
    expect(blocked).toEqual({ ok: false, reason: 'rate_limited', retryAt: new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR) });
    expect((await staff('tin-bao@demo.local')).linkCodeExpiresAt).not.toBeNull();
    // Another contact is not held up by this one's guesses; the guesser may try again in the next hour.
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: other.id, typed: normalizeStaffLinkCode('NVZZZZZZZZZ')!, now })).toEqual({ ok: false, reason: 'unknown' });
    expect(await linkStaffChat(repos, LINK_KEY, { contactId: guesser.id, typed: right, now: new Date(now.getTime() + HOUR) })).toMatchObject({ ok: true });
  });
});
