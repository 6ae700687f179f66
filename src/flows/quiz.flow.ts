import { TOPIC_LABELS } from '../content/catalogue.js';
import { TopicSchema, type Audience, type Topic } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { foldText } from '../content/normalize.js';
import { OPTION_LETTERS, correctIndex, type QuizQuestion } from '../content/quiz.schema.js';
import { flowPayload } from './commands.js';
import type { UserInput } from './event.schema.js';
import { result, text, type Flow, type FlowData, type StepContext, type StepResult } from './flow.js';
import { menuFlow } from './menu.flow.js';
import { isVerifiedTeacher } from './verified-teacher.js';

// Messenger quick-reply titles hold 20 characters; longer options are listed in the text and answered by letter.
const MAX_OPTION_TITLE = 20;

/** Where a quiz is: the question ids chosen at the start (so a data change mid-quiz cannot shift them), position, score. */
interface QuizProgress {
  topic: Topic;
  ids: string[];
  index: number;
  score: number;
}

function audienceOf(ctx: StepContext): Audience | undefined {
  if (ctx.contact.role === 'parent') return 'parent';
  if (ctx.contact.role === 'student') return 'student';
  return undefined; // teachers may try every question
}

function topicsWithQuestions(ctx: StepContext): Topic[] {
  const quizzes = ctx.services.quizzes;
  return quizzes.topics().filter((t) => quizzes.questions(t, audienceOf(ctx)).length > 0);
}

function progressOf(data: FlowData): QuizProgress | null {
  const topic = TopicSchema.safeParse(data.topic);
  if (!topic.success || !Array.isArray(data.ids) || !data.ids.every((id) => typeof id === 'string')) return null;
  return { topic: topic.data, ids: data.ids as string[], index: Number(data.index ?? 0), score: Number(data.score ?? 0) };
}

function begin(ctx: StepContext, topic: Topic): StepResult {
  const ids = ctx.services.quizzes.questions(topic, audienceOf(ctx)).map((q) => q.id);
  if (ids.length === 0) return result.goto('topics');
  const progress: QuizProgress = { topic, ids, index: 0, score: 0 };
  return result.goto('question', [], { ...progress });
}

function current(ctx: StepContext, p: QuizProgress): QuizQuestion | undefined {
  const id = p.ids[p.index];
  return id === undefined ? undefined : ctx.services.quizzes.question(id);
}

function answerTitle(q: QuizQuestion, i: number): string {
  return `${OPTION_LETTERS[i]}. ${q.options[i]}`;
}

/** The question with one button per option: the option itself when short, its letter otherwise. */
function renderQuestion(ctx: StepContext, p: QuizProgress, q: QuizQuestion): OutMessage[] {
  const byLetter = q.options.some((o) => [...o].length > MAX_OPTION_TITLE);
  const head = ctx.t('quiz.question', { n: p.index + 1, total: p.ids.length, text: q.text });
  const body = byLetter ? `${head}\n${q.options.map((_, i) => answerTitle(q, i)).join('\n')}` : head;
  return [
    {
      type: 'buttons',
      text: body,
      buttons: q.options.map((o, i) => ({ title: byLetter ? OPTION_LETTERS[i]! : o, payload: `QUIZ:ANS:${q.id}:${i}` })),
    },
  ];
}

/** Which option an input picks: a button, a typed letter ("b", "B.", "đáp án B") or the option's exact text. */
function chosenOption(input: UserInput, q: QuizQuestion): number | 'stale' | null {
  if (input.kind === 'payload') {
    const m = /^QUIZ:ANS:([a-z0-9-]+):(\d)$/.exec(input.payload);
    if (!m) return null;
    // A button of an earlier question (tapped again in the chat history) does not answer this one.
    if (m[1] !== q.id) return 'stale';
    const i = Number(m[2]);
    return i < q.options.length ? i : null;
  }
  if (input.kind !== 'text') return null;
  const folded = foldText(input.text);
  const letter = /^(?:dap an |cau |chon )?([a-d])$/.exec(folded)?.[1];
  if (letter) {
    const i = OPTION_LETTERS.indexOf(letter.toUpperCase() as (typeof OPTION_LETTERS)[number]);
    return i < q.options.length ? i : null;
  }
  const i = q.options.findIndex((o) => foldText(o) === folded);
  return i >= 0 ? i : null;
}

function feedback(ctx: StepContext, q: QuizQuestion, right: boolean): string {
  const c = correctIndex(q);
  const parts = [
    right ? ctx.t('quiz.correct') : ctx.t('quiz.wrong', { answer: answerTitle(q, c) }),
    q.explanation,
    ctx.t('content.source', { source: q.source }),
  ];
  if (q.needsReview) parts.push(ctx.t('content.review'));
  return parts.join('\n\n');
}

