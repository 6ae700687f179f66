import express, { Router, type RequestHandler, type Response } from 'express';
import { formatVnDate } from '../../../content/vn-time.js';
import { z } from 'zod';
import { translate } from '../../../content/i18n.js';
import { TIP_CATEGORIES } from '../../../content/tip-categories.js';
import type { LookUpTipResult } from '../../../services/tips/look-up-tip.js';
import type { Tips } from '../../../services/tips/tips.js';
import type { ErrorCode } from '../../../errors.js';
import { pageStatus } from '../../http/errors.js';
import { escapeMarkup as esc } from '../../../content/markup.js';

/** What the web tip form needs. */
export interface TipWebDeps {
  tips: Tips;
  listSchools(): Promise<{ id: string; name: string }[]>;
}

const TipFormSchema = z.object({
  category: z.enum(TIP_CATEGORIES),
  description: z.string().trim().min(10, 'Bạn mô tả sự việc giúp (ít nhất 10 ký tự).').max(4000, 'Nội dung tối đa 4000 ký tự.'),
  place: z.string().trim().max(300).optional().transform((v) => (v ? v : null)),
  schoolId: z.string().max(100).optional().transform((v) => (v ? v : null)),
  urgent: z.enum(['yes', 'no'], 'Bạn cho biết có ai đang gặp nguy hiểm không.'),
});
const LookupSchema = z.object({ code: z.string().trim().min(1).max(40), pin: z.string().trim().min(1).max(20) });
const AddSchema = z.object({ grant: z.string().min(1).max(500), text: z.string().trim().min(1).max(2000) });

const parseForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });
const FIELD_NAMES: Record<string, string> = { category: 'Loại sự việc', description: 'Nội dung', place: 'Địa điểm', schoolId: 'Trường liên quan', urgent: 'Có ai đang gặp nguy hiểm' };

/**
 * Parses a form body into one string per field. A field sent twice (`place=a&place=b`), too many fields or a body
 * the parser refuses give `problem` instead of a crash: the page is shown again with a Vietnamese message.
 */
function form(onProblem: (res: Response, status: ErrorCode, message: string, values: Record<string, string>) => Promise<void> | void): RequestHandler {
  return (req, res, next) => {
    parseForm(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        return void onProblem(res, tooLarge ? 'payload_too_large' : 'bad_request', tooLarge ? 'Nội dung gửi lên quá dài.' : 'Biểu mẫu gửi lên không đọc được. Bạn thử gửi lại nhé.', {});
      }
      const raw = (req.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      const repeated: string[] = [];
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v === 'string') values[k] = v;
        else repeated.push(FIELD_NAMES[k] ?? k);
      }
      req.body = values;
      if (repeated.length) return void onProblem(res, 'bad_request', `Mỗi mục chỉ điền một lần; mục bị gửi trùng: ${repeated.join(', ')}. Bạn kiểm tra lại rồi gửi nhé.`, values);
      next();
    });
  };
}

/**
 * `GET/POST /tip` and `GET/POST /tip/follow-up`: the anonymous tip as a server-rendered form. No cookies, no
 * scripts, nothing logged here; the client address is used only inside the keyed daily rate-limit hash.
 */
