import { z } from 'zod';

const Id = z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose();

/** One item of `entry[].messaging[]`; only the fields we read are described, the rest passes through. */
export const MessagingItemSchema = z
  .object({
    sender: Id,
    recipient: Id,
    // Any type: a timestamp we cannot use is replaced by the time of receipt, it does not cost the item.
    timestamp: z.unknown().optional(),
    message: z
      .object({
        mid: z.string().optional(),
        text: z.string().optional(),
        is_echo: z.boolean().optional(),
        quick_reply: z.object({ payload: z.string() }).loose().optional(),
        sticker_id: z.union([z.string(), z.number()]).optional(),
        attachments: z.array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).loose().nullish() }).loose()).optional(),
      })
      .loose()
      .optional(),
    postback: z
      .object({
        mid: z.string().optional(),
        title: z.string().optional(),
        payload: z.string().optional(),
        referral: z.object({ ref: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    referral: z.object({ ref: z.string().optional() }).loose().optional(),
  })
  .loose();
export type MessagingItem = z.infer<typeof MessagingItemSchema>;

/** One `entry[]` of a Messenger webhook body; its items are checked one by one (`MessagingItemSchema`). */
export const MessengerEntrySchema = z.object({ messaging: z.array(z.unknown()).optional() }).loose();

/**
 * A Messenger webhook body: `{object: "page", entry: [{id, time, messaging: [...]}]}`. Only the envelope is checked
 * here: a batch carries many people's messages, and one malformed entry or item must not refuse the others.
 */
export const MessengerWebhookSchema = z.object({ object: z.string(), entry: z.array(z.unknown()) }).loose();
export type MessengerWebhook = z.infer<typeof MessengerWebhookSchema>;
