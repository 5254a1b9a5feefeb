/**
 * Fast decimal text for values the core has already rounded to a fixed number of places.
 * String(double) runs the shortest-round-trip algorithm and dominates encoding time; these
 * formatters do integer arithmetic and a table lookup instead. For a value v = n / 10^d they give
 * exactly what String(v) gives (trailing zeros dropped), so JSON output equals JSON.stringify.
 */
import { decimalPlaces } from '../core/schema.ts';

export type DecimalFormatter = (value: number) => string;

/** Formatter for values with `places` decimals (lookup tables up to 4 places). */
export function decimalFormatter(places: number): DecimalFormatter {
  const scale = 10 ** places;
  if (places > 4) return (value) => String(Math.round(value * scale) / scale);
  // ".5", ".05", "" …: the fraction text of every n mod scale, trailing zeros dropped.
  const fractions = Array.from({ length: scale }, (_, f) =>
    f === 0 ? '' : `.${String(f).padStart(places, '0')}`.replace(/0+$/, ''),
  );
  return (value) => {
    if (value < 0) return String(Math.round(value * scale) / scale);
    const scaled = Math.round(value * scale);
    const whole = Math.floor(scaled / scale);
    return `${whole}${fractions[scaled - whole * scale]}`;
  };
}

export const formatMoney = decimalFormatter(decimalPlaces.money);
export const formatFrequency = decimalFormatter(decimalPlaces.frequency);
export const formatRate = decimalFormatter(decimalPlaces.rate);
export const formatProgress = decimalFormatter(decimalPlaces.progress);