export function tipWebRoutes(deps: TipWebDeps): Router {
  const router = Router();

  router.get('/tip', async (_req, res) => {
    page(res, 'ok', await formPage(deps, {}, null));
  });

  const tipForm = form(async (res, status, message, values) => page(res, status, await formPage(deps, values, [message])));
  const lookupForm = form((res, status, message) => page(res, status, lookupPage(message)));

  router.post('/tip', tipForm, async (req, res) => {
    const body = req.body as Record<string, string>;
    const parsed = TipFormSchema.safeParse(body);
    if (!parsed.success) return page(res, 'bad_request', await formPage(deps, body, parsed.error.issues.map((i) => i.message)));
    const d = parsed.data;
    const schools = await deps.listSchools();
    const schoolId = d.schoolId && schools.some((s) => s.id === d.schoolId) ? d.schoolId : null;
    const outcome = await deps.tips.submitFromWeb(
      { category: d.category, description: d.description, place: d.place, schoolId, urgent: d.urgent === 'yes' },
      req.ip ?? 'unknown',
    );
    if (!outcome.ok) return page(res, 'rate_limited', layout('Tạm dừng nhận tin', `<p class="warn">${esc(translate('vi', 'tip.rateLimited'))}</p>${EMERGENCY}`));
    page(
      res,
      'ok',
      layout(
        'Đã gửi tin báo',
        `${d.urgent === 'yes' ? EMERGENCY : ''}
<p>Cảm ơn bạn! Tin báo đã được gửi tới cán bộ xử lý.</p>
<div class="code"><p>Mã tin báo: <strong>${esc(outcome.code)}</strong></p><p>Mã PIN: <strong>${esc(outcome.pin)}</strong></p></div>
<p>PIN gồm 10 chữ số; khi nhập, bạn có thể gõ liền hoặc để cách như trên. Hãy ghi lại cả hai: <strong>PIN chỉ hiện một lần</strong>. Dùng chúng để <a href="/tip/follow-up">tra cứu kết quả và bổ sung thông tin</a>, trên trang này hoặc trong chat (“Tra cứu tin báo”).</p>`,
      ),
    );
  });

  router.get('/tip/follow-up', (_req, res) => {
    page(res, 'ok', lookupPage(null));
  });

  router.post('/tip/follow-up', lookupForm, async (req, res) => {
    const parsed = LookupSchema.safeParse(req.body ?? {});
    if (!parsed.success) return page(res, 'bad_request', lookupPage('Bạn nhập mã tin báo và PIN.'));
    // The address only feeds the keyed hashes of the lookup limits; it is never stored or logged.
    const found = await deps.tips.lookUpFromWeb(parsed.data.code, parsed.data.pin, req.ip ?? 'unknown');
    if (!found.ok && found.reason === 'locked') {
      res.set('Retry-After', String(found.retryAfterMinutes * 60));
      return page(res, 'rate_limited', lookupPage(translate('vi', 'tip.followUp.locked', { minutes: found.retryAfterMinutes })));
    }
    if (!found.ok) return page(res, 'bad_request', lookupPage(translate('vi', 'tip.followUp.wrong')));
    page(res, 'ok', statusPage(found, null));
  });

  router.post('/tip/follow-up/add', lookupForm, async (req, res) => {
    const parsed = AddSchema.safeParse(req.body ?? {});
    if (!parsed.success) return page(res, 'bad_request', lookupPage('Nội dung bổ sung trống hoặc quá dài.'));
    const added = await deps.tips.addInfoFromWeb(parsed.data.grant, parsed.data.text);
    if (!added.ok) {
      return page(res, 'bad_request', lookupPage(translate('vi', added.reason === 'closed' ? 'tip.followUp.closedNoAdd' : 'tip.followUp.expired')));
    }
    page(res, 'ok', layout('Đã bổ sung', `<p>${esc(translate('vi', 'tip.followUp.added'))}</p><p><a href="/tip/follow-up">Tra cứu lại</a></p>`));
  });

  return router;
}

const EMERGENCY = `<div class="warn"><strong>Khẩn cấp?</strong> Gọi ngay <a href="tel:113">113</a> (công an), <a href="tel:114">114</a> (cứu hoả),
<a href="tel:115">115</a> (cấp cứu), <a href="tel:111">111</a> (bảo vệ trẻ em).</div>`;

