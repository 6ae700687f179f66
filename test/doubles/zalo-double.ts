// A loopback test double of the Zalo OA Open API v3 (message sends) and Zalo OAuth v4 (token refresh).
// One server serves both hosts, so `url` works as ZALO_OPENAPI_BASE_URL and ZALO_OAUTH_BASE_URL.
// Contract source: /work/shared/PLATFORMS.md, section "Zalo Official Account (OA) Open API v3".
//
// Order of checks on a message send (first hit wins):
//   faults (FaultPlan) -> httpStatusNext -> access token (-216 / -220) -> failNext -> rateLimit (-32) -> validation (-201)
//   -> group messaging disabled (-237) -> group membership (-403) -> success.
// GMF group management (list, quota, create) checks the token, then `failNextManage`, then its own validation.
// Their answer shapes follow community code and Zalo's API Explorer, not a published reference (UNCONFIRMED).
// Error messages are our wording; the codes are the documented ones.
import type { ServerResponse } from 'node:http';
import {
  FailureQueue,
  FaultPlan,
  answerFault,
  RateWindow,
  header,
  isObject,
  randomId,
  sendJson,
  sendRawStatus,
  sleep,
  startLoopback,
  type Exchange,
  type LoopbackServer,
  type RateLimitOptions,
  type RecordedRequest,
} from './http-double.js';

export const ZALO_SEND_PATH = '/v3.0/oa/message/cs';
export const ZALO_GROUP_SEND_PATH = '/v3.0/oa/group/message';
export const ZALO_OAUTH_PATH = '/v4/oa/access_token';
export const ZALO_GROUP_LIST_PATH = '/v3.0/oa/group/getgroupsofoa';
export const ZALO_GROUP_QUOTA_PATH = '/v3.0/oa/quota/group';
export const ZALO_GROUP_CREATE_PATH = '/v3.0/oa/group/creategroupwithoa';

/** Documented Open API error codes (PLATFORMS.md) with our English wording. */
export const ZALO_ERRORS: Record<number, string> = {
  [-32]: 'Request exceeded rate limit',
  [-201]: 'Parameters are invalid',
  [-213]: 'User has not followed the OA',
  [-216]: 'Access token is invalid',
  [-220]: 'Access token has expired',
  [-227]: 'User is banned or has been inactive for more than 45 days',
  [-230]: 'User has not interacted with the OA in the past 7 days',
  [-232]: 'User interaction has expired',
  [-234]: 'Messages cannot be sent between 22:00 and 06:00',
  [-237]: 'GMF group is disabled',
  [-244]: 'User has restricted this type of message',
  [-403]: 'OA is not a member of this group',
};

/**
 * OAuth v4 error codes. UNCONFIRMED: PLATFORMS.md does not list them. The shape follows what community code reports for
 * oauth.zaloapp.com -- HTTP 200 with `{error: <negative int>, error_name, error_reason, error_description}` and no
 * access_token -- so a client must treat "error != 0 or no access_token" as a failed refresh, never trust the status code.
 */
export const ZALO_OAUTH_ERRORS = {
  invalidParameter: { error: -14001, error_name: 'Invalid parameter' },
  invalidAppId: { error: -14002, error_name: 'Invalid app id' },
  invalidSecretKey: { error: -14003, error_name: 'Invalid secret key' },
  invalidRefreshToken: { error: -14014, error_name: 'Invalid refresh token' },
} as const;

/** PLATFORMS.md: text <= 2000 chars. Counted in UTF-16 units (`.length`), the stricter reading. */
export const ZALO_MAX_TEXT = 2000;

export interface ZaloDoubleOptions {
  appId?: string;
  secretKey?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Delay before every OAuth answer (the rotation itself happens on arrival, as a committed server-side change). */
  refreshDelayMs?: number;
  /** When given, group sends to any other group_id answer -403 (OA not in group). */
  groupIds?: string[];
}

