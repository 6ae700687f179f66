import { z } from 'zod';
import type { Repos } from '../../store/repos.js';
import type { StaffMember } from '../../store/staff.repo.js';
import { recordAudit } from '../audit/record-audit.js';
import type { PreparedPassword } from './account-password.js';
import { mayAssign, resolvePlacement, type PlacementProblem, type PlacementRequest } from './staff-placement.js';
import type { StaffScope } from './staff-scope.js';

/** A new account: e-mail, display name, role and places (see `resolvePlacement`). */
export interface CreateStaffAccountRequest extends PlacementRequest {
  email: string;
  name: string;
}

/** The account (its password is the caller's `PreparedPassword`, to be shown once), or why not. */
export type CreateStaffAccountResult =
  | { ok: true; account: StaffMember }
  | { ok: false; reason: PlacementProblem | 'bad_email' | 'bad_name' | 'email_taken' | 'forbidden' };

const EmailSchema = z.email().max(254);
// Printable text: no control characters (a name is shown on pages and in the audit page's account column).
const NameSchema = z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]+$/u);

/**
 * Creates a console account. `actor` is the admin doing it (checked by `mayAssign`: an office admin only within
 * their office, a school admin only in their school and up to their own role), or
 * null for the operator's command line (`npm run admin:create`). Hash the password before opening the transaction
 * this runs in (`newAccountPassword`). Recorded in the audit log.
 */
export async function createStaffAccount(
  repos: Pick<Repos, 'staff' | 'audit'>,
  req: CreateStaffAccountRequest,
  password: PreparedPassword,
  ctx: { actor: StaffScope | null; now: Date },
): Promise<CreateStaffAccountResult> {
  const email = EmailSchema.safeParse(req.email.trim().toLowerCase());
  if (!email.success) return { ok: false, reason: 'bad_email' };
  const name = NameSchema.safeParse(req.name);
  if (!name.success) return { ok: false, reason: 'bad_name' };
  const placed = await resolvePlacement(repos, req);
  if (!placed.ok) return placed;
  if (ctx.actor && !mayAssign(ctx.actor, placed.placement, placed.schoolOfficeId)) return { ok: false, reason: 'forbidden' };
  if (await repos.staff.emailTaken(email.data)) return { ok: false, reason: 'email_taken' };
  const account = await repos.staff.create({ email: email.data, name: name.data, passwordHash: password.hash, ...placed.placement });
  await recordAudit(repos, {
    staffId: ctx.actor?.staffId ?? null,
    action: 'staff_created',
    targetType: 'staff',
    targetId: account.id,
    schoolId: account.schoolId,
    officeId: account.officeId ?? placed.schoolOfficeId,
    detail: { role: account.role, via: ctx.actor ? 'console' : 'command_line' },
    at: ctx.now,
  });
  return { ok: true, account };
}
