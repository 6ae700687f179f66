import type { ComponentChildren } from 'preact';
import { isStaffRole } from '../../services/staff/staff-scope.js';
import { CSRF_FIELD } from '../http/csrf.js';
import type { Chrome } from './chrome.js';
import { ROLE_LABELS } from './role-labels.js';

// htmx reads its settings from this tag: no eval (CSP forbids it anyway), no inline indicator styles (same reason).
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true });

/** The product name in the title bar and the browser tab. */
export const CONSOLE_NAME = 'Quản lý phong trào An ninh trường học';

/**
 * Every console page: skip link, title bar with the account and sign-out, the role's navigation, one `<h1>` (the
 * title), then the page. Scripts and styles come only from /admin/assets (the CSP allows nothing else).
 */
export function Layout(props: { title: string; chrome: Chrome; children?: ComponentChildren }) {
  const { chrome } = props;
  const role = chrome.staff && isStaffRole(chrome.staff.role) ? ROLE_LABELS[chrome.staff.role] : null;
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <meta name="csrf-token" content={chrome.csrfToken} />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${props.title} · ${CONSOLE_NAME}`}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
        <script src="/admin/assets/htmx.min.js" defer></script>
        <script src="/admin/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Bỏ qua, đến nội dung chính
        </a>
        <header class="topbar">
          <a class="brand" href="/admin">
            {CONSOLE_NAME}
          </a>
          {chrome.staff && (
            <div class="account">
              <a href="/admin/profile" class="account-name">
                {chrome.staff.name}
              </a>
              {role && <span class="account-role">{role}</span>}
              <form method="post" action="/admin/logout" class="inline-form">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrfToken} />
                <button type="submit" class="button-link">
                  Đăng xuất
                </button>
              </form>
            </div>
          )}
        </header>
        {chrome.nav.length > 0 && (
          <nav class="mainnav" aria-label="Chức năng">
            <ul>
              {chrome.nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={isCurrent(chrome.path, item.href) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="footer">
          <p>Phong trào toàn dân bảo vệ an ninh Tổ quốc trong trường học.</p>
        </footer>
      </body>
    </html>
  );
}

function isCurrent(path: string, href: string): boolean {
  return href === '/admin' ? path === '/admin' : path === href || path.startsWith(`${href}/`);
}