/** An OA-owned group the double knows. */
export interface ZaloDoubleGroup {
  id: string;
  name: string;
  /** `disabled`: sends answer -237 (GMF disabled, e.g. its asset expired). */
  status: 'enabled' | 'disabled';
  /** false: the OA is not in the group: sends answer -403 and the listing leaves it out. */
  oaMember: boolean;
  members: string[];
  link: string;
  assetId: string | null;
}

/** The GMF group management calls of the double. */
export type ZaloManageCall = 'list' | 'quota' | 'create';

/** A GMF quota asset of the double. */
export interface ZaloDoubleAsset {
  assetId: string;
  productType: string;
  quotaType: string;
  status: 'available' | 'used';
  usedId?: string;
}

/** How a programmed refresh failure answers: a bare HTTP 500, or an OAuth error body for an invalid refresh token. */
export type ZaloRefreshFailure = 'server' | 'invalid';

/** A message the double accepted (answered `error: 0`). */
export interface ZaloSentMessage {
  kind: 'user' | 'group';
  /** The user_id or group_id the message went to. */
  to: string;
  recipient: Record<string, unknown>;
  message: Record<string, any>;
  messageId: string;
  at: number;
}

interface ZaloFailure {
  code: number;
  message: string;
}

const failure = (code: number, message = ZALO_ERRORS[code] ?? 'Simulated error'): ZaloFailure => ({ code, message });

export class ZaloDouble {
  readonly requests: RecordedRequest[] = [];
  readonly appId: string;
  readonly secretKey: string;
  refreshDelayMs: number;

  private server: LoopbackServer | undefined;
  private current: { accessToken: string; refreshToken: string };
  private readonly expiredTokens = new Set<string>();
  private readonly sends: ZaloSentMessage[] = [];
  private readonly sendFailures = new FailureQueue<ZaloFailure>();
  private readonly rawStatuses = new FailureQueue<number>();
  /** Misbehaviour of the send route (hangs, 429/5xx, garbage, dropped connections) for the chaos run; checked first. */
  readonly faults = new FaultPlan();
  private readonly refreshFailures = new FailureQueue<ZaloRefreshFailure>();
  private rate: RateWindow | undefined;
  private refreshes = 0;
  private refreshTries = 0;
  private readonly groups = new Map<string, ZaloDoubleGroup>();
  private readonly assets: ZaloDoubleAsset[] = [];
  private readonly manageFailures = { any: new FailureQueue<ZaloFailure>(), list: new FailureQueue<ZaloFailure>(), quota: new FailureQueue<ZaloFailure>(), create: new FailureQueue<ZaloFailure>() };

  constructor(private readonly opts: ZaloDoubleOptions = {}) {
    this.appId = opts.appId ?? '1234567890123456789';
    this.secretKey = opts.secretKey ?? 'zalo-secret-key';
    this.current = { accessToken: opts.accessToken ?? 'zalo-access-token-0', refreshToken: opts.refreshToken ?? 'zalo-refresh-token-0' };
    this.refreshDelayMs = opts.refreshDelayMs ?? 0;
  }

  /** Base URL for both ZALO_OPENAPI_BASE_URL and ZALO_OAUTH_BASE_URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    if (!this.server) throw new Error('Zalo double is not started');
    return this.server.url;
  }

  /** The access token sends must carry now. */
  get accessToken(): string {
    return this.current.accessToken;
  }

  /** The only refresh token the OAuth endpoint accepts now (single use). */
  get refreshToken(): string {
    return this.current.refreshToken;
  }

  /** Successful rotations. */
  get refreshCount(): number {
    return this.refreshes;
  }

  /** Every request to the OAuth endpoint, failed ones included. */
  get refreshAttempts(): number {
    return this.refreshTries;
  }

