import unittest

import inicfg
from inicfg import (DuplicateOptionError, DuplicateSectionError, MissingSectionHeaderError,
                    ParseError)

SAMPLE = """\
; application settings
[server]
host = example.org
port: 8080

[paths]
root = /srv/app   ; where it lives
include =
    conf.d
    extra.d
"""


class ParseTest(unittest.TestCase):
    def test_sections_and_options(self):
        cfg = inicfg.loads(SAMPLE)
        self.assertEqual(cfg.sections(), ["server", "paths"])
        self.assertEqual(cfg.options("server"), ["host", "port"])
        self.assertEqual(cfg.get("server", "port"), "8080")
        self.assertEqual(cfg.get("paths", "root"), "/srv/app")

    def test_continuation_lines(self):
        cfg = inicfg.loads(SAMPLE)
        self.assertEqual(cfg.get("paths", "include"), "conf.d\nextra.d")

    def test_continuation_after_first_line_value(self):
        cfg = inicfg.loads("[a]\nmsg = hello\n  big\n\tworld\n")
        self.assertEqual(cfg.get("a", "msg"), "hello\nbig\nworld")

    def test_blank_line_ends_a_value(self):
        cfg = inicfg.loads("[a]\nx = 1\n\n  y = 2\n")
        self.assertEqual(cfg.get("a", "x"), "1")
        self.assertEqual(cfg.get("a", "y"), "2")

    def test_comments_are_not_values(self):
        cfg = inicfg.loads("[a]\n# x = 1\n;y = 2\nz = 3\n")
        self.assertEqual(cfg.options("a"), ["z"])

    def test_empty_text(self):
        cfg = inicfg.loads("")
        self.assertEqual(cfg.sections(), [])

    def test_default_section(self):
        cfg = inicfg.loads("[DEFAULT]\nlevel = info\n[a]\n[b]\nlevel = debug\n")
        self.assertEqual(cfg.sections(), ["a", "b"])
        self.assertEqual(cfg.get("a", "level"), "info")
        self.assertEqual(cfg.get("b", "level"), "debug")

    def test_defaults_argument(self):
        cfg = inicfg.loads("[a]\n", defaults={"retries": 3, "verbose": True})
        self.assertEqual(cfg.getint("a", "retries"), 3)
        self.assertTrue(cfg.getboolean("a", "verbose"))

    def test_keys_are_case_sensitive(self):
        cfg = inicfg.loads("[a]\nName = 1\nname = 2\n")
        self.assertEqual(cfg.options("a"), ["Name", "name"])


class StrictnessTest(unittest.TestCase):
    def test_duplicate_section_reports_both_lines(self):
        with self.assertRaises(DuplicateSectionError) as caught:
            inicfg.loads("[a]\nx = 1\n[b]\n[a]\n")
        error = caught.exception
        self.assertEqual((error.section, error.lineno, error.first_lineno), ("a", 4, 1))
        self.assertIn("line 4", str(error))
        self.assertIn("line 1", str(error))

    def test_duplicate_option_reports_both_lines(self):
        with self.assertRaises(DuplicateOptionError) as caught:
            inicfg.loads("[a]\nx = 1\ny = 2\n\nx = 3\n")
        error = caught.exception
        self.assertEqual((error.section, error.option, error.lineno, error.first_lineno),
                         ("a", "x", 5, 2))

    def test_same_option_in_two_sections_is_fine(self):
        cfg = inicfg.loads("[a]\nx = 1\n[b]\nx = 2\n")
        self.assertEqual((cfg.get("a", "x"), cfg.get("b", "x")), ("1", "2"))

    def test_non_strict_merges_sections_and_last_value_wins(self):
        cfg = inicfg.loads("[a]\nx = 1\ny = 2\n[b]\n[a]\nx = 3\n", strict=False)
        self.assertEqual(cfg.sections(), ["a", "b"])
        self.assertEqual(cfg.get("a", "x"), "3")
        self.assertEqual(cfg.options("a"), ["x", "y"])

    def test_option_before_any_section(self):
        with self.assertRaises(MissingSectionHeaderError) as caught:
            inicfg.loads("; header\n\nx = 1\n")
        self.assertEqual(caught.exception.lineno, 3)
        self.assertIsInstance(caught.exception, ParseError)


if __name__ == "__main__":
    unittest.main()
