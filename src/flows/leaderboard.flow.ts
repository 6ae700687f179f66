import type { OutMessage } from '../content/messages.schema.js';
import { flowPayload } from './commands.js';
import { type Flow, type StepContext } from './flow.js';
import { menuFlow } from './menu.flow.js';
import { isVerifiedTeacher } from './verified-teacher.js';

const TOP = 10;

function withButtons(ctx: StepContext, body: string): OutMessage[] {
  return [
    {
      type: 'buttons',
      text: body,
      buttons: [
        { title: ctx.t('menu.quiz'), payload: flowPayload('quiz') },
        { title: ctx.t('button.menu'), payload: flowPayload('menu') },
      ],
    },
  ];
}

/**
 * The quiz leaderboard of the teacher's school: classes only (share of right answers, attempts), top 10.
 * Teachers verified at that school only (an invite code, not the role tapped in onboarding), and never a person: contacts have no names, and a class is the smallest unit shown.
 */
export const leaderboardFlow: Flow = {
  id: 'leaderboard',
  version: 1,
  start: 'show',
  steps: {
    show: {
      async prompt(ctx) {
        if (ctx.contact.role !== 'teacher') return withButtons(ctx, ctx.t('leaderboard.teachersOnly'));
        const schoolId = ctx.contact.schoolId;
        const school = schoolId ? await ctx.services.directory.getSchool(schoolId) : null;
        if (!schoolId || !school) return withButtons(ctx, ctx.t('leaderboard.noSchool'));
        if (!(await isVerifiedTeacher(ctx))) return withButtons(ctx, ctx.t('leaderboard.unverified'));
        const rows = await ctx.services.quizResults.classLeaderboard(schoolId, TOP);
        if (rows.length === 0) return withButtons(ctx, ctx.t('leaderboard.empty', { school: school.name }));
        const lines = rows.map((r, i) =>
          ctx.t('leaderboard.row', {
            rank: i + 1,
            class: r.className,
            percent: r.total > 0 ? Math.round((100 * r.score) / r.total) : 0,
            score: r.score,
            total: r.total,
            attempts: r.attempts,
          }),
        );
        return withButtons(ctx, [ctx.t('leaderboard.title', { school: school.name }), ...lines].join('\n'));
      },
      // Nothing to answer here: what comes next is read as it would be at the menu.
      handle: (ctx, input, data) => menuFlow.steps.main!.handle(ctx, input, data),
    },
  },
};
