import { looseNameKey, studentKey } from '../../content/person-name.js';
import { newReceiptCode } from '../../content/receipt-code.js';
import type { PledgeAudience, PledgeService, PledgeTemplateView, PledgeView } from '../../flows/pledge-service.js';
import type { PledgeRecord, PledgeRepo, PledgeTemplateRecord } from '../../store/pledge.repo.js';

/** Path of a certificate image (the receipt code is the only key: 40 random bits). */
export const certificatePath = (code: string): string => `/pledges/${code}.png`;
/** Path of the public verification page of a receipt code. */
export const verifyPath = (code: string): string => `/verify/${code}`;

/** The flows' PledgeService for one contact, over the repository of the turn's transaction. */
export function createPledgeService(repo: PledgeRepo, contactId: string, baseUrl: () => string): PledgeService {
  return {
    async currentTemplate(audience) {
      const t = await repo.currentTemplate(audience);
      return t ? toTemplateView(t) : null;
    },
    rosterMatch: (classId, studentName) => repo.rosterMatch(classId, studentKey(studentName), looseNameKey, studentName),
    async sign(req) {
      const out = await repo.sign({ ...req, studentKey: studentKey(req.studentName), contactId }, newReceiptCode);
      return { ...out, pledge: toPledgeView(out.pledge) };
    },
    mine: async () => (await repo.listByContact(contactId)).map(toPledgeView),
    withdraw: (pledgeId, now) => repo.withdraw(contactId, pledgeId, now),
    certificateUrl: (code) => `${baseUrl()}${certificatePath(code)}`,
  };
}

function toTemplateView(t: PledgeTemplateRecord): PledgeTemplateView {
  return { id: t.id, campaignTitle: t.campaignTitle, audience: t.audience as PledgeAudience, version: t.version, title: t.title, items: t.items, source: t.source };
}

function toPledgeView(p: PledgeRecord): PledgeView {
  return {
    id: p.id,
    code: p.receiptCode,
    audience: p.audience as PledgeAudience,
    studentName: p.studentName,
    parentName: p.parentName,
    className: p.className,
    schoolName: p.schoolName,
    campaignTitle: p.campaign.title,
    consentAt: p.consentAt,
    confirmedAt: p.confirmedAt,
  };
}
