import { foldText } from '../../content/normalize.js';

const PART_MAX = 12;

/**
 * Codes to try for a new class, best first: `<SCHOOL>-<NAME>` in capitals without diacritics ("NTT" + "6A1" →
 * "NTT-6A1"), then with the school year's start ("NTT-6A1N27", a class of the same name in another year), then
 * lettered. Each has the shape onboarding recognises when typed (1–12 letters or digits on each side of one dash).
 */
export function classCodeCandidates(schoolCode: string, className: string, grade: number, schoolYear: string): string[] {
  const folded = foldText(className).replace(/[^a-z0-9]/g, '').toUpperCase();
  const part = folded || `K${grade}`;
  const year = `N${schoolYear.slice(2, 4)}`;
  const fit = (base: string, suffix: string) => `${schoolCode}-${base.slice(0, PART_MAX - suffix.length)}${suffix}`;
  const letters = 'BCDEFGHKMNPQRSTVXYZ';
  return [fit(part, ''), fit(part, year), ...[...letters].map((l) => fit(part, `${year}${l}`))];
}
