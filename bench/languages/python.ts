// Python's Polyglot hooks. Its runner is the grader's own pytest plugin (bench/grader/pytest_plugin.py), in the sandbox
// image, so only what the importer needs is here. The exercises are unittest classes, which pytest runs; ids are
// pytest's node ids with `::` written ` > `.
import type { PolyglotLanguage } from './language.ts';

/** Modules the sandbox image has besides the standard library. */
const AVAILABLE = new Set(['pytest']);
const STDLIB = new Set(
  ('abc argparse array ast asyncio base64 binascii bisect builtins calendar cmath collections contextlib copy csv dataclasses datetime decimal ' +
    'difflib enum errno fractions functools glob hashlib heapq html inspect io itertools json logging math numbers operator os pathlib pickle ' +
    'pprint queue random re secrets shutil socket statistics string struct subprocess sys tempfile textwrap threading time timeit typing ' +
    'unicodedata unittest uuid warnings weakref zlib').split(' '),
);

/** Top-level test functions and the `test*` methods of test classes, as pytest collects them from a unittest file. */
function listTests(file: string, content: string): string[] {
  const ids: string[] = [];
  let cls: string | undefined;
  for (const line of content.split('\n')) {
    const c = /^class\s+(\w+)\s*(\(|:)/.exec(line);
    if (c) {
      cls = c[1];
      continue;
    }
    if (/^\S/.test(line) && !/^(def|async def|@|#)/.test(line)) cls = undefined;
    const top = /^(?:async\s+)?def\s+(test\w*)\s*\(/.exec(line);
    if (top) {
      cls = undefined;
      ids.push(`${file} > ${top[1]}`);
      continue;
    }
    const method = /^[ \t]+(?:async\s+)?def\s+(test\w*)\s*\(/.exec(line);
    if (method && cls) ids.push(`${file} > ${cls} > ${method[1]}`);
  }
  return ids;
}

export const pythonPolyglot: PolyglotLanguage = {
  language: 'python',
  runner: 'pytest',
  listTests,
  // unittest exercises skip nothing; pytest runs every test method.
  enableAll: (_file, content) => content,
  cannotBuild: (files) => {
    const own = new Set([...files.keys()].filter((f) => f.endsWith('.py')).map((f) => f.replace(/\.py$/, '').split('/').pop()!));
    for (const [path, text] of files) {
      if (!path.endsWith('.py') || path.startsWith('.meta/')) continue;
      for (const m of text.matchAll(/^(?:from|import)\s+([A-Za-z_][\w]*)/gm)) {
        const mod = m[1]!;
        if (!STDLIB.has(mod) && !AVAILABLE.has(mod) && !own.has(mod)) return `${path} imports ${mod}, which the sandbox image does not have`;
      }
    }
    return undefined;
  },
  protectedPaths: () => [],
};