async function formPage(deps: TipWebDeps, values: Record<string, string>, errors: string[] | null): Promise<string> {
  const schools = await deps.listSchools();
  const v = (k: string) => esc(values[k] ?? '');
  const opt = (value: string, label: string, current: string | undefined) =>
    `<option value="${esc(value)}"${current === value ? ' selected' : ''}>${esc(label)}</option>`;
  const radio = (value: string, label: string) =>
    `<label class="inline"><input type="radio" name="urgent" value="${value}" required${values.urgent === value ? ' checked' : ''}> ${label}</label>`;
  return layout(
    'Tố giác tội phạm',
    `${EMERGENCY}
<p class="note">Trang này không dùng cookie, không ghi địa chỉ IP hay thông tin trình duyệt. Đừng ghi tên, số điện thoại của chính bạn.
Bạn sẽ nhận một mã tin báo và mã PIN để tra cứu kết quả.</p>
${errors ? `<ul class="err">${errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<form method="post" action="/tip">
<label for="category">Loại sự việc</label>
<select id="category" name="category" required>${TIP_CATEGORIES.map((c) => opt(c, translate('vi', `tip.category.${c}`), values.category)).join('')}</select>
<label for="description">Chuyện gì đã xảy ra? Ở đâu, khi nào, ai liên quan, có bằng chứng gì?</label>
<textarea id="description" name="description" rows="8" maxlength="4000" required>${v('description')}</textarea>
<label for="place">Địa điểm (không bắt buộc)</label>
<input id="place" name="place" maxlength="300" value="${v('place')}">
<label for="schoolId">Trường liên quan (không bắt buộc)</label>
<select id="schoolId" name="schoolId">${opt('', 'Không liên quan trường nào', values.schoolId ?? '')}${schools.map((s) => opt(s.id, s.name, values.schoolId)).join('')}</select>
<fieldset><legend>Có ai đang gặp nguy hiểm ngay lúc này không?</legend>${radio('yes', 'Có')}${radio('no', 'Không')}</fieldset>
<button type="submit">Gửi tin báo</button>
</form>
<p><a href="/tip/follow-up">Đã gửi tin báo? Tra cứu bằng mã và PIN</a></p>`,
  );
}

function lookupPage(error: string | null): string {
  return layout(
    'Tra cứu tin báo',
    `${error ? `<p class="err">${esc(error)}</p>` : ''}
<form method="post" action="/tip/follow-up">
<label for="code">Mã tin báo</label><input id="code" name="code" placeholder="TB-ABCD-2345" autocomplete="off" required>
<label for="pin">Mã PIN (10 chữ số; tin báo gửi từ trước có PIN 6 chữ số)</label><input id="pin" name="pin" inputmode="numeric" autocomplete="off" placeholder="1234 567 890" required>
<button type="submit">Tra cứu</button>
</form>`,
  );
}

function statusPage(found: Extract<LookUpTipResult, { ok: true }>, error: string | null): string {
  const t = found.tip;
  const date = formatVnDate;
  const replies = t.replies.length
    ? t.replies.map((r) => `<li><em>${date(r.at)}</em>: ${esc(r.text)}</li>`).join('')
    : `<li>${esc(translate('vi', 'tip.followUp.noReply'))}</li>`;
  const add =
    t.status === 'closed'
      ? `<p>${esc(translate('vi', 'tip.followUp.closedNoAdd'))}</p>`
      : `<form method="post" action="/tip/follow-up/add"><input type="hidden" name="grant" value="${esc(found.grant)}">
<label for="text">Bổ sung thông tin</label><textarea id="text" name="text" rows="5" maxlength="2000" required></textarea>
<button type="submit">Gửi bổ sung</button></form>`;
  return layout(
    'Tra cứu tin báo',
    `${error ? `<p class="err">${esc(error)}</p>` : ''}
<p>${esc(translate('vi', 'tip.followUp.status', { code: t.code, category: translate('vi', `tip.category.${t.category}`), date: date(t.createdAt), status: translate('vi', `tip.status.${t.status}`) }))}</p>
<h2>Phản hồi của cán bộ</h2><ul>${replies}</ul>${add}`,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a}
label,legend{display:block;margin-top:1rem;font-weight:600}input,select,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem}
label.inline{display:inline-block;font-weight:400;margin-right:1.5rem}label.inline input{width:auto}fieldset{border:0;padding:0;margin:0}
button{margin-top:1rem;padding:.75rem 1.5rem;font:inherit;background:#b00020;color:#fff;border:0;border-radius:4px}
.warn{background:#fff3cd;padding:.75rem;border-radius:4px}.err{color:#b00020}.note{color:#555;font-size:.9rem}
.code{font-size:1.25rem;background:#eef;padding:.5rem 1rem;border-radius:4px}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function page(res: Response, outcome: 'ok' | ErrorCode, html: string): void {
  res
    .status(pageStatus(outcome))
    .type('html')
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    .send(html);
}

