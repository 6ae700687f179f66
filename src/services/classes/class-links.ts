import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { reachesClass } from './class-access.js';

/** The chat accounts parents and students join through (from configuration; null: that channel is off). */
export interface ChannelAccounts {
  /** The Facebook Page's username or numeric id (MESSENGER_PAGE_ID); `m.me/<this>`. */
  messengerPage: string | null;
  /** The Zalo Official Account's id (ZALO_OA_ID). */
  zaloOaId: string | null;
}

/** How a parent or student joins one class from each channel. */
export interface ClassLinks {
  classId: string;
  className: string;
  schoolName: string;
  /** The class code: typed in the chat, and the `ref` of the Messenger link. */
  code: string;
  /** Opens the Page's chat with the class code as `ref`: onboarding asks the role, then links to this class. */
  messenger: { url: string; ref: string } | null;
  /**
   * The OA's page. A Zalo OA link carries no parameter we could read (the `follow` event names only its source, e.g.
   * `oa_profile`; shared/PLATFORMS.md documents nothing more), so the person types the class code in the chat:
   * `instructions` says so, to print next to the QR code.
   */
  zalo: { url: string; carriesClass: false; instructions: string } | null;
}

/** The links of a class; not found outside the scope (exactly like a missing class). */
export type ClassLinksResult = { ok: true; links: ClassLinks } | { ok: false; reason: 'not_found' };

/** The Messenger and Zalo links that bring a parent or student into a class (for the class page and its QR codes). */
export async function classLinks(repos: Repos, scope: StaffScope, classId: string, accounts: ChannelAccounts): Promise<ClassLinksResult> {
  const cls = await repos.schoolAdmin.getClass(classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const school = await repos.schoolAdmin.getSchool(cls.schoolId);
  return { ok: true, links: buildClassLinks({ id: cls.id, name: cls.name, code: cls.code, schoolName: school?.name ?? '' }, accounts) };
}

/** The links of a class from its code (pure). */
export function buildClassLinks(cls: { id: string; name: string; code: string; schoolName: string }, accounts: ChannelAccounts): ClassLinks {
  return {
    classId: cls.id,
    className: cls.name,
    schoolName: cls.schoolName,
    code: cls.code,
    // Meta: `ref` is letters, digits and + / = - . : _ (a class code is letters, digits and one dash).
    messenger: accounts.messengerPage ? { url: `https://m.me/${encodeURIComponent(accounts.messengerPage)}?ref=${encodeURIComponent(cls.code)}`, ref: cls.code } : null,
    // UNCONFIRMED (not in shared/PLATFORMS.md): zalo.me/<OA id> is the OA's public page, where "Quan tâm" follows it.
    zalo: accounts.zaloOaId
      ? {
          url: `https://zalo.me/${encodeURIComponent(accounts.zaloOaId)}`,
          carriesClass: false,
          instructions: `Mở Zalo, quét mã QR (hoặc bấm liên kết), bấm “Quan tâm”, rồi nhắn mã lớp ${cls.code} để vào lớp ${cls.name} – ${cls.schoolName}.`,
        }
      : null,
  };
}
