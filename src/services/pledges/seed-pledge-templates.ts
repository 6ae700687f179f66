import { normalizePersonName, studentKey } from '../../content/person-name.js';
import type { PledgeTemplateData } from '../../content/pledge-templates.js';
import type { PledgeRepo } from '../../store/pledge.repo.js';

// A made-up roster for the demo class NTT-6A1 (its demo teacher can then see who has not pledged).
const DEMO_ROSTER = {
  classCode: 'NTT-6A1',
  names: ['Nguyễn Minh An', 'Trần Bảo Ngọc', 'Lê Gia Huy', 'Phạm Thu Hà', 'Võ Quốc Bảo', 'Đặng Khánh Linh'],
};

/**
 * Idempotent, safe to run at every boot: inserts the pledge template versions that are missing (for campaigns that
 * exist) and the demo roster. Separate from the once-only demo seed so that a new template version reaches a demo
 * database that was seeded before it existed.
 */
export async function seedPledgeTemplates(repo: PledgeRepo, templates: PledgeTemplateData[]): Promise<{ created: number; missingCampaigns: string[] }> {
  const out = await repo.ensureTemplates(templates);
  const pupils = DEMO_ROSTER.names.map((n) => normalizePersonName(n)!).map((studentName) => ({ studentName, studentKey: studentKey(studentName) }));
  await repo.ensureRoster(DEMO_ROSTER.classCode, pupils);
  return out;
}
