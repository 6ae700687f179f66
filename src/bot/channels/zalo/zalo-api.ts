import type { ZaloCallFailure, ZaloGroupAsset, ZaloGroupInfo, ZaloGroupsApi } from '../../../services/groups/zalo-groups-api.js';
import type { ZaloMessage } from './zalo-render.js';
import { retryAfterMs } from '../retry-after.js';

/** A raw answer from Zalo, or the transport failure that prevented one. */
export type ZaloAnswer = { httpStatus: number; body: unknown; retryAfterMs?: number } | { networkError: string };

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

  /**
   * `GET v3.0/oa/group/getgroupsofoa?offset&count`: one page of the OA's GMF groups. The answer's shape is taken from
   * community code and Zalo's API Explorer (`data: {offset, count, total, groups: [{group_id, name, status,
   * total_member, …}]}`), not from a published reference: UNCONFIRMED, so the parser also accepts `data` as the list.
   */
  async listGroups(accessToken: string, offset: number, count: number): Promise<{ ok: true; groups: ZaloGroupInfo[]; total: number | null } | ZaloCallFailure> {
    const query = new URLSearchParams({ offset: String(offset), count: String(count) });
    const answer = await this.request(`${this.opts.openApiBaseUrl}/v3.0/oa/group/getgroupsofoa?${query}`, { method: 'GET', headers: { access_token: accessToken } });
    const data = zaloData(answer);
    if (!data.ok) return data;
    const d = data.value;
    const list = Array.isArray(d) ? d : isRecord(d) ? firstArray(d, ['groups', 'items', 'data']) : [];
    const total = isRecord(d) && d.total !== undefined && Number.isFinite(Number(d.total)) ? Number(d.total) : null;
    return { ok: true, groups: list.map(groupInfo).filter((g): g is ZaloGroupInfo => g !== null), total };
  }

  /**
   * `POST v3.0/oa/quota/group {quota_owner: "OA", product_type, quota_type}`: the OA's GMF assets. Zalo's docs list
   * each asset's `asset_id`, `status` (available | used), `used_id`; where the list sits in `data` is UNCONFIRMED, so
   * the parser takes `data` itself or its first array of objects carrying an `asset_id`.
   */
  async groupQuota(accessToken: string, req: { productType: string; quotaType: string }): Promise<{ ok: true; assets: ZaloGroupAsset[] } | ZaloCallFailure> {
    const answer = await this.post(`${this.opts.openApiBaseUrl}/v3.0/oa/quota/group`, accessToken, { quota_owner: 'OA', product_type: req.productType, quota_type: req.quotaType });
    const data = zaloData(answer);
    if (!data.ok) return data;
    const d = data.value;
    const list = Array.isArray(d) ? d : isRecord(d) ? (Object.values(d).find((v) => Array.isArray(v) && v.some((x) => isRecord(x) && 'asset_id' in x)) as unknown[] | undefined) ?? [] : [];
    const assets = list.filter(isRecord).flatMap((a): ZaloGroupAsset[] => {
      const id = idOf(a.asset_id);
      return id ? [{ assetId: id, status: strOrNull(a.status), productType: strOrNull(a.product_type ?? a.asset_type), usedBy: idOf(a.used_id) }] : [];
    });
    return { ok: true, assets };
  }

  /**
   * `POST v3.0/oa/group/creategroupwithoa {group_name, group_description, asset_id, member_user_ids}` (1–99 members
   * who follow or recently wrote to the OA). Zalo answers the group's info and `group_link`; whether under
   * `data.group_info` or `data` itself is UNCONFIRMED: both are read.
   */
  async createGroup(accessToken: string, req: { name: string; description?: string; assetId: string; memberUserIds: string[] }): Promise<{ ok: true; group: ZaloGroupInfo } | ZaloCallFailure> {
    const body = { group_name: req.name, ...(req.description ? { group_description: req.description } : {}), asset_id: req.assetId, member_user_ids: req.memberUserIds };
    const data = zaloData(await this.post(`${this.opts.openApiBaseUrl}/v3.0/oa/group/creategroupwithoa`, accessToken, body));
    if (!data.ok) return data;
    const d = isRecord(data.value) ? data.value : {};
    const info = groupInfo({ ...d, ...(isRecord(d.group_info) ? d.group_info : {}) });
    if (!info) return { ok: false, code: null, detail: 'Zalo answered without a group_id' };
    return { ok: true, group: { ...info, name: info.name || req.name } };
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
      const wait = retryAfterMs(res.headers.get('retry-after'));
      return { httpStatus: res.status, body, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    } catch (err) {
      return { networkError: err instanceof Error ? err.name : 'unknown' };
    }
  }
}

/** The GMF management calls with the OA's current token, tried once more with a fresh one after −216/−220. */
export function zaloGroupsApi(api: ZaloApi, tokens: { current(): Promise<string | null>; afterRejection(token: string): Promise<string | null> }): ZaloGroupsApi {
  async function withToken<T extends { ok: boolean }>(call: (token: string) => Promise<T | ZaloCallFailure>): Promise<T | ZaloCallFailure> {
    const token = await tokens.current();
    if (!token) return { ok: false, code: -216, detail: 'no valid Zalo access token (check ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN)' };
    const first = await call(token);
    if (first.ok || ((first as ZaloCallFailure).code !== -216 && (first as ZaloCallFailure).code !== -220)) return first;
    const fresh = await tokens.afterRejection(token);
    return fresh ? call(fresh) : first;
  }
  return {
    listGroups: (offset, count) => withToken((t) => api.listGroups(t, offset, count)),
    groupQuota: (req) => withToken((t) => api.groupQuota(t, req)),
    createGroup: (req) => withToken((t) => api.createGroup(t, req)),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Zalo ids as strings (ids can exceed 2^53: a number here may already have lost digits, but is all we have). */
function idOf(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function firstArray(d: Record<string, unknown>, keys: string[]): unknown[] {
  for (const k of keys) if (Array.isArray(d[k])) return d[k];
  return [];
}

function groupInfo(g: unknown): ZaloGroupInfo | null {
  if (!isRecord(g)) return null;
  const groupId = idOf(g.group_id ?? g.id);
  if (!groupId) return null;
  const members = g.total_member ?? g.member_count;
  return {
    groupId,
    name: strOrNull(g.name) ?? strOrNull(g.group_name) ?? '',
    status: strOrNull(g.status),
    totalMember: members !== undefined && members !== null && Number.isFinite(Number(members)) ? Number(members) : null,
    groupLink: strOrNull(g.group_link),
  };
}

/** The `data` of a successful Zalo answer (HTTP 200, `error` 0), or the failure. */
function zaloData(answer: ZaloAnswer): { ok: true; value: unknown } | ZaloCallFailure {
  if ('networkError' in answer) return { ok: false, code: null, detail: `network: ${answer.networkError}` };
  const b = isRecord(answer.body) ? answer.body : {};
  const code = typeof b.error === 'number' ? b.error : Number(b.error);
  const message = typeof b.message === 'string' ? b.message.slice(0, 200) : '';
  if (answer.httpStatus === 200 && code === 0) return { ok: true, value: b.data };
  if (answer.httpStatus !== 200 && !Number.isFinite(code)) return { ok: false, code: null, detail: `HTTP ${answer.httpStatus}${message ? `: ${message}` : ''}` };
  return { ok: false, code: Number.isFinite(code) ? code : null, detail: message || `unexpected answer (HTTP ${answer.httpStatus})` };
}
