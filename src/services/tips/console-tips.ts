import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction, type Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { acknowledgeFromConsole } from './acknowledge-from-console.js';
import { addTipNote } from './add-tip-note.js';
import { closeTip } from './close-tip.js';
import type { ConsoleTipDetail, TipActor, TipConsoleResult, TipInboxFilter, TipInboxPage, TipTriageInput } from './console-tip-types.js';
import { listTipInbox } from './list-tip-inbox.js';
import { openTipPhoto } from './open-tip-photo.js';
import { openTip } from './open-tip.js';
import { replyFromConsole } from './reply-from-console.js';
import { TipKeys } from './tip-keys.js';
import { tipScopeOf } from './tip-scope-of.js';
import { triageTip } from './triage-tip.js';

/**
 * The tips inbox of the staff console (src/admin/pages/tips/): every verb takes the account's `StaffScope` and checks
 * it on the server (a tip outside it is `not_found`/null, exactly like one that does not exist); views and changes
 * are recorded in the audit log in the same transaction as what they record.
 */
export interface ConsoleTips {
  inbox(scope: StaffScope, filter?: TipInboxFilter): Promise<TipInboxPage>;
  /** The schools the account may filter by and route a tip to, by name. */
  schools(scope: StaffScope): Promise<{ id: string; name: string }[]>;
  /** Whether the account also sees tips that name no school (office-level and system-wide accounts). */
  seesUnassigned(scope: StaffScope): boolean;
  open(scope: StaffScope, id: string, actor: TipActor): Promise<ConsoleTipDetail | null>;
  photo(scope: StaffScope, tipId: string, photoId: string, actor: TipActor): Promise<{ mime: string; data: Buffer } | null>;
  triage(scope: StaffScope, id: string, input: TipTriageInput, actor: TipActor): Promise<TipConsoleResult<{ changed: string[] }>>;
  reply(scope: StaffScope, id: string, text: string, actor: TipActor): Promise<TipConsoleResult<{ notified: boolean }>>;
  addNote(scope: StaffScope, id: string, text: string, actor: TipActor): Promise<TipConsoleResult>;
  close(scope: StaffScope, id: string, outcome: string, actor: TipActor): Promise<TipConsoleResult>;
  acknowledge(scope: StaffScope, id: string, actor: TipActor): Promise<TipConsoleResult<{ already: boolean }>>;
}

/** Wires the console's tip verbs (one per file in this folder) with the tip keys and the database. */
export function createConsoleTips(opts: { prisma: PrismaClient; encryptionKey: Buffer; handleKey: Buffer }): ConsoleTips {
  const keys = new TipKeys(opts.encryptionKey, opts.handleKey);
  const tx = <T>(fn: (repos: Repos) => Promise<T>) => inTransaction(opts.prisma, fn);
  return {
    inbox: (scope, filter) => listTipInbox(createRepos(opts.prisma), scope, filter),
    schools: (scope) => createRepos(opts.prisma).tipInbox.schoolsOf(tipScopeOf(scope)),
    seesUnassigned: (scope) => {
      const kind = tipScopeOf(scope).kind;
      return kind === 'all' || kind === 'office';
    },
    open: (scope, id, actor) => tx((repos) => openTip(repos, keys, scope, id, actor)),
    photo: (scope, tipId, photoId, actor) => tx((repos) => openTipPhoto(repos, keys, scope, tipId, photoId, actor)),
    triage: (scope, id, input, actor) => tx((repos) => triageTip(repos, scope, id, input, actor)),
    reply: (scope, id, text, actor) => tx((repos) => replyFromConsole(repos, keys, scope, id, text, actor)),
    addNote: (scope, id, text, actor) => tx((repos) => addTipNote(repos, keys, scope, id, text, actor)),
    close: (scope, id, outcome, actor) => tx((repos) => closeTip(repos, scope, id, outcome, actor)),
    acknowledge: (scope, id, actor) => tx((repos) => acknowledgeFromConsole(repos, scope, id, actor)),
  };
}
