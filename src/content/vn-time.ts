const TZ = 'Asia/Ho_Chi_Minh';
const parts = (d: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;

/** "22/11/2026" in Vietnam's time zone. */
export function formatVnDate(d: Date): string {
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** "14:05 22/11/2026" in Vietnam's time zone. */
export function formatVnDateTime(d: Date): string {
  const p = parts(d);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}
