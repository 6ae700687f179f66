/** Categories of anonymous tips (DESIGN.md §4), in menu order; each has a `tip.category.<id>` string. */
export const TIP_CATEGORIES = ['drugs', 'school_violence', 'theft', 'weapons', 'fire_hazard', 'online_scam', 'traffic', 'other'] as const;
export type TipCategory = (typeof TIP_CATEGORIES)[number];

/** Statuses of a tip, in order (closed carries an outcome); each has a `tip.status.<id>` string. */
export const TIP_STATUSES = ['new', 'triaged', 'in_progress', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

/** Outcomes a closed tip may have. */
export const TIP_OUTCOMES = ['resolved', 'referred', 'no_action', 'duplicate', 'spam'] as const;
export type TipOutcome = (typeof TIP_OUTCOMES)[number];
