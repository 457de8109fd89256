import unittest

import inicfg
from inicfg import (Config, ConversionError, DuplicateSectionError, NoOptionError,
                    NoSectionError)


class SectionsTest(unittest.TestCase):
    def test_add_and_remove_sections(self):
        cfg = Config()
        cfg.add_section("a")
        cfg.add_section("b")
        self.assertEqual(cfg.sections(), ["a", "b"])
        self.assertTrue(cfg.remove_section("a"))
        self.assertFalse(cfg.remove_section("a"))
        self.assertEqual(list(cfg), ["b"])

    def test_add_existing_section(self):
        cfg = Config()
        cfg.add_section("a")
        with self.assertRaises(DuplicateSectionError):
            cfg.add_section("a")

    def test_invalid_section_names(self):
        cfg = Config()
        for name in ("", " a", "a]", "DEFAULT", "x\ny"):
            with self.subTest(name=name):
                with self.assertRaises(ValueError):
                    cfg.add_section(name)

    def test_default_section_is_always_there(self):
        cfg = Config()
        self.assertIn("DEFAULT", cfg)
        self.assertFalse(cfg.has_section("DEFAULT"))
        cfg.set("DEFAULT", "x", "1")
        self.assertEqual(cfg.defaults(), {"x": "1"})


class OptionsTest(unittest.TestCase):
    def setUp(self):
        self.cfg = inicfg.loads("[DEFAULT]\nlevel = info\nowner = ops\n"
                                "[a]\nname = alpha\nlevel = debug\n")

    def test_options_include_defaults_after_own(self):
        self.assertEqual(self.cfg.options("a"), ["name", "level", "owner"])
        self.assertEqual(self.cfg.options("DEFAULT"), ["level", "owner"])

    def test_has_option(self):
        self.assertTrue(self.cfg.has_option("a", "owner"))
        self.assertFalse(self.cfg.has_option("a", "nope"))
        self.assertFalse(self.cfg.has_option("missing", "owner"))

    def test_get_falls_back_to_defaults(self):
        self.assertEqual(self.cfg.get("a", "owner"), "ops")
        self.assertEqual(self.cfg.get("a", "level"), "debug")

    def test_missing_section_and_option(self):
        with self.assertRaises(NoSectionError):
            self.cfg.get("b", "name")
        with self.assertRaises(NoOptionError):
            self.cfg.get("a", "nope")

    def test_fallback(self):
        self.assertEqual(self.cfg.get("a", "nope", fallback="x"), "x")
        self.assertIsNone(self.cfg.get("b", "nope", fallback=None))
        self.assertEqual(self.cfg.getint("a", "nope", fallback=7), 7)

    def test_set_and_remove(self):
        self.cfg.set("a", "count", 3)
        self.cfg.set("a", "ratio", 0.5)
        self.cfg.set("a", "on", False)
        self.assertEqual(self.cfg.get("a", "count"), "3")
        self.assertEqual(self.cfg.get("a", "ratio"), "0.5")
        self.assertEqual(self.cfg.get("a", "on"), "false")
        self.assertTrue(self.cfg.remove_option("a", "count"))
        self.assertFalse(self.cfg.remove_option("a", "count"))
        self.assertTrue(self.cfg.remove_option("a", "level"))
        self.assertEqual(self.cfg.get("a", "level"), "info")

    def test_set_validates(self):
        with self.assertRaises(NoSectionError):
            self.cfg.set("nope", "x", "1")
        for option in ("", "a=b", "a:b", "[x", "#x", " x"):
            with self.subTest(option=option):
                with self.assertRaises(ValueError):
                    self.cfg.set("a", option, "1")
        with self.assertRaises(TypeError):
            self.cfg.set("a", "x", [1, 2])
        with self.assertRaises(ValueError):
            self.cfg.set("a", "x", "one\n\ntwo")

    def test_to_dict(self):
        self.assertEqual(self.cfg.to_dict(),
                         {"a": {"name": "alpha", "level": "debug", "owner": "ops"}})


class GettersTest(unittest.TestCase):
    def setUp(self):
        self.cfg = inicfg.loads(
            "[t]\n"
            "n = 42\nneg = -7\nbig = 1_000\nf = 2.5\nexp = 1e3\n"
            "y1 = yes\ny2 = On\ny3 = TRUE\ny4 = 1\n"
            "n1 = no\nn2 = off\nn3 = False\nn4 = 0\n"
            "bad = maybe\n"
            "hosts = a, b,, c ,\n"
            "paths = /usr | /opt\n"
            "lines =\n    one, two\n    three\n"
        )

    def test_getint(self):
        self.assertEqual(self.cfg.getint("t", "n"), 42)
        self.assertEqual(self.cfg.getint("t", "neg"), -7)
        self.assertEqual(self.cfg.getint("t", "big"), 1000)

    def test_getfloat(self):
        self.assertEqual(self.cfg.getfloat("t", "f"), 2.5)
        self.assertEqual(self.cfg.getfloat("t", "exp"), 1000.0)
        self.assertEqual(self.cfg.getfloat("t", "n"), 42.0)

    def test_getboolean(self):
        for option in ("y1", "y2", "y3", "y4"):
            self.assertIs(self.cfg.getboolean("t", option), True, option)
        for option in ("n1", "n2", "n3", "n4"):
            self.assertIs(self.cfg.getboolean("t", option), False, option)

    def test_conversion_errors(self):
        with self.assertRaises(ConversionError) as caught:
            self.cfg.getboolean("t", "bad")
        self.assertIn("'maybe'", str(caught.exception))
        self.assertEqual(caught.exception.kind, "boolean")
        self.assertIsInstance(caught.exception, ValueError)
        with self.assertRaises(ConversionError):
            self.cfg.getint("t", "f")
        with self.assertRaises(ConversionError):
            self.cfg.getfloat("t", "bad")

    def test_getlist(self):
        self.assertEqual(self.cfg.getlist("t", "hosts"), ["a", "b", "c"])
        self.assertEqual(self.cfg.getlist("t", "paths", sep="|"), ["/usr", "/opt"])
        self.assertEqual(self.cfg.getlist("t", "lines"), ["one", "two", "three"])
        self.assertEqual(self.cfg.getlist("t", "lines", sep=None), ["one,", "two", "three"])
        with self.assertRaises(ValueError):
            self.cfg.getlist("t", "hosts", sep="")

    def test_getters_expand_references(self):
        cfg = inicfg.loads("[a]\nbase = 10\nport = 80${base}\n")
        self.assertEqual(cfg.getint("a", "port"), 8010)


if __name__ == "__main__":
    unittest.main()
