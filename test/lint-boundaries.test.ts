import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder direction of DESIGN.md §3 is enforced by eslint.config.js; these prove the rules bite.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('folder boundaries', () => {
  it('stops a flow from importing the store', async () => {
    expect(await messages('src/flows/x.flow.ts', "import { InboxRepo } from '../store/inbox.repo.js';\nexport const x = InboxRepo;\n")).toEqual([
      expect.stringContaining('src/flows may import only src/content'),
    ]);
  });

  it('stops a flow from importing the bot or Prisma', async () => {
    const bot = await messages('src/flows/x.flow.ts', "import { Signals } from '../bot/signals.js';\nexport const x = Signals;\n");
    const prisma = await messages('src/flows/x.flow.ts', "import { PrismaPg } from '@prisma/adapter-pg';\nexport const x = PrismaPg;\n");
    expect([bot.length, prisma.length]).toEqual([1, 1]);
  });

  it('stops content from importing anything of ours', async () => {
    expect(await messages('src/content/x.ts', "import { FLOWS } from '../flows/index.js';\nexport const x = FLOWS;\n")).toEqual([
      expect.stringContaining('src/content imports nothing of ours'),
    ]);
  });

  it('stops code outside config from reading process.env', async () => {
    expect(await messages('src/bot/x.ts', 'export const port = process.env.PORT;\n')).toEqual([expect.stringContaining('Only src/config.ts reads process.env')]);
  });

  it('stops the bot from calling Prisma directly', async () => {
    expect(await messages('src/bot/x.ts', "import { PrismaClient } from '../store/generated/client.js';\nexport const x = PrismaClient;\n")).toEqual([
      expect.stringContaining('Only src/store calls Prisma'),
    ]);
  });

  it('lets a flow import content', async () => {
    expect(await messages('src/flows/x.flow.ts', "import { foldText } from '../content/normalize.js';\nexport const x = foldText;\n")).toEqual([]);
  });
});
