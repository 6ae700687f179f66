import { z } from 'zod';

/**
 * Slow work a step asks for (a model answer, a tip's photo downloads): run after the turn's transaction has committed, never inside it
 * (DESIGN.md §3). Its result comes back to the flow that asked as a follow-up turn (`effect_result`).
 */
export const EffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('answer_question'),
    /** The flow whose `onEffect` gets the result. */
    flowId: z.string().max(100),
    question: z.string().max(5000),
    itemIds: z.array(z.string().max(200)).max(10),
    locale: z.enum(['vi', 'en']),
  }),
  z.object({
    kind: z.literal('fetch_tip_photos'),
    flowId: z.string().max(100),
    /** Which tip and which addresses, sealed by the tip desk: the inbox row sits in the tipster's lane. */
    request: z.string().max(20_000),
    /** How many photos were asked for (so a failure can be told even when nothing came back). */
    count: z.number().int().min(1).max(10),
  }),
]);
export type Effect = z.infer<typeof EffectSchema>;

/** A downloaded photo, stripped of metadata and sealed for its tip (only ciphertext reaches the flow). */
export const PreparedPhotoSchema = z.object({ id: z.uuid(), mime: z.enum(['image/jpeg', 'image/png']), dataCipher: z.string() });
export type PreparedPhoto = z.infer<typeof PreparedPhotoSchema>;

/** The outcome of an effect, as the flow receives it (in memory: outcomes are never stored). */
export const EffectOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer_question'), answer: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), text: z.string().max(5000) }), z.object({ ok: z.literal(false) })]) }),
  z.object({ kind: z.literal('fetch_tip_photos'), photos: z.array(PreparedPhotoSchema).max(10) }),
]);
export type EffectOutcome = z.infer<typeof EffectOutcomeSchema>;

/** What a user did, in channel-neutral form. Channels map their webhook events to this. */
export const UserInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(5000) }),
  z.object({ kind: z.literal('payload'), payload: z.string().max(1000), text: z.string().max(200).optional() }),
  z.object({ kind: z.literal('referral'), ref: z.string().max(200) }),
  z.object({ kind: z.literal('follow') }),
  z.object({ kind: z.literal('unfollow') }),
  z.object({ kind: z.literal('image'), url: z.string().max(2000).optional() }),
  z.object({ kind: z.literal('sticker') }),
  z.object({ kind: z.literal('other'), what: z.string().max(100) }),
]);
export type UserInput = z.infer<typeof UserInputSchema>;

/**
 * What the inbox holds for one event: a user's input, or an effect a turn asked for (written by that turn, in its
 * lane, so it runs after it; never by a channel).
 */
export const StoredInputSchema = z.union([UserInputSchema, z.object({ kind: z.literal('effect'), effect: EffectSchema })]);
export type StoredInput = z.infer<typeof StoredInputSchema>;

/** What a turn is run with: a user's input, or the outcome of an effect for the flow that asked for it. */
export type TurnInputEvent = UserInput | { kind: 'effect_result'; effect: Effect; outcome: EffectOutcome };

/** The payload stored in the inbox for one event. */
export const InboundPayloadSchema = z.object({
  userId: z.string().min(1).max(200),
  input: StoredInputSchema,
  /** When the user acted, per the platform (ISO string). */
  at: z.iso.datetime().optional(),
});
export type InboundPayload = z.infer<typeof InboundPayloadSchema>;
