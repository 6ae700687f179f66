import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { OPTION_LETTERS, correctIndex, type QuizQuestion } from '../../src/content/quiz.schema.js';
import { loadQuizzes } from '../../src/content/quizzes.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { inviteCode } from '../helpers/teachers.js';

let app: TestApp;
const quizzes = loadQuizzes();

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

type Channel = 'zalo' | 'messenger';

async function onboard(user: string, role: 'parent' | 'student' | 'teacher', classCode: string, channel: Channel = 'zalo') {
  await app.say(user, { text: 'chào' }, channel);
  await app.say(user, { payload: `ROLE:${role}` }, channel);
  // A teacher is one only with a code from the school (README "Teachers").
  const code = role === 'teacher' ? await inviteCode(app, { school: classCode.split('-')[0]!, class: classCode }) : classCode;
  const done = await app.say(user, { text: code }, channel);
  expect(textOf(done.replies)).toContain(role === 'teacher' ? 'Xác minh thành công!' : 'Xong!');
}

/** A school of its own (so other tests' attempts do not count) with the given classes. */
async function createSchool(code: string, classes: string[]) {
  const office = await app.db.prisma.office.findFirstOrThrow();
  const school = await app.db.prisma.school.create({ data: { officeId: office.id, code, name: `Trường THCS ${code}`, level: 'THCS' } });
  for (const name of classes) {
    await app.db.prisma.class.create({ data: { schoolId: school.id, name, grade: Number.parseInt(name, 10) || 6, schoolYear: '2026-2027', code: `${code}-${name}` } });
  }
  return school;
}

function answerButtons(replies: OutMessage[]) {
  const last = replies.at(-1);
  if (last?.type !== 'buttons') throw new Error(`expected a question with buttons: ${JSON.stringify(replies)}`);
  return last.buttons;
}

const wrongIndex = (q: QuizQuestion) => (correctIndex(q) + 1) % q.options.length;

/** Takes a whole quiz by button payloads, answering right where `right(i)` says so; returns the final replies. */
async function takeQuiz(user: string, topicLabel: string, right: (i: number) => boolean, channel: Channel = 'zalo') {
  const topics = await app.say(user, { text: 'câu đố' }, channel);
  let r = await app.say(user, { payload: button(topics.replies, topicLabel) }, channel);
  for (let i = 0; answerButtons(r.replies)[0]?.payload.startsWith('QUIZ:ANS:'); i++) {
    const buttons = answerButtons(r.replies);
    const id = buttons[0]!.payload.split(':')[2]!;
    const q = quizzes.question(id)!;
    r = await app.say(user, { payload: buttons[right(i) ? correctIndex(q) : wrongIndex(q)]!.payload }, channel);
  }
  return r;
}

