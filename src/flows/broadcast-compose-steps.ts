import { TOPIC_LABELS } from '../content/catalogue.js';
import { TopicSchema } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { create, scheduleAt } from './broadcast-actions.js';
import { menuButton, P, payloadOf } from './broadcast-buttons.js';
import { approvalSchools, audienceLabel, audienceOf, draftData, draftOf, messagesOf, sendableItems } from './broadcast-draft.js';
import { BROADCAST_TEXT_MAX } from './broadcast-message.js';
import { describeForecast, listChoices } from './broadcast-text.js';
import { result, text, type Step } from './flow.js';

/** The composing steps: typed text or a catalogue item, an optional image, the preview, and when to send. */
export const composeSteps: Record<string, Step> = {
  content: {
    prompt: (ctx) => [
      {
        type: 'buttons',
        text: ctx.t('broadcast.content.prompt', { max: BROADCAST_TEXT_MAX }),
        buttons: [{ title: ctx.t('broadcast.button.catalogue'), payload: P.catalogue }, menuButton(ctx)],
      },
    ],
    handle(ctx, input, raw) {
      const d = draftOf(raw);
      if (payloadOf(input) === P.catalogue) return result.goto('topics', [], draftData(d));
      if (input.kind !== 'text') return result.goto('content', [text(ctx.t('broadcast.content.retry'))]);
      const typed = input.text.normalize('NFC').trim();
      if ([...typed].length > BROADCAST_TEXT_MAX) return result.stay([text(ctx.t('broadcast.content.tooLong', { max: BROADCAST_TEXT_MAX, n: [...typed].length }))]);
      if ([...typed].length < 5) return result.stay([text(ctx.t('broadcast.content.tooShort'))]);
      const { itemId: _item, topic: _topic, ...rest } = d;
      return result.goto('image', [], draftData({ ...rest, text: typed }));
    },
  },
  topics: {
    prompt(ctx, raw) {
      const roles = draftOf(raw).roles ?? ['parent', 'student'];
      const topics = TopicSchema.options.filter((t) => sendableItems(ctx, roles, t).length > 0).slice(0, 12);
      if (topics.length === 0) return [{ type: 'buttons', text: ctx.t('broadcast.catalogue.none'), buttons: [{ title: ctx.t('broadcast.button.typeOwn'), payload: P.typeOwn }] }];
      return [
        listChoices(ctx.t('broadcast.catalogue.topics'), [
          ...topics.map((t) => ({ title: TOPIC_LABELS[t][ctx.contact.locale], label: TOPIC_LABELS[t][ctx.contact.locale], payload: `${P.topic}${t}` })),
          { title: ctx.t('broadcast.button.typeOwn'), label: ctx.t('broadcast.button.typeOwn'), payload: P.typeOwn },
        ]),
      ];
    },
    handle(ctx, input, raw) {
      const d = draftOf(raw);
      const payload = payloadOf(input);
      const topic = TopicSchema.safeParse(payload?.startsWith(P.topic) ? payload.slice(P.topic.length) : '');
      if (topic.success) return result.goto('items', [], draftData({ ...d, topic: topic.data }));
      return result.goto('content', [], draftData(d));
    },
  },
  items: {
    prompt(ctx, raw) {
      const d = draftOf(raw);
      const topic = TopicSchema.safeParse(d.topic);
      const items = topic.success ? sendableItems(ctx, d.roles ?? ['parent', 'student'], topic.data).slice(0, 11) : [];
      return [
        listChoices(ctx.t('broadcast.catalogue.items'), [
          ...items.map((i) => ({ title: i.title, label: i.title, payload: `${P.item}${i.id}` })),
          { title: ctx.t('broadcast.button.otherTopic'), label: ctx.t('broadcast.button.otherTopic'), payload: P.catalogue },
        ], { alwaysList: true }),
      ];
    },
    handle(ctx, input, raw) {
      const d = draftOf(raw);
      const payload = payloadOf(input);
      const item = payload?.startsWith(P.item) ? ctx.services.catalogue.get(payload.slice(P.item.length)) : undefined;
      if (item && sendableItems(ctx, d.roles ?? ['parent', 'student']).includes(item)) {
        // A catalogue item brings its own picture, if it has one.
        const { text: _t, imageUrl: _i, ...rest } = d;
        return result.goto('preview', [], draftData({ ...rest, itemId: item.id }));
      }
      return result.goto('topics', [], draftData(d));
    },
  },
  image: {
    acceptsImages: true,
    prompt: (ctx) => [{ type: 'buttons', text: ctx.t('broadcast.image.prompt'), buttons: [{ title: ctx.t('broadcast.button.noImage'), payload: P.noImage }] }],
    handle(ctx, input, raw) {
      const d = draftOf(raw);
      if (payloadOf(input) === P.noImage) return result.goto('preview', [], draftData({ ...d, imageUrl: null }));
      const url = input.kind === 'image' ? input.url : input.kind === 'text' ? input.text.trim() : undefined;
      if (!url || !isImageUrl(url)) return result.stay([{ type: 'buttons', text: ctx.t(input.kind === 'image' ? 'broadcast.image.unusable' : 'broadcast.image.retry'), buttons: [{ title: ctx.t('broadcast.button.noImage'), payload: P.noImage }] }]);
      return result.goto('preview', [], draftData({ ...d, imageUrl: url }));
    },
  },
  preview: {
    async prompt(ctx, raw) {
      const d = draftOf(raw);
      const messages = messagesOf(ctx, d);
      const previews = ctx.services.broadcasts.preview(messages, { includeGroups: d.includeGroups ?? false });
      const forecast = await ctx.services.broadcasts.forecast(audienceOf(d), ctx.now);
      const scope = await ctx.services.broadcasts.scope();
      const out: OutMessage[] = [text(ctx.t('broadcast.preview.title', { audience: audienceLabel(ctx, d) }))];
      // The picture itself, once: the written previews below only say where it goes.
      for (const m of messages) if (m.type === 'image') out.push(m);
      previews.forEach((p, i) => {
        const header = `▶ ${ctx.t(`broadcast.preview.${p.channel}`)}`;
        // A channel that shows exactly what an earlier one does says so rather than repeating it.
        const same = previews.slice(0, i).find((q) => q.parts.join('\n\n') === p.parts.join('\n\n'));
        out.push(text(same ? `${header}: ${ctx.t('broadcast.preview.same', { channel: ctx.t(`broadcast.preview.${same.channel}`) })}` : `${header}\n\n${p.parts.join('\n\n')}`));
      });
      out.push(text(describeForecast(ctx, forecast)));
      const waiting = approvalSchools(scope, d);
      const ask = waiting.length > 0 ? `${ctx.t('broadcast.preview.needsApproval', { school: waiting.join(', ') })}\n${ctx.t('broadcast.preview.when')}` : ctx.t('broadcast.preview.when');
      out.push({
        type: 'buttons',
        text: ask,
        buttons: [
          { title: ctx.t('broadcast.button.now'), payload: P.now },
          { title: ctx.t('broadcast.button.later'), payload: P.later },
          { title: ctx.t('broadcast.button.edit'), payload: P.edit },
          { title: ctx.t('broadcast.button.drop'), payload: 'CMD:CANCEL' },
        ],
      });
      return out;
    },
    async handle(ctx, input, raw) {
      const d = draftOf(raw);
      const payload = payloadOf(input);
      if (payload === P.now) return create(ctx, d, ctx.now, 'now');
      if (payload === P.later) return result.goto('time', [], draftData(d));
      if (payload === P.edit) return result.goto('content', [], draftData(d));
      // A time typed straight away ("07:30") is a schedule.
      if (input.kind === 'text') return scheduleAt(ctx, d, input.text);
      return result.stay([text(ctx.t('broadcast.pickButton'))]);
    },
  },
  time: {
    prompt: (ctx) => [{ type: 'buttons', text: ctx.t('broadcast.time.prompt'), buttons: [{ title: ctx.t('broadcast.button.now'), payload: P.now }, { title: ctx.t('broadcast.button.back'), payload: P.back }] }],
    async handle(ctx, input, raw) {
      const d = draftOf(raw);
      const payload = payloadOf(input);
      if (payload === P.now) return create(ctx, d, ctx.now, 'now');
      if (payload === P.back) return result.goto('preview', [], draftData(d));
      if (input.kind !== 'text') return result.stay([text(ctx.t('broadcast.time.unreadable'))]);
      return scheduleAt(ctx, d, input.text);
    },
  },
};

function isImageUrl(raw: string): boolean {
  if (raw.length > 1000 || /\s/.test(raw)) return false;
  try {
    return new URL(raw).protocol === 'https:';
  } catch {
    return false;
  }
}
