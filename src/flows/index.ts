import { broadcastFlow } from './broadcast.flow.js';
import { contentFlow } from './content.flow.js';
import { FlowEngine } from './engine.js';
import { menuFlow } from './menu.flow.js';
import { onboardingFlow } from './onboarding.flow.js';
import { pledgeFlow } from './pledge.flow.js';
import { leaderboardFlow } from './leaderboard.flow.js';
import { pledgeProgressFlow } from './pledge-progress.flow.js';
import { quizFlow } from './quiz.flow.js';
import { staffFlow } from './staff.flow.js';
import { tipFlow } from './tip.flow.js';
import { tipFollowUpFlow } from './tip-follow-up.flow.js';

/** Every registered flow. Add a new `*.flow.ts` here. */
export const FLOWS = [onboardingFlow, menuFlow, contentFlow, quizFlow, leaderboardFlow, tipFlow, tipFollowUpFlow, pledgeFlow, broadcastFlow, staffFlow, pledgeProgressFlow];

/** Builds the engine with every flow registered. */
export function createFlowEngine(opts: { ttlHours: number }): FlowEngine {
  return new FlowEngine(FLOWS, { ttlHours: opts.ttlHours, onboardingFlowId: onboardingFlow.id, menuFlowId: menuFlow.id });
}

export { FlowEngine } from './engine.js';
export type { ConversationState, TurnOutput } from './engine.js';
export type * from './flow.js';
export type * from './ports/broadcasts.port.js';
export type * from './ports/directory.port.js';
export type * from './ports/pledges.port.js';
export type * from './ports/pledge-progress.port.js';
export type * from './ports/profile.port.js';
export type * from './ports/question-answerer.port.js';
export type * from './ports/quiz-results.port.js';
export type * from './ports/teacher-invites.port.js';
export type * from './ports/staff-chat.port.js';
export { InboundPayloadSchema, UserInputSchema, type Effect, type InboundPayload, type TurnInputEvent, type UserInput } from './event.schema.js';
