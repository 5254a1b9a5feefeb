/**
 * One temporary directory for the whole run, removed at the end. TMPDIR points into it, so every
 * test's tempDir() and whatever the CLI processes the tests start write there: a run leaves nothing
 * behind in the system's temp directory (some tests write files of 100 MB and more).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'churn-datagen-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
