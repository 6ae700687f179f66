import { randomUUID } from 'node:crypto';
import type { ContactIdentity, ContactPatch, ContactRecord } from './contact.repo.js';
import type { StoredConversation } from './conversation.repo.js';
import type { Db, DirectQuery } from './database.js';
import { sqlText, type SqlText } from './sql-text.js';
import type { ContactTimes, StoredRow } from './tip-trace.repo.js';

/** What a turn starts from: the contact (touched), its times before the touch, and its conversation row. */
export interface TurnStart {
  contact: ContactRecord;
  /** The contact's times before this turn, or null when this turn created it (a tip-flow turn puts them back). */
  before: ContactTimes | null;
  /** The conversation row as stored (with its times and resume state), or null. */
  conversation: StoredRow | null;
}

/** A reply of the turn, in order; the turn's event, channel, lane and recipient are the same for all. */
export interface TurnFinish {
  eventId: bigint;
  owner: string;
  attempt: number;
  contactId: string;
  /** What the turn changed on the contact's profile (written here, in the same statement). */
  contactPatch: ContactPatch;
  /**
   * When the person wrote, for a turn that did not `start` (outside a transaction): the contact is touched here.
   * Null when `start` touched it, or for a follow-up or sensitive turn.
   */
  touchAt: Date | null;
  /** The state to store, null to end the conversation, or `keep` when the caller already wrote it (tip flows). */
  conversation: StoredConversation | null | 'keep';
  replies: { channel: string; accountId: string; recipient: string; laneKey: string; messages: unknown[] };
  /** A tip-flow turn: its replies are marked sensitive and the event keeps no lane or processing time. */
  sensitive: boolean;
  /** Sensitive turns only: when the person wrote (the reply window, since the contact row does not move). */
  interactionAt: Date | null;
  /** Follow-up events in the same lane, in order (effects run after commit). */
  followUps: { dedupeKey: string; payload: unknown }[];
  now: Date;
}

/**
 * The statements of one turn, each doing in one round trip what the turn needs at that point: `start` touches the
 * contact and reads what the flow needs (`read` only reads, for a turn outside a transaction); `finish` stores the
 * state, the replies, the follow-ups and the contact's changes and completes the event, all conditional on the lease
 * still being ours.
 */
export class TurnRepo {
  /**
   * `direct`: outside a transaction, `read` and `finish` skip Prisma's query pipeline (database.ts `DirectQuery`);
   * with `directWrites: false` only `read` does (read-only repositories keep their guard on writes).
   */
  constructor(
    private readonly db: Db,
    private readonly direct?: DirectQuery,
    private readonly opts: { directWrites?: boolean } = {},
  ) {}

  private query<T>(q: SqlText, writes: boolean): Promise<T[]> {
    const direct = writes && this.opts.directWrites === false ? undefined : this.direct;
    return direct ? direct<T>(q.text, q.values) : this.db.$queryRawUnsafe<T[]>(q.text, ...q.values);
  }

  /**
   * Finds or creates the contact and, when `touchAt` is given, records that they interacted then (a follow-up turn
   * passes null: the person did not write). Returns the contact, its times before this statement and its conversation.
   */
  async start(identity: ContactIdentity, touchAt: Date | null, now: Date): Promise<TurnStart> {
    const touch = touchAt !== null;
    const rows = await this.db.$queryRaw<StartRow[]>`
      WITH before AS (
        SELECT "id", "lastInteractionAt", "updatedAt" FROM "Contact"
        WHERE "channel" = ${identity.channel} AND "accountId" = ${identity.accountId} AND "userId" = ${identity.userId}
      ), c AS (
        INSERT INTO "Contact" ("id", "channel", "accountId", "userId", "lastInteractionAt", "updatedAt")
        VALUES (${randomUUID()}, ${identity.channel}, ${identity.accountId}, ${identity.userId}, ${touchAt}::timestamp(3), ${now}::timestamp(3))
        ON CONFLICT ("channel", "accountId", "userId") DO UPDATE SET
          "lastInteractionAt" = CASE WHEN ${touch}::boolean THEN EXCLUDED."lastInteractionAt" ELSE "Contact"."lastInteractionAt" END,
          "updatedAt" = CASE WHEN ${touch}::boolean THEN EXCLUDED."updatedAt" ELSE "Contact"."updatedAt" END
        RETURNING "id", "role", "schoolId", "classId", "locale", "subscribed", "lastInteractionAt"
      )
      SELECT c.*, b."lastInteractionAt" AS "beforeInteractionAt", b."updatedAt" AS "beforeUpdatedAt", b."id" IS NOT NULL AS "existed",
        v."flowId", v."stepId", v."version", v."data", v."expiresAt", v."updatedAt" AS "conversationUpdatedAt", v."resumeState"
      FROM c LEFT JOIN before b ON true LEFT JOIN "Conversation" v ON v."contactId" = c."id"`;
    const r = rows[0];
    if (!r) throw new Error('contact upsert returned no row');
    return {
      contact: contactOf(r),
      before: r.existed ? { id: r.id, lastInteractionAt: r.beforeInteractionAt, updatedAt: r.beforeUpdatedAt as Date } : null,
      conversation: conversationOf(r),
    };
  }

