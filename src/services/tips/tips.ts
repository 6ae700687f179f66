import type { PrismaClient } from '../../store/database.js';
import { inTransaction, type Repos } from '../../store/repos.js';
import type { TipListRow, TipScope } from '../../store/tip.repo.js';
import { sourceOf } from '../limits/attempt-limits.js';
import { acknowledgeTip } from './acknowledge-tip.js';
import { addTipInfo, type AddTipInfoResult } from './add-tip-info.js';
import { attachTipPhotos } from './attach-tip-photos.js';
import { downloadImage, type FetchImage } from './download-image.js';
import { fetchTipPhotos } from './fetch-tip-photos.js';
import { listTips } from './list-tips.js';
import { lookUpTip, type LookUpSource, type LookUpTipResult } from './look-up-tip.js';
import type { PreparedTipPhoto } from './photo-request.js';
import { replyToTipster } from './reply-to-tipster.js';
import { setTipStatus } from './set-tip-status.js';
import { submitTip, type Submitter, type SubmitTipResult, type TipDraft } from './submit-tip.js';
import { sweepTips, type SweepResult } from './sweep-tips.js';
import { TipKeys } from './tip-keys.js';
import type { TipActionResult } from './tip-rules.js';
import { viewTipPhoto } from './view-tip-photo.js';
import { viewTip, type TipDetail } from './view-tip.js';

/** What the tip verbs are wired with. */
export interface TipsOptions {
  prisma: PrismaClient;
  encryptionKey: Buffer;
  handleKey: Buffer;
  /** Absolute or relative address of the web form (`/tip`). */
  webFormUrl: string;
  retentionDays: number;
  /** Tips one submitter may send per UTC day (default 5). */
  dailyLimit?: number;
  /** Fetches a photo from the platform's address (tests inject a double); default: HTTPS only, 5 MB, 5 s. */
  fetchImage?: FetchImage;
}

/**
 * The tip verbs wired with their keys, for the chat (inside a turn's transaction: the `repos` given), the web form,
 * and handlers (each call its own transaction). Anonymous tips (DESIGN.md §4): nothing here logs.
 */
export interface Tips {
  readonly webFormUrl: string;
  submit(repos: Repos, draft: TipDraft, from: Submitter, now: Date): Promise<SubmitTipResult>;
  lookUp(repos: Repos, code: string, pin: string, from: LookUpSource, now: Date): Promise<LookUpTipResult>;
  addInfo(repos: Repos, grant: string, text: string, now: Date): Promise<AddTipInfoResult>;
  /** Downloads and prepares the photos of a submission: outside any transaction. */
  fetchPhotos(request: string): Promise<PreparedTipPhoto[]>;
  attachPhotos(repos: Repos, request: string, photos: readonly PreparedTipPhoto[], now: Date): Promise<{ stored: number }>;
  sealForState(value: string): string;
  openFromState(sealed: string): string | null;
  /** The web form: `clientAddress` only feeds the keyed limit hashes and is never stored. */
  submitFromWeb(draft: Omit<TipDraft, 'photoUrls'>, clientAddress: string, now?: Date): Promise<SubmitTipResult>;
  lookUpFromWeb(code: string, pin: string, clientAddress: string, now?: Date): Promise<LookUpTipResult>;
  addInfoFromWeb(grant: string, text: string, now?: Date): Promise<AddTipInfoResult>;
  list(scope: TipScope, filter?: { status?: string; limit?: number }): Promise<TipListRow[]>;
  view(scope: TipScope, id: string): Promise<TipDetail | null>;
  photo(scope: TipScope, tipId: string, id: string): Promise<{ mime: string; data: Buffer } | null>;
  setStatus(scope: TipScope, id: string, status: string, outcome?: string): Promise<TipActionResult>;
  acknowledge(scope: TipScope, id: string): Promise<TipActionResult>;
  reply(scope: TipScope, id: string, text: string): Promise<TipActionResult & { notified?: boolean }>;
  sweep(now?: Date): Promise<SweepResult>;
}

/** Wires the tip verbs (one per file in this folder) with their keys and database. */
export function createTips(opts: TipsOptions): Tips {
  const keys = new TipKeys(opts.encryptionKey, opts.handleKey);
  const dailyLimit = opts.dailyLimit ?? 5;
  const tx = <T>(fn: (repos: Repos) => Promise<T>) => inTransaction(opts.prisma, fn);
  const tips: Tips = {
    webFormUrl: opts.webFormUrl,
    submit: (repos, draft, from, now) => submitTip(repos, keys, draft, from, now, dailyLimit),
    lookUp: (repos, code, pin, from, now) => lookUpTip(repos, keys, code, pin, from, now),
    addInfo: (repos, grant, text, now) => addTipInfo(repos, keys, grant, text, now),
    fetchPhotos: (request) => fetchTipPhotos(keys, request, opts.fetchImage ?? downloadImage),
    attachPhotos: (repos, request, photos, now) => attachTipPhotos(repos, keys, request, photos, now),
    sealForState: (value) => keys.sealForState(value),
    openFromState: (sealed) => keys.openFromState(sealed),
    submitFromWeb: (draft, clientAddress, now = new Date()) => tx((repos) => tips.submit(repos, draft, { submitter: `web:${clientAddress}`, route: null }, now)),
    lookUpFromWeb: (code, pin, clientAddress, now = new Date()) => tx((repos) => tips.lookUp(repos, code, pin, { source: `web:${sourceOf(clientAddress)}` }, now)),
    addInfoFromWeb: (grant, text, now = new Date()) => tx((repos) => tips.addInfo(repos, grant, text, now)),
    list: (scope, filter) => tx((repos) => listTips(repos, scope, filter)),
    view: (scope, id) => tx((repos) => viewTip(repos, keys, scope, id)),
    photo: (scope, tipId, id) => tx((repos) => viewTipPhoto(repos, keys, scope, tipId, id)),
    setStatus: (scope, id, status, outcome) => tx((repos) => setTipStatus(repos, scope, id, status, outcome, new Date())),
    acknowledge: (scope, id) => tx((repos) => acknowledgeTip(repos, scope, id, new Date())),
    reply: (scope, id, text) => tx((repos) => replyToTipster(repos, keys, scope, id, text, new Date())),
    sweep: (now = new Date()) => tx((repos) => sweepTips(repos, opts.retentionDays, now)),
  };
  return tips;
}
