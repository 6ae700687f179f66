import { studentKey } from '../../../src/content/person-name.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts } from '../../../src/services/broadcasts/expand-broadcast.js';
import { createRepos, inTransaction } from '../../../src/store/repos.js';
import type { ConsoleApp } from './console-app.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** What `seedConsoleFigures` wrote, with the figures the pages must show for it. */
export interface SeededFigures {
  campaign: { id: string; title: string };
  /** Class names of the world's classes. */
  classNames: { own: string; sameSchool: string; foreign: string };
  schoolNames: { own: string; sibling: string; foreign: string };
  /** Tip codes and ids: an urgent one nobody acknowledged of each place, and others. */
  tips: {
    ownUrgent: { id: string; code: string };
    siblingUrgent: { id: string; code: string };
    noSchoolUrgent: { id: string; code: string };
    foreignUrgent: { id: string; code: string };
    ownOther: string[];
  };
  broadcastCode: string;
  groupName: string;
  /** A name on the own class's roster: a pupil's name never shows on the dashboard. */
  pupilName: string;
}

let seq = 0;

/**
 * Fills the console world (test/admin/helpers/console-app.ts) with what the dashboard and the report count: rosters
 * and pledges of the active demo campaign in the own, sibling and foreign schools, tips (urgent ones nobody
 * acknowledged in each place, one naming no school), a broadcast to the own school expanded through the real
 * services with some rows sent, a Zalo token near its expiry, webhooks, a send waiting on the rate limit, an alert
 * and an unhealthy Zalo group. All inside the test's clock: a day before it at most.
 *
 * Own school NTT: 6A1 roster 6 (the demo's; parents 2 on the roster + 1 outside it, a withdrawn one, students 1),
 * 6A2 roster 2 (students 1); sibling school TP: its first class roster 3 (parents 1); foreign: roster 2 (parents 1).
 */
