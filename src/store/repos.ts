import type { Db, PrismaClient } from './database.js';
import { ContactRepo } from './contact.repo.js';
import { ConversationRepo } from './conversation.repo.js';
import { DirectoryRepo } from './directory.repo.js';
import { InboxRepo } from './inbox.repo.js';
import { OutboxRepo } from './outbox.repo.js';
import { AlertRepo } from './alert.repo.js';
import { PlatformTokenRepo } from './platform-token.repo.js';
import { RateWindowRepo } from './rate-window.repo.js';
import { HealthRepo } from './health.repo.js';
import { PledgeRepo } from './pledge.repo.js';
import { QuizRepo } from './quiz.repo.js';
import { TipRepo } from './tip.repo.js';
import { StaffRepo } from './staff.repo.js';
import { ThrottleRepo } from './tip-throttle.repo.js';
import { TipTraceRepo } from './tip-trace.repo.js';
import { TeacherInviteRepo } from './teacher-invite.repo.js';
import { TurnRepo } from './turn.repo.js';

/** Every repository, bound to one client or one transaction. */
export interface Repos {
  inbox: InboxRepo;
  outbox: OutboxRepo;
  contacts: ContactRepo;
  conversations: ConversationRepo;
  directory: DirectoryRepo;
  alerts: AlertRepo;
  tokens: PlatformTokenRepo;
  rateWindows: RateWindowRepo;
  health: HealthRepo;
  pledges: PledgeRepo;
  quiz: QuizRepo;
  tips: TipRepo;
  staff: StaffRepo;
  throttle: ThrottleRepo;
  tipTraces: TipTraceRepo;
  teacherInvites: TeacherInviteRepo;
  turns: TurnRepo;
}

/** Binds the repositories to a client or a transaction. */
export function createRepos(db: Db): Repos {
  return {
    inbox: new InboxRepo(db),
    outbox: new OutboxRepo(db),
    contacts: new ContactRepo(db),
    conversations: new ConversationRepo(db),
    directory: new DirectoryRepo(db),
    alerts: new AlertRepo(db),
    tokens: new PlatformTokenRepo(db),
    rateWindows: new RateWindowRepo(db),
    health: new HealthRepo(db),
    pledges: new PledgeRepo(db),
    quiz: new QuizRepo(db),
    tips: new TipRepo(db),
    staff: new StaffRepo(db),
    throttle: new ThrottleRepo(db),
    tipTraces: new TipTraceRepo(db),
    teacherInvites: new TeacherInviteRepo(db),
    turns: new TurnRepo(db),
  };
}

/** Runs `fn` in one transaction with repositories bound to it; everything commits or nothing does. */
export async function inTransaction<T>(prisma: PrismaClient, fn: (repos: Repos) => Promise<T>): Promise<T> {
  return prisma.$transaction((tx) => fn(createRepos(tx)));
}
