const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one escaper of text put into markup by hand: HTML pages outside the console (the tip form, pledge receipts,
 * error pages) and SVG (certificates, charts). Safe in element content and in quoted attribute values of both HTML and
 * XML. The console's pages need none: their JSX escapes every text and attribute (src/admin/views/render.ts).
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
