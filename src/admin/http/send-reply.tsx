import type { Response } from 'express';
import type { Reply } from '../route.js';
import type { Chrome } from '../views/chrome.js';
import { ErrorPage, REFUSAL_STATUS, type RefusalKind } from '../views/error-page.js';
import { render, renderFragment } from '../views/render.js';

/** Writes a handler's reply. Pages and fragments stay `no-store` (set for every console answer); assets may be cached. */
export function sendReply(res: Response, reply: Reply, chrome: Chrome, cookies: readonly string[]): void {
  for (const c of cookies) res.append('Set-Cookie', c);
  switch (reply.kind) {
    case 'page':
      for (const c of reply.cookies ?? []) res.append('Set-Cookie', c);
      res.status(reply.status ?? 200).set(reply.headers ?? {}).type('html').send(render(reply.body));
      return;
    case 'fragment':
      res.status(reply.status ?? 200).set(reply.headers ?? {}).type('html').send(renderFragment(reply.body));
      return;
    case 'redirect':
      for (const c of reply.cookies ?? []) res.append('Set-Cookie', c);
      res.redirect(303, reply.to);
      return;
    case 'download':
      res
        .status(200)
        .type(reply.contentType)
        .set('Content-Disposition', `attachment; filename="${asciiName(reply.filename)}"; filename*=UTF-8''${encodeURIComponent(reply.filename)}`)
        .send(reply.body);
      return;
    case 'asset':
      res.status(200).type(reply.contentType).set('Cache-Control', 'public, max-age=3600').send(reply.body);
      return;
    case 'not_found':
      sendRefusal(res, 'not_found', chrome);
      return;
    case 'inline_file':
      res.status(200).type(reply.contentType).set(reply.headers ?? {}).set('Cache-Control', 'no-store').send(reply.body);
      return;
  }
}

/** Answers a refusal with its Vietnamese page and status. */
export function sendRefusal(res: Response, kind: RefusalKind, chrome: Chrome, cookies: readonly string[] = [], status = REFUSAL_STATUS[kind]): void {
  for (const c of cookies) res.append('Set-Cookie', c);
  res.status(status).type('html').send(render(<ErrorPage kind={kind} chrome={chrome} />));
}

function asciiName(name: string): string {
  return name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'download';
}
