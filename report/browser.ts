// Headless Chromium for looking at reports: Debian's package, launched with every background connection switched off.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
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
  const root = process.getuid?.() === 0;
  const cmd = root ? 'apt-get' : 'sudo';
  const pre = root ? [] : ['-n', 'apt-get'];
  // Another apt run may hold the dpkg lock; wait for it rather than fail.
  const install = [...pre, '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', 'chromium'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  log(`${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  let result = await execa(cmd, install, { env, reject: false, all: true });
  if (result.exitCode !== 0 && /Unable to locate package|has no installation candidate/.test(result.all ?? '')) {
    // A fresh image has empty package lists.
    log('apt-get knows no chromium package; running apt-get update first');
    await execa(cmd, [...pre, '-o', 'DPkg::Lock::Timeout=600', 'update'], { env, reject: false });
    result = await execa(cmd, install, { env, reject: false, all: true });
  }
  if (result.exitCode !== 0 || !existsSync(CHROMIUM)) {
    const tail = (result.all ?? String(result.message ?? '')).trim().split('\n').slice(-8).join('\n');
    throw new Error(`could not install Chromium (${cmd} exited with ${result.exitCode ?? result.failed}).\n${tail}\n${FIX}`);
  }
  log(`installed ${CHROMIUM}`);
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
