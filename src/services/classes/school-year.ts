const TZ = 'Asia/Ho_Chi_Minh';

/** "2026-2027": a school year is two consecutive years. */
export const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

/** Whether a text is a school year such as "2026-2027". */
export function isSchoolYear(text: string): boolean {
  const m = SCHOOL_YEAR.exec(text);
  return m !== null && Number(m[2]) === Number(m[1]) + 1;
}

/**
 * The school year classes made on `now` belong to: from August (Vietnam time) the year starting that autumn, since
 * schools set up next year's classes in August, before the year opens in early September.
 */
export function schoolYearOf(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const start = month >= 8 ? year : year - 1;
  return `${start}-${start + 1}`;
}
