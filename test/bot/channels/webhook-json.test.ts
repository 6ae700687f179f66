import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MessengerWebhookSchema } from '../../../src/bot/channels/messenger/messenger-webhook.schema.js';
import { parseMessengerWebhook } from '../../../src/bot/channels/messenger/messenger-webhook.js';
import { normalizeJsonStrings } from '../../../src/bot/channels/normalize-text.js';
import { parseWebhookJson, platformTime, pruneDeepJson } from '../../../src/bot/channels/webhook-http.js';
import { ZaloWebhookSchema } from '../../../src/bot/channels/zalo/zalo-webhook.schema.js';
import { interpretZaloEvent } from '../../../src/bot/channels/zalo/zalo-webhook.js';
import { ZALO_OA_ID } from '../../helpers/channels.js';

const rawFixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', name), 'utf8');
function parsed(raw: string): any {
  const r = parseWebhookJson(raw);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('webhook JSON parsing', () => {
  it('keeps a Zalo text with long numbers (after colons, in brackets, in quotes) exactly as sent, and big ids exact', () => {
    const body = parsed(rawFixture('zalo/user-send-text-long-numbers.json'));
    expect(body.message.text).toBe('Tố giác lừa đảo: STK:1234567890123456, ok. Mã GD [9007199254740993123, 12345678901234567890] và {"id":12345678901234567890}');
    expect([body.sender.id, body.recipient.id, body.user_id_by_app]).toEqual(['2468123456789012399', '579745863508352884', '5520098765432109876']);
    // In arrays: big integers become their exact digits, every other number stays a number.
    expect(body.message.ref_ids).toEqual(['9007199254740993123', '12345678901234567890', 1.5, 42]);
    const meaning = interpretZaloEvent(ZaloWebhookSchema.parse(body), ZALO_OA_ID);
    expect(meaning).toMatchObject({ kind: 'input', event: { laneKey: `zalo:${ZALO_OA_ID}:2468123456789012399`, payload: { userId: '2468123456789012399', input: { kind: 'text', text: body.message.text } } } });
  });

  it('keeps Messenger texts and payloads with long numbers exactly as sent, and big ids sent as numbers exact', () => {
    const body = parsed(rawFixture('messenger/long-numbers.json'));
    expect(body.entry[0].messaging[0].message.nlp.entities.number[0]).toEqual({ value: '12345678901234567890', confidence: 0.9876 });
    const { events, dropped } = parseMessengerWebhook(MessengerWebhookSchema.parse(body), '100000000000001');
    expect(dropped).toEqual([]);
    expect(events.map((e) => [e.dedupeKey, e.laneKey, (e.payload as any).input])).toEqual([
      ['m_long_1', 'messenger:100000000000001:7000000000000000123', { kind: 'text', text: 'Báo cáo: STK:1234567890123456, ok; các mã [9007199254740993123,12345678901234567890]' }],
      ['m_long_2', 'messenger:100000000000001:7000000000000000456', { kind: 'payload', payload: 'AMOUNT:12345678901234567890', text: 'Đã chuyển' }],
    ]);
  });

  it('keeps safe numbers as numbers and turns only unsafe integers into strings', () => {
    expect(parsed('[9007199254740991, 9007199254740993, -9007199254740993, 1e3, 0.5, 9e15, 12.0]')).toEqual([9007199254740991, '9007199254740993', '-9007199254740993', 1000, 0.5, 9e15, 12]);
  });

  it('refuses what is not JSON, and takes the last of duplicate keys like JSON.parse', () => {
    for (const bad of ['', 'not json', '{"a":1,}', '{"a":"\u0000"}', '[1 2]']) expect(parseWebhookJson(bad).ok).toBe(false);
    expect(parsed('{"a":1,"a":2}')).toEqual({ a: 2 });
  });

  it('parses a valid body nested far deeper than the stack, cutting only the deep part', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const body = parsed(`{"object":"page","entry":[{"messaging":[{"message":{"mid":"m1","text":"[[{\\"x\\": ]]","nlp":${deep}}}]}]}`);
    const message = body.entry[0].messaging[0].message;
    expect(message.text).toBe('[[{"x": ]]');
    expect(JSON.stringify(message.nlp)).toMatch(/^\[+null\]+$/);
    expect(parseWebhookJson('['.repeat(200_000) + ']'.repeat(199_999)).ok).toBe(false);
  });

  it('prunes by structure, leaving brackets and escaped quotes inside strings alone', () => {
    expect(pruneDeepJson('{"a":"[{\\"]","b":[[1],[2,[3]]],"c":{"d":{}}}', 2)).toBe('{"a":"[{\\"]","b":[null,null],"c":{"d":null}}');
  });
});

describe('normalising parsed strings', () => {
  it('removes NUL and replaces lone surrogates in every string value at any depth, keeping pairs', () => {
    const value = normalizeJsonStrings(parsed('{"a":"x\\u0000y","b":["\\ud800", {"c":"\\udc00z\\ud83d\\ude00"}],"n":1}'));
    expect(value).toEqual({ a: 'xy', b: ['\ufffd', { c: '\ufffdz😀' }], n: 1 });
  });
});

describe('platform timestamps', () => {
  const now = new Date('2026-11-22T13:00:00Z');
  it('keeps a plausible epoch-ms, given as a number or a string of digits', () => {
    expect(platformTime(1795350000000, now).toISOString()).toBe('2026-11-22T12:20:00.000Z');
    expect(platformTime('1795350000000', now).toISOString()).toBe('2026-11-22T12:20:00.000Z');
  });
  it.each([9e15, '12345678901234567890', -1, 0, 946_684_799_999, now.getTime() + 86_400_001, 'soon', '', null, {}, Number.MAX_VALUE, 1.5])('treats %j as the time of receipt', (value) => {
    expect(platformTime(value, now)).toEqual(now);
  });
});
