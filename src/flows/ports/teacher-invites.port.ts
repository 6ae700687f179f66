/** What a typed teacher code did: the contact is now a teacher of that school (and class), or why not. */
export type TeacherCodeOutcome =
  | { ok: true; schoolId: string; classId: string | null }
  | { ok: false; reason: 'malformed' | 'unknown' | 'used' | 'expired' }
  | { ok: false; reason: 'rate_limited'; retryAt: Date };

/** Teacher verification of the contact in the turn (implemented by the bot over src/services/teachers). */
export interface TeacherInvites {
  /** Redeems a typed code; on success the contact's role, school and class are already updated. */
  redeem(typed: string, now: Date): Promise<TeacherCodeOutcome>;
  /** The schools where the contact is a verified teacher (redeemed a code). */
  verifiedSchoolIds(): Promise<string[]>;
}
