// The Polyglot importer's hooks, by the benchmark's folder name.
import type { PolyglotLanguage } from './language.ts';
import { cppPolyglot } from './cpp.ts';
import { goPolyglot } from './go.ts';
import { javaPolyglot } from './java.ts';
import { javascriptPolyglot } from './javascript.ts';
import { pythonPolyglot } from './python.ts';
import { rustPolyglot } from './rust.ts';

export const POLYGLOT_LANGUAGES = { cpp: cppPolyglot, go: goPolyglot, java: javaPolyglot, javascript: javascriptPolyglot, python: pythonPolyglot, rust: rustPolyglot } satisfies Record<string, PolyglotLanguage>;
export type PolyglotLanguageName = keyof typeof POLYGLOT_LANGUAGES;
