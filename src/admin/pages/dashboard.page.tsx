import { ANY_STAFF, defineRoute, page } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { Layout } from '../views/layout.js';

/**
 * `/admin`: the dashboard. For now a greeting and what this account can open (the navigation of its role); the
 * pledge, tip, broadcast and channel figures come with their pages.
 */
export const dashboardRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin',
    access: ANY_STAFF,
    nav: { href: '/admin', label: 'Tổng quan', order: 0 },
    handler: (ctx) =>
      page(
        <Layout title="Tổng quan" chrome={chromeOf(ctx)}>
          <p class="lead">Xin chào {ctx.staff.name}.</p>
          <h2>Bạn có thể</h2>
          <ul class="link-list">
            {ctx.nav
              .filter((item) => item.href !== '/admin')
              .map((item) => (
                <li>
                  <a href={item.href}>{item.label}</a>
                  {item.description && <span class="hint"> · {item.description}</span>}
                </li>
              ))}
          </ul>
        </Layout>,
      ),
  }),
];
