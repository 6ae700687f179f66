import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import QRCode from 'qrcode';
import { escapeMarkup as esc } from '../../content/markup.js';

// Be Vietnam Pro is shipped as TTF files inside an npm package: nothing is downloaded and no system font is used,
// so the diacritics look the same on every machine.
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
  require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf'),
];
const FONT = 'Be Vietnam Pro';

const WIDTH = 1080;
const MARGIN = 80;
const QR_SIZE = 260;

/** What a certificate shows. Names arrive already shortened by the caller (the PNG is reachable by its URL). */
export interface CertificateData {
  heading: string;
  title: string;
  campaignTitle: string;
  schoolName: string;
  people: { label: string; value: string }[];
  items: string[];
  footer: string[];
  code: string;
  verifyUrl: string;
  verifyHint: string;
}

/** Renders the certificate as a PNG (1080 px wide, height fitted to the text). */
export async function renderCertificatePng(data: CertificateData): Promise<Buffer> {
  const svg = await certificateSvg(data);
  // Rendered on libuv's thread pool: ~50 ms of work that must not stall webhook acknowledgements.
  const png = await renderAsync(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  });
  return png.asPng();
}

/** The SVG behind the PNG (exported for tests and for tuning the layout). */
export async function certificateSvg(data: CertificateData): Promise<string> {
  const parts: string[] = [];
  let y = MARGIN + 20;
  const line = (text: string, size: number, opts: { bold?: boolean; color?: string; center?: boolean; x?: number } = {}) => {
    const x = opts.center ? WIDTH / 2 : (opts.x ?? MARGIN);
    parts.push(
      `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${opts.bold ? 700 : 400}" fill="${opts.color ?? '#1f2933'}"${opts.center ? ' text-anchor="middle"' : ''}>${esc(text)}</text>`,
    );
  };
  const paragraph = (text: string, size: number, opts: { bold?: boolean; color?: string; center?: boolean; indent?: number; gap?: number } = {}) => {
    const width = WIDTH - 2 * MARGIN - (opts.indent ?? 0);
    for (const l of wrap(text, size, width, opts.bold ? (text === text.toUpperCase() ? 0.7 : 0.58) : 0.52)) {
      line(l, size, { ...opts, x: MARGIN + (opts.indent ?? 0) });
      y += Math.round(size * 1.4);
    }
    y += opts.gap ?? 0;
  };

  paragraph(data.heading, 30, { bold: true, color: '#b91c1c', center: true, gap: 10 });
  paragraph(data.title.toUpperCase(), 36, { bold: true, color: '#0f3d7a', center: true, gap: 6 });
  paragraph(data.campaignTitle, 30, { center: true, color: '#52606d', gap: 24 });
  paragraph(data.schoolName, 32, { bold: true, gap: 8 });
  for (const p of data.people) paragraph(`${p.label}: ${p.value}`, 32, { gap: 4 });
  y += 24;
  data.items.forEach((item, i) => {
    const top = y;
    paragraph(item, 28, { indent: 56, gap: 8 });
    const saved = y;
    y = top;
    line(`${i + 1}.`, 28, { bold: true, color: '#0f3d7a' });
    y = saved;
  });
  y += 24;
  for (const f of data.footer) paragraph(f, 26, { color: '#52606d' });
  y += 30;

  const qrTop = y;
  parts.push(`<g transform="translate(${MARGIN} ${qrTop})">${await qrPath(data.verifyUrl, QR_SIZE)}</g>`);
  y = qrTop + 70;
  const textX = MARGIN + QR_SIZE + 40;
  line(data.code, 44, { bold: true, x: textX, color: '#0f3d7a' });
  y += 60;
  for (const l of wrap(data.verifyHint, 24, WIDTH - textX - MARGIN, 0.52)) {
    line(l, 24, { x: textX, color: '#52606d' });
    y += 34;
  }
  const height = Math.max(qrTop + QR_SIZE, y) + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect x="20" y="20" width="${WIDTH - 40}" height="${height - 40}" fill="none" stroke="#0f3d7a" stroke-width="6" rx="24"/>`,
    `<rect x="36" y="36" width="${WIDTH - 72}" height="${height - 72}" fill="none" stroke="#f2b705" stroke-width="2" rx="16"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

async function qrPath(text: string, size: number): Promise<string> {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) d += `M${((c + quiet) * cell).toFixed(2)} ${((r + quiet) * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`;
    }
  }
  return `<rect width="${size}" height="${size}" fill="#ffffff"/><path d="${d}" fill="#000000" shape-rendering="crispEdges"/>`;
}

// resvg does not wrap text: break on spaces with a width estimate per character in em (Be Vietnam Pro: ~0.5 for
// regular lower case, more for bold capitals; a little pessimistic so lines never overflow the frame).
function wrap(text: string, size: number, width: number, em: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * em)));
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && (current + ' ' + word).length > max) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

