import { z } from 'zod';
import { parseInput } from '../http/parse-input.js';
import { clearSessionCookie, sessionCookie } from '../http/session-cookie.js';
import { ANY_STAFF, defineRoute, page, redirect, type PublicContext } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { Notice, PostForm, TextField } from '../views/components.js';
import { Layout } from '../views/layout.js';

const LoginSchema = z.object({
  email: z.string('Vui lòng nhập e-mail.').trim().min(1, 'Vui lòng nhập e-mail.').max(254, 'E-mail quá dài.').pipe(z.email('E-mail không hợp lệ.')),
  password: z.string('Vui lòng nhập mật khẩu.').min(1, 'Vui lòng nhập mật khẩu.').max(1000, 'Mật khẩu quá dài.'),
  next: z.string().max(2000).optional(),
});

/** Where to go after signing in: a console address of ours, never another site (`//evil`, `/\evil`). */
export function safeNext(next: unknown): `/admin${string}` {
  if (typeof next !== 'string') return '/admin';
  return /^\/admin(?:[/?#][^\s\\]*)?$/.test(next) && !next.startsWith('//') ? (next as `/admin${string}`) : '/admin';
}

function LoginPage(props: { ctx: PublicContext; email?: string; next: string; errors?: Record<string, string>; message?: string }) {
  const { ctx, errors = {} } = props;
  return (
    <Layout title="Đăng nhập" chrome={chromeOf(ctx)}>
      <p>Dành cho cán bộ phòng giáo dục, nhà trường, giáo viên và cán bộ tiếp nhận tin báo.</p>
      {props.message && <Notice kind="error">{props.message}</Notice>}
      <PostForm action="/admin/login" csrfToken={ctx.csrfToken} class="stack narrow">
        <input type="hidden" name="next" value={props.next} />
        <TextField name="email" label="E-mail" type="email" value={props.email ?? ''} error={errors.email} autocomplete="username" required maxLength={254} />
        <TextField name="password" label="Mật khẩu" type="password" error={errors.password} autocomplete="current-password" required maxLength={1000} />
        <button type="submit">Đăng nhập</button>
      </PostForm>
      <p class="hint">Quên mật khẩu? Bạn hãy liên hệ quản trị viên của phòng hoặc trường để được cấp lại.</p>
    </Layout>
  );
}

/** `/admin/login` (the form; signed in: on to the dashboard) and its POST; `/admin/logout`. */
export const loginRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/login',
    access: 'public',
    handler: (ctx) => (ctx.session ? redirect(safeNext(ctx.query.next)) : page(<LoginPage ctx={ctx} next={safeNext(ctx.query.next)} />)),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/login',
    access: 'public',
    async handler(ctx) {
      const next = safeNext(ctx.body.next);
      const input = parseInput(LoginSchema, ctx.body);
      const typed = typeof ctx.body.email === 'string' ? ctx.body.email.slice(0, 254) : '';
      if (!input.ok) return page(<LoginPage ctx={ctx} email={typed} next={next} errors={input.errors} />, { status: 400 });
      const r = await ctx.deps.staff.signIn({ email: input.data.email, password: input.data.password, clientAddress: ctx.clientAddress, now: ctx.now });
      if (!r.ok && r.reason === 'throttled') {
        const minutes = Math.ceil(r.retryAfterSeconds / 60);
        const message = `Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`;
        return page(<LoginPage ctx={ctx} email={typed} next={next} message={message} />, { status: 429, headers: { 'Retry-After': String(r.retryAfterSeconds) } });
      }
      if (!r.ok) return page(<LoginPage ctx={ctx} email={typed} next={next} message="E-mail hoặc mật khẩu không đúng." />, { status: 401 });
      // A session cookie from before (another account, an old session) ends here: one browser, one session.
      await ctx.endSession();
      return redirect(next, { cookies: [sessionCookie(ctx.deps.settings, r.session.token, r.session.expiresAt, ctx.now)] });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/logout',
    access: ANY_STAFF,
    async handler(ctx) {
      await ctx.endSession();
      return redirect('/admin/login', { cookies: [clearSessionCookie(ctx.deps.settings)] });
    },
  }),
];
