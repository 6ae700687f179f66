import { z } from 'zod';

/** A button the user can tap; its payload comes back to the bot as the next event. */
export const ButtonSchema = z.object({
  title: z.string().min(1).max(80),
  payload: z.string().min(1).max(1000),
});
export type Button = z.infer<typeof ButtonSchema>;

/** Channel-neutral outgoing messages; each channel renders them within its own limits. */
export const OutMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1) }),
  z.object({ type: z.literal('buttons'), text: z.string().min(1), buttons: z.array(ButtonSchema).min(1).max(13) }),
  z.object({ type: z.literal('image'), url: z.string().min(1), caption: z.string().optional() }),
  z.object({ type: z.literal('link'), url: z.string().min(1), title: z.string().min(1), text: z.string().optional() }),
]);
export type OutMessage = z.infer<typeof OutMessageSchema>;
