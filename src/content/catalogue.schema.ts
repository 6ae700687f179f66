import { z } from 'zod';

/** Campaign topics, taken from the district and city plans in shared/seeds. */
export const TopicSchema = z.enum([
  'traffic-safety',
  'drugs',
  'school-violence',
  'fire-safety',
  'weapons-firecrackers',
  'online-scams',
  'vneid',
  'model-safe-school-gate',
  'model-queue-pickup',
  'model-drug-free-school',
  'festival-19-8',
]);
export type Topic = z.infer<typeof TopicSchema>;

export const AudienceSchema = z.enum(['parent', 'student']);
export type Audience = z.infer<typeof AudienceSchema>;

/** Front matter of one catalogue item (a Markdown file under src/content/catalogue/<topic>/). */
export const ContentMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  topic: TopicSchema,
  audience: z.array(AudienceSchema).min(1),
  title: z.string().min(3).max(120),
  summary: z.string().min(10).max(300),
  source: z.string().min(5),
  sourceUrl: z.url().optional(),
  image: z.string().optional(),
  needsReview: z.boolean().default(false),
  reviewNote: z.string().optional(),
  // YAML reads `114` as a number; a keyword is always text.
  keywords: z.array(z.coerce.string()).default([]),
});

/** A validated catalogue item: front matter plus its Markdown body. */
export const ContentItemSchema = ContentMetaSchema.extend({
  body: z.string().min(20).max(1800),
});
export type ContentItem = z.infer<typeof ContentItemSchema>;