  async start(): Promise<this> {
    this.server = await startLoopback(this.requests, (exchange) => this.route(exchange));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** Accepted message sends (user and group), in order. */
  sent(): ZaloSentMessage[] {
    return [...this.sends];
  }

  /** The current access token now answers -220 (expired) until a refresh replaces it. */
  expireAccessToken(): void {
    this.expiredTokens.add(this.current.accessToken);
  }

  /** The next `times` message sends (with a valid token) answer `{error: code}` with HTTP 200. */
  failNext(errorCode: number, times = 1, message?: string): void {
    this.sendFailures.push(failure(errorCode, message), times);
  }

  /** Answers -32 once more than `limit` sends arrive within `windowMs`; `null` removes the limit. */
  rateLimit(opts: RateLimitOptions | null): void {
    this.rate = opts ? new RateWindow(opts) : undefined;
  }

  /** The next `times` message sends answer a bare HTTP `status` (e.g. 502) before any other check. */
  httpStatusNext(status: number, times = 1): void {
    this.rawStatuses.push(status, times);
  }

  /** The next `times` OAuth calls fail without rotating: `server` = HTTP 500, `invalid` = -14014 body. */
  failRefresh(times = 1, kind: ZaloRefreshFailure = 'server'): void {
    this.refreshFailures.push(kind, times);
  }

  /** Adds (or replaces) a group the OA owns; enabled with the OA in it unless told otherwise. */
  addGroup(g: { id: string; name: string; status?: ZaloDoubleGroup['status']; oaMember?: boolean; members?: string[] }): ZaloDoubleGroup {
    const group: ZaloDoubleGroup = { id: g.id, name: g.name, status: g.status ?? 'enabled', oaMember: g.oaMember ?? true, members: g.members ?? [], link: `https://zalo.me/g/${g.id.slice(0, 8)}`, assetId: null };
    this.groups.set(g.id, group);
    return group;
  }

  /** The groups the double knows (created ones included). */
  listGroups(): ZaloDoubleGroup[] {
    return [...this.groups.values()];
  }

  /** Changes a known group: `status: 'disabled'` makes sends answer -237, `oaMember: false` makes them answer -403. */
  updateGroup(id: string, change: Partial<Pick<ZaloDoubleGroup, 'status' | 'oaMember'>>): void {
    const g = this.groups.get(id);
    if (!g) throw new Error(`Zalo double: no group ${id}`);
    Object.assign(g, change);
  }

  /** Adds GMF quota assets (available unless said). */
  addAssets(...assets: (Omit<ZaloDoubleAsset, 'status'> & { status?: ZaloDoubleAsset['status'] })[]): void {
    for (const a of assets) this.assets.push({ status: 'available', ...a });
  }

  /** The next `times` group management calls (list, quota, create; or only those of `call`) answer `{error: code}`. */
  failNextManage(errorCode: number, times = 1, message?: string, call: ZaloManageCall | 'any' = 'any'): void {
    this.manageFailures[call].push(failure(errorCode, message), times);
  }

  /** Forgets recordings, programmed failures and the rate limit; tokens and counters stay. */
  reset(): void {
    this.requests.length = 0;
    this.sends.length = 0;
    this.groups.clear();
    this.assets.length = 0;
    for (const q of Object.values(this.manageFailures)) q.clear();
    this.sendFailures.clear();
    this.rawStatuses.clear();
    this.faults.clear();
    this.refreshFailures.clear();
    this.rate = undefined;
  }

  private async route({ req, res }: Exchange): Promise<void> {
    if (req.method === 'POST' && req.path === ZALO_SEND_PATH) return this.handleSend(req, res, 'user');
    if (req.method === 'POST' && req.path === ZALO_GROUP_SEND_PATH) return this.handleSend(req, res, 'group');
    if (req.method === 'POST' && req.path === ZALO_OAUTH_PATH) return this.handleRefresh(req, res);
    if (req.method === 'GET' && req.path === ZALO_GROUP_LIST_PATH) return this.handleManage(req, res, 'list', () => this.listAnswer(req));
    if (req.method === 'POST' && req.path === ZALO_GROUP_QUOTA_PATH) return this.handleManage(req, res, 'quota', () => this.quotaAnswer(req.body));
    if (req.method === 'POST' && req.path === ZALO_GROUP_CREATE_PATH) return this.handleManage(req, res, 'create', () => this.createAnswer(req.body));
    sendJson(res, 404, { error: 404, message: `Zalo double: no route ${req.method} ${req.path}` });
  }

  // ---- Open API sends -------------------------------------------------------------------------------------------

  private handleSend(req: RecordedRequest, res: ServerResponse, kind: ZaloSentMessage['kind']): void {
    const fault = this.faults.take(isObject(req.body) && isObject(req.body.recipient) ? (recipientId(req.body.recipient as Record<string, string>, kind) || undefined) : undefined);
    if (fault) return answerFault(res, fault);
    const status = this.rawStatuses.take();
    if (status !== undefined) return sendRawStatus(res, status);
    // PLATFORMS.md: errors come back with HTTP 200 and error != 0.
    const fail = this.checkToken(header(req, 'access_token')) ?? this.sendFailures.take() ?? this.checkRate() ?? validateSend(req.body, kind) ?? this.checkGroup(req.body, kind);
    if (fail) return sendJson(res, 200, { error: fail.code, message: fail.message }, this.rateHeaders());
    const body = req.body as { recipient: Record<string, string>; message: Record<string, any> };
    const to = recipientId(body.recipient, kind);
    const messageId = randomId();
    this.sends.push({ kind, to, recipient: body.recipient, message: body.message, messageId, at: req.at });
    const data = kind === 'user' ? { message_id: messageId, user_id: to } : { message_id: messageId, group_id: to };
    sendJson(res, 200, { error: 0, message: 'Success', data }, this.rateHeaders());
  }

  /** PLATFORMS.md: the token travels in an `access_token` header (not Bearer, not a query parameter). */
  private checkToken(token: string | undefined): ZaloFailure | undefined {
    if (token !== undefined && this.expiredTokens.has(token)) return failure(-220);
    if (token !== this.current.accessToken) return failure(-216);
    return undefined;
  }

  private checkRate(): ZaloFailure | undefined {
    return this.rate && !this.rate.tryHit() ? failure(-32) : undefined;
  }

  private checkGroup(body: unknown, kind: ZaloSentMessage['kind']): ZaloFailure | undefined {
    if (kind !== 'group') return undefined;
    const groupId = recipientId((body as { recipient: Record<string, string> }).recipient, kind);
    const known = this.groups.get(groupId);
    if (known) return known.status === 'disabled' ? failure(-237) : known.oaMember ? undefined : failure(-403);
    if (!this.opts.groupIds) return undefined;
    return this.opts.groupIds.includes(groupId) ? undefined : failure(-403);
  }

  // ---- GMF group management ---------------------------------------------------------------------------------------

  private handleManage(req: RecordedRequest, res: ServerResponse, call: ZaloManageCall, answer: () => { data: unknown } | ZaloFailure): void {
    const fail = this.checkToken(header(req, 'access_token')) ?? this.manageFailures[call].take() ?? this.manageFailures.any.take();
    if (fail) return sendJson(res, 200, { error: fail.code, message: fail.message });
    const out = answer();
    if ('code' in out) return sendJson(res, 200, { error: out.code, message: out.message });
    sendJson(res, 200, { error: 0, message: 'Success', data: out.data });
  }

  /** `GET getgroupsofoa?offset&count` (count at most 50 here; Zalo's own maximum is not documented). */
  private listAnswer(req: RecordedRequest): { data: unknown } | ZaloFailure {
    const offset = Number(req.query.offset ?? 0);
    const count = Math.min(50, Number(req.query.count ?? 5));
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1) return failure(-201, `${ZALO_ERRORS[-201]}: offset and count`);
    const mine = this.listGroups().filter((g) => g.oaMember);
    const page = mine.slice(offset, offset + count).map((g) => ({ group_id: g.id, name: g.name, status: g.status, total_member: g.members.length + 1, group_link: g.link, avatar: '' }));
    return { data: { offset, count, total: mine.length, groups: page } };
  }

