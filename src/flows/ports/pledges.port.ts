/** The two sides of a traffic-safety pledge. */
export type PledgeAudience = 'parent' | 'student';

/** The numbered commitments a signer accepts (one version of a campaign's template). */
export interface PledgeTemplateView {
  id: string;
  campaignTitle: string;
  audience: PledgeAudience;
  version: number;
  title: string;
  items: string[];
  source: string;
}

/** A pledge as its own signer sees it. */
export interface PledgeView {
  id: string;
  code: string;
  audience: PledgeAudience;
  studentName: string;
  parentName: string | null;
  className: string;
  schoolName: string;
  campaignTitle: string;
  consentAt: Date;
  confirmedAt: Date | null;
}

/** What the signer gave; names already normalised by the flow. */
export interface SignRequest {
  templateId: string;
  audience: PledgeAudience;
  classId: string;
  studentName: string;
  parentName: string | null;
  now: Date;
}

/** The outcome of a signature; `template_gone`: the template was replaced since the summary was shown. */
export type SignOutcome = { ok: true; pledge: PledgeView; updated: boolean; studentConfirmed: boolean } | { ok: false; reason: 'template_gone' };

/** Pledges of the contact in the turn (implemented by the bot over src/services/pledges, in the turn's transaction). */
export interface Pledges {
  /** The template to sign now for this audience, or null when no campaign collects pledges. */
  currentTemplate(audience: PledgeAudience): Promise<PledgeTemplateView | null>;
  /** Whether the class has a roster and, if so, the roster's spelling of this name (null: not on it). */
  rosterMatch(classId: string, studentName: string): Promise<{ hasRoster: boolean; name: string | null }>;
  /** Records consent (signing again updates the same pledge). */
  sign(req: SignRequest): Promise<SignOutcome>;
  /** The contact's own pledges that are not withdrawn. */
  mine(): Promise<PledgeView[]>;
  /** Withdraws one of the contact's own pledges; false when it is not theirs. */
  withdraw(pledgeId: string, now: Date): Promise<boolean>;
  /** Absolute URL of the certificate image of a receipt code. */
  certificateUrl(code: string): string;
}
