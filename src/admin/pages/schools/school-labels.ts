import { SCHOOL_LEVELS } from '../../../services/schools/school-input.schema.js';

/** Cấp học as the console names them. */
export const LEVEL_LABELS: Record<(typeof SCHOOL_LEVELS)[number], string> = {
  MN: 'Mầm non',
  TH: 'Tiểu học',
  THCS: 'Trung học cơ sở',
  THPT: 'Trung học phổ thông',
  'TH-THCS': 'Liên cấp Tiểu học – THCS',
  'THCS-THPT': 'Liên cấp THCS – THPT',
  'TH-THCS-THPT': 'Liên cấp Tiểu học – THCS – THPT',
  'GDNN-GDTX': 'Giáo dục nghề nghiệp – Giáo dục thường xuyên',
};

/** A stored level's label (an unknown one as stored). */
export function levelLabel(level: string): string {
  return (LEVEL_LABELS as Record<string, string>)[level] ?? level;
}

/** The level choices of a school form. */
export const LEVEL_OPTIONS = [{ value: '', label: 'Chọn cấp học' }, ...SCHOOL_LEVELS.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))];

/** Khối lớp as people say it: 0 is mầm non. */
export function gradeLabel(grade: number): string {
  return grade === 0 ? 'Mầm non' : `Khối ${grade}`;
}
