import type { ScopePlaces } from '../../services/staff/describe-staff-scope.js';

/** An account's scope in one Vietnamese sentence, e.g. "Giáo viên lớp 6A1, Trường THCS Nguyễn Thị Thập." */
export function scopeInWords(p: ScopePlaces): string {
  const school = p.school?.name ?? null;
  switch (p.role) {
    case 'admin':
      if (p.everywhere) return 'Toàn bộ hệ thống: mọi phòng giáo dục và mọi trường.';
      return `${p.office?.name ?? 'Phòng giáo dục'}: ${p.schoolCount ?? 0} trường trực thuộc.`;
    case 'school_admin':
      return school ? `${school}: mọi lớp của trường.` : 'Chưa được giao trường nào.';
    case 'teacher':
      if (!school) return 'Chưa được giao trường nào.';
      return p.class ? `Lớp ${p.class.name}, ${school}.` : `${school}: chưa được giao lớp.`;
    case 'tip_handler':
      if (school) return `Tin báo của ${school}.`;
      if (p.office) return `Tin báo của ${p.schoolCount ?? 0} trường thuộc ${p.office.name}, và tin báo không nêu trường.`;
      return 'Chưa được giao trường hay phòng giáo dục nào.';
  }
}
