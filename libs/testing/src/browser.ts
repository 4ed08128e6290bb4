import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './index';

/**
 * Where Chromium is (test/browser/chromium.sh finds it, installing Debian's package when it can), or
 * why there is none: browser tests run with `describeWithBrowser` and say they were skipped, and why.
 */
export function findChromium(): { path: string } | { missing: string } {
  const found = spawnSync('bash', [path.join(REPO_ROOT, 'test/browser/chromium.sh')], { encoding: 'utf8', timeout: 300_000 });
  const executable = found.stdout.trim();
  if (found.status === 0 && executable !== '') return { path: executable };
  return { missing: (found.stderr || `chromium.sh exited ${found.status}`).trim().slice(-2000) };
}

const chromiumFound = findChromium();

/** `describe` when Chromium is available, otherwise `describe.skip` with a warning that says why. */
export function describeWithBrowser(name: string, body: () => void): void {
  if ('missing' in chromiumFound) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${name}: ${chromiumFound.missing}`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/** Headless Chromium driven by playwright-core (no browser download: Debian's chromium). */
export async function launchBrowser(): Promise<Browser> {
  if ('missing' in chromiumFound) throw new Error(`no chromium: ${chromiumFound.missing}`);
  return chromium.launch({ executablePath: chromiumFound.path, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
