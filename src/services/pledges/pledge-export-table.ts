import { formatVnDate } from '../../content/vn-time.js';
import type { PledgeExportData } from './pledge-export-data.js';
import type { PledgeSideStatus } from './pledge-report-types.js';

/** A table of an export: its header and rows of plain text or numbers. */
export interface ExportTable {
  header: string[];
  rows: (string | number)[][];
}

/** The column headers of the pupils' table (one row per pupil). */
export const PUPIL_HEADER = [
  'STT',
  'Trường',
  'Lớp',
  'Họ và tên học sinh',
  'Có trong danh sách lớp',
  'Cam kết của phụ huynh',
  'Ngày phụ huynh ký',
  'Cam kết của học sinh',
  'Ngày học sinh ký',
  'Phụ huynh xác nhận cam kết của học sinh',
];

/** The column headers of the figures' table (one row per class). */
export const SUMMARY_HEADER = [
  'Trường',
  'Lớp',
  'Sĩ số theo danh sách',
  'Phụ huynh đã ký (trong danh sách)',
  'Học sinh đã ký (trong danh sách)',
  'Học sinh được phụ huynh xác nhận',
  'Cam kết ngoài danh sách',
  'Cam kết đã rút',
];

/** How a side's state is written: "Đã ký", "Đã rút (dd/mm/yyyy)", "Chưa ký". */
export function sideWords(s: PledgeSideStatus): string {
  if (s.state === 'signed') return 'Đã ký';
  if (s.state === 'withdrawn') return s.withdrawnAt ? `Đã rút (${formatVnDate(s.withdrawnAt)})` : 'Đã rút';
  return 'Chưa ký';
}

/** The pupils of the classes whose names the account may read, numbered. */
export function pupilTable(data: PledgeExportData): ExportTable {
  const rows: (string | number)[][] = [];
  for (const c of data.classes) {
    for (const p of c.pupils ?? []) {
      rows.push([
        rows.length + 1,
        c.class.schoolName,
        c.class.name,
        p.name,
        p.onRoster ? 'Có' : 'Không',
        sideWords(p.parent),
        p.parent.state === 'signed' && p.parent.signedAt ? formatVnDate(p.parent.signedAt) : '',
        sideWords(p.student),
        p.student.state === 'signed' && p.student.signedAt ? formatVnDate(p.student.signedAt) : '',
        p.student.state === 'signed' ? (p.student.confirmed ? 'Đã xác nhận' : 'Chưa xác nhận') : '',
      ]);
    }
  }
  return { header: PUPIL_HEADER, rows };
}

/** The figures of every class. */
export function summaryTable(data: PledgeExportData): ExportTable {
  return {
    header: SUMMARY_HEADER,
    rows: data.classes.map((c) => [
      c.class.schoolName,
      c.class.name,
      c.counts.rosterSize,
      c.counts.parentOnRoster,
      c.counts.studentOnRoster,
      c.counts.studentConfirmed,
      c.counts.parentValid - c.counts.parentOnRoster + (c.counts.studentValid - c.counts.studentOnRoster),
      c.counts.withdrawn,
    ]),
  };
}

/** Whether any class of the export carries names (otherwise it is figures only). */
export function hasNames(data: PledgeExportData): boolean {
  return data.classes.some((c) => c.pupils !== null);
}
