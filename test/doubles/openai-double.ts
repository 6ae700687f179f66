// A local OpenAI-compatible server: `POST /v1/chat/completions` as documented by OpenAI, recording every request.
import type { RecordedRequest } from './http-double.js';
import { startLoopback } from './http-double.js';

/** What the double answers to a chat completion: its text, or an HTTP error status. */
export type Reply = { content: string } | { status: number };

/** The double: set `reply` to decide each answer from the request's messages (a promise holds the answer back). */
export interface OpenAiDouble {
  url: string;
  requests: RecordedRequest[];
  reply: (messages: { role: string; content: string }[]) => Reply | Promise<Reply>;
  completions(): { model: string; messages: { role: string; content: string }[] }[];
  close(): Promise<void>;
}

/** Starts the double on 127.0.0.1; use `${url}/v1` as OPENAI_BASE_URL. */
export async function startOpenAiDouble(apiKey = 'sk-test-double'): Promise<OpenAiDouble> {
  const requests: RecordedRequest[] = [];
  const double: OpenAiDouble = {
    url: '',
    requests,
    reply: () => ({ content: 'Theo tài liệu, hãy đội mũ bảo hiểm cài quai đúng cách. (Nguồn: Luật 36/2024/QH15)' }),
    completions: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as any),
    close: async () => {},
  };
  const server = await startLoopback(requests, async ({ req, res }) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return send(404, { error: { message: 'Not found', type: 'invalid_request_error' } });
    const body = req.body as { model: string; messages: { role: string; content: string }[] };
    const r = await double.reply(body.messages);
    if ('status' in r) return send(r.status, { error: { message: 'The server had an error.', type: 'server_error' } });
    send(200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: r.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    });
  });
  double.url = server.url;
  double.close = server.close;
  return double;
}
