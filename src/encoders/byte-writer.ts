import { formatIsoTimestamp } from '../core/time.ts';

/**
 * Writes a record's text straight into a byte buffer. Building a string per record and copying
 * it into the buffer afterwards cost more than generating the record (rope strings, flattening,
 * garbage); writing the bytes directly avoids all three. Every method writes exactly what the
 * string encoders write (tests hold the two byte-identical), so it is an optimisation only.
 *
 * Short texts and constants go in as 8-byte stores, which may write up to 32 bytes of scratch past
 * the text; what follows overwrites it, and only bytes before `position` are ever output.
 */

export class ByteWriter {
  position = 0;
  #buffer: Uint8Array;
  /** The same memory, for 8-byte stores. */
  #view: DataView;

  constructor(buffer: Uint8Array) {
    this.#buffer = buffer;
    this.#view = viewOf(buffer);
  }

  /** The buffer being filled; callers make sure `room()` covers what they write plus 32 bytes. */
  get buffer(): Uint8Array {
    return this.#buffer;
  }

  /** Continues in another buffer, at `position`. */
  use(buffer: Uint8Array, position: number): void {
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#view = viewOf(buffer);
    }
    this.position = position;
  }

  /** Bytes left after `position`. */
  room(): number {
    return this.buffer.length - this.position;
  }

  /**
   * Constant text (field names and punctuation between values): four 8-byte stores cover the
   * usual 8–32 bytes without a loop (scratch past the text, up to 32 bytes); longer text goes on
   * in words.
   */
  constant(text: ConstantText): void {
    const view = this.#view;
    const at = this.position;
    view.setFloat64(at, text.w0, true);
    view.setFloat64(at + 8, text.w1, true);
    view.setFloat64(at + 16, text.w2, true);
    view.setFloat64(at + 24, text.w3, true);
    if (text.length > 32) {
      const words = text.words;
      for (let i = 4; i < words.length; i++) view.setFloat64(at + 8 * i, words[i] ?? 0, true);
    }
    this.position = at + text.length;
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

  /** decimal(value, 3, 1000) (order frequency): below 16, one table word. */
  thousandths(value: number): void {
    const scaled = Math.round(value * 1000);
    if (value >= 0 && scaled < 16_000) this.#short(FREQUENCY_TEXTS, scaled);
    else if (value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled | 0, 1000, THOUSANDTHS);
    else this.#anyDecimal(value, 3, 1000);
  }

  /** decimal(value, 4, 10000) (rates): from 0 to 1, one table word. */
  tenThousandths(value: number): void {
    const scaled = Math.round(value * 10000);
    if (value >= 0 && scaled <= 10_000) this.#short(RATE_TEXTS, scaled);
    else if (value >= 0 && scaled <= INT32_MAX) this.#fixed(scaled | 0, 10000, TEN_THOUSANDTHS);
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
      const prefix = formatIsoTimestamp(minute * 60_000).slice(0, 17);
      if (prefix.length === cachedMinutePrefix.length) cachedMinutePrefix.rewrite(prefix);
      else cachedMinutePrefix = constantText(prefix);
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

  /** `scaled / scale` for a non-negative int32 `scaled`: the whole part, then the fraction's text. */
  #fixed(scaled: number, scale: number, fractions: ShortTexts): void {
    const whole = (scaled / scale) | 0;
    this.#int32(whole);
    this.#short(fractions, scaled - whole * scale);
  }

  /** Text n of a table: one 8-byte store (past the text: scratch), then the position moves by its length. */
  #short(texts: ShortTexts, n: number): void {
    this.#view.setFloat64(this.position, texts.words[n] ?? 0, true);
    this.position += texts.lengths[n] ?? 0;
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
 * two or three unaligned 8-byte stores beat a Uint8Array.set() call (bench/micro.mjs: constant-text). The
 * words travel as float64 bit patterns: bytes below 0x7f never form a NaN, so no load or store
 * can alter them.
 */
export class ConstantText {
  readonly length: number;
  /** Every 8 bytes as a word, little-endian, the last padded with '0's. */
  readonly words: Float64Array;
  /** The first four words again, as fields: read without a bounds check. */
  w0 = 0;
  w1 = 0;
  w2 = 0;
  w3 = 0;

  constructor(text: string) {
    this.length = text.length;
    this.words = new Float64Array(Math.max(4, Math.ceil(text.length / 8)));
    this.rewrite(text);
  }

  /**
   * Replaces the text with another of the same length, in place: the timestamp's minute and the
   * id's hundred change every 60 and 100 records, too often to allocate each time.
   */
  rewrite(text: string): void {
    if (text.length !== this.length) throw new Error(`ConstantText.rewrite: "${text}" is not ${this.length} long`);
    const bytes = 8 * this.words.length <= scratch.length ? scratch : new Uint8Array(8 * this.words.length);
    bytes.fill(0x30, 0, 8 * this.words.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x7f) throw new Error(`ConstantText needs ASCII below 0x7f: ${text}`);
      bytes[i] = code;
    }
    const view = bytes === scratch ? scratchView : viewOf(bytes);
    for (let i = 0; i < this.words.length; i++) this.words[i] = view.getFloat64(8 * i, true);
    const words = this.words;
    this.w0 = words[0] ?? 0;
    this.w1 = words[1] ?? 0;
    this.w2 = words[2] ?? 0;
    this.w3 = words[3] ?? 0;
  }
}

