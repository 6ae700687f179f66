import { tidyText } from '../content/normalize.js';
import { refusal } from './broadcast-actions.js';
import { menuButton, P, payloadOf } from './broadcast-buttons.js';
import { BROADCAST_PAYLOAD } from './broadcast-commands.js';
import { addPick, audienceLabel, draftData, draftOf, pickLabel, pickTitle, remaining, targets, type Pick } from './broadcast-draft.js';
import { listChoices, type Choice } from './broadcast-text.js';
import { result, text, type Step } from './flow.js';
import { menuFlow } from './menu.flow.js';
import type { BroadcastRoleChoice } from './ports/broadcasts.port.js';

/** The audience steps: classes or whole schools, then roles, only those who have not pledged, and the class groups. */
export const audienceSteps: Record<string, Step> = {
  audience: {
    async prompt(ctx, raw) {
      const refused = await refusal(ctx);
      if (refused) return refused;
      const d = draftOf(raw);
      const scope = await ctx.services.broadcasts.scope();
      const all = targets(scope);
      if (all.length === 0) return [{ type: 'buttons', text: ctx.t('broadcast.noScope'), buttons: [menuButton(ctx)] }];
      const left = remaining(all, d.picks);
      const many = scope.schools.length > 1;
      const chosen: Choice[] = d.picks.length > 0 ? [{ title: ctx.t('broadcast.button.continue'), label: ctx.t('broadcast.button.continue'), payload: P.next }] : [];
      // Room for "continue", "sent broadcasts" and "menu" within Messenger's 13 quick replies.
      // One school: the buttons say it all ("Lớp 6A1", "Toàn trường") and the question names the school.
      const shown = left.slice(0, 10).map((t) => ({ title: pickTitle(ctx, t), label: many ? pickLabel(ctx, t, many) : pickTitle(ctx, t), payload: `${P.pick}${t.kind}:${t.id}` }));
      const header = d.picks.length > 0
        ? ctx.t('broadcast.audience.more', { chosen: audienceLabel(ctx, d) })
        : many ? ctx.t('broadcast.audience.prompt') : ctx.t('broadcast.audience.promptAt', { school: scope.schools[0]!.name });
      const hint = left.length > shown.length ? `\n${ctx.t('broadcast.audience.typeClass')}` : '';
      return [listChoices(`${header}${hint}`, [...chosen, ...shown, { title: ctx.t('broadcast.button.sent'), label: ctx.t('broadcast.button.sent'), payload: BROADCAST_PAYLOAD.list }, { ...menuButton(ctx), label: menuButton(ctx).title }])];
    },
    async handle(ctx, input, raw) {
      if (await refusal(ctx)) return menuFlow.steps.main!.handle(ctx, input, {});
      const d = draftOf(raw);
      const all = targets(await ctx.services.broadcasts.scope());
      const payload = payloadOf(input);
      if (payload === P.next && d.picks.length > 0) return result.goto('role', [], draftData(d));
      let picked: Pick | undefined;
      if (payload?.startsWith(P.pick)) {
        const [kind, id] = payload.slice(P.pick.length).split(':');
        picked = all.find((t) => t.kind === kind && t.id === id);
      } else if (input.kind === 'text') {
        const typed = tidyText(input.text).toLocaleLowerCase('vi').replace(/^(lớp|lop|class)\s+/u, '');
        picked = all.find((t) => t.kind === 'class' && t.name.toLocaleLowerCase('vi') === typed);
      }
      if (!picked) return result.goto('audience', [text(ctx.t('broadcast.audience.retry'))], draftData(d));
      const next = { ...d, picks: addPick(d.picks, picked) };
      // Nothing else to add: straight on to the roles.
      if (remaining(all, next.picks).length === 0) return result.goto('role', [], draftData(next));
      return result.goto('audience', [], draftData(next));
    },
  },
  role: {
    prompt: (ctx, raw) => [
      {
        type: 'buttons',
        text: ctx.t('broadcast.role.prompt', { audience: audienceLabel(ctx, draftOf(raw)) }),
        buttons: [
          { title: ctx.t('broadcast.role.parent'), payload: `${P.role}parent` },
          { title: ctx.t('broadcast.role.student'), payload: `${P.role}student` },
          { title: ctx.t('broadcast.role.both'), payload: `${P.role}both` },
        ],
      },
    ],
    handle(ctx, input, raw) {
      const payload = payloadOf(input);
      const choice = payload?.startsWith(P.role) ? payload.slice(P.role.length) : null;
      const roles: BroadcastRoleChoice[] | null = choice === 'parent' ? ['parent'] : choice === 'student' ? ['student'] : choice === 'both' ? ['parent', 'student'] : null;
      if (!roles) return result.goto('role', [text(ctx.t('broadcast.pickButton'))]);
      return result.goto('unpledged', [], draftData({ ...draftOf(raw), roles }));
    },
  },
  unpledged: {
    prompt: (ctx) => [
      {
        type: 'buttons',
        text: ctx.t('broadcast.unpledged.prompt'),
        buttons: [
          { title: ctx.t('broadcast.unpledged.all'), payload: P.all },
          { title: ctx.t('broadcast.unpledged.only'), payload: P.unpledged },
        ],
      },
    ],
    handle(ctx, input, raw) {
      const payload = payloadOf(input);
      if (payload !== P.all && payload !== P.unpledged) return result.goto('unpledged', [text(ctx.t('broadcast.pickButton'))]);
      return result.goto('groups', [], draftData({ ...draftOf(raw), onlyUnpledged: payload === P.unpledged }));
    },
  },
  groups: {
    prompt: (ctx) => [
      {
        type: 'buttons',
        text: ctx.t('broadcast.groups.prompt'),
        buttons: [
          { title: ctx.t('broadcast.groups.yes'), payload: P.groupsYes },
          { title: ctx.t('broadcast.groups.no'), payload: P.groupsNo },
        ],
      },
    ],
    handle(ctx, input, raw) {
      const payload = payloadOf(input);
      if (payload !== P.groupsYes && payload !== P.groupsNo) return result.goto('groups', [text(ctx.t('broadcast.pickButton'))]);
      return result.goto('content', [], draftData({ ...draftOf(raw), includeGroups: payload === P.groupsYes }));
    },
  },
};
