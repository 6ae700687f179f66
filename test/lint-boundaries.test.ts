import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder direction of DESIGN.md §3 is enforced by eslint.config.js; these prove the rules bite.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.message);
}

/** The name bound by a one-name import line, so the snippet has no unused variable. */
const imported = (line: string): string => /import \{ (\w+) \}/.exec(line)![1]!;

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

  it('stops a flow from importing a service (flows declare a port instead)', async () => {
    expect(await messages('src/flows/x.flow.ts', "import { signPledge } from '../services/pledges/sign-pledge.js';\nexport const x = signPledge;\n")).toEqual([
      expect.stringContaining('declare a port in src/flows/ports'),
    ]);
  });

  it('stops the store from importing a service', async () => {
    expect(await messages('src/store/x.repo.ts', "import { signPledge } from '../services/pledges/sign-pledge.js';\nexport const x = signPledge;\n")).toEqual([
      expect.stringContaining('src/store is the bottom layer'),
    ]);
  });
});

describe('services: the layer chat and console share', () => {
  const SERVICE = 'src/services/pledges/x.ts';
  const forbidden: [string, string][] = [
    ['the bot', "import { pledgeRoutes } from '../../bot/pledges/pledge.routes.js';"],
    ['a flow', "import { pledgeFlow } from '../../flows/pledge.flow.js';"],
    ['the flows index', "import { FLOWS } from '../../flows/index.js';"],
    ['the console', "import { consoleRoutes } from '../../admin/console.routes.js';"],
    ['the composition root', "import { startApp } from '../../main.js';"],
    ['the config', "import { loadConfig } from '../../config.js';"],
  ];
  it.each(forbidden)('stops a service from importing %s', async (_what, line) => {
    expect(await messages(SERVICE, `${line}\nexport const x = ${imported(line)};\n`)).toEqual([expect.stringContaining('src/services may import only src/store and src/content')]);
  });

  it('stops a service from importing express', async () => {
    expect(await messages(SERVICE, "import { Router } from 'express';\nexport const x = Router;\n")).toEqual([expect.stringContaining('Services know no HTTP')]);
  });

  it('stops a service from calling Prisma directly', async () => {
    expect(await messages(SERVICE, "import { PrismaClient } from '../../store/generated/client.js';\nexport const x = PrismaClient;\n")).toEqual([
      expect.stringContaining('Only src/store calls Prisma'),
    ]);
  });

  it('lets a service import the store, content, node built-ins, npm packages and another service', async () => {
    const code = [
      "import { randomBytes } from 'node:crypto';",
      "import { z } from 'zod';",
      "import { studentKey } from '../../content/person-name.js';",
      "import type { PledgeRepo } from '../../store/pledge.repo.js';",
      "import { verifyReceipt } from './verify-receipt.js';",
      "import { submitTip } from '../tips/submit-tip.js';",
      'export const x = [randomBytes, z, studentKey, verifyReceipt, submitTip] as unknown as PledgeRepo;',
      '',
    ].join('\n');
    expect(await messages(SERVICE, code)).toEqual([]);
  });

  it('lets the bot import a service', async () => {
    expect(await messages('src/bot/pledges/x.ts', "import { signPledge } from '../../services/pledges/sign-pledge.js';\nexport const x = signPledge;\n")).toEqual([]);
  });
});

describe('the console reaches data only through services', () => {
  const ADMIN = 'src/admin/x.routes.ts';
  it.each([
    ['the store', "import { PledgeRepo } from '../store/pledge.repo.js';"],
    ['the repositories factory', "import { createRepos } from '../store/repos.js';"],
    ['the bot', "import { pledgeRoutes } from '../bot/pledges/pledge.routes.js';"],
    ['a flow', "import { pledgeFlow } from '../flows/pledge.flow.js';"],
  ])('stops the console from importing %s', async (_what, line) => {
    expect(await messages(ADMIN, `${line}\nexport const x = ${imported(line)};\n`)).toEqual([expect.stringContaining('src/admin may import only src/services and src/content')]);
  });

  it.each([
    ['the store, from a template', 'src/admin/pages/x.page.tsx', "import { PledgeRepo } from '../../store/pledge.repo.js';"],
    ['the config', 'src/admin/x.routes.ts', "import { loadConfig } from '../config.js';"],
    ['the composition root, from a template', 'src/admin/views/x.tsx', "import { startApp } from '../../main.js';"],
  ])('stops the console from importing %s', async (_what, file, line) => {
    expect(await messages(file, `${line}\nexport const x = ${imported(line)};\n`)).toEqual([expect.stringContaining('src/admin may import only src/services and src/content')]);
  });

  it('stops raw HTML in a console template (dangerouslySetInnerHTML)', async () => {
    const code = "export const X = (p: { html: string }) => <div dangerouslySetInnerHTML={{ __html: p.html }} />;\n";
    expect(await messages('src/admin/views/x.tsx', code)).toEqual([expect.stringContaining('No dangerouslySetInnerHTML')]);
  });

  it('keeps .tsx templates inside src/admin', async () => {
    expect(await messages('src/bot/x.tsx', 'export const X = () => <p>x</p>;\n')).toEqual([expect.stringContaining('.tsx files belong in src/admin only')]);
    expect(await messages('src/admin/views/x.tsx', 'export const X = () => <p>x</p>;\n')).toEqual([]);
  });

  it('lets the console import services, content and express', async () => {
    const code = [
      "import { Router } from 'express';",
      "import { translate } from '../content/i18n.js';",
      "import { verifyReceipt } from '../services/pledges/verify-receipt.js';",
      'export const x = [Router, translate, verifyReceipt];',
      '',
    ].join('\n');
    expect(await messages(ADMIN, code)).toEqual([]);
  });
});
