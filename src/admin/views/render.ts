import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * A full HTML document from a page (a `<Layout>` element): preact escapes every text and attribute value, so
 * whatever a person typed is shown as text, never run. The one way console pages become HTML.
 */
export function render(page: VNode<any>): string {
  return `<!doctype html>\n${renderToString(page)}`;
}

/** A piece of a page for htmx to swap in (no document around it), escaped the same way. */
export function renderFragment(node: VNode<any>): string {
  return renderToString(node);
}
