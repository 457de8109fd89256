"""The grader's pytest plugin: one JSON line per test, {"id": "path > Class > name", "status": ...}, from pytest's own
node ids (path::Class::name), written to the file named by CLADE_GRADER_RESULTS. Loaded with `-p pytest_plugin`."""
import json
import os

_out = None


def _write(nodeid, status):
    global _out
    if _out is None:
        _out = open(os.environ["CLADE_GRADER_RESULTS"], "a")
    _out.write(json.dumps({"id": nodeid.replace("::", " > "), "status": status}) + "\n")
    _out.flush()


def pytest_runtest_logreport(report):
    if report.when == "call":
        status = {"passed": "passed", "failed": "failed", "skipped": "skipped"}[report.outcome]
        if hasattr(report, "wasxfail"):
            status = "skipped" if report.outcome == "skipped" else "failed"
        _write(report.nodeid, status)
    elif report.outcome in ("failed", "skipped"):
        # A failing or skipping setup/teardown decides the test too.
        _write(report.nodeid, "failed" if report.outcome == "failed" else "skipped")


def pytest_collectreport(report):
    if report.outcome == "failed":
        _write(report.nodeid + " (collection)", "failed")
