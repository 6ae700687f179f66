import { foldText } from '../content/normalize.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { UserInput } from './event.schema.js';
import { result, text, type Flow, type FlowData, type Role, type StepContext, type StepResult } from './flow.js';
import type { ClassRef } from './ports/directory.port.js';
import { flowPayload } from './commands.js';

const MAX_SCHOOL_BUTTONS = 10;
const MAX_CLASS_BUTTONS = 12;
const ROLES: Role[] = ['parent', 'student', 'teacher'];
const ROLE_WORDS: Record<string, Role> = {
  'phu huynh': 'parent', 'ph': 'parent', 'cha me': 'parent', 'bo me': 'parent', 'parent': 'parent',
  'hoc sinh': 'student', 'hs': 'student', 'student': 'student',
  'giao vien': 'teacher', 'gv': 'teacher', 'thay co': 'teacher', 'teacher': 'teacher',
};
// Class codes look like "NTT-6A1": letters, a dash, letters and digits.
const CLASS_CODE = /^[A-Za-z0-9]{1,12}-[A-Za-z0-9]{1,12}$/;

/**
 * Links a contact to a role, a school and a class: by buttons, by typing names, by a class code or a QR ref. A
 * teacher is one only with an invite code from the school (the `teacher` step, also reached by "GV <code>").
 */
