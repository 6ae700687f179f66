import type { Db, DirectQuery } from './database.js';
import type { Prisma } from './generated/client.js';

/** A statement as text with `$1…` placeholders and its values, runnable through Prisma or the direct path. */
export interface SqlText {
  text: string;
  values: unknown[];
}

/** Builds a `SqlText` from a template: each `${value}` becomes the next `$n` placeholder. */
export function sqlText(strings: TemplateStringsArray, ...values: unknown[]): SqlText {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1] ?? ''}`;
  return { text, values };
}

/** Values as the direct path sends them: dates as ISO strings (read as UTC by `::timestamp` casts), bigints as text. */
export function directParams(values: unknown[]): unknown[] {
  return values.map((v) => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v));
}

/** Runs a composed Prisma statement on the direct path when there is one (database.ts `DirectQuery`), else through Prisma. */
export function queryOn<T>(db: Db, direct: DirectQuery | undefined, q: Prisma.Sql): Promise<T[]> {
  return direct ? direct<T>(q.text, q.values) : db.$queryRaw<T[]>(q);
}
