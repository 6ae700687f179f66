import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { renderProgressChart, type ProgressChartInput } from '../../../src/services/dashboard/render-progress-chart.js';

const rows: ProgressChartInput['rows'] = [
  { id: 'a1', name: '6A1', rosterSize: 4, parents: { signed: 3, onRoster: 2 }, students: { signed: 1, onRoster: 1 } },
  { id: 'a2', name: '6A2', rosterSize: 2, parents: { signed: 0, onRoster: 0 }, students: { signed: 2, onRoster: 2 } },
];

/** resvg parses SVG with a strict XML parser (roxmltree): it throws on anything that is not well-formed. */
function parse(svg: string): { width: number; height: number } {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: 380 } });
  const png = r.render();
  return { width: png.width, height: png.height };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;|&#39;/g, "'").replace(/&amp;/g, '&');
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));

describe('the pledge progress chart', () => {
  it('is well-formed XML that renders', () => {
    const svg = renderProgressChart({ title: 'Tiến độ cam kết ATGT', level: 'class', rows });
    expect(parse(svg).width).toBe(380);
    // The parser is strict: the same chart with one unescaped ampersand does not parse.
    expect(() => parse(svg.replace('Tiến độ', 'Tiến & độ'))).toThrow();
  });

  it('carries every figure as text, not only as bar lengths', () => {
    const svg = renderProgressChart({ title: 'Tiến độ cam kết ATGT', level: 'class', rows });
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['6A1', '6A2', '2/4 (50 %) · 1 ngoài danh sách', '1/4 (25 %)', '0/2 (0 %)', '2/2 (100 %)', 'Phụ huynh', 'Học sinh']));
    // A bar as wide as its share: 2 of 4 is half of the 460-unit track.
    expect(svg).toContain('width="230.0"');
  });

  it('is named and summed up for screen readers', () => {
    const svg = renderProgressChart({ title: 'Tiến độ cam kết ATGT', level: 'school', rows, idPrefix: 'dash"1<' });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="dash1-title dash1-desc"/);
    expect(svg).toContain('<title id="dash1-title">Tiến độ cam kết ATGT</title>');
    expect(svg).toContain('<desc id="dash1-desc">Tỉ lệ học sinh trong danh sách đã có cam kết của phụ huynh và của học sinh, theo trường (2 trường). Tổng cộng: phụ huynh 2/6, học sinh 3/6.</desc>');
  });

  it('escapes every name it puts in, so a name cannot add markup', () => {
    const name = `<script>alert("x")</script> & 'Lớp' 6A1`;
    const svg = renderProgressChart({ title: 'Trường <b>', level: 'class', rows: [{ ...rows[0]!, name }] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(texts(svg)).toContain(name);
    expect(parse(svg).width).toBe(380);
  });

  it('counts a school’s valid pledges against its roster when they were not matched to pupils', () => {
    const svg = renderProgressChart({ title: 'Các trường', level: 'school', rows: [{ id: 's', name: 'THCS A', rosterSize: 10, parents: { signed: 12, onRoster: null }, students: { signed: 4, onRoster: null } }] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['12/10 (120 %)', '4/10 (40 %)']));
    // The bar stops at the full track.
    expect(svg).toContain('width="460.0"');
  });

  it('says when a class has no roster and when there is nothing to show', () => {
    const none = renderProgressChart({ title: 'T', level: 'class', rows: [{ id: 'x', name: '9A', rosterSize: 0, parents: { signed: 3, onRoster: 0 }, students: { signed: 0, onRoster: 0 } }] });
    expect(texts(none)).toContain('3 đã ký · chưa có danh sách');
    const empty = renderProgressChart({ title: 'T', level: 'class', rows: [] });
    expect(texts(empty)).toContain('Chưa có lớp nào để thống kê.');
    expect(parse(empty).width).toBe(380);
  });
});
