"""The grader's unittest runner: one JSON line per test, {"id": "file > Class > method", "status": ...}.

Usage: python3 unittest_runner.py RESULTS.jsonl TEST_FILE...  (run from the repository root)
Results come from here, never from console output. Standard library only.
"""
import json
import os
import sys
import unittest


def main():
    results_path, files = sys.argv[1], sys.argv[2:]
    root = os.getcwd()
    sys.path.insert(0, root)
    out = open(results_path, "w")

    def record(test_id, status):
        out.write(json.dumps({"id": test_id, "status": status}) + "\n")
        out.flush()

    class Recorder(unittest.TestResult):
        def __init__(self, file):
            super().__init__()
            self.file = file

        def ident(self, test):
            return f"{self.file} > {type(test).__name__} > {test._testMethodName}"

        def addSuccess(self, test):
            record(self.ident(test), "passed")

        def addFailure(self, test, err):
            record(self.ident(test), "failed")

        def addError(self, test, err):
            # setUpClass failures arrive as an _ErrorHolder, not a test case.
            record(self.ident(test) if hasattr(test, "_testMethodName") else f"{self.file} > {test}", "failed")

        def addSkip(self, test, reason):
            record(self.ident(test), "skipped")

        def addExpectedFailure(self, test, err):
            record(self.ident(test), "passed")

        def addUnexpectedSuccess(self, test):
            record(self.ident(test), "failed")

    loader = unittest.TestLoader()
    for file in files:
        module = os.path.splitext(file)[0].replace(os.sep, ".")
        try:
            suite = loader.loadTestsFromName(module)
        except Exception as exc:  # the file does not import: its tests will be missing
            record(f"{file} (import)", "failed")
            print(f"cannot load {file}: {exc}", file=sys.stderr)
            continue
        suite.run(Recorder(file))
    out.close()


if __name__ == "__main__":
    main()
