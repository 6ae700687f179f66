import { foldText } from '../../content/normalize.js';

/** What a header cell names, as far as a roster is concerned. */
export type HeaderKind = 'full' | 'family' | 'given' | 'other';

/** Where the pupil's name is: one column, or family part (họ, họ đệm) and given name (tên) in two. */
export type NameColumns =
  | { kind: 'full'; index: number; header: string }
  | { kind: 'split'; family: number; given: number; headers: [string, string] };

/** A header row: where the name is, and the other columns' headers (read but never stored). */
export interface HeaderMatch {
  columns: NameColumns;
  ignored: string[];
}

// Folded (no diacritics, lower case): "Họ và tên", "Họ tên học sinh", "Tên HS", "Họ và tên trẻ", "Full name"…
const FULL = /^(ho (va )?ten|ho va ten day du|ten)( (cua )?(hoc sinh|hs|hoc vien|tre|be|con))$|^(ho (va )?ten|ho va ten day du)$|^(hoc sinh|full name|name|student name|student)$/;
// "Họ", "Họ đệm", "Họ và đệm", "Họ lót", "Họ và tên đệm", "Họ tên lót"…
const FAMILY = /^ho( (va )?(ten )?(dem|lot))?$|^(last name|family name|surname)$/;
const GIVEN = /^(ten|ten goi|first name|given name)$/;

/** What one header cell names: punctuation, line breaks, case and diacritics do not matter ("HỌ VÀ TÊN (*)" is full). */
export function headerKind(cell: string): HeaderKind {
  const folded = foldText(cell.replace(/[()[\]*:.]/g, ' ')).replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
  if (FAMILY.test(folded)) return 'family';
  if (GIVEN.test(folded)) return 'given';
  if (FULL.test(folded)) return 'full';
  return 'other';
}

/**
 * Reads a row as the header row, or null when it has no name column. A full-name column wins; otherwise a family
 * column with a given-name column; a lone "Tên" column is the full name.
 */
export function matchHeaderRow(cells: readonly string[]): HeaderMatch | null {
  const kinds = cells.map(headerKind);
  const full = kinds.indexOf('full');
  const family = kinds.indexOf('family');
  const given = kinds.indexOf('given');
  let columns: NameColumns;
  let used: number[];
  if (full >= 0) [columns, used] = [{ kind: 'full', index: full, header: tidy(cells[full]!) }, [full]];
  else if (family >= 0 && given >= 0) [columns, used] = [{ kind: 'split', family, given, headers: [tidy(cells[family]!), tidy(cells[given]!)] }, [family, given]];
  else if (given >= 0) [columns, used] = [{ kind: 'full', index: given, header: tidy(cells[given]!) }, [given]];
  else return null;
  const ignored = cells.map(tidy).filter((c, i) => c !== '' && !used.includes(i));
  return { columns, ignored };
}

/** The pupil's name as written in a data row (family and given name joined with one space). */
export function nameCell(columns: NameColumns, cells: readonly string[]): string {
  if (columns.kind === 'full') return cells[columns.index] ?? '';
  return [cells[columns.family] ?? '', cells[columns.given] ?? ''].map((s) => s.trim()).filter(Boolean).join(' ');
}

/** The column a name error points at. */
export function nameColumnLabel(columns: NameColumns): string {
  return columns.kind === 'full' ? columns.header : `${columns.headers[0]} + ${columns.headers[1]}`;
}

function tidy(cell: string): string {
  return cell.replace(/\s+/g, ' ').trim();
}
