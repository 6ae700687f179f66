import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ContentItemSchema, type Audience, type ContentItem, type Topic } from './catalogue.schema.js';

/** Default folder of the campaign catalogue (Markdown files with YAML front matter). */
export const CATALOGUE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'catalogue');

/** Display names of the topics, in menu order. */
export const TOPIC_LABELS: Record<Topic, { vi: string; en: string }> = {
  'traffic-safety': { vi: 'An toàn giao thông', en: 'Traffic safety' },
  'drugs': { vi: 'Phòng chống ma tuý', en: 'Drug prevention' },
  'school-violence': { vi: 'Bạo lực học đường', en: 'School violence' },
  'fire-safety': { vi: 'Phòng cháy chữa cháy', en: 'Fire safety' },
  'weapons-firecrackers': { vi: 'Vũ khí, pháo nổ', en: 'Weapons, firecrackers' },
  'online-scams': { vi: 'Lừa đảo qua mạng', en: 'Online scams' },
  'vneid': { vi: 'Định danh VNeID', en: 'VNeID' },
  'model-safe-school-gate': { vi: 'Cổng trường ATGT', en: 'Safe school gate' },
  'model-queue-pickup': { vi: 'Xếp hàng đón con', en: 'Queue to pick up' },
  'model-drug-free-school': { vi: 'Trường không ma tuý', en: 'Drug-free school' },
  'festival-19-8': { vi: 'Ngày hội 19/8', en: '19 August festival' },
};

/** The validated catalogue. */
export class Catalogue {
  private readonly byId: Map<string, ContentItem>;

  constructor(private readonly list: readonly ContentItem[]) {
    this.byId = new Map(list.map((i) => [i.id, i]));
  }

  /** Every item, in a stable order (topic, then file name). */
  items(): readonly ContentItem[] {
    return this.list;
  }

  /** One item by id. */
  get(id: string): ContentItem | undefined {
    return this.byId.get(id);
  }

  /** Items of a topic for an audience (no audience: all). */
  forTopic(topic: Topic, audience?: Audience): ContentItem[] {
    return this.list.filter((i) => i.topic === topic && (!audience || i.audience.includes(audience)));
  }
}

/** Splits a Markdown file into its YAML front matter and body. */
export function parseMarkdownItem(source: string): { meta: unknown; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source.replace(/^\uFEFF/, ''));
  if (!m) throw new Error('missing YAML front matter between --- lines');
  return { meta: parseYaml(m[1] ?? ''), body: (m[2] ?? '').trim() };
}

/** Loads and validates every `*.md` under `dir`; throws one error listing every invalid file. */
export function loadCatalogue(dir = CATALOGUE_DIR): Catalogue {
  const files = listMarkdown(dir).sort();
  const items: ContentItem[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const rel = path.relative(dir, file);
    try {
      const { meta, body } = parseMarkdownItem(readFileSync(file, 'utf8'));
      const parsed = ContentItemSchema.safeParse({ ...(meta as object), body: body.normalize('NFC') });
      if (!parsed.success) {
        problems.push(`${rel}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        continue;
      }
      const item = parsed.data;
      if (path.basename(path.dirname(file)) !== item.topic) problems.push(`${rel}: topic "${item.topic}" does not match its folder`);
      const other = seen.get(item.id);
      if (other) problems.push(`${rel}: id "${item.id}" also used by ${other}`);
      seen.set(item.id, rel);
      items.push(item);
    } catch (err) {
      problems.push(`${rel}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`Invalid campaign catalogue (${dir}):\n  ${problems.join('\n  ')}`);
  const order = Object.keys(TOPIC_LABELS);
  items.sort((a, b) => order.indexOf(a.topic) - order.indexOf(b.topic));
  return new Catalogue(items);
}

function listMarkdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listMarkdown(full);
    return e.isFile() && e.name.endsWith('.md') ? [full] : [];
  });
}
