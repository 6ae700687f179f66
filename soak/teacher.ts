// The broadcast, as a teacher starts one: on the simulator, the homeroom teacher of NTT-6A1 verifies with the class's
// teacher code, then composes "gửi thông báo" → the class → both roles → everyone → no groups → the text → no picture
// → "Gửi ngay". Each step taps the button the bot offered by its title (the same flow the e2e test walks).
import type { OutMessage } from '../src/content/messages.schema.js';

export const BROADCAST_TEXT = 'Kính gửi phụ huynh lớp 6A1: sáng thứ Hai nhà trường tổ chức buổi tuyên truyền an toàn giao thông. Phụ huynh nhắc các em đội mũ bảo hiểm cài quai đúng cách khi ngồi sau xe máy.';

/** Titles to tap, in the order the flow asks; each is tapped at most once. */
const TITLES = ['Lớp 6A1', 'Tiếp tục', 'Cả hai', 'Tất cả', 'Không', 'Không kèm ảnh', 'Gửi ngay'];

async function say(url: string, user: string, body: { text?: string; payload?: string }): Promise<OutMessage[]> {
  const res = await fetch(`${url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, channel: 'zalo', ...body }),
    signal: AbortSignal.timeout(60_000),
  });
  const json = (await res.json()) as { replies?: OutMessage[] };
  if (res.status !== 200) throw new Error(`simulator answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return json.replies ?? [];
}

const textOf = (replies: OutMessage[]) => replies.map((r) => (r.type === 'text' || r.type === 'buttons' ? r.text : r.type === 'link' ? r.title : r.caption ?? '')).join('\n');
const buttonsOf = (replies: OutMessage[]) => replies.flatMap((r) => (r.type === 'buttons' ? r.buttons : []));

/** Verifies the teacher (before the run: its turns are not part of the measured traffic). */
export async function verifyTeacher(url: string, user: string, code: string): Promise<void> {
  await say(url, user, { text: 'chào' });
  await say(url, user, { payload: 'ROLE:teacher' });
  const verified = textOf(await say(url, user, { text: code }));
  if (!verified.includes('Xác minh thành công')) throw new Error(`teacher not verified: ${verified.slice(0, 200)}`);
}

/** Composes and sends the broadcast; returns its code (TB-…) as the bot says it, and the reach it forecast. */
export async function sendBroadcast(url: string, user: string): Promise<{ code: string; forecast: string }> {
  let replies = await say(url, user, { text: 'gửi thông báo' });
  const used = new Set<string>();
  let forecast = '';
  for (let step = 0; step < 15; step++) {
    const text = textOf(replies);
    const sent = /Thông báo (TB-\d+)/.exec(text);
    if (text.includes('Đã nhận lệnh gửi') && sent) return { code: sent[1]!, forecast };
    const f = /DỰ KIẾN TIẾP CẬN: [^\n]*/.exec(text);
    if (f) forecast = f[0];
    if (text.includes('gõ nội dung thông báo')) {
      replies = await say(url, user, { text: BROADCAST_TEXT });
      continue;
    }
    const offered = buttonsOf(replies);
    const title = TITLES.find((t) => !used.has(t) && offered.some((b) => b.title === t));
    if (!title) throw new Error(`broadcast flow: no known button in: ${text.slice(0, 300)} [${offered.map((b) => b.title).join(', ')}]`);
    used.add(title);
    replies = await say(url, user, { payload: offered.find((b) => b.title === title)!.payload });
  }
  throw new Error(`broadcast not sent after 15 steps: ${textOf(replies).slice(0, 300)}`);
}
