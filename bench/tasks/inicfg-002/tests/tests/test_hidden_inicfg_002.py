import unittest

import inicfg
from inicfg import Config, InterpolationCycleError, InterpolationMissingError


class ReferencesToDefaultsTest(unittest.TestCase):
    def test_reference_to_an_option_of_the_default_section(self):
        cfg = inicfg.loads("[DEFAULT]\nport = 80\n\n[web]\nhost = example.org\n"
                           "url = http://${host}:${port}/\n")
        self.assertEqual(cfg.get("web", "port"), "80")
        self.assertEqual(cfg.get("web", "url"), "http://example.org:80/")

    def test_default_value_is_expanded_in_the_section_that_reads_it(self):
        cfg = inicfg.loads("[DEFAULT]\nport = 80\nurl = http://${host}:${port}/\n"
                           "[a]\nhost = a.example\n[b]\nhost = b.example\nport = 8080\n")
        self.assertEqual(cfg.get("a", "url"), "http://a.example:80/")
        self.assertEqual(cfg.get("b", "url"), "http://b.example:8080/")

    def test_own_value_wins_over_the_default_in_references(self):
        cfg = inicfg.loads("[DEFAULT]\nscheme = http\nport = 80\n"
                           "[s]\nport = 8080\nurl = ${scheme}://h:${port}\n")
        self.assertEqual(cfg.get("s", "url"), "http://h:8080")

    def test_cross_section_reference_to_an_inherited_option(self):
        cfg = inicfg.loads("[DEFAULT]\nregion = eu\n[db]\nname = shop\n"
                           "[app]\nwhere = ${db:region}/${db:name}\n")
        self.assertEqual(cfg.get("app", "where"), "eu/shop")

    def test_chain_of_references_through_defaults(self):
        cfg = inicfg.loads("[DEFAULT]\nbase = /srv\ndata = ${base}/data\n"
                           "[s]\nlogs = ${data}/logs\n[t]\nbase = /opt\nlogs = ${data}/logs\n")
        self.assertEqual(cfg.get("s", "logs"), "/srv/data/logs")
        self.assertEqual(cfg.get("t", "logs"), "/opt/data/logs")

    def test_defaults_given_in_code_can_be_referenced(self):
        cfg = inicfg.loads("[a]\npath = ${home}/bin\nother = ${nope}\n",
                           defaults={"home": "/home/me"})
        self.assertEqual(cfg.get("a", "path"), "/home/me/bin")
        with self.assertRaises(InterpolationMissingError):
            cfg.get("a", "other")
        cfg = Config(defaults={"user": "ann"})
        cfg.add_section("s")
        cfg.set("s", "greeting", "hello ${user}")
        self.assertEqual(cfg.get("s", "greeting"), "hello ann")

    def test_typed_getters_items_and_to_dict(self):
        cfg = inicfg.loads("[DEFAULT]\nn = 4\nflag = on\n"
                           "[s]\nworkers = ${n}\nenabled = ${flag}\nhosts = a${n}, b${n}\n")
        self.assertEqual(cfg.getint("s", "workers"), 4)
        self.assertIs(cfg.getboolean("s", "enabled"), True)
        self.assertEqual(cfg.getlist("s", "hosts"), ["a4", "b4"])
        self.assertEqual(dict(cfg.items("s"))["workers"], "4")
        self.assertEqual(cfg.to_dict()["s"]["enabled"], "on")

    def test_cycle_through_a_default_is_detected(self):
        cfg = inicfg.loads("[DEFAULT]\na = ${b}\n[s]\nb = ${a}\n")
        with self.assertRaises(InterpolationCycleError):
            cfg.get("s", "b")
        with self.assertRaises(InterpolationCycleError):
            cfg.get("s", "a")


if __name__ == "__main__":
    unittest.main()
