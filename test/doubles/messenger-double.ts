// A loopback test double of the Meta Messenger Send API and Messenger Profile API on the Graph API.
// `url` works as MESSENGER_GRAPH_BASE_URL: the client calls `${url}/v25.0/me/messages` or `${url}/v25.0/<PAGE_ID>/messages`.
// Contract source: /work/shared/PLATFORMS.md, section "Messenger Platform".
//
// Order of checks on a Send API call (first hit wins):
//   faults (FaultPlan) -> httpStatusNext -> access token (104 / 190) -> node is `me` or the page id (100/33) -> failNext -> rateLimit (613)
//   -> validation (100) -> success.
// Programmed failures and the rate limit apply to the Send API only (sender actions included), not to messenger_profile.
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
  startLoopback,
  type Exchange,
  type LoopbackServer,
  type RateLimitOptions,
  type RecordedRequest,
} from './http-double.js';

/** `/v25.0/me/messages`, `/v26.0/<PAGE_ID>/messages`, `/v25.0/me/messenger_profile`: any `v<major>.<minor>`. */
const GRAPH_ROUTE = /^\/(v\d+\.\d+)\/([^/]+)\/(messages|messenger_profile)$/;

/** PLATFORMS.md limits. */
export const MESSENGER_LIMITS = { text: 2000, quickReplies: 13, quickReplyTitle: 20, buttons: 3, genericElements: 10 } as const;
/** PLATFORMS.md: these tags return error 100 from 2026-04-27. */
export const RETIRED_TAGS = ['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE'] as const;
const LIVE_TAGS = ['HUMAN_AGENT', 'CUSTOMER_FEEDBACK'];
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen'];
const PROFILE_FIELDS = ['get_started', 'greeting', 'ice_breakers', 'persistent_menu', 'whitelisted_domains'];

/** A Graph error to answer. `httpStatus` defaults to 400, `type` to OAuthException. */
export interface GraphErrorSpec {
  code: number;
  subcode?: number;
  message?: string;
  httpStatus?: number;
  type?: string;
}

/** Default wording for the codes PLATFORMS.md lists (4/32/613 rate, 551 unavailable, 10/2018278 window, 100 invalid). */
export function graphMessage(code: number, subcode?: number): string {
  if (code === 10 && subcode === 2018278) return '(#10) This message is sent outside of allowed window.';
  const known: Record<number, string> = {
    4: '(#4) Application request limit reached',
    32: '(#32) Page request limit reached',
    613: '(#613) Calls to this api have exceeded the rate limit.',
    551: "(#551) This person isn't available right now.",
    100: '(#100) Invalid parameter',
    190: 'Invalid OAuth access token.',
  };
  return known[code] ?? `(#${code}) Simulated error`;
}

export interface MessengerDoubleOptions {
  /** The page access token the double accepts. */
  accessToken?: string;
  /** The page id accepted in `/<version>/<PAGE_ID>/messages` (besides `me`). */
  pageId?: string;
}

/** A message the double accepted. */
export interface MessengerSentMessage {
  recipientId: string;
  messagingType: string;
  message: Record<string, any>;
  tag?: string;
  messageId: string;
  /** `me` or the page id used in the path. */
  node: string;
  version: string;
  at: number;
}

export interface MessengerSenderAction {
  recipientId: string;
  action: string;
  at: number;
}

interface GraphRoute {
  version: string;
  node: string;
  edge: 'messages' | 'messenger_profile';
}

export class MessengerDouble {
  readonly requests: RecordedRequest[] = [];
  readonly pageId: string;

  private server: LoopbackServer | undefined;
  private token: string;
  private readonly sends: MessengerSentMessage[] = [];
  private readonly actions: MessengerSenderAction[] = [];
  private readonly profileState: Record<string, unknown> = {};
  private readonly failures = new FailureQueue<GraphErrorSpec>();
  private readonly rawStatuses = new FailureQueue<number>();
  /** Misbehaviour of the send route (hangs, 429/5xx, garbage, dropped connections) for the chaos run; checked first. */
  readonly faults = new FaultPlan();
  private rate: RateWindow | undefined;

