import { reachesClass } from '../classes/class-access.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { planRosterImport, type RosterPreview } from './plan-roster-import.js';
import type { RosterImportRequest } from './preview-roster-import.js';
import { readRosterFile } from './read-roster-file.js';
import type { RosterDeps } from './roster-deps.js';
import { ROSTER_LIMITS, type FileProblemCode, type RosterLimits } from './roster-file.js';

/** An import to apply: the same upload as its preview, with the preview's digest. */
export interface ImportRosterRequest extends RosterImportRequest {
  digest: string;
}

/** What changed; or why nothing did (Vietnamese message, and the current preview when the file or roster moved on). */
export type ImportRosterResult =
  | { ok: true; added: number; respelled: number; removed: number; rosterSize: number }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'bad_file'; problem: FileProblemCode; message: string }
  | { ok: false; reason: 'has_errors' | 'stale_preview'; message: string; preview: RosterPreview };

const STALE = 'Danh sách lớp hoặc tệp đã thay đổi kể từ lúc xem trước. Hãy xem lại bản xem trước mới rồi xác nhận lại.';
const HAS_ERRORS = 'Tệp còn dòng lỗi nên chưa nhập gì. Hãy sửa các dòng được chỉ ra rồi tải lên lại.';

/**
 * Applies a previewed roster import in one transaction: the class row is locked, the roster read again, and the
 * plan rebuilt from the file; it is applied only when no row has an error and the plan is the one the preview
 * showed (same digest). Anything else, or a failure midway, leaves the roster exactly as it was.
 */
export async function importRoster(deps: RosterDeps, scope: StaffScope, req: ImportRosterRequest, limits: RosterLimits = ROSTER_LIMITS): Promise<ImportRosterResult> {
  const cls = await deps.repos.schoolAdmin.getClass(req.classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const mode = req.mode === 'replace' ? 'replace' : 'add';
  // Parsing is CPU work on the upload: done before the transaction, which then holds its lock only for the writes.
  const table = await readRosterFile(req.file, limits);
  if (!table.ok) return { ok: false, reason: 'bad_file', problem: table.problem, message: table.message };
  return deps.transaction(async (repos): Promise<ImportRosterResult> => {
    if (!(await repos.rosters.lockClass(cls.id))) return { ok: false, reason: 'not_found' };
    const existing = await repos.rosters.entries(cls.id);
    const { preview, changes } = planRosterImport(cls.id, mode, table, existing);
    if (!preview.canImport) return { ok: false, reason: 'has_errors', message: HAS_ERRORS, preview };
    if (preview.digest !== req.digest) return { ok: false, reason: 'stale_preview', message: STALE, preview };
    const done = await repos.rosters.apply(cls.id, changes);
    return { ok: true, ...done, rosterSize: existing.length + done.added - done.removed };
  });
}
