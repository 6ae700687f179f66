// What the soak's contacts do: real flows, chosen by the buttons the bot actually sent them. A walk is a list of
// goals (onboarding, then content, a quiz, a pledge, again and again); a goal is a list of steps: type a text, or tap
// a button whose payload matches (found in the last reply the platform double received for this contact). A reply
// without the expected button ends the goal ("off script", counted) and the next goal starts with "menu".

/** What a contact sends next: typed text, or a tap on a button the bot offered. */
export type Input = { kind: 'text'; text: string } | { kind: 'tap'; payload: string; title: string; via: 'quick_reply' | 'postback' | 'zalo_query' };

/** A button found in a reply: its payload, title and how the platform sends a tap on it back. */
export interface OfferedButton {
  payload: string;
  title: string;
  via: 'quick_reply' | 'postback' | 'zalo_query';
}

export interface WalkerState {
  role: 'parent' | 'student';
  classCode: string;
  goal: number;
  step: number;
  repeats: number;
  onboarded: boolean;
  pledged: boolean;
  /** Buttons of the messages received since the contact last wrote. */
  offered: OfferedButton[];
}

type Step =
  | { kind: 'say'; text: (s: WalkerState) => string }
  | { kind: 'tap'; match: RegExp; optional?: boolean; repeat?: number; pick?: 'first' | 'random'; then?: (s: WalkerState) => void }
  /** Types the text unless a button matching `unless` was offered (then goes on to the next step). */
  | { kind: 'sayUnless'; unless: RegExp; text: (s: WalkerState) => string };

interface Goal {
  name: string;
  steps: Step[];
}

const say = (text: string | ((s: WalkerState) => string)): Step => ({ kind: 'say', text: typeof text === 'string' ? () => text : text });

const STUDENT_NAMES = ['Nguyễn Minh Anh', 'Trần Gia Bảo', 'Lê Thảo Vy', 'Phạm Đức Huy', 'Võ Ngọc Hân', 'Đặng Quốc Khánh'];
const PARENT_NAMES = ['Nguyễn Thị Hoa', 'Trần Văn Dũng', 'Lê Thị Mai', 'Phạm Văn Long', 'Võ Thị Lan', 'Đặng Văn Tùng'];
const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export const ONBOARD: Goal = {
  name: 'onboard',
  steps: [
    say('xin chào'),
    { kind: 'tap', match: /^ROLE:(parent|student)$/ },
    say((s) => s.classCode),
  ],
};

const CONTENT: Goal = {
  name: 'content',
  steps: [say('menu'), { kind: 'tap', match: /^FLOW:content$/ }, { kind: 'tap', match: /^TOPIC:/, pick: 'random' }, { kind: 'tap', match: /^NEXT$/, optional: true, repeat: 2 }],
};

const QUIZ: Goal = {
  name: 'quiz',
  steps: [say('menu'), { kind: 'tap', match: /^FLOW:quiz$/ }, { kind: 'tap', match: /^QUIZ:TOPIC:/, pick: 'random' }, { kind: 'tap', match: /^QUIZ:ANS:/, pick: 'random', repeat: 10 }],
};

const PLEDGE: Goal = {
  name: 'pledge',
  steps: [
    say('menu'),
    { kind: 'tap', match: /^FLOW:pledge$/ },
    { kind: 'tap', match: /^PLEDGE:SIGN$/ },
    say(() => pickOne(STUDENT_NAMES)),
    // A class with a roster asks whether to go on with a name not on it.
    { kind: 'tap', match: /^PLEDGE:CONTINUE$/, optional: true },
    // Parents are asked their own name; students go straight to the summary with the consent button.
    { kind: 'sayUnless', unless: /^PLEDGE:AGREE:/, text: () => pickOne(PARENT_NAMES) },
    { kind: 'tap', match: /^PLEDGE:AGREE:/, then: (s) => (s.pledged = true) },
  ],
};

