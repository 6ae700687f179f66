import QRCode from 'qrcode';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { classLinks, type ChannelAccounts } from './class-links.js';

/** Which link a QR code holds, and in which image format. */
export interface ClassQrRequest {
  channel: 'messenger' | 'zalo';
  format: 'svg' | 'png';
}

/** The QR image and the URL it encodes; or why there is none. */
export type ClassQrResult =
  | { ok: true; url: string; contentType: 'image/svg+xml' | 'image/png'; body: Buffer }
  | { ok: false; reason: 'not_found' | 'channel_off' };

/** A QR code of a class's Messenger or Zalo link, as SVG or PNG (to print on a class poster or show on screen). */
export async function classQr(repos: Repos, scope: StaffScope, classId: string, accounts: ChannelAccounts, req: ClassQrRequest): Promise<ClassQrResult> {
  const out = await classLinks(repos, scope, classId, accounts);
  if (!out.ok) return out;
  const url = req.channel === 'messenger' ? out.links.messenger?.url : out.links.zalo?.url;
  if (!url) return { ok: false, reason: 'channel_off' };
  // Medium error correction survives a smudged print; a 4-module quiet zone is what scanners expect.
  const options = { errorCorrectionLevel: 'M' as const, margin: 4 };
  if (req.format === 'svg') return { ok: true, url, contentType: 'image/svg+xml', body: Buffer.from(await QRCode.toString(url, { ...options, type: 'svg' }), 'utf8') };
  return { ok: true, url, contentType: 'image/png', body: await QRCode.toBuffer(url, { ...options, type: 'png', width: 480 }) };
}
