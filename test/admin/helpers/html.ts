// Reading server-rendered console pages in tests without a DOM: our pages are regular (preact output, no comments,
// attributes in double quotes), so a section, a table row or an image can be cut out by its markers.

/** The `<section aria-labelledby="<id>">…</section>` of a page, or null when the page has none. */
export function sectionOf(html: string, id: string): string | null {
  const start = html.indexOf(`<section aria-labelledby="${id}"`);
  if (start < 0) return null;
  const end = html.indexOf('</section>', start);
  return html.slice(start, end + '</section>'.length);
}

/**
 * The text of the cells of every `<tr>` whose row header (or first cell) contains `label` (or is exactly `label`,
 * with `exact`), tags stripped.
 */
export function rowsWith(html: string, label: string, opts: { exact?: boolean } = {}): string[][] {
  return [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)]
    .map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => textOf(c[1]!)))
    .filter((cells) => (opts.exact ? cells[0] === label : cells[0]?.includes(label)));
}

/** The one row whose header contains (or, with `exact`, is) `label`; throws when there is none or several. */
export function rowWith(html: string, label: string, opts: { exact?: boolean } = {}): string[] {
  const rows = rowsWith(html, label, opts);
  if (rows.length !== 1) throw new Error(`${rows.length} rows with “${label}”`);
  return rows[0]!;
}

/** Text without tags, entities of our escaping decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The captions of the page's tables, in order. */
export function captionsOf(html: string): string[] {
  return [...html.matchAll(/<caption>(.*?)<\/caption>/gs)].map((m) => textOf(m[1]!));
}

/** The `data:` images of a page, decoded: each one's alt text and its content. */
export function dataImagesOf(html: string): { alt: string; type: string; content: string }[] {
  return [...html.matchAll(/<img ([^>]*)>/g)].flatMap((m) => {
    const src = /src="data:([^;"]+);base64,([^"]+)"/.exec(m[1]!);
    if (!src) return [];
    const alt = /alt="([^"]*)"/.exec(m[1]!)?.[1] ?? '';
    return [{ alt: textOf(alt), type: src[1]!, content: Buffer.from(src[2]!, 'base64').toString('utf8') }];
  });
}
