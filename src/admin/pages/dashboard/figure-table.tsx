import type { ComponentChildren } from 'preact';

/** A column heading; `{ label, num: true }` for a column of numbers (right-aligned, heading and cells). */
export type HeadCell = string | { label: string; num: true };

/** A column of numbers. */
export const numCol = (label: string): HeadCell => ({ label, num: true });

/**
 * A table of figures with its caption. Like `DataTable` (views/components.tsx), it scrolls sideways on a phone; its
 * scrolling box is a named, focusable region so it can be scrolled with the keyboard too (axe:
 * scrollable-region-focusable). Cells of number columns are `<N>`.
 */
export function FigureTable(props: { caption: string; head: readonly HeadCell[]; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.caption} tabIndex={0}>
      <table class="figures">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) =>
              typeof h === 'string' ? (
                <th scope="col">{h}</th>
              ) : (
                <th scope="col" class="num">
                  {h.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A cell of a number column. */
export function N(props: { children?: ComponentChildren }) {
  return <td class="num">{props.children}</td>;
}
