/** One class's quiz results, aggregated: no individual appears (contacts have no names, and none are shown). */
export interface ClassQuizScore { classId: string; className: string; attempts: number; participants: number; score: number; total: number }

/** Stores finished quizzes and ranks a school's classes (implemented over the store by the bot). */
export interface QuizResults {
  record(attempt: { contactId: string; schoolId: string | null; topic: string; score: number; total: number }): Promise<void>;
  classLeaderboard(schoolId: string, limit: number): Promise<ClassQuizScore[]>;
}
