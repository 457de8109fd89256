// Which files a patch may not change for grading, by runner: whatever the patch did to them is undone before the hidden
// tests go in. Everything here decides from a path (and, for the files restored in part, from two texts); the grader
// does the restoring. A new runner must be given its rules here, or this file does not type-check.
import { basename, posix } from 'node:path';
import type { TaskMeta } from '../task.ts';
import { LANGUAGE_RUNNERS } from '../languages/index.ts';
import type { Merge, Rules } from './types.ts';

type Runner = TaskMeta['runner'];

/** The rest of the patch's changes to such a file stay; `null` means the file goes (the patch added it). */


/** Folders whose every file belongs to the tests, for the runners whose repositories keep tests apart (Node). */
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__', 'spec', 'specs']);

const dirs = (path: string) => posix.dirname(path).split('/').filter((s) => s !== '.');
// The folder itself counts too: a patch may replace it with a file or a link.
const underTestFolder = (path: string) => path.replace(/\/$/, '').split('/').some((d) => TEST_FOLDERS.has(d));

// Configuration files of Node test runners (node's own, and the ones a later suite may bring).
const NODE_CONFIG = /^(node\.config\.json|\.mocharc(\..+)?|(jest|vitest|vitest\.workspace|ava|playwright)\.config\..+|\.taprc|\.c8rc(\..+)?|\.nycrc(\..+)?|babel\.config\..+|\.babelrc(\..+)?)$/;
/** package.json fields that change how the tests' imports resolve, or configure a runner. */
export const PACKAGE_FIELDS = ['type', 'imports', 'exports', 'main', 'module', 'browser', 'jest', 'mocha', 'ava', 'c8', 'nyc', 'tap', 'babel'];

// Python files that run code or set options before or around any test: pytest's, the interpreter's own start-up hooks.
const PYTHON_WHOLE = /^(conftest\.py|pytest\.ini|tox\.ini|sitecustomize\.py|usercustomize\.py|.*\.pth)$/;

/** `__init__.py` of a test package: the folder of a test file, and its parents as long as they are test folders. */
function testPackageInit(path: string, testFiles: readonly string[]): boolean {
  if (basename(path) !== '__init__.py') return false;
  const dir = posix.dirname(path);
  return testFiles.some((file) => {
    const own = posix.dirname(file);
    if (dir === own) return true;
    // A parent of the test file's folder, still inside a folder named like a test folder (tests/unit → tests).
    return own.startsWith(dir + '/') && dirs(path).some((d) => TEST_FOLDERS.has(d));
  });
}

export const NODE: Rules = {
  whole: (path) => underTestFolder(path) || NODE_CONFIG.test(basename(path)),
  partial: (path) => (basename(path) === 'package.json' ? restorePackageFields : undefined),
};

export const PYTHON: Rules = {
  whole: (path, testFiles) => PYTHON_WHOLE.test(basename(path)) || testPackageInit(path, testFiles),
  partial: (path) => {
    if (path === 'setup.cfg' || path.endsWith('/setup.cfg')) return restoreSections((name) => name === 'tool:pytest' || name === 'pytest');
    if (path === 'pyproject.toml' || path.endsWith('/pyproject.toml')) return restoreSections((name) => /^tool\s*\.\s*"?pytest"?(\s*\.|$)/.test(name));
    return undefined;
  },
};

export const RULES_BY_RUNNER: Record<Runner, Rules> = {
  'node-test': NODE,
  'python-unittest': PYTHON,
  pytest: PYTHON,
  ...(Object.fromEntries(Object.entries(LANGUAGE_RUNNERS).map(([name, r]) => [name, r.protect])) as Record<keyof typeof LANGUAGE_RUNNERS, Rules>),
};

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** package.json: the resolution and runner fields as they were, field by field; the patch's other changes stay. */
export const restorePackageFields: Merge = (base, patched) => {
  const was = parseObject(base) ?? {};
  const now = parseObject(patched);
  // A package.json that is no JSON object cannot be merged: it is restored, or removed if the patch added it.
  if (!now) return base ?? null;
  if (base !== undefined && !parseObject(base)) return base;
  let changed = false;
  for (const field of PACKAGE_FIELDS) {
    if (JSON.stringify(was[field]) === JSON.stringify(now[field])) continue;
    changed = true;
    if (field in was) now[field] = was[field];
    else delete now[field];
  }
  return changed ? JSON.stringify(now, null, 2) + '\n' : patched;
};

interface Section {
  name: string | undefined;
  text: string;
}

/** Splits an INI or TOML text at its section headers (`[name]`, `[[name]]`); the part before the first has no name. */
function sections(text: string): Section[] {
  const out: Section[] = [{ name: undefined, text: '' }];
  for (const line of text.split(/(?<=\n)/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*([#;].*)?$/.exec(line.replace(/\r?\n$/, ''));
    if (header) out.push({ name: header[1]!, text: '' });
    out[out.length - 1]!.text += line;
  }
  return out;
}

/**
 * setup.cfg and pyproject.toml: the pytest sections as they were; the patch's other changes stay. pytest options
 * spelled any other way (dotted keys, inline tables) cannot be told apart by sections, so a patch that adds a line
 * naming pytest outside them gets the whole file restored.
 */
function restoreSections(isPytest: (name: string) => boolean): Merge {
  const pytestText = (all: Section[]) => all.filter((s) => s.name !== undefined && isPytest(s.name)).map((s) => s.text);
  return (base, patched) => {
    const was = sections(base ?? '');
    const now = sections(patched);
    const kept = now.filter((s) => s.name === undefined || !isPytest(s.name));
    const outsideBefore = new Set(was.filter((s) => s.name === undefined || !isPytest(s.name)).flatMap((s) => s.text.split('\n')));
    if (kept.some((s) => s.text.split('\n').some((line) => /pytest/i.test(line) && !outsideBefore.has(line)))) return base ?? null;
    const restored = pytestText(was);
    if (pytestText(now).join('').trim() === restored.join('').trim()) return patched;
    let text = kept.map((s) => s.text).join('');
    if (restored.length) text += (text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n') + restored.join('');
    return base === undefined && text.trim() === '' ? null : text;
  };
}