export const onboardingFlow: Flow = {
  id: 'onboarding',
  version: 1,
  start: 'role',
  steps: {
    role: {
      prompt: (ctx) => [
        {
          type: 'buttons',
          text: ctx.t('onboarding.role'),
          buttons: ROLES.map((r) => ({ title: ctx.t(`role.${r}`), payload: `ROLE:${r}` })),
        },
      ],
      async handle(ctx, input, data) {
        const role = input.kind === 'payload' ? parseRolePayload(input.payload) : ROLE_WORDS[foldText(input.kind === 'text' ? input.text : '')];
        // A class code typed before the role (a Zalo OA link cannot carry the class: its poster says "nhắn mã lớp"):
        // kept like a QR ref, so the role answer links straight to that class.
        const byCode = role ? null : await classOfTypedCode(ctx, input);
        if (byCode) return result.stay([text(ctx.t('onboarding.role.forClass', { class: byCode.name, school: byCode.schoolName })), ...(await onboardingFlow.steps.role!.prompt(ctx, data))], { ...data, ref: byCode.code });
        if (!role) return result.stay([text(ctx.t('onboarding.role.retry')), ...(await onboardingFlow.steps.role!.prompt(ctx, data))]);
        // Tapping "Giáo viên" makes no one a teacher: a code from the school does. Already verified somewhere: go on.
        if (role === 'teacher' && (await ctx.services.teacherInvites.verifiedSchoolIds()).length === 0) return result.goto('teacher', [], typeof data.ref === 'string' ? { ref: data.ref } : {});
        return chooseRole(ctx, role, data);
      },
    },

    school: {
      async prompt(ctx, data) {
        const schools = await ctx.services.directory.listSchools();
        if (schools.length === 0) return [text(ctx.t('onboarding.school.empty'))];
        const list = Array.isArray(data.matches) ? schools.filter((s) => (data.matches as string[]).includes(s.id)) : schools;
        const header = Array.isArray(data.matches)
          ? ctx.t('onboarding.school.many', { query: String(data.query ?? '') })
          : ctx.t(`onboarding.school.${ctx.contact.role ?? 'parent'}`);
        return [
          {
            type: 'buttons',
            text: header,
            buttons: [
              ...list.slice(0, MAX_SCHOOL_BUTTONS).map((s) => ({ title: s.name, payload: `SCHOOL:${s.id}` })),
              { title: ctx.t('onboarding.enterCode'), payload: 'CODE' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'CODE') return result.goto('code', [], clean(data));
        if (input.kind === 'payload' && input.payload.startsWith('SCHOOL:')) {
          const school = await ctx.services.directory.getSchool(input.payload.slice(7));
          if (school) return result.goto('class', [], { ...clean(data), schoolId: school.id });
        }
        const typed = typedText(input);
        if (!typed) return result.goto('school', [], clean(data));
        const byCode = await tryClassCode(ctx, typed);
        if (byCode) return byCode;
        const query = foldText(typed);
        const words = query.split(' ').filter((w) => w.length > 0);
        const matches = (await ctx.services.directory.listSchools()).filter((s) => {
          const name = foldText(s.name);
          return words.every((w) => name.includes(w)) || foldText(s.code) === query;
        });
        if (matches.length === 1) return result.goto('class', [], { ...clean(data), schoolId: matches[0]!.id });
        if (matches.length === 0) return result.stay([text(ctx.t('onboarding.school.none', { query: typed }))], clean(data));
        return result.goto('school', [], { ...clean(data), matches: matches.map((m) => m.id), query: typed });
      },
    },

    class: {
      async prompt(ctx, data) {
        const schoolId = String(data.schoolId ?? '');
        const classes = await ctx.services.directory.listClasses(schoolId);
        // A teacher verified for a whole school may pick a class later (their broadcasts do not depend on it).
        const back = data.role === 'teacher' ? { title: ctx.t('onboarding.later'), payload: 'LATER' } : { title: ctx.t('onboarding.otherSchool'), payload: 'BACK' };
        if (classes.length === 0) {
          return [{ type: 'buttons', text: ctx.t('onboarding.class.empty'), buttons: [{ title: ctx.t('onboarding.enterCode'), payload: 'CODE' }, back] }];
        }
        return [
          {
            type: 'buttons',
            text: ctx.t('onboarding.class', { school: classes[0]!.schoolName }),
            buttons: [...classes.slice(0, MAX_CLASS_BUTTONS).map((c) => ({ title: c.name, payload: `CLASS:${c.id}` })), back],
          },
        ];
      },
      async handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'BACK') return result.goto('school', [], { role: data.role });
        if (input.kind === 'payload' && input.payload === 'LATER' && data.role === 'teacher') return result.flow('menu', [text(ctx.t('onboarding.teacherNote'))]);
        if (input.kind === 'payload' && input.payload === 'CODE') return result.goto('code', [], data);
        const classes = await ctx.services.directory.listClasses(String(data.schoolId ?? ''));
        if (input.kind === 'payload' && input.payload.startsWith('CLASS:')) {
          const cls = classes.find((c) => c.id === input.payload.slice(6));
          if (cls) return link(ctx, cls);
        }
        const typed = typedText(input);
        if (typed) {
          const byCode = await tryClassCode(ctx, typed);
          if (byCode) return byCode;
          const folded = foldText(typed).replace(/^lop /, '').replace(/\s/g, '');
          const cls = classes.find((c) => foldText(c.name).replace(/\s/g, '') === folded);
          if (cls) return link(ctx, cls);
          return result.goto('class', [text(ctx.t('onboarding.class.none', { query: typed }))], data);
        }
        return result.goto('class', [], data);
      },
    },

    // Reached from the role question, or from anywhere by the "GV <code>" shortcut (then with empty data).
    teacher: {
      prompt: (ctx) => [teacherPrompt(ctx, ctx.t('teacher.code.prompt'))],
      async handle(ctx, input, data) {
        const role = input.kind === 'payload' ? parseRolePayload(input.payload) : ROLE_WORDS[foldText(input.kind === 'text' ? input.text : '')];
        if (role === 'parent' || role === 'student') return chooseRole(ctx, role, data);
        const typed = typedText(input);
        if (!typed || role === 'teacher') return result.stay([teacherPrompt(ctx, ctx.t('teacher.code.prompt'))], data);
        const out = await ctx.services.teacherInvites.redeem(typed, ctx.now);
        if (out.ok) return verified(ctx, out.schoolId, out.classId);
        const why = out.reason === 'rate_limited'
          ? ctx.t('teacher.rateLimited', { minutes: minutesUntil(out.retryAt, ctx.now) })
          : ctx.t(`teacher.${out.reason}`);
        return result.stay([teacherPrompt(ctx, why)], data);
      },
    },

    code: {
      prompt: (ctx) => [text(ctx.t('onboarding.code.prompt'))],
      async handle(ctx, input, data) {
        const typed = typedText(input);
        if (typed) {
          const cls = await ctx.services.directory.findClassByCode(typed.replace(/\s/g, ''));
          if (cls) return link(ctx, cls);
        }
        return result.stay([text(ctx.t('onboarding.code.invalid', { code: typed ?? '' }))], data);
      },
    },
  },
};

async function link(ctx: StepContext, cls: ClassRef): Promise<StepResult> {
  await ctx.services.profile.update({ schoolId: cls.schoolId, classId: cls.id });
  ctx.contact.schoolId = cls.schoolId;
  ctx.contact.classId = cls.id;
  const replies: OutMessage[] = [text(ctx.t('onboarding.done', { class: cls.name, school: cls.schoolName }))];
  if (ctx.contact.role === 'teacher') replies.push(text(ctx.t('onboarding.teacherNote')));
  return result.flow('menu', replies);
}

/** Sets a parent's or student's role, then links through the QR ref's class or asks for the school. */
async function chooseRole(ctx: StepContext, role: Role, data: FlowData): Promise<StepResult> {
  await ctx.services.profile.update({ role });
  ctx.contact.role = role;
  // A QR code or m.me/zalo link may carry the class code: no need to ask for the school.
  if (typeof data.ref === 'string') {
    const cls = await ctx.services.directory.findClassByCode(data.ref);
    if (cls) return link(ctx, cls);
  }
  return result.goto('school', [], { role });
}

/** The code question with a way out: go on as a parent or student (not linked yet), or back to the menu. */
function teacherPrompt(ctx: StepContext, body: string): OutMessage {
  const linked = ctx.contact.role !== null && ctx.contact.classId !== null;
  const buttons = linked
    ? [{ title: ctx.t('button.menu'), payload: flowPayload('menu') }]
    : [{ title: ctx.t('teacher.asParent'), payload: 'ROLE:parent' }, { title: ctx.t('teacher.asStudent'), payload: 'ROLE:student' }];
  return { type: 'buttons', text: body, buttons };
}

/** The confirmation of a redeemed code; a school-wide code then asks for the teacher's class. */
async function verified(ctx: StepContext, schoolId: string, classId: string | null): Promise<StepResult> {
  const cls = classId ? await ctx.services.directory.getClass(classId) : null;
  if (!cls) {
    const school = await ctx.services.directory.getSchool(schoolId);
    const replies = [text(ctx.t('teacher.verified.school', { school: school?.name ?? '' })), text(ctx.t('teacher.features')), text(ctx.t('teacher.pickClass'))];
    return result.goto('class', replies, { role: 'teacher', schoolId });
  }
  return result.flow('menu', [
    text(ctx.t('teacher.verified.class', { class: cls.name, school: cls.schoolName })),
    text(ctx.t('teacher.features')),
    text(ctx.t('teacher.classCode', { class: cls.name, code: cls.code })),
  ]);
}

function minutesUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 60_000));
}

async function classOfTypedCode(ctx: StepContext, input: UserInput): Promise<ClassRef | null> {
  const compact = typedText(input)?.replace(/\s/g, '') ?? '';
  return CLASS_CODE.test(compact) ? ctx.services.directory.findClassByCode(compact) : null;
}

async function tryClassCode(ctx: StepContext, typed: string): Promise<StepResult | null> {
  const compact = typed.replace(/\s/g, '');
  if (!CLASS_CODE.test(compact)) return null;
  const cls = await ctx.services.directory.findClassByCode(compact);
  return cls ? link(ctx, cls) : null;
}

function parseRolePayload(payload: string): Role | undefined {
  const r = payload.startsWith('ROLE:') ? payload.slice(5) : '';
  return (ROLES as string[]).includes(r) ? (r as Role) : undefined;
}

function typedText(input: UserInput): string | null {
  return input.kind === 'text' && input.text.trim() ? input.text.trim() : null;
}

function clean(data: FlowData): FlowData {
  return { role: data.role };
}
