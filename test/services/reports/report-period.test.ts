import { describe, expect, it } from 'vitest';
import { resolveReportPeriod } from '../../../src/services/reports/report-period.js';

const range = (input: unknown) => {
  const out = resolveReportPeriod(input);
  if (!out.ok) throw new Error(out.message);
  return { from: out.range.from.toISOString(), to: out.range.to.toISOString(), label: out.range.label, span: out.range.span };
};
const message = (input: unknown) => {
  const out = resolveReportPeriod(input);
  return out.ok ? null : out.message;
};

describe('reporting periods', () => {
  it('runs from Vietnam midnight to Vietnam midnight', () => {
    expect(range({ kind: 'quarter', year: 2026, quarter: 1 })).toEqual({
      from: '2025-12-31T17:00:00.000Z', to: '2026-03-31T17:00:00.000Z', label: 'Quý I năm 2026', span: 'từ ngày 01/01/2026 đến ngày 31/03/2026',
    });
    expect(range({ kind: 'quarter', year: 2026, quarter: 4 })).toMatchObject({ to: '2026-12-31T17:00:00.000Z', span: 'từ ngày 01/10/2026 đến ngày 31/12/2026' });
    expect(range({ kind: 'half', year: 2026, half: 2 })).toMatchObject({ from: '2026-06-30T17:00:00.000Z', label: '6 tháng cuối năm 2026' });
    expect(range({ kind: 'year', year: 2025 })).toMatchObject({ label: 'Năm 2025', span: 'từ ngày 01/01/2025 đến ngày 31/12/2025' });
  });

  it('includes both days of a range and takes numbers typed as text', () => {
    expect(range({ kind: 'custom', from: '2028-02-01', to: '2028-02-29' })).toEqual({
      from: '2028-01-31T17:00:00.000Z', to: '2028-02-29T17:00:00.000Z', label: 'Từ ngày 01/02/2028 đến ngày 29/02/2028', span: 'từ ngày 01/02/2028 đến ngày 29/02/2028',
    });
    expect(range({ kind: 'quarter', year: '2026', quarter: '3' }).label).toBe('Quý III năm 2026');
  });

  it('answers bad input with one Vietnamese sentence', () => {
    expect(message({ kind: 'quarter', year: 2026, quarter: 0 })).toBe('Quý phải là 1, 2, 3 hoặc 4.');
    expect(message({ kind: 'half', year: 2026, half: 3 })).toBe('Chọn 6 tháng đầu năm (1) hoặc 6 tháng cuối năm (2).');
    expect(message({ kind: 'year', year: 1999 })).toBe('Năm phải từ 2020 đến 2100.');
    expect(message({ kind: 'year', year: 'hai nghìn' })).toBe('Năm phải là một số, ví dụ 2026.');
    expect(message({ kind: 'month' })).toBe('Hãy chọn kỳ báo cáo: quý, 6 tháng, năm hoặc một khoảng ngày.');
    expect(message(null)).toBe('Hãy chọn kỳ báo cáo: quý, 6 tháng, năm hoặc một khoảng ngày.');
    expect(message({ kind: 'custom', from: '31/03/2026', to: '2026-04-01' })).toBe('Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-03-31.');
    expect(message({ kind: 'custom', from: '2027-02-29', to: '2027-03-01' })).toBe('Ngày không có trên lịch: hãy kiểm tra lại ngày và tháng.');
    expect(message({ kind: 'custom', from: '2026-05-02', to: '2026-05-01' })).toBe('Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.');
    expect(message({ kind: 'custom', from: '2024-01-01', to: '2026-01-31' })).toBe('Khoảng thời gian dài nhất là 2 năm.');
  });
});
