import type { ContentItem } from '../../content/catalogue.schema.js';

/** An answer to a free-text question, grounded only on the given catalogue items. */
export type AnswerResult = { ok: true; text: string } | { ok: false; reason: 'unavailable' | 'error' };

/**
 * Answers questions from catalogue items with a language model (implemented by the bot; absent without a key). Never
 * a flow service: the bot calls it for an `answer_question` effect, after the turn's transaction.
 */
export interface QuestionAnswerer {
  answer(question: string, context: { locale: 'vi' | 'en'; items: readonly ContentItem[] }): Promise<AnswerResult>;
}
