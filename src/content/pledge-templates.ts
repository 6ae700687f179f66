import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AudienceSchema, type Audience } from './catalogue.schema.js';

/** Folder of the pledge template files (one YAML file per campaign). */
export const PLEDGE_TEMPLATE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pledges');

const ItemSchema = z.string().min(10).max(200).transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim());

/** One campaign's pledge templates as stored in `pledges/<campaign>.yaml`. */
export const PledgeTemplateFileSchema = z.object({
  campaign: z.string().regex(/^[a-z0-9-]+$/),
  source: z.string().min(5),
  templates: z
    .array(
      z.object({
        audience: AudienceSchema,
        version: z.number().int().min(1),
        title: z.string().min(5).max(120),
        items: z.array(ItemSchema).min(3).max(12),
      }),
    )
    .min(1)
    .refine((ts) => new Set(ts.map((t) => `${t.audience}:${t.version}`)).size === ts.length, 'an audience repeats a version'),
});
export type PledgeTemplateFile = z.infer<typeof PledgeTemplateFileSchema>;

/** One template, flattened with its campaign and source. */
export interface PledgeTemplateData {
  campaign: string;
  audience: Audience;
  version: number;
  title: string;
  items: string[];
  source: string;
}

/** Loads and validates every `*.yaml` under `dir`; throws one error naming each invalid file and problem. */
export function loadPledgeTemplates(dir = PLEDGE_TEMPLATE_DIR): PledgeTemplateData[] {
  const out: PledgeTemplateData[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    try {
      const parsed = PledgeTemplateFileSchema.safeParse(parseYaml(readFileSync(path.join(dir, name), 'utf8')));
      if (!parsed.success) {
        problems.push(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        continue;
      }
      const { campaign, source, templates } = parsed.data;
      out.push(...templates.map((t) => ({ campaign, source, ...t })));
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`Invalid pledge templates in ${dir}:\n  ${problems.join('\n  ')}`);
  return out;
}