  constructor(opts: MessengerDoubleOptions = {}) {
    this.token = opts.accessToken ?? 'messenger-page-token';
    this.pageId = opts.pageId ?? '100000000000001';
  }

  /** Base URL for MESSENGER_GRAPH_BASE_URL, e.g. `http://127.0.0.1:40124`. */
  get url(): string {
    if (!this.server) throw new Error('Messenger double is not started');
    return this.server.url;
  }

  get accessToken(): string {
    return this.token;
  }

  async start(): Promise<this> {
    this.server = await startLoopback(this.requests, (exchange) => this.route(exchange));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** Accepted message sends (not sender actions), in order. */
  sent(): MessengerSentMessage[] {
    return [...this.sends];
  }

  /** Accepted sender actions (typing_on, typing_off, mark_seen), in order. */
  senderActions(): MessengerSenderAction[] {
    return [...this.actions];
  }

  /** The Messenger Profile as set so far (fields merged, last write wins): get_started, greeting, persistent_menu, ... */
  get profile(): Record<string, any> {
    return structuredClone(this.profileState);
  }

  /** Replaces the accepted token: calls with the old one answer 190 (e.g. a revoked page token). */
  setAccessToken(token: string): void {
    this.token = token;
  }

  /** The next `times` Send API calls answer this Graph error. */
  failNext(error: GraphErrorSpec, times = 1): void {
    this.failures.push(error, times);
  }

  /** Answers 613 (HTTP 400) once more than `limit` Send API calls arrive within `windowMs`; `null` removes the limit. */
  rateLimit(opts: RateLimitOptions | null): void {
    this.rate = opts ? new RateWindow(opts) : undefined;
  }

  /** The next `times` Send API calls answer a bare HTTP `status` (e.g. 503) before any other check. */
  httpStatusNext(status: number, times = 1): void {
    this.rawStatuses.push(status, times);
  }

  /** Forgets recordings, profile, programmed failures and the rate limit. */
  reset(): void {
    this.requests.length = 0;
    this.sends.length = 0;
    this.actions.length = 0;
    for (const key of Object.keys(this.profileState)) delete this.profileState[key];
    this.failures.clear();
    this.rawStatuses.clear();
    this.faults.clear();
    this.rate = undefined;
  }

  private route({ req, res }: Exchange): void {
    const match = GRAPH_ROUTE.exec(req.path);
    if (req.method !== 'POST' || !match) {
      return answerError(res, { code: 2500, message: `Unknown path components: ${req.path}` });
    }
    const route = { version: match[1] ?? '', node: match[2] ?? '', edge: match[3] as GraphRoute['edge'] };
    if (route.edge === 'messages') return this.handleSend(req, res, route);
    return this.handleProfile(req, res, route);
  }

  // ---- Send API -------------------------------------------------------------------------------------------------

  private handleSend(req: RecordedRequest, res: ServerResponse, route: GraphRoute): void {
    const fault = this.faults.take(isObject(req.body) && isObject(req.body.recipient) && typeof req.body.recipient.id === 'string' ? req.body.recipient.id : undefined);
    if (fault) return answerFault(res, fault);
    const status = this.rawStatuses.take();
    if (status !== undefined) return sendRawStatus(res, status);
    const error = this.checkToken(req) ?? this.checkNode(route) ?? this.failures.take() ?? this.checkRate() ?? validateSend(req.body);
    if (error) return answerError(res, error);
    const body = req.body as Record<string, any>;
    const recipientId = body.recipient.id as string;
    if (body.sender_action !== undefined) {
      this.actions.push({ recipientId, action: body.sender_action, at: req.at });
      return sendJson(res, 200, { recipient_id: recipientId });
    }
    const messageId = `m_${randomId()}`;
    this.sends.push({ recipientId, messagingType: body.messaging_type, message: body.message, tag: body.tag, messageId, node: route.node, version: route.version, at: req.at });
    sendJson(res, 200, { recipient_id: recipientId, message_id: messageId });
  }

  /** Token from the `access_token` query parameter, or an `Authorization: Bearer` header. */
  private checkToken(req: RecordedRequest): GraphErrorSpec | undefined {
    const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const token = req.query.access_token ?? bearer;
    if (token === undefined) return { code: 104, message: 'An access token is required to request this resource.' };
    return token === this.token ? undefined : { code: 190 };
  }

  /** Graph's answer for an object the token cannot post to. */
  private checkNode(route: GraphRoute): GraphErrorSpec | undefined {
    if (route.node === 'me' || route.node === this.pageId) return undefined;
    const message = `Unsupported post request. Object with ID '${route.node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
    return { code: 100, subcode: 33, type: 'GraphMethodException', message };
  }

  private checkRate(): GraphErrorSpec | undefined {
    return this.rate && !this.rate.tryHit() ? { code: 613 } : undefined;
  }

  // ---- Messenger Profile API ------------------------------------------------------------------------------------

  /** PLATFORMS.md: get_started, greeting, ice_breakers, persistent_menu. Fields merge into `profile`. */
  private handleProfile(req: RecordedRequest, res: ServerResponse, route: GraphRoute): void {
    const error = this.checkToken(req) ?? this.checkNode(route) ?? validateProfile(req.body);
    if (error) return answerError(res, error);
    Object.assign(this.profileState, structuredClone(req.body));
    sendJson(res, 200, { result: 'success' });
  }
}

/** Starts a Messenger double on 127.0.0.1 with a random port. */
export async function startMessengerDouble(opts: MessengerDoubleOptions = {}): Promise<MessengerDouble> {
  return new MessengerDouble(opts).start();
}

// ---- Pure helpers -----------------------------------------------------------------------------------------------

/** Graph error body `{error:{message, type, code, error_subcode, fbtrace_id}}`. */
export function graphErrorBody(spec: GraphErrorSpec): { error: Record<string, unknown> } {
  return {
    error: {
      message: spec.message ?? graphMessage(spec.code, spec.subcode),
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      error_subcode: spec.subcode,
      fbtrace_id: `A${randomId(8)}`,
    },
  };
}

function answerError(res: ServerResponse, spec: GraphErrorSpec): void {
  sendJson(res, spec.httpStatus ?? 400, graphErrorBody(spec));
}

const invalid = (message: string): GraphErrorSpec => ({ code: 100, message: `(#100) ${message}` });

/** Platform-like validation of a Send API body; every problem is code 100. */
export function validateSend(body: unknown): GraphErrorSpec | undefined {
  if (!isObject(body)) return invalid('The request body must be a JSON object');
  // IDs stay strings (PSIDs can exceed 2^53); the double is strict about it to catch precision loss.
  if (!isObject(body.recipient) || typeof body.recipient.id !== 'string' || body.recipient.id === '') return invalid('The parameter recipient is required');
  if (body.sender_action !== undefined) return validateSenderAction(body);
  if (!isObject(body.message)) return invalid('Must send either message or state');
  return validateMessagingType(body) ?? validateMessage(body.message);
}

function validateSenderAction(body: Record<string, any>): GraphErrorSpec | undefined {
  if (body.message !== undefined) return invalid('sender_action cannot be sent with message');
  return SENDER_ACTIONS.includes(body.sender_action) ? undefined : invalid(`param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`);
}

/** PLATFORMS.md: messaging_type RESPONSE | UPDATE | MESSAGE_TAG; retired tags answer 100; HUMAN_AGENT remains. */
function validateMessagingType(body: Record<string, any>): GraphErrorSpec | undefined {
  if (!MESSAGING_TYPES.includes(body.messaging_type)) return invalid(`param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);
  if (body.messaging_type === 'MESSAGE_TAG' && body.tag === undefined) return invalid('param tag is required with messaging_type MESSAGE_TAG');
  if (body.tag === undefined) return undefined;
  if ((RETIRED_TAGS as readonly string[]).includes(body.tag)) return invalid(`The tag ${String(body.tag)} is no longer supported`);
  return LIVE_TAGS.includes(body.tag) ? undefined : invalid(`param tag must be one of {${LIVE_TAGS.join(', ')}}`);
}

function validateMessage(message: Record<string, any>): GraphErrorSpec | undefined {
  const hasText = message.text !== undefined;
  const hasAttachment = message.attachment !== undefined;
  if (hasText === hasAttachment) return invalid(hasText ? 'Only one of text or attachment may be set' : 'Message cannot be empty, must provide valid attachment or text');
  if (hasText && (typeof message.text !== 'string' || message.text === '')) return invalid('param message[text] must be a non-empty string');
  if (hasText && message.text.length > MESSENGER_LIMITS.text) return invalid(`Length of param message[text] must be less than or equal to ${MESSENGER_LIMITS.text}`);
  return validateQuickReplies(message.quick_replies) ?? (hasAttachment ? validateAttachment(message.attachment) : undefined);
}

/** PLATFORMS.md: quick replies <= 13, title <= 20 chars. */
function validateQuickReplies(quickReplies: unknown): GraphErrorSpec | undefined {
  if (quickReplies === undefined) return undefined;
  if (!Array.isArray(quickReplies)) return invalid('param message[quick_replies] must be an array');
  if (quickReplies.length > MESSENGER_LIMITS.quickReplies) return invalid(`param message[quick_replies] must have at most ${MESSENGER_LIMITS.quickReplies} elements`);
  for (const [i, reply] of quickReplies.entries()) {
    if (!isObject(reply)) return invalid(`param message[quick_replies][${i}] must be an object`);
    if (reply.content_type !== 'text') continue;
    if (typeof reply.title !== 'string' || reply.title === '') return invalid(`param message[quick_replies][${i}][title] is required`);
    if (reply.title.length > MESSENGER_LIMITS.quickReplyTitle) return invalid(`param message[quick_replies][${i}][title] must be at most ${MESSENGER_LIMITS.quickReplyTitle} characters`);
  }
  return undefined;
}

/** PLATFORMS.md: button template 3 buttons; generic template <= 10 elements (3 buttons each). */
function validateAttachment(attachment: unknown): GraphErrorSpec | undefined {
  if (!isObject(attachment) || typeof attachment.type !== 'string') return invalid('param message[attachment][type] is required');
  if (attachment.type !== 'template') return undefined;
  const payload = isObject(attachment.payload) ? attachment.payload : {};
  if (payload.template_type === 'button') return checkButtons(payload.buttons, 'message[attachment][payload][buttons]');
  if (payload.template_type !== 'generic') return undefined;
  const elements: unknown[] = Array.isArray(payload.elements) ? payload.elements : [];
  if (elements.length > MESSENGER_LIMITS.genericElements) return invalid(`param message[attachment][payload][elements] must have at most ${MESSENGER_LIMITS.genericElements} elements`);
  for (const [i, element] of elements.entries()) {
    const error = isObject(element) && element.buttons !== undefined ? checkButtons(element.buttons, `message[attachment][payload][elements][${i}][buttons]`) : undefined;
    if (error) return error;
  }
  return undefined;
}

function checkButtons(buttons: unknown, param: string): GraphErrorSpec | undefined {
  if (!Array.isArray(buttons) || buttons.length === 0) return invalid(`param ${param} must be a non-empty array`);
  return buttons.length > MESSENGER_LIMITS.buttons ? invalid(`param ${param} must have at most ${MESSENGER_LIMITS.buttons} elements`) : undefined;
}

function validateProfile(body: unknown): GraphErrorSpec | undefined {
  if (!isObject(body)) return invalid('The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !PROFILE_FIELDS.includes(key));
  if (unknown.length > 0) return invalid(`Unknown profile fields: ${unknown.join(', ')}`);
  if (Object.keys(body).length === 0) return invalid('At least one profile field is required');
  if (body.get_started !== undefined && (!isObject(body.get_started) || typeof body.get_started.payload !== 'string')) return invalid('param get_started[payload] is required');
  if (body.greeting !== undefined && !Array.isArray(body.greeting)) return invalid('param greeting must be an array');
  if (body.persistent_menu !== undefined && !Array.isArray(body.persistent_menu)) return invalid('param persistent_menu must be an array');
  return undefined;
}
