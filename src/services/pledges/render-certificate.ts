import { translate, type StringKey } from '../../content/i18n.js';
import { shortName } from '../../content/person-name.js';
import { formatVnDate } from '../../content/vn-time.js';
import type { PledgeRecord, PledgeRepo, PledgeTemplateRecord } from '../../store/pledge.repo.js';
import { renderCertificatePng, type CertificateData } from './certificate-png.js';
import { verifyReceipt } from './verify-receipt.js';

const t = (key: StringKey, params?: Record<string, string | number>) => translate('vi', key, params);

/** The certificate image of a valid pledge, or why there is none. */
export type CertificateResult = { ok: true; png: Buffer } | { ok: false; reason: 'not_found' };

/** Renders the certificate of a receipt code (as typed or read from a URL); withdrawn pledges have none. */
export async function renderCertificate(repo: PledgeRepo, rawCode: string, verifyUrl: (code: string) => string): Promise<CertificateResult> {
  const check = await verifyReceipt(repo, rawCode);
  if (check.status !== 'valid') return { ok: false, reason: 'not_found' };
  const template = await repo.templateOf(check.pledge);
  if (!template) return { ok: false, reason: 'not_found' };
  return { ok: true, png: await renderCertificatePng(certificateData(check.pledge, template, verifyUrl(check.code))) };
}

/** What the certificate shows: names shortened to initials and given name, no class (see README, "Traffic-safety pledges"). */
export function certificateData(pledge: PledgeRecord, template: Pick<PledgeTemplateRecord, 'title' | 'items' | 'source'>, verifyUrl: string): CertificateData {
  const people = [{ label: t('pledge.cert.student'), value: shortName(pledge.studentName) }];
  if (pledge.parentName) people.push({ label: t('pledge.cert.parent'), value: shortName(pledge.parentName) });
  const c = pledge.campaign;
  return {
    heading: t('pledge.cert.heading'),
    title: template.title,
    campaignTitle: `${c.title} · ${formatVnDate(c.startsOn)} – ${formatVnDate(c.endsOn)}`,
    schoolName: pledge.schoolName,
    people,
    items: template.items,
    footer: [t('pledge.cert.signedOn', { date: formatVnDate(pledge.consentAt) }), t('pledge.cert.source', { source: template.source })],
    code: pledge.receiptCode,
    verifyUrl,
    verifyHint: t('pledge.cert.hint'),
  };
}
