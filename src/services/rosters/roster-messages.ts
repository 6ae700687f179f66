import type { FileProblem, FileProblemCode, RosterLimits } from './roster-file.js';

const SAVE_AS = 'Trong Excel chọn Tệp → Lưu thành → “CSV UTF-8 (Phân cách bằng dấu phẩy)”, hoặc tải lên tệp Excel .xlsx.';

/** The Vietnamese message of each file-level problem. */
export function fileProblem(problem: FileProblemCode, ctx: { limits: RosterLimits; filename?: string; detail?: string }): FileProblem {
  const mb = Math.round(ctx.limits.maxBytes / (1024 * 1024));
  const file = ctx.filename ? `tệp “${ctx.filename}”` : 'tệp';
  const File = file.charAt(0).toUpperCase() + file.slice(1);
  const messages: Record<FileProblemCode, string> = {
    too_large: `${File} quá lớn (tối đa ${mb} MB${ctx.detail ? `, ${ctx.detail}` : ''}). Danh sách một lớp thường chỉ vài chục KB: hãy chỉ giữ trang tính danh sách lớp, xoá ảnh và cột không cần rồi tải lên lại.`,
    empty: `${File} trống, không có dữ liệu.`,
    not_a_spreadsheet: `${File} ${ctx.detail ? `là ${ctx.detail}, ` : ''}không phải bảng tính. Hãy tải lên tệp Excel (.xlsx) hoặc CSV.`,
    legacy_xls: `${File} là Excel 97–2003 (.xls), hệ thống chưa đọc được. Mở tệp trong Excel, chọn Tệp → Lưu thành → “Sổ làm việc Excel (.xlsx)” rồi tải lên lại.`,
    ods: `${File} là bảng tính LibreOffice (.ods), hệ thống chưa đọc được. Hãy lưu thành .xlsx hoặc “CSV UTF-8” rồi tải lên lại.`,
    bad_encoding: `${File.replace(/^Tệp/, 'Tệp CSV')} không dùng bảng mã UTF-8 (có thể là Windows-1258 hoặc TCVN3 từ Excel cũ), nên chữ tiếng Việt sẽ bị lỗi. ${SAVE_AS}`,
    mojibake: `Chữ tiếng Việt trong ${file} đã bị lỗi bảng mã từ trước${ctx.detail ? ` (ví dụ “${ctx.detail}”)` : ''}. Hãy mở danh sách gốc rồi lưu lại. ${SAVE_AS}`,
    unreadable: `Không đọc được ${file}${ctx.detail ? `: ${ctx.detail}` : ''}. Hãy mở tệp trong Excel để kiểm tra, lưu lại rồi tải lên lại.`,
    no_header: 'Không tìm thấy cột họ tên. Trong 10 dòng đầu cần có dòng tiêu đề với cột “Họ và tên” (hoặc hai cột “Họ đệm” và “Tên”).',
    no_rows: 'Tệp chỉ có dòng tiêu đề, chưa có tên học sinh nào.',
    too_many_rows: `Tệp có hơn ${ctx.limits.maxRows.toLocaleString('vi-VN')} dòng học sinh, mà một lớp chỉ nhập được tối đa ${ctx.limits.maxRows.toLocaleString('vi-VN')}. Có thể đây là danh sách cả trường: hãy tách riêng từng lớp. Chưa có gì được thay đổi.`,
  };
  return { problem, message: messages[problem] };
}