  /** `POST quota/group {quota_owner, product_type, quota_type}`: the matching assets, as a list under `data`. */
  private quotaAnswer(body: unknown): { data: unknown } | ZaloFailure {
    if (!isObject(body) || body.quota_owner !== 'OA' || typeof body.product_type !== 'string' || typeof body.quota_type !== 'string') {
      return failure(-201, `${ZALO_ERRORS[-201]}: quota_owner, product_type and quota_type are required`);
    }
    const assets = this.assets.filter((a) => a.productType === body.product_type && a.quotaType === body.quota_type);
    return { data: assets.map((a) => ({ asset_id: a.assetId, product_type: a.productType, quota_type: a.quotaType, status: a.status, used_id: a.usedId ?? '', valid_through: '2099-12-31', auto_renew: false })) };
  }

  /** `POST creategroupwithoa {group_name, group_description?, asset_id, member_user_ids}`. */
  private createAnswer(body: unknown): { data: unknown } | ZaloFailure {
    const invalid = (why: string) => failure(-201, `${ZALO_ERRORS[-201]}: ${why}`);
    if (!isObject(body)) return invalid('body must be a JSON object');
    if (typeof body.group_name !== 'string' || body.group_name.trim() === '' || body.group_name.length > 100) return invalid('group_name is required (at most 100 characters)');
    const members = body.member_user_ids;
    if (!Array.isArray(members) || members.length < 1 || members.length > 99 || !members.every((m) => typeof m === 'string' && m !== '')) return invalid('member_user_ids must list 1 to 99 user ids (strings)');
    const asset = this.assets.find((a) => a.assetId === body.asset_id);
    if (!asset || asset.status !== 'available') return invalid('asset_id is not an available GMF asset');
    const group = this.addGroup({ id: randomId(10), name: body.group_name, members: members as string[] });
    group.assetId = asset.assetId;
    asset.status = 'used';
    asset.usedId = group.id;
    return { data: { group_id: group.id, name: group.name, group_link: group.link, status: group.status, total_member: group.members.length + 1, max_member: Number(asset.productType.replace(/\D/g, '')) || 100 } };
  }

