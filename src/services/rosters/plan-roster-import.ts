import { createHash } from 'node:crypto';
import type { RosterChanges, RosterRow } from '../../store/roster.repo.js';
import type { ImportMode } from './roster-file.js';
import { nameColumnLabel } from './roster-headers.js';
import { checkRosterName } from './roster-name.js';
import type { RosterTable } from './read-roster-file.js';

/** What importing would do with one row of the file. */
export type PreviewRowStatus = 'new' | 'unchanged' | 'respelled' | 'error';

/** One data row of the file: as written, as it would be stored, and what would happen to it. */
export interface PreviewRow {
  row: number;
  written: string;
  /** The tidied name (null when the row has an error). */
  name: string | null;
  status: PreviewRowStatus;
  /** For `respelled`: the spelling on the roster now, which the file's replaces. */
  stored?: string;
}

/** A problem of one row: its number in the file, the column, and what to fix (Vietnamese). */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** What an import of this file would do to the class roster; nothing has been changed. */
export interface RosterPreview {
  classId: string;
  mode: ImportMode;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headerRow: number;
  nameColumn: string;
  ignoredColumns: string[];
  rows: PreviewRow[];
  errors: RowError[];
  summary: { rows: number; new: number; unchanged: number; respelled: number; toRemove: number; errors: number };
  /** Roster names that `replace` would remove (not in the file). Empty in `add` mode. */
  toRemove: string[];
  /** Sentences for the page (Vietnamese): columns not stored, what replace mode removes. */
  notices: string[];
  canImport: boolean;
  /** Pass it back to `importRoster`: it holds only if the file and the roster are still what this preview saw. */
  digest: string | null;
}

/** The preview of an import and the changes it stands for. */
export interface RosterPlan {
  preview: RosterPreview;
  changes: RosterChanges;
}

/** Works out what importing a read file into a class roster would change (pure: reads and writes nothing). */
export function planRosterImport(classId: string, mode: ImportMode, table: RosterTable, existing: readonly RosterRow[]): RosterPlan {
  const column = nameColumnLabel(table.columns);
  const onRoster = new Map(existing.map((e) => [e.studentKey, e]));
  const firstRowOf = new Map<string, number>();
  const rows: PreviewRow[] = [];
  const errors: RowError[] = [];
  const changes: RosterChanges = { add: [], respell: [], removeKeys: [] };
  for (const r of table.rows) {
    const check = checkRosterName(r.raw);
    const fail = (message: string) => {
      errors.push({ row: r.row, column, message });
      rows.push({ row: r.row, written: r.raw, name: null, status: 'error' });
    };
    if (!check.ok) {
      fail(check.message);
      continue;
    }
    const earlier = firstRowOf.get(check.key);
    if (earlier !== undefined) {
      fail(`Trùng tên với dòng ${earlier} (${check.name}). Hệ thống phân biệt học sinh theo họ tên: nếu lớp có hai bạn trùng tên, hãy thêm chữ để phân biệt (ví dụ “${check.name} A”).`);
      continue;
    }
    firstRowOf.set(check.key, r.row);
    const stored = onRoster.get(check.key);
    if (!stored) {
      rows.push({ row: r.row, written: r.raw, name: check.name, status: 'new' });
      changes.add.push({ studentName: check.name, studentKey: check.key });
    } else if (stored.studentName !== check.name) {
      rows.push({ row: r.row, written: r.raw, name: check.name, status: 'respelled', stored: stored.studentName });
      changes.respell.push({ studentName: check.name, studentKey: check.key });
    } else {
      rows.push({ row: r.row, written: r.raw, name: check.name, status: 'unchanged' });
    }
  }
  const removed = mode === 'replace' ? existing.filter((e) => !firstRowOf.has(e.studentKey)) : [];
  changes.removeKeys = removed.map((e) => e.studentKey);
  const count = (s: PreviewRowStatus) => rows.filter((r) => r.status === s).length;
  const canImport = errors.length === 0;
  const notices: string[] = [];
  if (table.ignored.length > 0) notices.push(`Các cột ${table.ignored.map((h) => `“${h}”`).join(', ')} không được lưu: hệ thống chỉ lưu họ tên học sinh.`);
  if (removed.length > 0) notices.push(`Chế độ thay thế: ${removed.length} học sinh không có trong tệp sẽ bị xoá khỏi danh sách lớp (các cam kết đã ký vẫn được giữ).`);
  if (errors.length > 0) notices.push(`Tệp có ${errors.length} dòng lỗi: sửa trong tệp rồi tải lên lại. Chưa có gì được thay đổi.`);
  const preview: RosterPreview = {
    classId,
    mode,
    format: table.format,
    encoding: table.encoding,
    headerRow: table.headerRow,
    nameColumn: column,
    ignoredColumns: table.ignored,
    rows,
    errors,
    summary: { rows: rows.length, new: count('new'), unchanged: count('unchanged'), respelled: count('respelled'), toRemove: removed.length, errors: errors.length },
    toRemove: removed.map((e) => e.studentName),
    notices,
    canImport,
    digest: canImport ? planDigest(classId, mode, rows, existing) : null,
  };
  return { preview, changes };
}

// The file's names in order and the roster as it was: an import applies only the very plan its preview showed.
function planDigest(classId: string, mode: ImportMode, rows: readonly PreviewRow[], existing: readonly RosterRow[]): string {
  const roster = existing.map((e) => [e.studentKey, e.studentName]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(['roster-import:v1', classId, mode, rows.map((r) => r.name), roster])).digest('base64url');
}
