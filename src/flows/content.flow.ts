import { TOPIC_LABELS } from '../content/catalogue.js';
import { TopicSchema, type Audience, type ContentItem, type Topic } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { flowPayload } from './commands.js';
import { result, text, type Flow, type StepContext } from './flow.js';

function audienceOf(ctx: StepContext): Audience | undefined {
  if (ctx.contact.role === 'parent') return 'parent';
  if (ctx.contact.role === 'student') return 'student';
  return undefined; // teachers read everything
}

function topicsWithItems(ctx: StepContext): Topic[] {
  const audience = audienceOf(ctx);
  return TopicSchema.options.filter((t) => ctx.services.catalogue.forTopic(t, audience).length > 0);
}

/** Renders one catalogue item: its text with the source it comes from, then what to do next. */
export function renderItem(ctx: StepContext, item: ContentItem): OutMessage[] {
  const parts = [item.title.toUpperCase(), item.body, ctx.t('content.source', { source: item.source })];
  if (item.needsReview) parts.push(ctx.t('content.review'));
  const out: OutMessage[] = [];
  if (item.image) out.push({ type: 'image', url: item.image });
  out.push(text(parts.join('\n\n')));
  if (item.sourceUrl) out.push({ type: 'link', url: item.sourceUrl, title: item.source });
  return out;
}

/** Campaign content browsing: topic, then items one at a time. */
export const contentFlow: Flow = {
  id: 'content',
  version: 1,
  start: 'topics',
  steps: {
    topics: {
      prompt(ctx) {
        const topics = topicsWithItems(ctx);
        if (topics.length === 0) return [text(ctx.t('content.none'))];
        return [
          {
            type: 'buttons',
            text: ctx.t('content.topics'),
            buttons: [
              ...topics.slice(0, 12).map((t) => ({ title: TOPIC_LABELS[t][ctx.contact.locale], payload: `TOPIC:${t}` })),
              { title: ctx.t('button.menu'), payload: flowPayload('menu') },
            ],
          },
        ];
      },
      async handle(ctx, input) {
        const raw = input.kind === 'payload' && input.payload.startsWith('TOPIC:') ? input.payload.slice(6) : '';
        const topic = TopicSchema.safeParse(raw);
        if (topic.success) return result.goto('item', [], { topic: topic.data, index: 0 });
        return result.goto('topics');
      },
    },
    item: {
      prompt(ctx, data) {
        const items = ctx.services.catalogue.forTopic(data.topic as Topic, audienceOf(ctx));
        const index = Number(data.index ?? 0);
        const item = items[index];
        if (!item) return [text(ctx.t('content.end'))];
        const hasNext = index + 1 < items.length;
        return [
          ...renderItem(ctx, item),
          {
            type: 'buttons',
            text: `${index + 1}/${items.length}`,
            buttons: [
              ...(hasNext ? [{ title: ctx.t('content.next'), payload: 'NEXT' }] : []),
              { title: ctx.t('content.otherTopic'), payload: 'TOPICS' },
              { title: ctx.t('button.menu'), payload: flowPayload('menu') },
            ],
          },
        ];
      },
      handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'NEXT') {
          const items = ctx.services.catalogue.forTopic(data.topic as Topic, audienceOf(ctx));
          const index = Number(data.index ?? 0) + 1;
          if (index >= items.length) return result.goto('topics', [text(ctx.t('content.end'))]);
          return result.goto('item', [], { ...data, index });
        }
        return result.goto('topics');
      },
    },
  },
};