  /** PLATFORMS.md: rate-limit headers X-RateLimit-Limit / X-RateLimit-Remain (sent only while a limit is set). */
  private rateHeaders(): Record<string, string> {
    if (!this.rate) return {};
    return { 'X-RateLimit-Limit': String(this.rate.opts.limit), 'X-RateLimit-Remain': String(this.rate.remaining()) };
  }

  // ---- OAuth v4 refresh -----------------------------------------------------------------------------------------

  private async handleRefresh(req: RecordedRequest, res: ServerResponse): Promise<void> {
    this.refreshTries += 1;
    const outcome = this.refreshOutcome(req);
    await sleep(this.refreshDelayMs);
    if (outcome === 'server') return sendRawStatus(res, 500);
    sendJson(res, 200, outcome);
  }

  /** Decides (and rotates) on arrival; the answer goes out after `refreshDelayMs`, like a slow reply to a committed change. */
  private refreshOutcome(req: RecordedRequest): 'server' | Record<string, unknown> {
    const programmed = this.refreshFailures.take();
    if (programmed === 'server') return 'server';
    const error = programmed === 'invalid' ? ZALO_OAUTH_ERRORS.invalidRefreshToken : this.checkRefresh(req);
    if (error) return oauthError(error);
    const { accessToken, refreshToken } = this.rotate();
    // PLATFORMS.md: response {access_token, refresh_token, expires_in:"90000"} (a string).
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: '90000' };
  }

  /** PLATFORMS.md: form `refresh_token, app_id, grant_type=refresh_token`, header `secret_key`. */
  private checkRefresh(req: RecordedRequest): (typeof ZALO_OAUTH_ERRORS)[keyof typeof ZALO_OAUTH_ERRORS] | undefined {
    const form = req.body;
    const isForm = header(req, 'content-type')?.includes('application/x-www-form-urlencoded') ?? false;
    if (!isForm || !isObject(form) || form.grant_type !== 'refresh_token' || typeof form.refresh_token !== 'string') {
      return ZALO_OAUTH_ERRORS.invalidParameter;
    }
    if (form.app_id !== this.appId) return ZALO_OAUTH_ERRORS.invalidAppId;
    if (header(req, 'secret_key') !== this.secretKey) return ZALO_OAUTH_ERRORS.invalidSecretKey;
    // PLATFORMS.md: the refresh token is SINGLE USE (rotates); any earlier one is rejected.
    if (form.refresh_token !== this.current.refreshToken) return ZALO_OAUTH_ERRORS.invalidRefreshToken;
    return undefined;
  }

  /** New random pair; the previous access token becomes invalid (-216) unless it was already expired (-220). */
  private rotate(): { accessToken: string; refreshToken: string } {
    this.current = { accessToken: `zalo-at-${randomId()}`, refreshToken: `zalo-rt-${randomId()}` };
    this.refreshes += 1;
    return this.current;
  }
}

