import type { Catalogue } from './catalogue.js';
import type { Audience, ContentItem } from './catalogue.schema.js';
import { foldText } from './normalize.js';

/** A catalogue item and how well it matches a question. */
export interface SearchHit {
  item: ContentItem;
  score: number;
}

interface Indexed {
  item: ContentItem;
  keywords: string[];
  head: Set<string>; // words of the title, summary and keywords
  body: Set<string>;
}

const indexes = new WeakMap<Catalogue, { docs: Indexed[]; df: Map<string, number> }>();

function words(text: string): string[] {
  return foldText(text).split(' ').filter((w) => w.length > 1);
}

function indexOf(catalogue: Catalogue) {
  let index = indexes.get(catalogue);
  if (!index) {
    const docs = catalogue.items().map((item) => ({
      item,
      keywords: item.keywords.map(foldText).filter(Boolean),
      head: new Set(words(`${item.title} ${item.summary} ${item.keywords.join(' ')}`)),
      body: new Set(words(item.body)),
    }));
    const df = new Map<string, number>();
    for (const d of docs) for (const w of new Set([...d.head, ...d.body])) df.set(w, (df.get(w) ?? 0) + 1);
    index = { docs, df };
    indexes.set(catalogue, index);
  }
  return index;
}

/**
 * Diacritics-insensitive search over the catalogue. Words count by rarity (common words like "ngày" or "con" match
 * everything and prove nothing); an item qualifies when a keyword phrase appears in the question, or when two rare
 * words of the question appear in its title or summary.
 */
export function searchCatalogue(catalogue: Catalogue, question: string, opts: { audience?: Audience; limit?: number } = {}): SearchHit[] {
  const { docs, df } = indexOf(catalogue);
  const q = ` ${foldText(question)} `;
  const qWords = [...new Set(words(question))];
  const n = Math.max(1, docs.length);
  const idf = (w: string) => Math.log((n + 1) / ((df.get(w) ?? 0) + 1));
  const rare = (w: string) => (df.get(w) ?? 0) <= Math.max(2, n * 0.08);
  const hits: SearchHit[] = [];
  for (const d of docs) {
    if (opts.audience && !d.item.audience.includes(opts.audience)) continue;
    const phrases = d.keywords.filter((k) => q.includes(` ${k} `));
    const rareInHead = qWords.filter((w) => rare(w) && d.head.has(w)).length;
    if (phrases.length === 0 && rareInHead < 2) continue;
    let score = phrases.reduce((s, k) => s + 3 * k.split(' ').length, 0);
    for (const w of qWords) score += idf(w) * (d.head.has(w) ? 2 : d.body.has(w) ? 0.5 : 0);
    hits.push({ item: d.item, score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 3);
}
