import { foldText } from '../content/normalize.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { UserInput } from './event.schema.js';
import { result, text, type Flow, type FlowData, type StepContext, type StepResult } from './flow.js';
import { TIP_CATEGORIES, type TipCategory } from './ports/tip-desk.port.js';

// The draft lives only in this flow's conversation state: submitting ends the conversation (state null), and
// "huỷ"/"menu"/another flow's button replace the state (engine), so no copy of the draft is left behind.
const MAX_DESCRIPTION = 4000;
const MAX_PLACE = 300;
const MAX_SCHOOL_BUTTONS = 10;
const MAX_PHOTOS = 3;
const YES = new Set(['co', 'yes', 'y', 'dong y', 'co a']);
const NO = new Set(['khong', 'no', 'n', 'ko', 'k']);

/** The anonymous tip: notice, category, description, place, school, danger, consent, summary, code + PIN. */
export const tipFlow: Flow = {
  id: 'tip',
  version: 1,
  start: 'category',
  sensitive: true,
  steps: {
    category: {
      prompt(ctx) {
        const desk = ctx.services.tips;
        const platform = ctx.t(`tip.platform.${desk.platform}`);
        return [
          text(ctx.t('tip.notice', { platform, url: desk.webFormUrl })),
          { type: 'buttons', text: ctx.t('tip.category.prompt'), buttons: TIP_CATEGORIES.map((c) => ({ title: ctx.t(`tip.category.${c}`), payload: `CAT:${c}` })) },
        ];
      },
      handle(ctx, input) {
        const category = input.kind === 'payload' && input.payload.startsWith('CAT:') ? input.payload.slice(4) : categoryFromText(ctx, input);
        if (!isCategory(category)) return result.stay([categoryButtons(ctx)]);
        return result.goto('describe', [], { category, parts: [] });
      },
    },

    describe: {
      prompt: (ctx) => [doneButtons(ctx, ctx.t('tip.describe.prompt'))],
      acceptsImages: true,
      handle(ctx, input, data) {
        if (input.kind === 'image') {
          // Only the platform's address is kept in the draft; the photo is fetched and cleaned after the submission.
          const photos = strings(data.photos);
          if (!input.url) return result.stay([doneButtons(ctx, ctx.t('tip.photos.unsupported'))]);
          if (photos.length >= MAX_PHOTOS) return result.stay([doneButtons(ctx, ctx.t('tip.photos.tooMany', { max: MAX_PHOTOS }))]);
          return result.stay([doneButtons(ctx, ctx.t('tip.photos.received', { n: photos.length + 1, max: MAX_PHOTOS }))], { ...data, photos: [...photos, input.url] });
        }
        const parts = strings(data.parts);
        if (input.kind === 'payload' && input.payload === 'DONE') {
          if (parts.length === 0) return result.stay([doneButtons(ctx, ctx.t('tip.describe.empty'))]);
          return result.goto('place', [], data);
        }
        const typed = typedText(input);
        if (!typed) return result.stay([doneButtons(ctx, ctx.t('tip.describe.more'))]);
        const used = parts.reduce((n, p) => n + p.length + 1, 0);
        if (used >= MAX_DESCRIPTION) return result.stay([doneButtons(ctx, ctx.t('tip.describe.tooLong'))]);
        const kept = typed.slice(0, MAX_DESCRIPTION - used);
        const reply = kept.length < typed.length ? ctx.t('tip.describe.tooLong') : ctx.t('tip.describe.more');
        return result.stay([doneButtons(ctx, reply)], { ...data, parts: [...parts, kept] });
      },
    },

    place: {
      prompt: (ctx) => [{ type: 'buttons', text: ctx.t('tip.place.prompt'), buttons: [{ title: ctx.t('tip.button.skip'), payload: 'SKIP' }] }],
      handle(_ctx, input, data) {
        const typed = typedText(input);
        return result.goto('school', [], { ...data, place: typed ? typed.slice(0, MAX_PLACE) : null });
      },
    },

    school: {
      async prompt(ctx) {
        const schools = await ctx.services.directory.listSchools();
        return [
          {
            type: 'buttons',
            text: ctx.t('tip.school.prompt'),
            buttons: [
              ...schools.slice(0, MAX_SCHOOL_BUTTONS).map((s) => ({ title: s.name, payload: `SCHOOL:${s.id}` })),
              { title: ctx.t('tip.school.none'), payload: 'SKIP' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        let school: { id: string; name: string } | null = null;
        if (input.kind === 'payload' && input.payload.startsWith('SCHOOL:')) school = await ctx.services.directory.getSchool(input.payload.slice(7));
        const typed = typedText(input);
        if (typed) {
          const words = foldText(typed).split(' ').filter(Boolean);
          const matches = (await ctx.services.directory.listSchools()).filter((s) => words.every((w) => foldText(s.name).includes(w)));
          if (matches.length === 1) school = matches[0]!;
        }
        return result.goto('danger', [], { ...data, schoolId: school?.id ?? null, schoolName: school?.name ?? null });
      },
    },

    danger: {
      prompt: (ctx) => [yesNo(ctx, ctx.t('tip.danger.prompt'))],
      handle(ctx, input, data) {
        const answer = yesOrNo(input);
        if (answer === null) return result.stay([yesNo(ctx, ctx.t('tip.danger.prompt'))]);
        // Emergency numbers right away, before anything else is asked.
        const replies: OutMessage[] = answer ? [text(ctx.t('tip.emergency'))] : [];
        return result.goto('consent', replies, { ...data, urgent: answer });
      },
    },

    consent: {
      prompt: (ctx) => [yesNo(ctx, ctx.t('tip.consent.prompt'))],
      handle(ctx, input, data) {
        const answer = yesOrNo(input);
        // Silence or an unclear answer is not consent: ask again.
        if (answer === null) return result.stay([yesNo(ctx, ctx.t('tip.consent.prompt'))]);
        return result.goto('summary', [], { ...data, allowReplies: answer });
      },
    },

    summary: {
      prompt(ctx, data) {
        const none = ctx.t('tip.summary.none');
        const description = strings(data.parts).join('\n');
        const summary = ctx.t('tip.summary', {
          photos: strings(data.photos).length,
          category: isCategory(data.category) ? ctx.t(`tip.category.${data.category}`) : none,
          description: description.length > 600 ? `${description.slice(0, 600)}…` : description,
          place: typeof data.place === 'string' ? data.place : none,
          school: typeof data.schoolName === 'string' ? data.schoolName : none,
          urgent: ctx.t(data.urgent === true ? 'tip.button.yes' : 'tip.button.no'),
          replies: ctx.t(data.allowReplies === true ? 'tip.button.yes' : 'tip.button.no'),
        });
        return [
          {
            type: 'buttons',
            text: summary,
            buttons: [
              { title: ctx.t('tip.button.send'), payload: 'SEND' },
              { title: ctx.t('tip.button.edit'), payload: 'EDIT' },
              { title: ctx.t('tip.button.cancel'), payload: 'CMD:CANCEL' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'EDIT') return result.goto('describe', [], { ...data, parts: [], photos: [] });
        if (!(input.kind === 'payload' && input.payload === 'SEND')) return result.stay(await tipFlow.steps.summary!.prompt(ctx, data));
        return submit(ctx, data);
      },
    },
  },

  // The photos of a submitted tip, downloaded after its turn committed: stored on the tip, and the tipster told if
  // some could not be (this follow-up turn is sensitive like the flow: not logged, its reply erased once sent).
  async onEffect(ctx, effect, outcome) {
    if (effect.kind !== 'fetch_tip_photos' || outcome.kind !== 'fetch_tip_photos') return [];
    const { stored } = await ctx.services.tips.attachPhotos(effect.request, outcome.photos);
    const failed = effect.count - stored;
    return failed > 0 ? [text(ctx.t('tip.photos.failed', { n: failed }))] : [];
  },
};

async function submit(ctx: StepContext, data: FlowData): Promise<StepResult> {
  const desk = ctx.services.tips;
  // Only a draft from an older version lacks a category: ask for it again.
  if (!isCategory(data.category)) return result.goto('category', [], data);
  const outcome = await desk.submit({
    category: data.category,
    description: strings(data.parts).join('\n'),
    place: typeof data.place === 'string' ? data.place : null,
    schoolId: typeof data.schoolId === 'string' ? data.schoolId : null,
    urgent: data.urgent === true,
    allowReplies: data.allowReplies === true,
    photoUrls: strings(data.photos),
  });
  // Either way the conversation ends here: the draft is not kept.
  if (!outcome.ok) return result.end([text(ctx.t('tip.rateLimited'))]);
  const sent = result.end([text(ctx.t('tip.sent', { code: outcome.code, pin: outcome.pin, url: `${desk.webFormUrl}/follow-up` }))]);
  // Downloads wait until this turn has committed (DESIGN.md §3); `onEffect` stores what came back.
  const photos = outcome.photoRequest;
  return photos ? { ...sent, effects: [{ kind: 'fetch_tip_photos', flowId: tipFlow.id, request: photos.sealed, count: photos.count }] } : sent;
}

function categoryButtons(ctx: StepContext): OutMessage {
  return { type: 'buttons', text: ctx.t('tip.category.prompt'), buttons: TIP_CATEGORIES.map((c) => ({ title: ctx.t(`tip.category.${c}`), payload: `CAT:${c}` })) };
}

function categoryFromText(ctx: StepContext, input: UserInput): string | undefined {
  const typed = typedText(input);
  if (!typed) return undefined;
  const folded = foldText(typed);
  return TIP_CATEGORIES.find((c) => foldText(ctx.t(`tip.category.${c}`)) === folded);
}

function doneButtons(ctx: StepContext, message: string): OutMessage {
  return { type: 'buttons', text: message, buttons: [{ title: ctx.t('tip.button.done'), payload: 'DONE' }] };
}

function yesNo(ctx: StepContext, message: string): OutMessage {
  return { type: 'buttons', text: message, buttons: [{ title: ctx.t('tip.button.yes'), payload: 'YES' }, { title: ctx.t('tip.button.no'), payload: 'NO' }] };
}

function yesOrNo(input: UserInput): boolean | null {
  if (input.kind === 'payload') return input.payload === 'YES' ? true : input.payload === 'NO' ? false : null;
  const folded = foldText(typedText(input) ?? '');
  return YES.has(folded) ? true : NO.has(folded) ? false : null;
}

function isCategory(v: unknown): v is TipCategory {
  return typeof v === 'string' && (TIP_CATEGORIES as readonly string[]).includes(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function typedText(input: UserInput): string | null {
  return input.kind === 'text' && input.text.trim() ? input.text.trim() : null;
}
