// The runners that have a module under bench/languages, by name; task.json's `runner` takes these besides the three
// older ones. Kept apart from index.ts so that task.ts can name them without loading the modules.
export const LANGUAGE_RUNNER_NAMES = ['go-test', 'cargo-test', 'catch2', 'junit', 'jest'] as const;
export type LanguageRunnerName = (typeof LANGUAGE_RUNNER_NAMES)[number];
