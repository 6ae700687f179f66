import { flowPayload } from './commands.js';
import type { StepContext } from './flow.js';

/** Payloads of the buttons inside the broadcast flow (the ones that work from anywhere are in broadcast-commands.ts). */
export const P = {
  pick: 'BC:PICK:',
  next: 'BC:NEXT',
  role: 'BC:ROLE:',
  all: 'BC:ALL',
  unpledged: 'BC:UNPLEDGED',
  groupsYes: 'BC:GROUPS:YES',
  groupsNo: 'BC:GROUPS:NO',
  catalogue: 'BC:CATALOGUE',
  typeOwn: 'BC:TYPE',
  topic: 'BC:TOPIC:',
  item: 'BC:ITEM:',
  noImage: 'BC:NOIMAGE',
  now: 'BC:NOW',
  later: 'BC:LATER',
  edit: 'BC:EDIT',
  back: 'BC:BACK',
  cancelYes: 'BC:CANCELYES',
} as const;

/** The "menu" button that ends most broadcast answers. */
export const menuButton = (ctx: StepContext) => ({ title: ctx.t('button.menu'), payload: flowPayload('menu') });
/** The payload of a tapped button, or null for anything else. */
export const payloadOf = (input: { kind: string; payload?: string }): string | null => (input.kind === 'payload' && typeof input.payload === 'string' ? input.payload : null);
