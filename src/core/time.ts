/**
 * Event-time formatting. Pure: turns epoch milliseconds into ISO-8601 UTC text; never reads a
 * clock. Date#toISOString costs more than the rest of a record, so the date part is cached per
 * UTC day and the time of day is assembled from lookup tables.
 */
export const MS_PER_DAY = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Earliest and latest event times accepted (years 1970–9999, so the text is always 24 chars). */
export const minEventTimeMs = 0;
export const maxEventTimeMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

let cachedDay = Number.NaN;
let cachedDatePrefix = '';

/** `2026-01-01T00:00:00.000Z` for an integer count of milliseconds since the epoch. */
export function formatIsoTimestamp(epochMs: number): string {
  const day = Math.floor(epochMs / MS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDatePrefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
  }
  let rest = epochMs - day * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedDatePrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
