import { z } from 'zod';

const IdString = z.union([z.string(), z.number()]).transform(String);

/**
 * What makes a body a Zalo OA event at all: an event name and the signed timestamp. A verified body without them is
 * answered 400; one with them whose other fields are unusable is acknowledged and dropped (retrying cannot fix it).
 */
export const ZaloEnvelopeSchema = z.object({ event_name: z.string().min(1), timestamp: z.union([z.string(), z.number()]) }).loose();

/**
 * A Zalo OA webhook event (shared/PLATFORMS.md): `{app_id, sender:{id}, recipient:{id}, event_name, message, timestamp}`;
 * follow/unfollow carry `oa_id` and `follower.id`. Ids and timestamps are strings. Fields we do not read pass through.
 */
export const ZaloWebhookSchema = z
  .object({
    app_id: IdString.optional(),
    event_name: z.string().min(1),
    timestamp: IdString,
    oa_id: IdString.optional(),
    sender: z.object({ id: IdString }).loose().optional(),
    recipient: z.object({ id: IdString }).loose().optional(),
    follower: z.object({ id: IdString }).loose().optional(),
    message: z
      .object({
        msg_id: IdString.optional(),
        msg_ids: z.array(IdString).optional(),
        text: z.string().optional(),
        attachments: z.array(z.object({ type: z.string().optional(), payload: z.object({ url: z.string().optional() }).loose().nullish() }).loose()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type ZaloWebhook = z.infer<typeof ZaloWebhookSchema>;
