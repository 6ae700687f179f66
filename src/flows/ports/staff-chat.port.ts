/** What a typed staff link code did: this chat now reaches that staff account, or why not. */
export type StaffLinkOutcome =
  | { ok: true; name: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'used' | 'expired' }
  | { ok: false; reason: 'rate_limited'; retryAt: Date };

/** What "ĐÃ NHẬN <tip code>" (or the alert's button) did. */
export type StaffAcknowledgeOutcome =
  | { ok: true; code: string; already: boolean }
  | { ok: false; reason: 'malformed' | 'not_linked' }
  /** No such tip, or one outside the account's scope (answered alike). */
  | { ok: false; reason: 'not_found'; code: string };

/** Staff chat features of the contact in the turn (implemented by the bot over src/services/notifications). */
export interface StaffChat {
  /** Links this chat to the staff account whose link code was typed ("NV <code>"); limited per contact. */
  link(typed: string, now: Date): Promise<StaffLinkOutcome>;
  /** Acknowledges an urgent tip by its public code, if this chat's account is a handler of the tip's scope. */
  acknowledgeTip(typedCode: string, now: Date): Promise<StaffAcknowledgeOutcome>;
}
