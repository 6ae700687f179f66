import { escapeMarkup as escapeXml } from '../../content/markup.js';
import type { ProgressRow } from './pledge-progress-figures.js';

/** What the chart shows: one group of two bars (parents, students) per class or school. */
export interface ProgressChartInput {
  /** Read first by screen readers and shown as the chart's heading. */
  title: string;
  /** `class`: rows are classes; `school`: schools (names the label column). */
  level: 'class' | 'school';
  rows: readonly Pick<ProgressRow, 'id' | 'name' | 'rosterSize' | 'parents' | 'students'>[];
  /** Makes the ids of `<title>`/`<desc>` unique when a page holds several charts (letters, digits, dashes). */
  idPrefix?: string;
}

// Each row: the class or school name on a line of its own, then the two bars with their side's name on the left and
// the figures on the right, so no text overlaps another however long the name.
const WIDTH = 760;
const BAR_X = 84;
const BAR_W = 460;
const VALUE_X = BAR_X + BAR_W + 10;
const TOP = 64;
const BAR_H = 14;
const ROW_H = 62;
const MAX_LABEL = 90;
const COLORS = { parents: '#1d4f91', students: '#9a4a06', track: '#e5e7eb', text: '#111827', muted: '#4b5563' };
const FONT = `'Be Vietnam Pro', system-ui, sans-serif`;


type Side = { signed: number; onRoster: number | null };

/** Pledges counted against the roster: those matched to a roster pupil, or (per school, unmatched) every one. */
const counted = (s: Side) => s.onRoster ?? s.signed;

/** "18/30 (60 %)", with the pledges for names not on the roster, or the count alone without a roster. */
function valueText(s: Side, rosterSize: number): string {
  if (rosterSize === 0) return `${s.signed} đã ký · chưa có danh sách`;
  const n = counted(s);
  const outside = s.onRoster !== null && s.signed > s.onRoster ? ` · ${s.signed - s.onRoster} ngoài danh sách` : '';
  return `${n}/${rosterSize} (${Math.round((100 * n) / rosterSize)} %)${outside}`;
}

function bar(y: number, color: string, who: string, side: Side, rosterSize: number): string {
  const share = rosterSize > 0 ? Math.min(1, counted(side) / rosterSize) : 0;
  const value = valueText(side, rosterSize);
  return [
    `<text x="${BAR_X - 8}" y="${y + BAR_H - 3}" text-anchor="end" font-size="11" fill="${COLORS.muted}">${escapeXml(who)}</text>`,
    `<rect x="${BAR_X}" y="${y}" width="${BAR_W}" height="${BAR_H}" rx="3" fill="${COLORS.track}"/>`,
    share > 0 ? `<rect x="${BAR_X}" y="${y}" width="${(BAR_W * share).toFixed(1)}" height="${BAR_H}" rx="3" fill="${color}"/>` : '',
    `<text x="${VALUE_X}" y="${y + BAR_H - 3}" font-size="12" fill="${COLORS.text}">${escapeXml(value)}</text>`,
  ].join('');
}

/**
 * A server-rendered, accessible SVG bar chart of pledge progress: per class or school, the share of roster pupils
 * with a parent pledge and with a student pledge (per school: valid pledges against the roster size), each bar labelled with its figures in text (colour is never the
 * only carrier). `<title>` and `<desc>` name it and sum it up for screen readers; every text is escaped. Pure.
 */
export function renderProgressChart(input: ProgressChartInput): string {
  const prefix = (input.idPrefix ?? 'progress').replace(/[^A-Za-z0-9-]/g, '') || 'progress';
  const unit = input.level === 'class' ? 'lớp' : 'trường';
  const height = TOP + Math.max(1, input.rows.length) * ROW_H;
  const total = input.rows.reduce(
    (t, r) => ({ roster: t.roster + r.rosterSize, parents: t.parents + counted(r.parents), students: t.students + counted(r.students) }),
    { roster: 0, parents: 0, students: 0 },
  );
  const desc = input.rows.length === 0
    ? `Chưa có ${unit} nào để thống kê.`
    : `Tỉ lệ học sinh trong danh sách đã có cam kết của phụ huynh và của học sinh, theo ${unit} (${input.rows.length} ${unit}). ` +
      `Tổng cộng: phụ huynh ${total.parents}/${total.roster}, học sinh ${total.students}/${total.roster}.`;
  const rows = input.rows.map((r, i) => {
    const y = TOP + i * ROW_H;
    const label = r.name.length > MAX_LABEL ? `${r.name.slice(0, MAX_LABEL - 1)}…` : r.name;
    const summary = `${r.name}: phụ huynh ${valueText(r.parents, r.rosterSize)}, học sinh ${valueText(r.students, r.rosterSize)}`;
    return [
      `<g><title>${escapeXml(summary)}</title>`,
      `<text x="0" y="${y + 13}" font-size="13" font-weight="600" fill="${COLORS.text}">${escapeXml(label)}</text>`,
      bar(y + 20, COLORS.parents, 'Phụ huynh', r.parents, r.rosterSize),
      bar(y + 20 + BAR_H + 4, COLORS.students, 'Học sinh', r.students, r.rosterSize),
      '</g>',
    ].join('');
  });
  const legend = [
    `<rect x="0" y="36" width="12" height="12" fill="${COLORS.parents}"/><text x="18" y="46" font-size="12" fill="${COLORS.text}">Phụ huynh đã cam kết</text>`,
    `<rect x="190" y="36" width="12" height="12" fill="${COLORS.students}"/><text x="208" y="46" font-size="12" fill="${COLORS.text}">Học sinh đã cam kết</text>`,
    `<text x="380" y="46" font-size="12" fill="${COLORS.muted}">so với danh sách ${unit === 'lớp' ? 'lớp' : 'các lớp'}</text>`,
  ].join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" font-family="${escapeXml(FONT)}">`,
    `<title id="${prefix}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${prefix}-desc">${escapeXml(desc)}</desc>`,
    `<text x="0" y="22" font-size="16" font-weight="700" fill="${COLORS.text}">${escapeXml(input.title)}</text>`,
    legend,
    input.rows.length === 0 ? `<text x="0" y="${TOP + 16}" font-size="13" fill="${COLORS.muted}">${escapeXml(desc)}</text>` : rows.join(''),
    '</svg>',
  ].join('');
}
