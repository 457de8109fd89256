"""The grader's pytest plugin, loaded with `-p pytest_plugin`: one results record at the end, on the channel the harness
reads, as the unittest runner writes it, with pytest's node ids (path::Class::name written path > Class > name).
The harness writes a fresh nonce into each copy of this file, and the copy removes itself when pytest imports it,
before any conftest or test module. After the record the process ends at once (os._exit)."""
import base64
import json
import os
import sys

import pytest

NONCE = "__CLADE_NONCE__"

try:
    os.unlink(os.path.abspath(__file__))
except OSError:
    pass
# A private, non-inheritable copy of stdout is the channel; fd 1 itself (pytest's own output too) goes to stderr.
_channel = os.dup(1)
os.dup2(2, 1)
_results = []


def _record(nodeid, status):
    _results.append({"id": nodeid.replace("::", " > "), "status": status})


def pytest_runtest_logreport(report):
    if report.when == "call":
        status = {"passed": "passed", "failed": "failed", "skipped": "skipped"}[report.outcome]
        if hasattr(report, "wasxfail"):
            status = "skipped" if report.outcome == "skipped" else "failed"
        _record(report.nodeid, status)
    elif report.outcome in ("failed", "skipped"):
        # A failing or skipping setup/teardown decides the test too.
        _record(report.nodeid, "failed" if report.outcome == "failed" else "skipped")


def pytest_collectreport(report):
    if report.outcome == "failed":
        _record(report.nodeid + " (collection)", "failed")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    payload = base64.b64encode(json.dumps(_results).encode("utf-8")).decode("ascii")
    line = f"clade-results {NONCE} {payload}\n".encode("ascii")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    while line:
        line = line[os.write(_channel, line):]
    os._exit(0)