/** Starts a Zalo double on 127.0.0.1 with a random port. */
export async function startZaloDouble(opts: ZaloDoubleOptions = {}): Promise<ZaloDouble> {
  return new ZaloDouble(opts).start();
}

// ---- Pure helpers -----------------------------------------------------------------------------------------------

function recipientId(recipient: Record<string, string>, kind: ZaloSentMessage['kind']): string {
  return (kind === 'user' ? recipient.user_id : recipient.group_id) ?? '';
}

/** Platform-like validation; every problem is -201 (invalid param). */
export function validateSend(body: unknown, kind: ZaloSentMessage['kind']): ZaloFailure | undefined {
  const invalid = (why: string): ZaloFailure => failure(-201, `${ZALO_ERRORS[-201]}: ${why}`);
  if (!isObject(body)) return invalid('body must be a JSON object');
  const idKey = kind === 'user' ? 'user_id' : 'group_id';
  // PLATFORMS.md: IDs exceed 2^53, keep them as strings -- a numeric id here means precision may already be lost.
  if (!isObject(body.recipient) || typeof body.recipient[idKey] !== 'string' || body.recipient[idKey] === '') {
    return invalid(`recipient.${idKey} is required (as a string)`);
  }
  const message = body.message;
  if (!isObject(message) || (message.text === undefined && message.attachment === undefined)) return invalid('message.text or message.attachment is required');
  if (message.text !== undefined && (typeof message.text !== 'string' || message.text.length === 0)) return invalid('message.text must be a non-empty string');
  if (typeof message.text === 'string' && message.text.length > ZALO_MAX_TEXT) return invalid(`message.text exceeds ${ZALO_MAX_TEXT} characters`);
  if (message.attachment !== undefined && !isObject(message.attachment)) return invalid('message.attachment must be an object');
  // PLATFORMS.md: no button templates in groups (the error code for it is our assumption).
  if (kind === 'group' && hasButtons(message.attachment)) return invalid('button templates are not allowed in groups');
  return undefined;
}

function hasButtons(attachment: unknown): boolean {
  if (!isObject(attachment) || !isObject(attachment.payload)) return false;
  const { buttons, elements } = attachment.payload;
  const elementButtons = Array.isArray(elements) && elements.some((e: unknown) => isObject(e) && Array.isArray(e.buttons) && e.buttons.length > 0);
  return (Array.isArray(buttons) && buttons.length > 0) || elementButtons;
}

function oauthError(error: { error: number; error_name: string }): Record<string, unknown> {
  return {
    error: error.error,
    error_name: error.error_name,
    error_reason: error.error_name,
    error_description: `${error.error_name} (Zalo double)`,
  };
}
