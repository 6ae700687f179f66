import { studentKey } from '../../content/person-name.js';
import { newReceiptCode } from '../../content/receipt-code.js';
import { AppError } from '../../errors.js';
import type { PledgeFields, PledgeRecord, PledgeRepo, PledgeSlot } from '../../store/pledge.repo.js';

/** What a signer gave; names already normalised (src/content/person-name.ts). */
export interface SignPledgeInput {
  templateId: string;
  audience: 'parent' | 'student';
  classId: string;
  studentName: string;
  parentName: string | null;
  contactId: string;
  now: Date;
}

/** The outcome of a signature: the stored pledge, whether it replaced an earlier one, and the student's confirmation. */
export type SignPledgeResult =
  | { ok: true; pledge: PledgeRecord; updated: boolean; studentConfirmed: boolean }
  | { ok: false; reason: 'template_not_found' };

// 40 random bits make a clash rare but not impossible over many pledges; eight clashes in a row mean a broken source.
const WRITE_ATTEMPTS = 8;

/**
 * Records consent: one pledge per student, audience and campaign, so signing again updates the row (and un-withdraws
 * it). The receipt code stays when the same contact signs again; another signer gets a new one, so a certificate
 * handed out earlier stops working. A student pledge is confirmed once a valid parent pledge for the same class and
 * student exists, whichever is signed first. `newCode` draws receipt codes (a taken one is drawn again).
 */
export async function signPledge(repo: PledgeRepo, input: SignPledgeInput, newCode: () => string = newReceiptCode): Promise<SignPledgeResult> {
  const template = await repo.getTemplate(input.templateId);
  if (!template) return { ok: false, reason: 'template_not_found' };
  const slot: PledgeSlot = { campaignId: template.campaignId, classId: input.classId, studentKey: studentKey(input.studentName), audience: input.audience };
  const student = { campaignId: slot.campaignId, classId: slot.classId, studentKey: slot.studentKey };
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const existing = await repo.findInSlot(slot);
    const fields: PledgeFields = {
      templateId: template.id,
      studentName: input.studentName,
      parentName: input.parentName,
      contactId: input.contactId,
      receiptCode: existing && existing.contactId === input.contactId ? existing.receiptCode : newCode(),
      consentAt: input.now,
      confirmedAt: input.audience === 'student' ? await studentConfirmation(repo, slot, existing, input.now) : null,
    };
    // A taken receipt code is drawn again; a slot taken meanwhile (a concurrent first signature) becomes an update.
    const out = existing ? await repo.update(existing.id, fields) : await repo.insert(slot, fields);
    if (!out.ok) continue;
    const studentConfirmed =
      input.audience === 'student' ? fields.confirmedAt !== null : (await repo.confirmStudent(student, input.now)) || (await repo.hasValid({ ...slot, audience: 'student' }));
    return { ok: true, pledge: out.pledge, updated: existing !== null, studentConfirmed };
  }
  throw new AppError('internal', { message: `no free receipt code after ${WRITE_ATTEMPTS} draws: check the code generator` });
}

/** When a student pledge counts as confirmed: kept from a valid earlier confirmation, else now if a parent pledged. */
async function studentConfirmation(repo: PledgeRepo, slot: PledgeSlot, existing: PledgeRecord | null, now: Date): Promise<Date | null> {
  if (!(await repo.hasValid({ ...slot, audience: 'parent' }))) return null;
  return existing?.withdrawnAt === null && existing.confirmedAt ? existing.confirmedAt : now;
}