describe('quiz', () => {
  it('runs a whole quiz one question at a time, explains each answer and stores the score', async () => {
    const user = 'quiz-student';
    await onboard(user, 'student', 'NTT-6A1', 'messenger');
    const menu = await app.say(user, { text: 'menu' }, 'messenger');
    const topics = await app.say(user, { payload: button(menu.replies, 'Câu đố') }, 'messenger');
    expect(textOf(topics.replies)).toContain('Chọn chủ đề câu đố');

    const questions = quizzes.questions('fire-safety', 'student');
    let r = await app.say(user, { payload: button(topics.replies, 'Phòng cháy chữa cháy') }, 'messenger');
    let expected = 0;
    for (const [i, q] of questions.entries()) {
      expect(textOf(r.replies)).toContain(`Câu ${i + 1}/${questions.length}: ${q.text}`);
      const buttons = answerButtons(r.replies);
      expect(buttons).toHaveLength(q.options.length);
      for (const b of buttons) expect([...b.title].length).toBeLessThanOrEqual(20);
      // Alternate the three ways of answering: the button, its letter typed, its number typed.
      const right = i % 3 !== 2;
      const pick = right ? correctIndex(q) : wrongIndex(q);
      if (right) expected++;
      const input = i % 3 === 0 ? { payload: buttons[pick]!.payload } : i % 3 === 1 ? { text: OPTION_LETTERS[pick]!.toLowerCase() } : { text: String(pick + 1) };
      r = await app.say(user, input, 'messenger');
      const said = textOf(r.replies);
      expect(said).toContain(right ? '✅ Đúng rồi!' : `❌ Chưa đúng. Đáp án đúng: ${OPTION_LETTERS[correctIndex(q)]}. ${q.options[correctIndex(q)]}`);
      expect(said).toContain(q.explanation);
      expect(said).toContain(`Nguồn: ${q.source}`);
    }
    expect(textOf(r.replies)).toContain(`Bạn đúng ${expected}/${questions.length} câu.`);

    const contact = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user } });
    const attempts = await app.db.prisma.quizAttempt.findMany({ where: { contactId: contact.id } });
    expect(attempts.map((a) => ({ topic: a.topic, score: a.score, total: a.total, schoolId: a.schoolId }))).toEqual([
      { topic: 'fire-safety', score: expected, total: questions.length, schoolId: contact.schoolId },
    ]);
  });

  it('lists long options in the text and answers them by letter', async () => {
    const user = 'quiz-letters';
    await onboard(user, 'parent', 'NTT-7A1');
    const topics = await app.say(user, { text: 'cau do' });
    const r = await app.say(user, { payload: button(topics.replies, 'Phòng chống ma tuý') });
    const q = quizzes.questions('drugs', 'parent')[0]!;
    expect(q.options.some((o) => o.length > 20)).toBe(true);
    expect(answerButtons(r.replies).map((b) => b.title)).toEqual(q.options.map((_, i) => OPTION_LETTERS[i]));
    for (const [i, o] of q.options.entries()) expect(textOf(r.replies)).toContain(`${OPTION_LETTERS[i]}. ${o}`);
    const answered = await app.say(user, { text: `Đáp án ${OPTION_LETTERS[correctIndex(q)]}` });
    expect(textOf(answered.replies)).toContain('✅ Đúng rồi!');
  });

  it('asks again, without scoring, when the reply is not an answer or is a button of an earlier question', async () => {
    const user = 'quiz-confused';
    await onboard(user, 'student', 'NTT-8A1');
    const topics = await app.say(user, { text: 'câu đố' });
    const first = await app.say(user, { payload: button(topics.replies, 'Vũ khí, pháo nổ') });
    const [q1, q2] = quizzes.questions('weapons-firecrackers', 'student');
    const unclear = await app.say(user, { text: 'không biết nữa' });
    expect(textOf(unclear.replies)).toContain('gõ chữ cái của đáp án');
    expect(textOf(unclear.replies)).toContain(`Câu 1/`);
    const oldButton = answerButtons(first.replies)[correctIndex(q1!)]!.payload;
    const second = await app.say(user, { payload: oldButton });
    expect(textOf(second.replies)).toContain(`Câu 2/`);
    const again = await app.say(user, { payload: oldButton });
    expect(textOf(again.replies)).not.toContain('Đúng rồi');
    expect(textOf(again.replies)).toContain(`Câu 2/`);
    expect(textOf(again.replies)).toContain(q2!.text);
  });

  it('lets a teacher see the classes of their school ranked by students\' and parents\' results, with no individual shown', async () => {
    await createSchool('LBT', ['6A', '6B', '7A']);
    await onboard('lb-strong', 'student', 'LBT-6A');
    await onboard('lb-weak', 'student', 'LBT-6B');
    await onboard('lb-parent', 'parent', 'LBT-6B');
    await onboard('lb-teacher', 'teacher', 'LBT-7A');
    const strong = await takeQuiz('lb-strong', 'Lừa đảo qua mạng', () => true);
    expect(textOf(strong.replies)).toMatch(/Bạn đúng (\d+)\/\1 câu\./);
    await takeQuiz('lb-weak', 'Định danh VNeID', () => false);
    await takeQuiz('lb-parent', 'Định danh VNeID', (i) => i === 0);
    // The teacher tries a quiz too: stored, but a teacher's attempt does not count for a class.
    await takeQuiz('lb-teacher', 'Ngày hội 19/8', () => true);

    const menu = await app.say('lb-teacher', { text: 'menu' });
    const board = await app.say('lb-teacher', { payload: button(menu.replies, 'Bảng xếp hạng') });
    const said = textOf(board.replies);
    expect(said).toContain('Bảng xếp hạng câu đố các lớp – Trường THCS LBT');
    expect(said).toMatch(/1\. Lớp 6A: đúng 100% \(\d+\/\d+ câu\), 1 lượt làm/);
    expect(said).toMatch(/2\. Lớp 6B: đúng \d+% \(1\/\d+ câu\), 2 lượt làm/);
    expect(said).not.toContain('Lớp 7A');
    expect(said).not.toMatch(/lb-(strong|weak|parent)/);

    for (const word of ['bảng xếp hạng', 'xep hang', 'Leaderboard']) {
      expect(textOf((await app.say('lb-teacher', { text: word })).replies)).toContain('1. Lớp 6A');
    }
  });

  it('shows a teacher of a school with no attempts that there is nothing yet', async () => {
    await createSchool('EMP', ['9A']);
    await onboard('empty-teacher', 'teacher', 'EMP-9A');
    const board = await app.say('empty-teacher', { text: 'bảng xếp hạng' });
    expect(textOf(board.replies)).toContain('Trường THCS EMP chưa có lượt làm câu đố nào');
    expect(textOf(board.replies)).not.toContain('Lớp ');
  });

  it('offers the leaderboard at the end of a quiz to a verified teacher only, not to a contact whose role alone says teacher', async () => {
    await createSchool('QEND', ['8A']);
    await onboard('qend-teacher', 'teacher', 'QEND-8A');
    const verified = await takeQuiz('qend-teacher', 'Ngày hội 19/8', () => true);
    expect(() => button(verified.replies, 'Bảng xếp hạng')).not.toThrow();
    await onboard('qend-self', 'parent', 'QEND-8A');
    await app.db.prisma.contact.updateMany({ where: { userId: 'qend-self' }, data: { role: 'teacher' } });
    const unverified = await takeQuiz('qend-self', 'Ngày hội 19/8', () => true);
    expect(textOf(unverified.replies)).toContain('Bạn đúng');
    expect(() => button(unverified.replies, 'Bảng xếp hạng')).toThrow();
  });

  it('keeps the class leaderboard for teachers and does not offer it to students', async () => {
    await onboard('lb-curious', 'student', 'NTT-9A1');
    const menu = await app.say('lb-curious', { text: 'menu' });
    expect(() => button(menu.replies, 'Bảng xếp hạng')).toThrow();
    const board = await app.say('lb-curious', { text: 'xếp hạng' });
    expect(textOf(board.replies)).toContain('dành cho thầy cô');
    expect(textOf(board.replies)).not.toContain('Lớp ');
  });
});
