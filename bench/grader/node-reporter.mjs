// The grader's node:test reporter. Results come from here, never from console output: one record at the end of the
// run, `clade-results NONCE BASE64(JSON [{"id": "file > suite > name", "status": ...}])`, on the parent process's
// stdout, which the tests' own processes do not write to. The harness writes a fresh nonce into each copy of this
// file, and the copy removes itself as soon as it is loaded, before any test process starts. Imports only node:.
import { unlinkSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const NONCE = '__CLADE_NONCE__';
try {
  unlinkSync(fileURLToPath(import.meta.url));
} catch {
  // already gone: the record is still told apart by its nonce
}

export default async function* reporter(source) {
  // Suites nest; a test's id needs the names of the suites around it, which test:start gives in order.
  const paths = new Map();
  const results = [];
  const root = process.cwd();
  for await (const event of source) {
    const data = event.data ?? {};
    const file = data.file ? relative(root, data.file) : '(unknown file)';
    if (event.type === 'test:start') {
      const path = (paths.get(file) ?? []).slice(0, data.nesting);
      path[data.nesting] = data.name;
      paths.set(file, path);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const isSuite = data.details?.type === 'suite';
    // A test file that failed as a whole (it threw while loading) is reported under its own absolute path.
    const isFile = data.nesting === 0 && data.file !== undefined && data.name === data.file;
    const names = [...(paths.get(file) ?? []).slice(0, data.nesting), data.name];
    const id = [file, ...names].join(' > ');
    if (isSuite && event.type === 'test:pass') continue;
    let status = event.type === 'test:pass' ? 'passed' : 'failed';
    if (data.skip !== undefined && data.skip !== false) status = 'skipped';
    if (data.todo !== undefined && data.todo !== false) status = 'skipped';
    // A failing suite or file is recorded too: its tests will then be missing.
    results.push({ id: isFile ? `${file} (file)` : isSuite ? `${id} (suite)` : id, status });
  }
  yield `clade-results ${NONCE} ${Buffer.from(JSON.stringify(results)).toString('base64')}\n`;
}
