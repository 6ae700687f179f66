import type { PledgeCounts, SchoolPledgeCounts } from '../../store/pledge-report.repo.js';

export type { PledgeCounts, SchoolPledgeCounts };

/** One side (parent or student) of a pupil's pledge: signed (valid), withdrawn, or none; the day it was signed. */
export interface PledgeSideStatus {
  state: 'signed' | 'withdrawn' | 'none';
  /** When it was signed (shown to the day). */
  signedAt: Date | null;
  withdrawnAt: Date | null;
}

/** A pupil of a class and their pledges in the campaign. `onRoster: false`: a pledge for a name not on the roster. */
export interface PupilPledgeStatus {
  name: string;
  onRoster: boolean;
  parent: PledgeSideStatus;
  student: PledgeSideStatus & { confirmed: boolean };
}

/** A class as the pledge pages name it. */
export interface PledgeClass {
  id: string;
  name: string;
  code: string;
  grade: number;
  schoolYear: string;
  schoolId: string;
  schoolName: string;
}

/** The campaign whose pledges are shown: the most recently started active one. */
export interface PledgeCampaign {
  id: string;
  title: string;
}

/** A class with its figures in the campaign. */
export interface ClassPledgeSummary extends PledgeClass {
  counts: PledgeCounts;
}

/** A school with its figures in the campaign (pledges counted, not matched against the roster one by one). */
export interface SchoolPledgeSummary {
  id: string;
  name: string;
  classCount: number;
  counts: SchoolPledgeCounts;
}

/**
 * Who in a class has pledged and who has not. `pupils` is null when the account may see counts only
 * (`seesClassNames` is false): then no name leaves the service.
 */
export interface ClassPledgeStatus {
  class: PledgeClass;
  campaign: PledgeCampaign | null;
  counts: PledgeCounts;
  names: boolean;
  /** Roster pupils in Vietnamese class-list order, then pledges for names not on the roster. */
  pupils: PupilPledgeStatus[] | null;
}
