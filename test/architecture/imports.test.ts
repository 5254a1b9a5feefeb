/**
 * The layers import one way (docs/architecture.md): cli → modes/report/score →
 * options/schedule/encoders/sinks → core, and core imports nothing outside itself but the error
 * class.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));

/** The src folders a folder's files import from (by relative specifier). */
function importedFolders(folder: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(join(src, folder))) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(src, folder, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(src, join(src, folder, match[1] as string));
      const top = target.split('/')[0] as string; // a folder, or a file at the root (errors.ts)
      found.set(top, [...(found.get(top) ?? []), `${folder}/${file}`]);
    }
  }
  return found;
}

describe('import layers', () => {
  it('core imports only core (and the error class)', () => {
    expect([...importedFolders('core').keys()].filter((target) => !['core', 'errors.ts'].includes(target))).toEqual([]);
  });

  it.each(['options', 'schedule', 'encoders', 'sinks'])('%s imports no mode, command, report or scorer', (folder) => {
    const upward = [...importedFolders(folder).entries()].filter(([target]) =>
      ['modes', 'cli', 'report', 'score'].includes(target),
    );
    expect(upward).toEqual([]);
  });

  it('modes import no command', () => {
    expect(importedFolders('modes').get('cli')).toBeUndefined();
  });
});
