import { z } from 'zod';

/** Body of `POST /api/simulator/messages`. */
export const SimulatorMessageSchema = z
  .object({
    user: z.string().trim().min(1).max(100),
    channel: z.enum(['zalo', 'messenger']),
    text: z.string().max(2000).optional(),
    payload: z.string().min(1).max(1000).optional(),
    /** Simulates arriving through a QR code or m.me / Zalo link carrying this ref (e.g. a class code). */
    ref: z.string().min(1).max(200).optional(),
    /** Optional platform message id, to try deduplication; a random one is used otherwise. */
    messageId: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.payload !== undefined || b.ref !== undefined, {
    message: 'one of text, payload or ref is required',
  });
export type SimulatorMessage = z.infer<typeof SimulatorMessageSchema>;

// Delivery ids are PostgreSQL bigints: a larger number would fail the query instead of matching nothing.
const MAX_ID = 2n ** 63n - 1n;

/** Query of `GET /api/simulator/messages`: messages sent to a simulator user after a delivery id. */
export const SimulatorPollSchema = z.object({
  user: z.string().trim().min(1).max(100),
  channel: z.enum(['zalo', 'messenger']),
  after: z
    .string()
    .regex(/^\d{1,19}$/)
    // zod runs this even when the pattern failed: BigInt must only see digits.
    .refine((s) => !/^\d{1,19}$/.test(s) || BigInt(s) <= MAX_ID, 'after is beyond the largest delivery id')
    .default('0'),
});
