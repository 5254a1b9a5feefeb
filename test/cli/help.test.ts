/** Help that reads well in an 80-column terminal and names every output format. */
import { describe, expect, it } from 'vitest';
import { driftKinds } from '../../src/core/drift-schedule.ts';
import { fileFormats } from '../../src/encoders/index.ts';
import { runChild } from '../support/cli.ts';

describe('help text', () => {
  it('drift --help is short, fits 80 columns, and lists each kind on its own unbroken line', async () => {
    const { code, stdout } = await runChild(['drift', '--help']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(72);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const kindLines = lines.filter((line) => /^ {2}[a-z-]+ {2,}\S/.test(line) && !line.trimStart().startsWith('-'));
    expect(kindLines.map((line) => line.trim().split(/\s+/)[0])).toEqual([...driftKinds]);
    // The line after each kind's is the next kind or the end of the list, not a wrapped remainder.
    const last = lines.indexOf(kindLines[kindLines.length - 1]!);
    expect(lines[last + 1]).toMatch(/^\S/);
  });

  it.each(['batch', 'stream', 'drift', 'lifecycle'])(
    '%s --help lists every --format, parquet included',
    async (mode) => {
      const { stdout } = await runChild([mode, '--help']);
      const format = stdout.replace(/\s+/g, ' ');
      expect(fileFormats).toContain('parquet');
      expect(format).toContain(`--format <format> ${fileFormats.join(', ')}`);
      expect(format).toMatch(/--output <path> (file|file to write) \(\.jsonl, \.json, \.csv, \.parquet\)/);
    },
  );
});
