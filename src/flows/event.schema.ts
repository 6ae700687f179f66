import { z } from 'zod';

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

/** The payload stored in the inbox for one event. */
export const InboundPayloadSchema = z.object({
  userId: z.string().min(1).max(200),
  input: UserInputSchema,
  /** When the user acted, per the platform (ISO string). */
  at: z.iso.datetime().optional(),
});
export type InboundPayload = z.infer<typeof InboundPayloadSchema>;
