// The grader's node:test reporter: one JSON line per test, `{"id": "file > suite > name", "status": ...}`. Results
// come from here, never from console output. Runs inside the grading container; imports nothing.
import { relative } from 'node:path';

export default async function* reporter(source) {
  // Suites nest; a test's id needs the names of the suites around it, which test:start gives in order.
  const paths = new Map();
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
    const names = [...(paths.get(file) ?? []).slice(0, data.nesting), data.name];
    const id = [file, ...names].join(' > ');
    if (isSuite && event.type === 'test:pass') continue;
    let status = event.type === 'test:pass' ? 'passed' : 'failed';
    if (data.skip !== undefined && data.skip !== false) status = 'skipped';
    if (data.todo !== undefined && data.todo !== false) status = 'skipped';
    // A failing suite or file (it threw while loading) is recorded too: its tests will then be missing.
    yield JSON.stringify({ id: isSuite ? `${id} (suite)` : id, status }) + '\n';
  }
}
