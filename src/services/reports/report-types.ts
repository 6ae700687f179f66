import type { TipCategory, TipOutcome } from '../../content/tip-categories.js';
import type { ReportPeriodRange } from './report-period.js';

/** What a report is about: one school, or every school of an office (Phòng / Sở GD&ĐT). */
export type ReportUnit = { kind: 'school'; schoolId: string } | { kind: 'office'; officeId: string };

/** The unit as the document names it. */
export interface ReportUnitInfo {
  kind: 'school' | 'office';
  id: string;
  name: string;
  /** A school's office (the "cơ quan chủ quản" line of the header); null for an office. */
  parentName: string | null;
  /** Schools the figures cover. */
  schoolCount: number;
}

/** One side of the pledges over the period, in pupils (a pupil with pledges of two campaigns counts once). */
export interface PledgeSideFigures {
  /** Pupils whose pledge was signed (or signed again) within the period. */
  signed: number;
  /** Pupils whose pledge was withdrawn within the period. */
  withdrawn: number;
  /** Pupils with a valid pledge at the end of the period. */
  valid: number;
}

/** The pledges of one class (school report) or school (office report). */
export interface PledgeUnitFigures {
  id: string;
  name: string;
  /** Pupils on the roster today. */
  rosterSize: number;
  parent: PledgeSideFigures;
  student: PledgeSideFigures & { confirmed: number };
}

export interface PledgeReport {
  level: 'class' | 'school';
  rows: PledgeUnitFigures[];
  total: Omit<PledgeUnitFigures, 'id' | 'name'>;
}

/** `reply`: answers in a conversation (content read on request); `broadcast`: campaign messages; `reminder`: calendar runs. */
export type ReachKind = 'reply' | 'broadcast' | 'reminder';

export interface ReachFigures {
  sent: number;
  delivered: number;
  seen: number;
  /** Different people reached one by one. */
  people: number;
  /** Different Zalo class groups posted into. */
  groups: number;
}

export interface ReachReport {
  byKind: (ReachFigures & { kind: ReachKind })[];
  total: ReachFigures;
}

export interface QuizFigures {
  attempts: number;
  participants: number;
  /** Right answers per attempt, one decimal; null without attempts. */
  averageScore: number | null;
  /** Questions per attempt, one decimal; null without attempts. */
  averageQuestions: number | null;
  /** Share of right answers in per cent, one decimal; null without attempts. */
  correctPercent: number | null;
}

export interface QuizReport {
  byTopic: (QuizFigures & { topic: string })[];
  total: QuizFigures;
}

/** Tips over the period: counts only, never a word of what was written. */
export interface TipReport {
  /** Every category, in menu order. */
  byCategory: { category: TipCategory | string; received: number; urgent: number }[];
  /** Every outcome, for tips closed within the period. */
  byOutcome: { outcome: TipOutcome | string; closed: number }[];
  received: number;
  urgent: number;
  closed: number;
  /** Received before the end and still open at it. */
  openAtEnd: number;
  /** Of those received, naming no school (office reports only; null for a school's). */
  withoutSchool: number | null;
}

export interface BroadcastReport {
  /** Broadcasts due within the period (drafts left out). */
  due: number;
  /** Of those, sent (expanded into the outbox). */
  sent: number;
  cancelled: number;
  rejected: number;
  /** Still waiting (scheduled or for approval). */
  waiting: number;
  /** Recipients within the unit (each once), those sent to, delivered, seen, and different people. */
  recipients: number;
  recipientsSent: number;
  delivered: number;
  seen: number;
  people: number;
}

/** The periodic report's figures ("báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc"). */
export interface ReportFigures {
  unit: ReportUnitInfo;
  period: ReportPeriodRange;
  generatedAt: Date;
  /** Null: not in this account's reach (a tip handler's report holds only the tips). */
  pledges: PledgeReport | null;
  reach: ReachReport | null;
  quizzes: QuizReport | null;
  tips: TipReport | null;
  broadcasts: BroadcastReport | null;
}
