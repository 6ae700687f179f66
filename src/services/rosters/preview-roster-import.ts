import type { Repos } from '../../store/repos.js';
import { reachesClass } from '../classes/class-access.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { planRosterImport, type RosterPreview } from './plan-roster-import.js';
import { readRosterFile } from './read-roster-file.js';
import { ROSTER_LIMITS, type FileProblemCode, type ImportMode, type RosterFile, type RosterLimits } from './roster-file.js';

/** A roster upload to preview (and, with the preview's digest, to import). */
export interface RosterImportRequest {
  classId: string;
  mode: ImportMode;
  file: RosterFile;
}

/** The preview (rows, per-row errors, summary); or why the file could not be read at all (message in Vietnamese). */
export type PreviewRosterResult =
  | { ok: true; preview: RosterPreview }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'bad_file'; problem: FileProblemCode; message: string };

/**
 * Reads a roster file for one class and says what importing it would do, changing nothing. Outside the account's
 * scope (a teacher of another class, a school admin of another school) the class is `not_found`, like a missing one,
 * and the file is not even read.
 */
export async function previewRosterImport(repos: Repos, scope: StaffScope, req: RosterImportRequest, limits: RosterLimits = ROSTER_LIMITS): Promise<PreviewRosterResult> {
  const cls = await repos.schoolAdmin.getClass(req.classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const mode: ImportMode = req.mode === 'replace' ? 'replace' : 'add';
  const table = await readRosterFile(req.file, limits);
  if (!table.ok) return { ok: false, reason: 'bad_file', problem: table.problem, message: table.message };
  const existing = await repos.rosters.entries(cls.id);
  return { ok: true, preview: planRosterImport(cls.id, mode, table, existing).preview };
}
