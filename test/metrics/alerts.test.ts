import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { messengerEnv, zaloEnv } from '../helpers/channels.js';
import { declaredNames, selectorsOf } from './scrape.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const RULES_FILE = path.join(import.meta.dirname, '..', '..', 'deploy', 'prometheus', 'alerts.yml');
const rules: Rule[] = (parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
/** Series Prometheus makes itself for every target, and the labels it adds to every series. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
const TARGET_LABELS = new Set(['job', 'instance']);
const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

let zalo: ZaloDouble;
let messenger: MessengerDouble;
let app: TestApp;
let scrape: string;
beforeAll(async () => {
  [zalo, messenger] = await Promise.all([startZaloDouble(), startMessengerDouble()]);
  app = await startTestApp({ ...zaloEnv(zalo), ...messengerEnv(messenger) });
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  scrape = await res.text();
});
afterAll(async () => {
  await app?.close();
  await Promise.all([zalo?.close(), messenger?.close()]);
});

describe('selectorsOf (the PromQL reading the next tests rely on)', () => {
  it('finds the selectors and their matchers, not functions, groupings, ranges or numbers', () => {
    expect(selectorsOf('sum by (channel, le) (rate(a_bucket{reason=~"x|y", channel="z"}[5m])) / clamp_min(b_total, 1e-9) > 0.1 and up{job="j"} == 0')).toEqual([
      { metric: 'a_bucket', labels: ['reason', 'channel'] },
      { metric: 'b_total', labels: [] },
      { metric: 'up', labels: ['job'] },
    ]);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('has the rules operators need', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['BotWebhookAcksFailing', 'BotWebhookAcksSlow', 'BotBacklogGrowing', 'BotInboxBacklogOld', 'BotZaloTokenExpiringSoon', 'BotUrgentTipUnacknowledged', 'BotNotReady', 'BotDown']),
    );
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s uses only metrics and labels a real /metrics scrape has', (_name, rule) => {
    const selectors = selectorsOf(rule.expr);
    expect(selectors.length).toBeGreaterThan(0);
    const declared = declaredNames(scrape);
    for (const s of selectors) {
      if (SYNTHETIC.has(s.metric)) continue;
      expect(declared, `metric ${s.metric}`).toContain(s.metric);
      const family = app.metrics.registry.getSingleMetric(s.metric.replace(/_(bucket|sum|count)$/, '')) ?? app.metrics.registry.getSingleMetric(s.metric);
      const labelNames = ((family as unknown as { labelNames?: string[] } | undefined)?.labelNames ?? []).concat([...TARGET_LABELS]);
      for (const l of s.labels) expect(labelNames, `label ${l} of ${s.metric}`).toContain(l);
    }
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s tells the operator what is wrong in Vietnamese and English, with a severity', (_name, rule) => {
    expect(['warning', 'critical']).toContain(rule.labels?.severity);
    for (const key of ['summary', 'description'] as const) {
      const text = rule.annotations?.[key] ?? '';
      const [vi, en, more] = text.split(' / ');
      expect(more, `${key}: one ' / ' between the languages`).toBeUndefined();
      // Vietnamese with its diacritics, then English (which may quote a Vietnamese button caption).
      expect(vi, `${key} (vi)`).toMatch(VIETNAMESE);
      expect(en?.trim(), `${key} (en)`).toBeTruthy();
      expect(en!.replace(/"[^"]*"/g, ''), `${key} (en)`).not.toMatch(VIETNAMESE);
    }
  });
});
