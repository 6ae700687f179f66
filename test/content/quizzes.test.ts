import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TopicSchema } from '../../src/content/catalogue.schema.js';
import { correctIndex } from '../../src/content/quiz.schema.js';
import { loadQuizzes } from '../../src/content/quizzes.js';

const dirs: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'quizzes-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function question(id: string, extra = ''): string {
  return `  - id: ${id}
    text: Câu hỏi mẫu số ${id} để kiểm tra?
    options: ["Đúng", "Sai"]
    correct: A
    explanation: Giải thích mẫu đủ dài.
    source: Văn bản mẫu
${extra}`;
}
function quiz(topic: string, ids: string[], extra: Record<string, string> = {}): string {
  return `topic: ${topic}\nquestions:\n${ids.map((id) => question(id, extra[id] ?? '')).join('')}`;
}

describe('quiz loader', () => {
  it('validates the shipped quizzes: one per topic, 5–10 questions, each with a source', () => {
    const quizzes = loadQuizzes();
    expect(quizzes.topics().sort()).toEqual([...TopicSchema.options].sort());
    for (const topic of TopicSchema.options) {
      const questions = quizzes.questions(topic);
      expect(questions.length).toBeGreaterThanOrEqual(5);
      expect(questions.length).toBeLessThanOrEqual(10);
      for (const q of questions) {
        expect(q.source.length).toBeGreaterThan(5);
        expect(correctIndex(q)).toBeLessThan(q.options.length);
        if (q.needsReview) expect(q.reviewNote).toBeTruthy();
      }
    }
  });

  it('gives parents and students at least five questions in every topic', () => {
    const quizzes = loadQuizzes();
    for (const topic of TopicSchema.options) {
      expect(quizzes.questions(topic, 'parent').length).toBeGreaterThanOrEqual(5);
      expect(quizzes.questions(topic, 'student').length).toBeGreaterThanOrEqual(5);
    }
  });

  it('keeps the shipped Vietnamese text in composed (NFC) form', () => {
    const quizzes = loadQuizzes();
    for (const topic of quizzes.topics()) {
      for (const q of quizzes.questions(topic)) {
        for (const s of [q.text, q.explanation, q.source, ...q.options]) expect(s).toBe(s.normalize('NFC'));
      }
    }
  });

  it('accepts a well-formed folder', () => {
    const dir = tempDir({ 'drugs.yaml': quiz('drugs', ['a1', 'a2', 'a3', 'a4', 'a5']) });
    expect(loadQuizzes(dir).questions('drugs')).toHaveLength(5);
  });

  it('rejects a correct option out of range, naming the file and the question', () => {
    const dir = tempDir({
      'drugs.yaml': quiz('drugs', ['a1', 'a2', 'a3', 'a4', 'a5']),
      'vneid.yaml': quiz('vneid', ['b1', 'b2', 'b3', 'b4', 'b5']).replace('correct: A', 'correct: C'),
    });
    expect(() => loadQuizzes(dir)).toThrow(/vneid\.yaml: questions\.0\.correct "C" is out of range/);
  });

  it('lists every problem of every file in one error', () => {
    const dir = tempDir({
      'drugs.yaml': quiz('drugs', ['a1', 'a2', 'a3', 'a4', 'a5']),
      'vneid.yaml': quiz('vneid', ['a1', 'b2', 'b3', 'b4', 'b5']),
      'fire-safety.yaml': quiz('drugs', ['c1', 'c2', 'c3', 'c4', 'c5']),
      'school-violence.yaml': quiz('school-violence', ['d1', 'd2', 'd3', 'd4', 'd5'], { d2: '    needsReview: true\n' }),
      'traffic-safety.yaml': quiz('traffic-safety', ['e1', 'e2']),
      'online-scams.yaml': 'topic: [unclosed',
    });
    let message = '';
    try {
      loadQuizzes(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('vneid.yaml: question id "a1" also used in drugs.yaml');
    expect(message).toContain('fire-safety.yaml: topic "drugs" does not match the file name');
    expect(message).toContain('school-violence.yaml: questions.1.reviewNote');
    expect(message).toMatch(/traffic-safety\.yaml: questions .*5/);
    expect(message).toContain('online-scams.yaml:');
  });
});
