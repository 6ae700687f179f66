import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { TOPIC_LABELS } from './catalogue.js';
import type { Audience, Topic } from './catalogue.schema.js';
import { QuizSchema, type Quiz, type QuizQuestion } from './quiz.schema.js';

/** Default folder of the quizzes: one `<topic>.yaml` per campaign topic. */
export const QUIZZES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'quizzes');

/** The validated quizzes, one per topic. */
export class Quizzes {
  private readonly byTopic: Map<Topic, Quiz>;
  private readonly byId: Map<string, QuizQuestion>;

  constructor(list: readonly Quiz[]) {
    this.byTopic = new Map(list.map((q) => [q.topic, q]));
    this.byId = new Map(list.flatMap((q) => q.questions.map((x) => [x.id, x] as const)));
  }

  /** Topics that have a quiz, in menu order. */
  topics(): Topic[] {
    const order = Object.keys(TOPIC_LABELS);
    return [...this.byTopic.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  /** The questions of a topic for an audience (no audience: all; a question without `audience` is for everyone). */
  questions(topic: Topic, audience?: Audience): QuizQuestion[] {
    const quiz = this.byTopic.get(topic);
    if (!quiz) return [];
    return quiz.questions.filter((q) => !audience || !q.audience || q.audience.includes(audience));
  }

  /** One question by id. */
  question(id: string): QuizQuestion | undefined {
    return this.byId.get(id);
  }
}

/** Loads and validates every `*.yaml` in `dir`; throws one error listing every problem, each with its file. */
export function loadQuizzes(dir = QUIZZES_DIR): Quizzes {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const quizzes: Quiz[] = [];
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const topics = new Map<string, string>();
  for (const file of files) {
    try {
      const raw: unknown = parseYaml(readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, ''));
      const parsed = QuizSchema.safeParse(normalize(raw));
      if (!parsed.success) {
        problems.push(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        continue;
      }
      const quiz = parsed.data;
      if (file.replace(/\.ya?ml$/, '') !== quiz.topic) problems.push(`${file}: topic "${quiz.topic}" does not match the file name`);
      const other = topics.get(quiz.topic);
      if (other) problems.push(`${file}: topic "${quiz.topic}" also has a quiz in ${other}`);
      topics.set(quiz.topic, file);
      for (const q of quiz.questions) {
        const seen = ids.get(q.id);
        if (seen) problems.push(`${file}: question id "${q.id}" also used in ${seen}`);
        ids.set(q.id, file);
      }
      quizzes.push(quiz);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`Invalid quizzes (${dir}):\n  ${problems.join('\n  ')}`);
  return new Quizzes(quizzes);
}

// Vietnamese typed on different keyboards mixes composed and decomposed forms; compare and show NFC only.
function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}
