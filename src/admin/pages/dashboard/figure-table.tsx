import type { ComponentChildren } from 'preact';

/**
 * A table of figures with its caption. Like `DataTable` (views/components.tsx), it scrolls sideways on a phone; its
 * scrolling box is a named, focusable region so it can be scrolled with the keyboard too (axe:
 * scrollable-region-focusable). Numeric columns (`numeric` from the second on) are right-aligned.
 */
export function FigureTable(props: { caption: string; head: readonly string[]; numeric?: boolean; id?: string; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.caption} tabIndex={0}>
      <table class={props.numeric === false ? undefined : 'figures'} id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
