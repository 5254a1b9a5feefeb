import { formatIsoTimestamp } from '../core/time.ts';

/**
 * Writes a record's text straight into a byte buffer. Building a string per record and copying
 * it into the buffer afterwards cost more than generating the record (rope strings, flattening,
 * garbage); writing the bytes directly avoids all three. Every method writes exactly what the
 * string encoders write (tests hold the two byte-identical), so it is an optimisation only.
 */

export class ByteWriter {
  /** The buffer being filled; callers make sure `room()` covers what they write. */
  buffer: Uint8Array;
  position = 0;
  /** The same memory, for constants' 8-byte stores. */
  #view: DataView;

  constructor(buffer: Uint8Array) {
    this.buffer = buffer;
    this.#view = viewOf(buffer);
  }

  /** Continues in another buffer, at `position`. */
  use(buffer: Uint8Array, position: number): void {
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.#view = viewOf(buffer);
    }
    this.position = position;
  }

  /** Bytes left after `position`. */
  room(): number {
    return this.buffer.length - this.position;
  }

  /** Constant text (field names and punctuation between values). */
  constant(text: ConstantText): void {
    const at = this.position;
    const length = text.length;
    if (length < 8) {
      const buffer = this.buffer;
      for (let i = 0; i < length; i++) buffer[at + i] = text.bytes[i] ?? 0;
    } else {
      const view = this.#view;
      const words = text.words;
      for (let i = 0; i < words.length; i++) view.setFloat64(at + 8 * i, words[i] ?? 0, true);
      view.setFloat64(at + length - 8, text.lastWord, true); // overlaps the last full word
    }
    this.position = at + length;
  }

  /** A string known to be printable ASCII with nothing to escape (closed sets, ISO times). */
  ascii(text: string): void {
    const buffer = this.buffer;
    let at = this.position;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.position = at;
  }

  /** Any string, as UTF-8 (the rare slow path for free-form text). */
  utf8(text: string): void {
    this.position += encoder.encodeInto(text, this.buffer.subarray(this.position)).written;
  }

  /** One byte (a quote, a brace): a store, cheaper than set() for a single byte. */
  byte(code: number): void {
    this.buffer[this.position++] = code;
  }

  /** A number as String(value) would write it; integers take the fast path. */
  number(value: number): void {
    if (value >= 0 && value <= INT32_MAX && (value | 0) === value) this.#int32(value | 0);
    else if (value >= 0 && value < 1e15 && Math.floor(value) === value) this.#digits(value);
    else this.ascii(String(value));
  }

  /**
   * A value already rounded to `places` decimals (scale = 10^places), as String(value) writes it:
   * trailing zeros and a bare point dropped.
   */
  decimal(value: number, places: number, scale: number): void {
    const table = fractionTables[places];
    const scaled = Math.round(value * scale);
    if (table !== undefined && value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled, scale, table);
    else this.#anyDecimal(value, places, scale);
  }

  /** decimal(value, 2, 100) (money), with the divisions by a constant the compiler turns into multiplications. */
  cents(value: number): void {
    const scaled = Math.round(value * 100);
    if (value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled | 0, 100, CENTS);
    else this.#anyDecimal(value, 2, 100);
  }

  /** decimal(value, 3, 1000) (order frequency). */
  thousandths(value: number): void {
    const scaled = Math.round(value * 1000);
    if (value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled | 0, 1000, THOUSANDTHS);
    else this.#anyDecimal(value, 3, 1000);
  }

  /** decimal(value, 4, 10000) (rates). */
  tenThousandths(value: number): void {
    const scaled = Math.round(value * 10000);
    if (value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled | 0, 10000, TEN_THOUSANDTHS);
    else this.#anyDecimal(value, 4, 10000);
  }

  /** A non-negative integer below 10^15, zero-padded to `width` digits. */
  zeroPadded(value: number, width: number): void {
    if (width === 2 && value < 100) {
      this.buffer[this.position++] = TWO_DIGITS[2 * value] ?? 0;
      this.buffer[this.position++] = TWO_DIGITS[2 * value + 1] ?? 0;
      return;
    }
    const buffer = this.buffer;
    let at = this.position + width;
    this.position = at;
    for (let i = 0; i < width; i++) {
      const rest = Math.floor(value / 10);
      buffer[--at] = 0x30 + value - rest * 10;
      value = rest;
    }
  }

  /** `2026-01-01T00:00:00.000Z` for integer epoch milliseconds (as formatIsoTimestamp writes it). */
  isoTimestamp(epochMs: number): void {
    // Everything up to the seconds changes once a minute: cached as bytes.
    const minute = Math.floor(epochMs / 60_000);
    if (minute !== cachedMinute) {
      cachedMinute = minute;
      cachedMinutePrefix = constantText(formatIsoTimestamp(minute * 60_000).slice(0, 17));
    }
    this.constant(cachedMinutePrefix);
    const rest = epochMs - minute * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    const buffer = this.buffer;
    let at = this.position;
    buffer[at++] = TWO_DIGITS[2 * seconds] ?? 0;
    buffer[at++] = TWO_DIGITS[2 * seconds + 1] ?? 0;
    buffer[at++] = 0x2e; // '.'
    buffer[at++] = THREE_DIGITS[3 * millis] ?? 0;
    buffer[at++] = THREE_DIGITS[3 * millis + 1] ?? 0;
    buffer[at++] = THREE_DIGITS[3 * millis + 2] ?? 0;
    buffer[at++] = 0x5a; // 'Z'
    this.position = at;
  }

  // --- internal ---

  /** `scaled / scale` for a non-negative int32 `scaled`: the whole part, then the table's fraction text. */
  #fixed(scaled: number, scale: number, table: FractionTable): void {
    const whole = (scaled / scale) | 0;
    const fraction = scaled - whole * scale;
    this.#int32(whole);
    if (fraction === 0) return;
    // ".5", ".05", ".0512": precomputed, since the trailing-zero and digit loops cost more.
    const buffer = this.buffer;
    const text = table.text;
    const length = table.lengths[fraction] ?? 0;
    const from = fraction * FRACTION_WIDTH;
    let at = this.position;
    for (let i = 0; i < length; i++) buffer[at++] = text[from + i] ?? 0;
    this.position = at;
  }

  /** The general decimal path: negative, huge, or more than four places. */
  #anyDecimal(value: number, places: number, scale: number): void {
    if (!(value >= 0 && value < 1e15 / scale)) {
      this.ascii(String(Math.round(value * scale) / scale));
      return;
    }
    const scaled = Math.round(value * scale);
    const whole = Math.floor(scaled / scale);
    let fraction = scaled - whole * scale;
    this.#digits(whole);
    if (fraction === 0) return;
    let width = places;
    while (fraction % 10 === 0) {
      fraction /= 10;
      width--;
    }
    const buffer = this.buffer;
    buffer[this.position++] = 0x2e; // '.'
    for (let i = width - 1; i >= 0; i--) {
      const rest = Math.floor(fraction / 10);
      buffer[this.position + i] = 0x30 + fraction - rest * 10;
      fraction = rest;
    }
    this.position += width;
  }

  /**
   * A non-negative int32 in decimal, two digits per step from a table: int32 division by the
   * constant 100 compiles to a multiplication, where Math.floor(value / 10) on doubles divides.
   */
  #int32(value: number): void {
    const buffer = this.buffer;
    let at = this.position;
    if (value < 10) {
      buffer[at] = 0x30 + value;
      this.position = at + 1;
      return;
    }
    at += value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : value < 100_000 ? 5 : decimalLength(value);
    this.position = at;
    while (value >= 100) {
      const rest = (value / 100) | 0;
      const pair = (value - rest * 100) << 1;
      buffer[--at] = TWO_DIGITS[pair + 1] ?? 0;
      buffer[--at] = TWO_DIGITS[pair] ?? 0;
      value = rest;
    }
    if (value >= 10) {
      buffer[at - 1] = TWO_DIGITS[(value << 1) + 1] ?? 0;
      buffer[at - 2] = TWO_DIGITS[value << 1] ?? 0;
    } else buffer[at - 1] = 0x30 + value;
  }

  /** A non-negative integer below 10^15 in decimal. */
  #digits(value: number): void {
    if (value <= INT32_MAX) {
      this.#int32(value | 0);
      return;
    }
    const buffer = this.buffer;
    const length = decimalLength(value);
    let at = this.position + length;
    this.position = at;
    while (value >= 10) {
      const rest = Math.floor(value / 10);
      buffer[--at] = 0x30 + value - rest * 10;
      value = rest;
    }
    buffer[at - 1] = 0x30 + value;
  }
}

