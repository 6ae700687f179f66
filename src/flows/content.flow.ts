import { TOPIC_LABELS } from '../content/catalogue.js';
import { TopicSchema, type Audience, type ContentItem, type Topic } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { flowPayload } from './commands.js';
import { result, text, type Flow, type FlowData, type StepContext } from './flow.js';

/** Which items a contact is shown: parents' or students', everything for teachers. */
export function audienceOf(ctx: StepContext): Audience | undefined {
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

/** Where the item step is: the topic and the position in it (a deep link names an item id instead). */
function position(ctx: StepContext, data: FlowData): { items: ContentItem[]; index: number } {
  if (typeof data.itemId === 'string') {
    const item = ctx.services.catalogue.get(data.itemId);
    if (!item) return { items: [], index: 0 };
    const items = ctx.services.catalogue.forTopic(item.topic, audienceOf(ctx));
    const index = items.findIndex((i) => i.id === item.id);
    return index >= 0 ? { items, index } : { items: [item], index: 0 };
  }
  return { items: ctx.services.catalogue.forTopic(data.topic as Topic, audienceOf(ctx)), index: Number(data.index ?? 0) };
}

/** Campaign content browsing: topic, then items one at a time. `FLOW:content:<item id>` opens one item. */
export const contentFlow: Flow = {
  id: 'content',
  version: 1,
  start: 'topics',
  entry: (data) => (typeof data.arg === 'string' ? { stepId: 'item', data: { itemId: data.arg } } : { stepId: 'topics', data }),
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
        const { items, index } = position(ctx, data);
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
          const { items, index } = position(ctx, data);
          const next = items[index + 1];
          if (!next) return result.goto('topics', [text(ctx.t('content.end'))]);
          return result.goto('item', [], { topic: next.topic, index: index + 1 });
        }
        return result.goto('topics');
      },
    },
  },
};