export function constantText(text: string): ConstantText {
  return new ConstantText(text);
}

const scratch = new Uint8Array(64);
const scratchView = new DataView(scratch.buffer);

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes of an ASCII constant. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const encoder = new TextEncoder();

/**
 * Short texts (8 characters at most) indexed by an integer, each as one 8-byte word for a single
 * store plus its length; the word is padded with '0's, which what follows overwrites.
 */
interface ShortTexts {
  readonly words: Float64Array;
  readonly lengths: Uint8Array;
}

function shortTexts(count: number, text: (n: number) => string): ShortTexts {
  // Built in one byte array read back as words: one allocation instead of an object per entry,
  // made again by every process and worker thread.
  const bytes = new Uint8Array(8 * count).fill(0x30);
  const lengths = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const value = text(n);
    if (value.length > 8) throw new Error(`shortTexts: "${value}" is longer than 8 characters`);
    for (let i = 0; i < value.length; i++) bytes[8 * n + i] = value.charCodeAt(i);
    lengths[n] = value.length;
  }
  const view = viewOf(bytes);
  const words = Float64Array.from({ length: count }, (_, n) => view.getFloat64(8 * n, true));
  return { words, lengths };
}

/** ".5", ".05", ".0512": the fraction text of n / 10^places (trailing zeros dropped), places 1–4. */
const fractionTables: (ShortTexts | undefined)[] = [undefined, 1, 2, 3, 4].map((places) =>
  places === undefined
    ? undefined
    : shortTexts(10 ** places, (f) => (f === 0 ? '' : `.${String(f).padStart(places, '0')}`.replace(/0+$/, ''))),
);
const [, , CENTS, THOUSANDTHS, TEN_THOUSANDTHS] = fractionTables as [
  undefined,
  ShortTexts,
  ShortTexts,
  ShortTexts,
  ShortTexts,
];
/** Every rate 0 … 1 in steps of 0.0001, whole text ("0.0512", "1"). */
const RATE_TEXTS = shortTexts(10_001, (n) => String(n / 10_000));
/** Every order frequency below 16 in steps of 0.001 ("2.5", "15.999"). */
const FREQUENCY_TEXTS = shortTexts(16_000, (n) => String(n / 1000));
const THREE_DIGITS = asciiBytes(Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')).join(''));
const TWO_DIGITS = Uint8Array.from(
  { length: 200 },
  (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10),
);
let cachedMinute = Number.NaN;
let cachedMinutePrefix = constantText('0000-00-00T00:00:');
