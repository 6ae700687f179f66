import { escapeMarkup as esc } from '../../content/markup.js';

/** What a person reads on an error page: Vietnamese first, English on the second line. */
interface PageText {
  vi: string;
  en: string;
}

// The page says what went wrong and what to do, never what was sent: nothing from the request is echoed back.
const TITLES: Record<number, PageText> = {
  400: { vi: 'Yêu cầu không hợp lệ.', en: 'The request is not valid.' },
  401: { vi: 'Bạn cần đăng nhập để xem trang này.', en: 'Please sign in to see this page.' },
  403: { vi: 'Bạn không có quyền xem trang này.', en: 'You are not allowed to see this page.' },
  404: { vi: 'Không tìm thấy trang này.', en: 'This page was not found.' },
  408: { vi: 'Yêu cầu gửi quá chậm nên đã bị dừng.', en: 'The request took too long and was stopped.' },
  413: { vi: 'Nội dung gửi lên quá lớn.', en: 'What you sent is too large.' },
  415: { vi: 'Định dạng nội dung gửi lên không được hỗ trợ.', en: 'The format of what you sent is not supported.' },
  429: { vi: 'Có quá nhiều yêu cầu. Bạn vui lòng thử lại sau ít phút.', en: 'Too many requests. Please try again in a few minutes.' },
};
const CLIENT_ERROR: PageText = { vi: 'Không thể xử lý yêu cầu này.', en: 'This request could not be handled.' };
const SERVER_ERROR: PageText = { vi: 'Hệ thống đang gặp sự cố. Bạn vui lòng thử lại sau.', en: 'Something went wrong on our side. Please try again later.' };
const CHECK: PageText = {
  vi: 'Bạn kiểm tra lại đường dẫn, hoặc quay lại trang trước và thử lại.',
  en: 'Please check the address, or go back to the previous page and try again.',
};
// Someone reaching an error while reporting a crime may be in danger: the numbers come before anything else.
const EMERGENCY: PageText = {
  vi: 'Khẩn cấp? Gọi ngay 113 (công an), 114 (cứu hoả), 115 (cấp cứu), 111 (bảo vệ trẻ em).',
  en: 'Emergency? Call 113 (police), 114 (fire), 115 (ambulance), 111 (child protection).',
};
const BACK_TO_TIP: PageText = { vi: 'Quay lại trang gửi tin báo', en: 'Back to the tip form' };

/** The security headers of an error page: no scripts, no framing, never cached. */
export const ERROR_PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/** A short bilingual HTML page for an error status; the tip form's pages also show the emergency numbers. */
export function errorPage(status: number, opts: { tipForm?: boolean } = {}): string {
  const title = TITLES[status] ?? (status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
  const both = (t: PageText, tag = 'p') => `<${tag}>${esc(t.vi)}</${tag}>\n<p lang="en" class="en">${esc(t.en)}</p>`;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${esc(`Lỗi ${status} · ${title.vi.replace(/\.$/, '')}`)}</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1f2933}
h1{font-size:1.25rem;margin:.5rem 0 0}.en{color:#52606d;margin-top:0}.warn{background:#fff3cd;padding:.75rem;border-radius:4px}
</style>
</head>
<body>
${opts.tipForm ? `<div class="warn">${both(EMERGENCY)}</div>\n` : ''}<p>${esc(`Lỗi ${status} / Error ${status}`)}</p>
${both(title, 'h1')}
${status < 500 ? both(CHECK) : ''}
${opts.tipForm ? `<p><a href="/tip">${esc(BACK_TO_TIP.vi)}</a> · <a href="/tip" lang="en">${esc(BACK_TO_TIP.en)}</a></p>\n` : ''}</body>
</html>
`;
}

