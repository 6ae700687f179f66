/** A class whose pledge progress the contact may see; `own`: the class of their teacher code. */
export interface PledgeProgressClassView {
  id: string;
  name: string;
  schoolName: string;
  own: boolean;
}

/** One side of a class's pledges: roster pupils with a valid pledge, and the names of those without one. */
export interface PledgeProgressSideView {
  signed: number;
  missing: string[];
}

/** A class's pledges in the active campaign, against its roster. */
export interface PledgeProgressView {
  classId: string;
  className: string;
  schoolName: string;
  campaignTitle: string;
  rosterSize: number;
  parent: PledgeProgressSideView;
  student: PledgeProgressSideView;
}

/** What a look-up found: the progress, or why there is none (`no_roster`: only the pledges signed are counted; `counts_only`: not the teacher's own class, no names). */
export type PledgeProgressOutcome =
  | { ok: true; progress: PledgeProgressView }
  | { ok: false; reason: 'not_visible' | 'no_campaign' }
  | { ok: false; reason: 'no_roster' | 'counts_only'; className: string; schoolName: string; campaignTitle: string; signed: { parent: number; student: number }; rosterSize?: number };

/**
 * "Who has not pledged" for the contact in the turn (implemented by the bot over src/services/pledges). The services
 * decide which classes it may see (a verified teacher's scope); names are only ever returned for those.
 */
export interface PledgeProgress {
  /** Classes the contact may see, own classes first (empty: not a verified teacher of any). */
  classes(): Promise<PledgeProgressClassView[]>;
  /** The progress of one class of those. */
  ofClass(classId: string): Promise<PledgeProgressOutcome>;
}
