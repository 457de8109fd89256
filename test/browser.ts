// Headless Chromium for the tests that look at reports: Debian's package, launched with every background connection
// switched off. Test-only: the product never starts a browser, and playwright-core is a devDependency.
import { existsSync } from 'node:fs';
import { ensureDebianPackages } from '../lib/apt.ts';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// This machine's network is closed; without these Chromium keeps trying to reach update, sync and QUIC endpoints.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const FIX = 'Install it by hand: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';

/** Installs Debian's chromium if /usr/bin/chromium is missing; a no-op when it is there. */
export async function ensureChromium(log: (line: string) => void = () => {}): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    await ensureDebianPackages({ chromium: 'chromium' }, log, { recommends: false });
  } catch (err) {
    throw new Error(`could not install Chromium: ${(err as Error).message}\n${FIX}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is installed but ${CHROMIUM} is missing.\n${FIX}`);
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