  /**
   * Reads the contact and its conversation, writing nothing (a turn outside a transaction: `finish` then touches the
   * contact). Null when the contact does not exist yet.
   */
  async read(identity: ContactIdentity): Promise<Omit<TurnStart, 'before'> | null> {
    const rows = await this.query<ReadRow>(sqlText`
      SELECT c."id", c."role", c."schoolId", c."classId", c."locale", c."subscribed", c."lastInteractionAt",
        v."flowId", v."stepId", v."version", v."data", v."expiresAt", v."updatedAt" AS "conversationUpdatedAt", v."resumeState"
      FROM "Contact" c LEFT JOIN "Conversation" v ON v."contactId" = c."id"
      WHERE c."channel" = ${identity.channel} AND c."accountId" = ${identity.accountId} AND c."userId" = ${identity.userId}`, false);
    const r = rows[0];
    return r ? { contact: contactOf(r), conversation: conversationOf(r) } : null;
  }

  /**
   * Creates the contact of a person writing for the first time, untouched (`finish` touches it) and with its creation
   * time kept to the hour, as a tip-flow turn would leave it (README "Anonymous tips"): a first message that turns out
   * to be a tip leaves no precise time. Returns it, or null when the contact existed after all (the caller reads it).
   */
  async create(identity: ContactIdentity, hour: Date): Promise<Omit<TurnStart, 'before'> | null> {
    const rows = await this.query<ReadRow>(sqlText`
      WITH ins AS (
        INSERT INTO "Contact" ("id", "channel", "accountId", "userId", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${identity.channel}, ${identity.accountId}, ${identity.userId}, ${hour}::timestamp(3), ${hour}::timestamp(3))
        ON CONFLICT ("channel", "accountId", "userId") DO NOTHING
        RETURNING "id", "role", "schoolId", "classId", "locale", "subscribed", "lastInteractionAt"
      )
      SELECT *, NULL::text AS "flowId" FROM ins`, true);
    const r = rows[0];
    return r ? { contact: contactOf(r), conversation: null } : null;
  }