const INT32_MAX = 0x7fffffff;

/** Digits of a non-negative integer below 10^16. */
function decimalLength(value: number): number {
  let length = 1;
  for (let bound = 10; value >= bound && length < 16; bound *= 10) length++;
  return length;
}

/**
 * Constant ASCII text prepared for ByteWriter.constant(): a record has some 22 constants, and
 * Uint8Array.set() costs ~15 ns a call where two or three unaligned 8-byte stores cost ~7. The
 * words travel as float64 bit patterns: bytes below 0x7f never form a NaN, so no load or store
 * can alter them.
 */
export interface ConstantText {
  readonly length: number;
  readonly bytes: Uint8Array;
  /** The first ⌊length / 8⌋ 8-byte words, little-endian. */
  readonly words: Float64Array;
  /** The last 8 bytes as a word (length ≥ 8). */
  readonly lastWord: number;
}

export function constantText(text: string): ConstantText {
  const bytes = asciiBytes(text);
  if (bytes.some((byte) => byte >= 0x7f)) throw new Error(`constantText needs ASCII below 0x7f: ${text}`);
  const view = viewOf(bytes);
  const words = Float64Array.from({ length: bytes.length >> 3 }, (_, i) => view.getFloat64(8 * i, true));
  const lastWord = bytes.length >= 8 ? view.getFloat64(bytes.length - 8, true) : 0;
  return { length: bytes.length, bytes, words, lastWord };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes of an ASCII constant. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const encoder = new TextEncoder();

/** Text of every fraction n / 10^places (point included, trailing zeros dropped), places 1–4. */
interface FractionTable {
  readonly text: Uint8Array;
  readonly lengths: Uint8Array;
}
const FRACTION_WIDTH = 5;
const fractionTables: (FractionTable | undefined)[] = [undefined, 1, 2, 3, 4].map((places) => {
  if (places === undefined) return undefined;
  const scale = 10 ** places;
  const text = new Uint8Array(scale * FRACTION_WIDTH);
  const lengths = new Uint8Array(scale);
  for (let f = 1; f < scale; f++) {
    const digits = `.${String(f).padStart(places, '0')}`.replace(/0+$/, '');
    lengths[f] = digits.length;
    for (let i = 0; i < digits.length; i++) text[f * FRACTION_WIDTH + i] = digits.charCodeAt(i);
  }
  return { text, lengths };
});
const [, , CENTS, THOUSANDTHS, TEN_THOUSANDTHS] = fractionTables as [
  undefined,
  FractionTable,
  FractionTable,
  FractionTable,
  FractionTable,
];
const THREE_DIGITS = asciiBytes(Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')).join(''));
const TWO_DIGITS = Uint8Array.from(
  { length: 200 },
  (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10),
);
let cachedMinute = Number.NaN;
let cachedMinutePrefix = constantText('');
