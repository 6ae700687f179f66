import type { PledgeAudience, Pledges, PledgeTemplateView, PledgeView } from '../../flows/index.js';
import { currentPledgeTemplate } from '../../services/pledges/current-pledge-template.js';
import { listMyPledges } from '../../services/pledges/list-my-pledges.js';
import { matchRosterName } from '../../services/pledges/match-roster-name.js';
import { signPledge } from '../../services/pledges/sign-pledge.js';
import { withdrawPledge } from '../../services/pledges/withdraw-pledge.js';
import type { PledgeRecord, PledgeRepo, PledgeTemplateRecord } from '../../store/pledge.repo.js';
import { certificatePath } from './pledge-paths.js';

/** The flows' pledge port for one contact, over the pledge services and the repository of the turn's transaction. */
export function createPledgesPort(repo: PledgeRepo, contactId: string, baseUrl: () => string): Pledges {
  return {
    async currentTemplate(audience) {
      const t = await currentPledgeTemplate(repo, audience);
      return t ? toTemplateView(t) : null;
    },
    rosterMatch: (classId, studentName) => matchRosterName(repo, classId, studentName),
    async sign(req) {
      const out = await signPledge(repo, { ...req, contactId });
      return out.ok ? { ...out, pledge: toPledgeView(out.pledge) } : { ok: false, reason: 'template_gone' };
    },
    mine: async () => (await listMyPledges(repo, contactId)).map(toPledgeView),
    withdraw: async (pledgeId, now) => (await withdrawPledge(repo, { contactId, pledgeId, now })).ok,
    // Certificate links must be absolute for Zalo and Messenger to fetch them; the URL is known once listening.
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