/** Once signed: look at "my pledges" instead of signing again. */
const MY_PLEDGES: Goal = {
  name: 'my pledges',
  steps: [say('menu'), { kind: 'tap', match: /^FLOW:pledge$/ }, { kind: 'tap', match: /^PLEDGE:MINE$/, optional: true }],
};

const CYCLE: Goal[] = [CONTENT, QUIZ, PLEDGE];

function goalOf(s: WalkerState): Goal {
  if (!s.onboarded) return ONBOARD;
  const g = CYCLE[s.goal % CYCLE.length]!;
  return g === PLEDGE && s.pledged ? MY_PLEDGES : g;
}

function nextGoal(s: WalkerState): void {
  if (s.onboarded) s.goal++;
  s.onboarded = true;
  s.step = 0;
  s.repeats = 0;
}

/** The next input of a contact, and whether the last reply lacked the button the walk expected. */
export function nextInput(s: WalkerState): { input: Input; offScript: boolean; goal: string } {
  let offScript = false;
  for (let guard = 0; guard < 20; guard++) {
    const goal = goalOf(s);
    const step = goal.steps[s.step];
    if (!step) {
      nextGoal(s);
      continue;
    }
    if (step.kind === 'say') {
      s.step++;
      return { input: { kind: 'text', text: step.text(s) }, offScript, goal: goal.name };
    }
    if (step.kind === 'sayUnless') {
      s.step++;
      if (s.offered.some((b) => step.unless.test(b.payload))) continue;
      return { input: { kind: 'text', text: step.text(s) }, offScript, goal: goal.name };
    }
    const matching = s.offered.filter((b) => step.match.test(b.payload) && (goal !== ONBOARD || b.payload === `ROLE:${s.role}`));
    const button = step.pick === 'random' ? matching[Math.floor(Math.random() * matching.length)] : matching[0];
    if (button) {
      if (step.repeat && s.repeats < step.repeat) s.repeats++;
      else {
        s.step++;
        s.repeats = 0;
      }
      step.then?.(s);
      return { input: { kind: 'tap', payload: button.payload, title: button.title, via: button.via }, offScript, goal: goal.name };
    }
    if (step.optional || (step.repeat && s.repeats > 0)) {
      s.step++;
      s.repeats = 0;
      continue;
    }
    // The button the walk expected is not there: this goal ends, the next starts (with "menu").
    offScript = true;
    nextGoal(s);
  }
  return { input: { kind: 'text', text: 'menu' }, offScript: true, goal: 'menu' };
}

/** The buttons in one Messenger Send API `message`: quick replies and postback buttons of templates. */
export function messengerButtons(message: Record<string, any>): OfferedButton[] {
  const out: OfferedButton[] = [];
  for (const q of (message.quick_replies as any[] | undefined) ?? []) if (typeof q?.payload === 'string') out.push({ payload: q.payload, title: String(q.title ?? ''), via: 'quick_reply' });
  const payload = message.attachment?.payload;
  const buttons: any[] = [...(payload?.buttons ?? []), ...((payload?.elements as any[] | undefined) ?? []).flatMap((e) => e?.buttons ?? [])];
  for (const b of buttons) if (b?.type === 'postback' && typeof b.payload === 'string') out.push({ payload: b.payload, title: String(b.title ?? ''), via: 'postback' });
  return out;
}

/** The buttons in one Zalo OA `message`: list-template elements whose tap sends `#payload` back as text. */
export function zaloButtons(message: Record<string, any>): OfferedButton[] {
  const out: OfferedButton[] = [];
  const payload = message.attachment?.payload;
  for (const e of (payload?.elements as any[] | undefined) ?? []) {
    const p = e?.default_action?.payload;
    if (e?.default_action?.type === 'oa.query.hide' && typeof p === 'string' && p.startsWith('#')) out.push({ payload: p.slice(1), title: String(e.title ?? ''), via: 'zalo_query' });
  }
  for (const b of (payload?.buttons as any[] | undefined) ?? []) {
    const p = b?.payload;
    if (typeof p === 'string' && p.startsWith('#')) out.push({ payload: p.slice(1), title: String(b.title ?? ''), via: 'zalo_query' });
  }
  return out;
}
