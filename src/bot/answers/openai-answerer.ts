import OpenAI from 'openai';
import type { ContentItem } from '../../content/catalogue.schema.js';
import type { AnswerResult, QuestionAnswerer } from '../../flows/index.js';
import type { Logger } from '../../logger.js';

/** Settings of the OpenAI-compatible model (any base URL: OpenAI, a local server, a test double). */
export interface AnswererSettings {
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
}

const SYSTEM = {
  vi: 'Bạn là trợ lý an ninh trật tự trường học, trả lời phụ huynh và học sinh Việt Nam. Chỉ dùng thông tin trong các mục TÀI LIỆU được cung cấp; không thêm số liệu, mức phạt hay điều luật nào không có trong đó. Trả lời bằng tiếng Việt, tối đa 4 câu ngắn, giọng thân thiện, và nêu nguồn (tên văn bản) của thông tin. Nếu câu hỏi không thuộc chủ đề an toàn, an ninh trường học, hoặc tài liệu không đủ để trả lời, hãy nói ngắn gọn rằng bạn chưa trả lời được và mời người hỏi gõ "menu". Nếu có người đang gặp nguy hiểm, nhắc gọi ngay 113, 114, 115 hoặc 111.',
  en: 'You are a school-safety assistant answering Vietnamese parents and students. Use only the DOCUMENTS provided; add no figures, fines or legal articles that are not in them. Answer in English, at most 4 short sentences, friendly, naming the source document. If the question is not about school safety or security, or the documents are not enough, say briefly that you cannot answer and suggest typing "menu". If someone is in danger now, tell them to call 113, 114, 115 or 111.',
} as const;

function documents(items: readonly ContentItem[]): string {
  return items.map((it, i) => `[${i + 1}] ${it.title}\n${it.summary}\n${it.body}\nNguồn: ${it.source}`).join('\n\n');
}

/** Answers through the `openai` SDK against any OpenAI-compatible endpoint, grounded only on the given items. */
export class OpenAiAnswerer implements QuestionAnswerer {
  private readonly client: OpenAI;

  constructor(
    private readonly settings: AnswererSettings,
    private readonly log: Logger,
  ) {
    this.client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs, maxRetries: 0 });
  }

  /** One short completion; any failure is reported (the caller falls back to keyword search), never thrown. */
  async answer(question: string, context: { locale: 'vi' | 'en'; items: readonly ContentItem[] }): Promise<AnswerResult> {
    try {
      const res = await this.client.chat.completions.create({
        model: this.settings.model,
        temperature: 0.2,
        max_tokens: 400,
        messages: [
          { role: 'system', content: SYSTEM[context.locale] },
          { role: 'user', content: `TÀI LIỆU / DOCUMENTS:\n${documents(context.items)}\n\nCÂU HỎI / QUESTION: ${question.slice(0, 1000)}` },
        ],
      });
      const text = res.choices[0]?.message?.content?.trim();
      return text ? { ok: true, text: text.slice(0, 1500) } : { ok: false, reason: 'error' };
    } catch (err) {
      // The question is personal text: log only what failed, never what was asked.
      this.log.warn({ err: err instanceof Error ? err.name : 'unknown', status: (err as { status?: number }).status }, 'model answer failed; using keyword search');
      return { ok: false, reason: 'error' };
    }
  }
}