  /**
   * Stores the turn's outcome and completes its event in one statement. Writes nothing and returns false when the
   * lease was lost (another worker took the event, or `attempt` is stale): the caller then rolls the turn back.
   */
  async finish(t: TurnFinish): Promise<boolean> {
    const state = t.conversation === 'keep' ? null : t.conversation;
    const save = t.conversation !== 'keep' && t.conversation !== null;
    const drop = t.conversation === null;
    const interactionAt = t.sensitive ? t.interactionAt : null;
    const p = t.contactPatch;
    const has = (key: keyof ContactPatch) => p[key] !== undefined;
    const patched = Object.values(p).some((v) => v !== undefined);
    const touch = t.touchAt !== null && !t.sensitive;
    const rows = await this.query<{ n: number }>(sqlText`
      WITH done AS (
        UPDATE "InboundEvent" SET "status" = 'done', "payload" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = NULL,
          "processedAt" = CASE WHEN ${t.sensitive}::boolean THEN NULL ELSE now() END,
          "laneKey" = CASE WHEN ${t.sensitive}::boolean THEN '' ELSE "laneKey" END,
          "receivedAt" = CASE WHEN ${t.sensitive}::boolean THEN date_trunc('hour', "receivedAt") ELSE "receivedAt" END,
          "availableAt" = CASE WHEN ${t.sensitive}::boolean THEN date_trunc('hour', "availableAt") ELSE "availableAt" END
        WHERE "id" = ${t.eventId} AND "status" = 'processing' AND "leaseOwner" = ${t.owner} AND "attempts" = ${t.attempt}
        RETURNING "id"
      ), contact AS (
        UPDATE "Contact" SET
          "role" = CASE WHEN ${has('role')}::boolean THEN ${p.role ?? null}::text ELSE "role" END,
          "schoolId" = CASE WHEN ${has('schoolId')}::boolean THEN ${p.schoolId ?? null}::text ELSE "schoolId" END,
          "classId" = CASE WHEN ${has('classId')}::boolean THEN ${p.classId ?? null}::text ELSE "classId" END,
          "locale" = CASE WHEN ${has('locale')}::boolean THEN ${p.locale ?? 'vi'}::text ELSE "locale" END,
          "subscribed" = CASE WHEN ${has('subscribed')}::boolean THEN ${p.subscribed ?? true}::boolean ELSE "subscribed" END,
          "lastInteractionAt" = CASE WHEN ${touch}::boolean THEN ${t.touchAt}::timestamp(3) ELSE "lastInteractionAt" END,
          "updatedAt" = ${t.now}::timestamp(3)
        WHERE "id" = ${t.contactId} AND (${touch}::boolean OR ${patched}::boolean) AND EXISTS (SELECT 1 FROM done)
      ), saved AS (
        INSERT INTO "Conversation" ("contactId", "flowId", "stepId", "version", "data", "expiresAt", "updatedAt")
        SELECT ${t.contactId}::text, ${state?.flowId ?? ''}::text, ${state?.stepId ?? ''}::text, ${state?.version ?? 0}::int,
          ${JSON.stringify(state?.data ?? {})}::jsonb, ${state?.expiresAt ?? t.now}::timestamp(3), ${t.now}::timestamp(3)
        FROM done WHERE ${save}::boolean
        ON CONFLICT ("contactId") DO UPDATE SET "flowId" = EXCLUDED."flowId", "stepId" = EXCLUDED."stepId",
          "version" = EXCLUDED."version", "data" = EXCLUDED."data", "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
      ), dropped AS (
        DELETE FROM "Conversation" WHERE "contactId" = ${t.contactId} AND ${drop}::boolean AND EXISTS (SELECT 1 FROM done)
      ), replies AS (
        INSERT INTO "Delivery" ("contactId", "channel", "accountId", "recipient", "laneKey", "message", "inboundEventId", "notBefore", "sensitive", "interactionAt")
        SELECT ${t.contactId}::text, ${t.replies.channel}::text, ${t.replies.accountId}::text, ${t.replies.recipient}::text, ${t.replies.laneKey}::text,
          m.value, done."id", ${t.now}::timestamp(3), ${t.sensitive}::boolean, ${interactionAt}::timestamp(3)
        FROM done, jsonb_array_elements(${JSON.stringify(t.replies.messages)}::jsonb) WITH ORDINALITY AS m
        -- Ids follow this order: one turn's replies are sent in the order the flow wrote them.
        ORDER BY m.ordinality
      ), follow_ups AS (
        INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload")
        SELECT ${t.replies.channel}::text, ${t.replies.accountId}::text, f.value->>'dedupeKey', ${t.replies.laneKey}::text, f.value->'payload'
        FROM done, jsonb_array_elements(${JSON.stringify(t.followUps)}::jsonb) WITH ORDINALITY AS f
        ORDER BY f.ordinality
        ON CONFLICT ("channel", "dedupeKey") DO NOTHING
      )
      SELECT count(*)::int AS "n" FROM done`, true);
    return rows[0]?.n === 1;
  }
}

interface ReadRow {
  id: string;
  role: string | null;
  schoolId: string | null;
  classId: string | null;
  locale: string;
  subscribed: boolean;
  lastInteractionAt: Date | null;
  flowId: string | null;
  stepId: string | null;
  version: number | null;
  data: unknown;
  expiresAt: Date | null;
  conversationUpdatedAt: Date | null;
  resumeState: unknown;
}

interface StartRow extends ReadRow {
  beforeInteractionAt: Date | null;
  beforeUpdatedAt: Date | null;
  existed: boolean;
}

function contactOf(r: ReadRow): ContactRecord {
  return { id: r.id, role: r.role, schoolId: r.schoolId, classId: r.classId, locale: r.locale, subscribed: r.subscribed, lastInteractionAt: r.lastInteractionAt };
}

function conversationOf(r: ReadRow): StoredRow | null {
  if (r.flowId === null) return null;
  return { flowId: r.flowId, stepId: r.stepId as string, version: r.version as number, data: r.data, expiresAt: r.expiresAt as Date, updatedAt: r.conversationUpdatedAt as Date, resumeState: r.resumeState };
}
