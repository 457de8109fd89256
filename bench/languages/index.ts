// Every runner with a module of its own (see language.ts).
import type { LanguageRunner } from './language.ts';
import { LANGUAGE_RUNNER_NAMES, type LanguageRunnerName } from './names.ts';
import { goTest } from './go.ts';
import { cargoTest } from './rust.ts';
import { catch2 } from './cpp.ts';
import { junit } from './java.ts';
import { jest } from './javascript.ts';

export const LANGUAGE_RUNNERS: Record<LanguageRunnerName, LanguageRunner> = { 'go-test': goTest, 'cargo-test': cargoTest, catch2, junit, jest };

export function isLanguageRunner(runner: string): runner is LanguageRunnerName {
  return (LANGUAGE_RUNNER_NAMES as readonly string[]).includes(runner);
}