export async function seedConsoleFigures(c: ConsoleApp): Promise<SeededFigures> {
  const p = c.testDb.prisma;
  const w = c.world;
  const now = c.clock.now();
  const campaign = await p.campaign.findFirstOrThrow({ where: { active: true }, orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }], select: { id: true, title: true } });
  const [own, sameSchool, foreign] = await Promise.all([w.classes.own, w.classes.sameSchool, w.classes.foreign].map((k) => p.class.findUniqueOrThrow({ where: { id: k.id } })));
  const siblingClass = await p.class.findFirstOrThrow({ where: { schoolId: w.schools.sibling.id }, orderBy: { name: 'asc' } });
  const [ownSchool, siblingSchool, foreignSchool] = await Promise.all([w.schools.own, w.schools.sibling, w.schools.foreign].map((s) => p.school.findUniqueOrThrow({ where: { id: s.id } })));

  // The demo seeds a roster of six for NTT-6A1 (src/services/pledges/seed-pledge-templates.ts): these four are in it.
  const roster = (classId: string, names: string[]) =>
    p.rosterEntry.createMany({ data: names.map((studentName) => ({ classId, studentName, studentKey: studentKey(studentName) })), skipDuplicates: true });
  await roster(own!.id, ['Trần Bảo Ngọc', 'Nguyễn Minh An', 'Lê Gia Huy', 'Phạm Thu Hà']);
  await roster(sameSchool!.id, ['Hoàng Thị Mơ', 'Đỗ Văn Khoa']);
  await roster(siblingClass.id, ['Bùi Văn Tí', 'Vũ Thị Lan', 'Mai Văn Cường']);
  await roster(foreign!.id, ['Đinh Thị Hoa', 'Lý Văn Nam']);

  const pledge = async (schoolId: string, classId: string, name: string, audience: 'parent' | 'student', withdrawn = false) => {
    seq += 1;
    await p.pledge.create({
      data: {
        campaignId: campaign.id, templateId: 't', audience, schoolId, classId, studentName: name, studentKey: studentKey(name), contactId: null,
        receiptCode: `CK-C${String(seq).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        consentAt: new Date(now.getTime() - 2 * 3600_000), withdrawnAt: withdrawn ? new Date(now.getTime() - 3600_000) : null,
      },
    });
  };
  await pledge(ownSchool!.id, own!.id, 'Nguyễn Minh An', 'parent');
  await pledge(ownSchool!.id, own!.id, 'Lê Gia Huy', 'parent');
  await pledge(ownSchool!.id, own!.id, 'Người Ngoài Danh Sách', 'parent');
  await pledge(ownSchool!.id, own!.id, 'Nguyễn Minh An', 'student');
  await pledge(ownSchool!.id, own!.id, 'Phạm Thu Hà', 'parent', true);
  await pledge(ownSchool!.id, sameSchool!.id, 'Hoàng Thị Mơ', 'student');
  await pledge(siblingSchool!.id, siblingClass.id, 'Bùi Văn Tí', 'parent');
  await pledge(foreignSchool!.id, foreign!.id, 'Đinh Thị Hoa', 'parent');

  const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
  const tip = async (code: string, schoolId: string | null, o: { urgent?: boolean; status?: string; outcome?: string; category?: string; hoursAgo?: number } = {}) => {
    const createdAt = new Date(Math.floor((now.getTime() - (o.hoursAgo ?? 3) * 3600_000) / 3600_000) * 3600_000);
    const t = await p.tip.create({
      data: {
        publicCode: code, pinHash: 'x', category: o.category ?? 'drugs', urgent: o.urgent ?? false, status: o.status ?? 'new', outcome: o.outcome ?? null, schoolId,
        descriptionCipher: 'v1.BI-MAT-KHONG-DUOC-HIEN', createdAt, closedAt: o.status === 'closed' ? new Date(now.getTime() - 3600_000) : null,
      },
    });
    return { id: t.id, code };
  };
  const tips = {
    ownUrgent: await tip(`TB-U1${tag}`, ownSchool!.id, { urgent: true, category: 'school_violence', hoursAgo: 5 }),
    siblingUrgent: await tip(`TB-U2${tag}`, siblingSchool!.id, { urgent: true }),
    noSchoolUrgent: await tip(`TB-U3${tag}`, null, { urgent: true, category: 'online_scam' }),
    foreignUrgent: await tip(`TB-U4${tag}`, foreignSchool!.id, { urgent: true }),
    ownOther: [
      (await tip(`TB-O1${tag}`, ownSchool!.id, { category: 'theft' })).code,
      (await tip(`TB-O2${tag}`, ownSchool!.id, { status: 'closed', outcome: 'spam', category: 'other', hoursAgo: 20 })).code,
    ],
  };

  // Contacts of the own school: two parents of 6A1 on Zalo, a student of 6A1 on Messenger, a parent of 6A2.
  const contact = async (classId: string, channel = 'zalo', role = 'parent') =>
    (await p.contact.create({ data: { channel, accountId: 'acc', userId: `u${tag}${++seq}`, role, schoolId: ownSchool!.id, classId, subscribed: true, lastInteractionAt: new Date(now.getTime() - DAY) } })).id;
  const people = [await contact(own!.id), await contact(own!.id), await contact(own!.id, 'messenger', 'student'), await contact(sameSchool!.id)];
  const groupName = `Nhóm Zalo ${own!.name} (kiểm thử)`;
  await p.zaloGroup.create({ data: { id: `g${tag}`, accountId: 'oa', name: groupName, classId: own!.id, health: 'disabled', healthCode: '-237', healthAt: new Date(now.getTime() - 3 * 3600_000) } });

  const repos = createRepos(p);
  const sendAt = new Date(now.getTime() - DAY);
  const made = await createBroadcast(
    repos,
    { audience: { schoolIds: [ownSchool!.id], classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false }, messages: [{ type: 'text', text: 'Họp phụ huynh lúc 19:00 thứ Sáu.' }], sendAt, author: { kind: 'staff', staffId: w.accounts.admin.id } },
    sendAt,
  );
  if (!made.ok) throw new Error(`broadcast: ${made.reason}`);
  await expandDueBroadcasts((fn) => inTransaction(p, fn), { owner: 'test', now: sendAt });
  const rowOf = (who: string) => p.delivery.findUniqueOrThrow({ where: { idempotencyKey: `broadcast:${made.broadcast.id}:${who}:0` } });
  const sentAt = new Date(sendAt.getTime() + MINUTE);
  await p.delivery.update({ where: { id: (await rowOf(people[0]!)).id }, data: { status: 'sent', outcome: 'sent', sentAt, deliveredAt: sentAt, seenAt: sentAt } });
  await p.delivery.update({ where: { id: (await rowOf(people[1]!)).id }, data: { status: 'sent', outcome: 'sent', sentAt, deliveredAt: sentAt } });
  await p.delivery.update({ where: { id: (await rowOf(people[2]!)).id }, data: { status: 'skipped', outcome: 'window_closed' } });

  await p.platformToken.create({ data: { id: 'zalo:oa-console-test', accessToken: 'ACCESS-TOKEN-SECRET', refreshToken: 'REFRESH-TOKEN-SECRET', expiresAt: new Date(now.getTime() + 40 * MINUTE), lastError: 'Zalo -124: refresh token invalid' } });
  const inbound = (channel: string, dedupeKey: string, receivedAt: Date) => p.inboundEvent.create({ data: { channel, accountId: 'acc', dedupeKey, laneKey: `${channel}:acc:u`, status: 'done', receivedAt } });
  await inbound('zalo', `z-${tag}`, new Date(now.getTime() - 7 * MINUTE));
  await inbound('messenger', `m-${tag}`, new Date(now.getTime() - 95 * MINUTE));
  await p.delivery.create({
    data: { channel: 'messenger', accountId: 'page', recipient: 'r1', laneKey: `messenger:page:r-${tag}`, message: { type: 'text', text: 'x' }, status: 'pending', outcome: 'rate_limited', createdAt: new Date(now.getTime() - 12 * MINUTE), notBefore: new Date(now.getTime() + 1000) },
  });
  await p.systemAlert.create({ data: { kind: 'zalo_token_refresh_failed', message: 'Không làm mới được mã truy cập Zalo OA.', createdAt: new Date(now.getTime() - 20 * MINUTE) } });

  return {
    campaign,
    classNames: { own: own!.name, sameSchool: sameSchool!.name, foreign: foreign!.name },
    schoolNames: { own: ownSchool!.name, sibling: siblingSchool!.name, foreign: foreignSchool!.name },
    tips,
    broadcastCode: made.broadcast.code,
    groupName,
    pupilName: 'Trần Bảo Ngọc',
  };
}
