import { Router, type Response } from 'express';
import { translate, type StringKey } from '../../content/i18n.js';
import { formatVnDate } from '../../content/vn-time.js';
import { renderCertificate } from '../../services/pledges/render-certificate.js';
import { verifyReceipt, type ReceiptCheck } from '../../services/pledges/verify-receipt.js';
import type { PledgeRepo } from '../../store/pledge.repo.js';
import { verifyPath } from './pledge-paths.js';
import { pageStatus } from '../http/errors.js';
import { escapeMarkup as esc } from '../../content/markup.js';

const t = (key: StringKey, params?: Record<string, string | number>) => translate('vi', key, params);

/**
 * `GET /pledges/<code>.png`: the certificate of a valid pledge. `GET /verify/<code>`: a public page saying whether a
 * code is valid, withdrawn or unknown, with no personal data at all. The receipt code (40 random bits) is the only key.
 */
export function pledgeRoutes(deps: { pledges: PledgeRepo; baseUrl: () => string }): Router {
  const router = Router();

  router.get('/pledges/:file', async (req, res) => {
    const file = req.params.file;
    const out = file.endsWith('.png') ? await renderCertificate(deps.pledges, file.slice(0, -4), (code) => `${deps.baseUrl()}${verifyPath(code)}`) : null;
    if (!out?.ok) return void notFound(res);
    res.set({
      'Content-Type': 'image/png',
      // Zalo and Messenger fetch the image once to deliver it; nobody else should keep or index it.
      'Cache-Control': 'private, max-age=300',
      'X-Robots-Tag': 'noindex, nofollow',
    });
    res.send(out.png);
  });

  router.get('/verify/:code', async (req, res) => {
    const check = await verifyReceipt(deps.pledges, req.params.code);
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Robots-Tag': 'noindex, nofollow',
    });
    res.status(pageStatus(check.status === 'unknown' ? 'not_found' : 'ok')).send(verifyPage(check));
  });

  return router;
}

/** The verification page: status, campaign, its dates, the kind of pledge. Never a name, a class or a school. */
export function verifyPage(check: ReceiptCheck): string {
  const rows: [string, string][] = [];
  let status: { text: string; color: string; help?: string };
  if (check.status === 'unknown') {
    status = { text: t('verify.unknown'), color: '#b91c1c', help: t('verify.unknownHelp') };
    if (check.code) rows.push([t('verify.code'), check.code]);
  } else {
    const pledge = check.pledge;
    status = pledge.withdrawnAt ? { text: t('verify.withdrawn'), color: '#b45309' } : { text: t('verify.valid'), color: '#15803d' };
    rows.push(
      [t('verify.code'), pledge.receiptCode],
      [t('verify.campaign'), pledge.campaign.title],
      [t('verify.dates'), `${formatVnDate(pledge.campaign.startsOn)} – ${formatVnDate(pledge.campaign.endsOn)}`],
      [t('verify.audience'), t(pledge.audience === 'parent' ? 'pledge.audience.parent' : 'pledge.audience.student')],
    );
    if (pledge.audience === 'student' && !pledge.withdrawnAt) rows.push([t('verify.confirmation'), t(pledge.confirmedAt ? 'verify.confirmed' : 'verify.notConfirmed')]);
  }
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(t('verify.title'))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:16px;background:#f5f7fa;color:#1f2933}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.1rem;margin:0 0 12px}
.status{font-size:1.3rem;font-weight:700;margin:0 0 12px}
dl{margin:0}dt{color:#52606d;font-size:.85rem;margin-top:10px}dd{margin:2px 0 0;font-weight:600}
.note{color:#52606d;font-size:.85rem;margin-top:16px}
</style>
</head>
<body>
<main>
<h1>${esc(t('verify.title'))}</h1>
<p class="status" style="color:${status.color}">${esc(status.text)}</p>
${status.help ? `<p>${esc(status.help)}</p>\n` : ''}<dl>
${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('\n')}
</dl>
<p class="note">${esc(t('verify.privacy'))}</p>
</main>
</body>
</html>
`;
}

function notFound(res: Response): void {
  res.status(pageStatus('not_found')).set('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send('Không tìm thấy / Not found');
}

