import { z } from 'zod';
import { AudienceSchema, TopicSchema } from './catalogue.schema.js';

/** Letters of the options, in order: a question has 2 to 4 options, A to D. */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D'] as const;

/** One multiple-choice question of a topic's quiz. */
export const QuizQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    text: z.string().min(10).max(400),
    // YAML reads `113` as a number; an option is always text.
    options: z.array(z.coerce.string().min(1).max(160)).min(2).max(4),
    // A letter, as staff reading the file would say it ("the answer is B").
    correct: z.enum(OPTION_LETTERS),
    explanation: z.string().min(10).max(600),
    source: z.string().min(5),
    audience: z.array(AudienceSchema).min(1).optional(),
    needsReview: z.boolean().default(false),
    reviewNote: z.string().optional(),
  })
  .superRefine((q, ctx) => {
    if (OPTION_LETTERS.indexOf(q.correct) >= q.options.length) {
      ctx.addIssue({ code: 'custom', path: ['correct'], message: `"${q.correct}" is out of range: the question has ${q.options.length} options` });
    }
    const folded = q.options.map((o) => o.trim().toLowerCase());
    if (new Set(folded).size !== folded.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'two options have the same text' });
    if (q.needsReview && !q.reviewNote) ctx.addIssue({ code: 'custom', path: ['reviewNote'], message: 'needsReview: true needs a reviewNote saying what to check' });
  });
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;

/** A topic's quiz: one YAML file `src/content/quizzes/<topic>.yaml`. */
export const QuizSchema = z.object({
  topic: TopicSchema,
  questions: z.array(QuizQuestionSchema).min(5).max(10),
});
export type Quiz = z.infer<typeof QuizSchema>;

/** The index (0-based) of a question's correct option. */
export function correctIndex(q: QuizQuestion): number {
  return OPTION_LETTERS.indexOf(q.correct);
}
