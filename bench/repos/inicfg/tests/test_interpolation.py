import unittest

import inicfg
from inicfg import (InterpolationCycleError, InterpolationError, InterpolationMissingError,
                    InterpolationSyntaxError)


def load(text):
    return inicfg.loads(text)


class ReferenceTest(unittest.TestCase):
    def test_same_section_reference(self):
        cfg = load("[s]\nhost = example.org\nport = 80\nurl = http://${host}:${port}/\n")
        self.assertEqual(cfg.get("s", "url"), "http://example.org:80/")

    def test_cross_section_reference(self):
        cfg = load("[db]\nname = shop\n[app]\ndsn = postgres:///${db:name}\n")
        self.assertEqual(cfg.get("app", "dsn"), "postgres:///shop")

    def test_nested_references_resolve_where_they_are_defined(self):
        cfg = load("[paths]\nroot = /srv\nlogs = ${root}/logs\n"
                   "[svc]\nroot = /tmp\nlogfile = ${paths:logs}/svc.log\n")
        self.assertEqual(cfg.get("svc", "logfile"), "/srv/logs/svc.log")

    def test_chain_of_references(self):
        cfg = load("[s]\na = ${b}${b}\nb = ${c}-\nc = x\n")
        self.assertEqual(cfg.get("s", "a"), "x-x-")

    def test_dollar_escapes(self):
        cfg = load("[s]\nprice = $$5\ncost = 5$ and $x\n")
        self.assertEqual(cfg.get("s", "price"), "$5")
        self.assertEqual(cfg.get("s", "cost"), "5$ and $x")

    def test_raw_values_are_not_expanded(self):
        cfg = load("[s]\na = 1\nb = ${a} $$\n")
        self.assertEqual(cfg.get("s", "b", raw=True), "${a} $$")
        self.assertEqual(dict(cfg.items("s", raw=True))["b"], "${a} $$")

    def test_items_are_expanded(self):
        cfg = load("[s]\na = 1\nb = <${a}>\n")
        self.assertEqual(cfg.items("s"), [("a", "1"), ("b", "<1>")])

    def test_section_names_may_contain_colons(self):
        cfg = load("[host:web]\nport = 81\n[s]\np = ${host:web:port}\n")
        self.assertEqual(cfg.get("s", "p"), "81")


class ErrorTest(unittest.TestCase):
    def test_missing_option(self):
        cfg = load("[s]\na = ${nope}\n")
        with self.assertRaises(InterpolationMissingError) as caught:
            cfg.get("s", "a")
        self.assertEqual(caught.exception.reference, "nope")
        self.assertEqual((caught.exception.section, caught.exception.option), ("s", "a"))

    def test_missing_section(self):
        cfg = load("[s]\na = ${other:x}\n")
        with self.assertRaises(InterpolationMissingError):
            cfg.get("s", "a")

    def test_direct_cycle(self):
        cfg = load("[s]\na = ${a}\n")
        with self.assertRaises(InterpolationCycleError):
            cfg.get("s", "a")

    def test_indirect_cycle_across_sections(self):
        cfg = load("[x]\na = ${y:b}\n[y]\nb = ${z:c}\n[z]\nc = ${x:a}\n")
        with self.assertRaises(InterpolationCycleError) as caught:
            cfg.get("x", "a")
        self.assertEqual(caught.exception.chain,
                         [("x", "a"), ("y", "b"), ("z", "c"), ("x", "a")])
        self.assertIn("x:a -> y:b -> z:c -> x:a", str(caught.exception))

    def test_same_option_name_in_other_section_is_not_a_cycle(self):
        cfg = load("[base]\nhost = db.local\n[prod]\nhost = ${base:host}\n")
        self.assertEqual(cfg.get("prod", "host"), "db.local")

    def test_syntax_errors(self):
        cfg = load("[s]\na = ${open\nb = ${}\nc = ${:x}\n")
        for option in ("a", "b", "c"):
            with self.subTest(option=option):
                with self.assertRaises(InterpolationSyntaxError):
                    cfg.get("s", option)

    def test_errors_share_a_base_class(self):
        self.assertTrue(issubclass(InterpolationCycleError, InterpolationError))
        self.assertTrue(issubclass(InterpolationMissingError, inicfg.Error))


if __name__ == "__main__":
    unittest.main()
