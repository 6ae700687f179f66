import type { Db } from './database.js';

/** A finished quiz of one contact. */
export interface QuizAttemptInput {
  contactId: string;
  schoolId: string | null;
  topic: string;
  score: number;
  total: number;
}

/** A class's quiz results added up; never a person. */
export interface ClassQuizScoreRow {
  classId: string;
  className: string;
  attempts: number;
  participants: number;
  score: number;
  total: number;
}

/** Quiz attempts and the per-school class leaderboard. */
export class QuizRepo {
  constructor(private readonly db: Db) {}

  /** Stores one finished quiz. */
  async record(attempt: QuizAttemptInput): Promise<void> {
    await this.db.quizAttempt.create({ data: attempt });
  }

  /**
   * The school's classes ranked by the share of correct answers over all their attempts (then by attempts), best
   * first. A parent's or student's attempt counts for the class they are linked to now, when it is in the same school.
   */
  async classLeaderboard(schoolId: string, limit = 10): Promise<ClassQuizScoreRow[]> {
    // QuizAttempt has no relation to Contact in the schema, so: sums per contact, then contacts' classes.
    const perContact = await this.db.quizAttempt.groupBy({
      by: ['contactId'],
      where: { schoolId },
      _sum: { score: true, total: true },
      _count: { _all: true },
    });
    if (perContact.length === 0) return [];
    const contacts = await this.db.contact.findMany({
      // Teachers may try the quizzes too; their attempts are stored but do not count for a class.
      where: { id: { in: perContact.map((p) => p.contactId) }, role: { in: ['parent', 'student'] }, classId: { not: null }, class: { schoolId } },
      select: { id: true, classId: true, class: { select: { name: true } } },
    });
    const classOf = new Map(contacts.map((c) => [c.id, { id: c.classId as string, name: c.class?.name ?? '' }]));
    const byClass = new Map<string, ClassQuizScoreRow>();
    for (const p of perContact) {
      const cls = classOf.get(p.contactId);
      if (!cls) continue;
      const row = byClass.get(cls.id) ?? { classId: cls.id, className: cls.name, attempts: 0, participants: 0, score: 0, total: 0 };
      row.attempts += p._count._all;
      row.participants += 1;
      row.score += p._sum.score ?? 0;
      row.total += p._sum.total ?? 0;
      byClass.set(cls.id, row);
    }
    const share = (r: ClassQuizScoreRow) => (r.total > 0 ? r.score / r.total : 0);
    return [...byClass.values()]
      .sort((a, b) => share(b) - share(a) || b.attempts - a.attempts || a.className.localeCompare(b.className, 'vi'))
      .slice(0, limit);
  }
}