function praise(ctx: StepContext, score: number, total: number): string {
  const share = total > 0 ? score / total : 0;
  return ctx.t(share >= 0.8 ? 'quiz.praise.high' : share >= 0.5 ? 'quiz.praise.mid' : 'quiz.praise.low');
}

function topicFromText(ctx: StepContext, typed: string): Topic | undefined {
  const folded = foldText(typed);
  return topicsWithQuestions(ctx).find((t) => foldText(TOPIC_LABELS[t].vi) === folded || foldText(TOPIC_LABELS[t].en) === folded);
}

/**
 * Quizzes per campaign topic: pick a topic, answer one question at a time (explanation and source after each),
 * get the score at the end; the attempt is stored for the school's class leaderboard.
 */
export const quizFlow: Flow = {
  id: 'quiz',
  version: 1,
  start: 'topics',
  steps: {
    topics: {
      prompt(ctx) {
        const topics = topicsWithQuestions(ctx);
        if (topics.length === 0) return [text(ctx.t('quiz.none'))];
        return [
          {
            type: 'buttons',
            text: ctx.t('quiz.topics'),
            buttons: [
              ...topics.slice(0, 12).map((t) => ({ title: TOPIC_LABELS[t][ctx.contact.locale], payload: `QUIZ:TOPIC:${t}` })),
              { title: ctx.t('button.menu'), payload: flowPayload('menu') },
            ],
          },
        ];
      },
      handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload.startsWith('QUIZ:TOPIC:')) {
          const topic = TopicSchema.safeParse(input.payload.slice('QUIZ:TOPIC:'.length));
          if (topic.success) return begin(ctx, topic.data);
        }
        if (input.kind === 'text') {
          const topic = topicFromText(ctx, input.text);
          if (topic) return begin(ctx, topic);
          // Not a topic: the menu's words and questions still work here ("xếp hạng", "tin", a question).
          return menuFlow.steps.main!.handle(ctx, input, data);
        }
        return result.goto('topics');
      },
    },
    question: {
      prompt(ctx, data) {
        const p = progressOf(data);
        const q = p && current(ctx, p);
        if (!p || !q) return [text(ctx.t('quiz.none'))];
        return renderQuestion(ctx, p, q);
      },
      async handle(ctx, input, data) {
        const p = progressOf(data);
        const q = p && current(ctx, p);
        if (!p || !q) return result.goto('topics');
        const choice = chosenOption(input, q);
        if (choice === 'stale') return result.goto('question');
        if (choice === null) return result.goto('question', [text(ctx.t('quiz.pick'))]);
        const right = choice === correctIndex(q);
        const next: QuizProgress = { ...p, index: p.index + 1, score: p.score + (right ? 1 : 0) };
        const said = [text(feedback(ctx, q, right))];
        if (next.index < next.ids.length && current(ctx, next)) return result.goto('question', said, { ...next });
        const total = next.ids.length;
        await ctx.services.quizResults.record({ contactId: ctx.contact.id, schoolId: ctx.contact.schoolId, topic: p.topic, score: next.score, total });
        return result.goto('done', said, { topic: p.topic, score: next.score, total });
      },
    },
    done: {
      async prompt(ctx, data) {
        const score = Number(data.score ?? 0);
        const total = Number(data.total ?? 0);
        // Only a teacher verified by the school's code is offered the class leaderboard (README "Teachers").
        const teacher = await isVerifiedTeacher(ctx);
        return [
          {
            type: 'buttons',
            text: `${ctx.t('quiz.score', { score, total })}\n${praise(ctx, score, total)}`,
            buttons: [
              { title: ctx.t('quiz.retry'), payload: 'QUIZ:RETRY' },
              { title: ctx.t('quiz.otherTopic'), payload: 'QUIZ:TOPICS' },
              ...(teacher ? [{ title: ctx.t('menu.leaderboard'), payload: flowPayload('leaderboard') }] : []),
              { title: ctx.t('button.menu'), payload: flowPayload('menu') },
            ],
          },
        ];
      },
      handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'QUIZ:RETRY') {
          const topic = TopicSchema.safeParse(data.topic);
          return topic.success ? begin(ctx, topic.data) : result.goto('topics');
        }
        if (input.kind === 'payload' && input.payload === 'QUIZ:TOPICS') return result.goto('topics');
        return menuFlow.steps.main!.handle(ctx, input, data);
      },
    },
  },
};
