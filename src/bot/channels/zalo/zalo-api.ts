import type { ZaloMessage } from './zalo-render.js';

/** A raw answer from Zalo, or the transport failure that prevented one. */
export type ZaloAnswer = { httpStatus: number; body: unknown } | { networkError: string };

/** The result of an OAuth v4 refresh. */
export type RefreshResult = { ok: true; accessToken: string; refreshToken: string; expiresInSeconds: number } | { ok: false; detail: string };

/** A thin typed client of the Zalo OA Open API v3 and OAuth v4, over fetch. Base URLs are settings (tests use a double). */
export class ZaloApi {
  constructor(
    private readonly opts: { openApiBaseUrl: string; oauthBaseUrl: string; appId: string; appSecret: string; timeoutMs?: number },
  ) {}

  /** `POST v3.0/oa/message/cs`: a consultation message to one user. */
  sendToUser(accessToken: string, userId: string, message: ZaloMessage): Promise<ZaloAnswer> {
    return this.post(`${this.opts.openApiBaseUrl}/v3.0/oa/message/cs`, accessToken, { recipient: { user_id: userId }, message });
  }

  /** `POST v3.0/oa/group/message`: a message into an OA-owned GMF group. */
  sendToGroup(accessToken: string, groupId: string, message: ZaloMessage): Promise<ZaloAnswer> {
    return this.post(`${this.opts.openApiBaseUrl}/v3.0/oa/group/message`, accessToken, { recipient: { group_id: groupId }, message });
  }

  /** `POST v4/oa/access_token` with a (single-use) refresh token. */
  async refresh(refreshToken: string): Promise<RefreshResult> {
    const form = new URLSearchParams({ refresh_token: refreshToken, app_id: this.opts.appId, grant_type: 'refresh_token' });
    const answer = await this.request(`${this.opts.oauthBaseUrl}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.opts.appSecret },
      body: form.toString(),
    });
    if ('networkError' in answer) return { ok: false, detail: `network: ${answer.networkError}` };
    const b = (answer.body ?? {}) as Record<string, unknown>;
    if (answer.httpStatus === 200 && typeof b.access_token === 'string' && typeof b.refresh_token === 'string') {
      const expires = Number(b.expires_in);
      return { ok: true, accessToken: b.access_token, refreshToken: b.refresh_token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 90_000 };
    }
    const reason = [b.error, b.error_name, b.error_description, b.message].filter((x) => x !== undefined).join(' ');
    return { ok: false, detail: `HTTP ${answer.httpStatus}${reason ? `: ${String(reason).slice(0, 200)}` : ''}` };
  }

  private post(url: string, accessToken: string, body: unknown): Promise<ZaloAnswer> {
    return this.request(url, {
      method: 'POST',
      // Zalo wants the token in an `access_token` header, not a Bearer authorization.
      headers: { 'content-type': 'application/json', access_token: accessToken },
      body: JSON.stringify(body),
    });
  }

  private async request(url: string, init: RequestInit): Promise<ZaloAnswer> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's error page): classified by its HTTP status.
      }
      return { httpStatus: res.status, body };
    } catch (err) {
      return { networkError: err instanceof Error ? err.name : 'unknown' };
    }
  }
}
