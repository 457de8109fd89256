import unittest

import inicfg


class CommentCharactersInValuesTest(unittest.TestCase):
    def test_hash_inside_a_value_is_kept(self):
        cfg = inicfg.loads("[auth]\npassword = s3cr#t\nchannel = dev#ops#2\n")
        self.assertEqual(cfg.get("auth", "password"), "s3cr#t")
        self.assertEqual(cfg.get("auth", "channel"), "dev#ops#2")

    def test_semicolon_inside_a_value_is_kept(self):
        cfg = inicfg.loads("[db]\ndsn = host=db;port=5432;user=app\n"
                           "url: http://example.org/a;v=1?q=2\n")
        self.assertEqual(cfg.get("db", "dsn"), "host=db;port=5432;user=app")
        self.assertEqual(cfg.get("db", "url"), "http://example.org/a;v=1?q=2")

    def test_value_starting_with_a_comment_character(self):
        cfg = inicfg.loads("[theme]\nfg = #ff8800\nsep = ;\nbg = #000000   # black\n")
        self.assertEqual(cfg.get("theme", "fg"), "#ff8800")
        self.assertEqual(cfg.get("theme", "sep"), ";")
        self.assertEqual(cfg.get("theme", "bg"), "#000000")

    def test_inline_comment_still_removed_after_such_a_value(self):
        cfg = inicfg.loads("[a]\nx = a#b ; note\ny = c;d\t# tab before the comment\n"
                           "z = e#f#  ;  g\n")
        self.assertEqual(cfg.get("a", "x"), "a#b")
        self.assertEqual(cfg.get("a", "y"), "c;d")
        self.assertEqual(cfg.get("a", "z"), "e#f#")

    def test_continuation_lines_keep_comment_characters(self):
        cfg = inicfg.loads("[a]\nkeys =\n    k#1\n    k;2 ; second key\n    #k3\n")
        self.assertEqual(cfg.get("a", "keys"), "k#1\nk;2")
        cfg = inicfg.loads("[a]\nkeys = k#0\n    k;1\n")
        self.assertEqual(cfg.get("a", "keys"), "k#0\nk;1")

    def test_typed_getters_and_references_see_the_whole_value(self):
        cfg = inicfg.loads("[DEFAULT]\ntag = v1#beta\n"
                           "[app]\nname = app-${tag}\nhosts = a;b, c#d ; two hosts\n"
                           "ports = 80;443\n")
        self.assertEqual(cfg.get("app", "name"), "app-v1#beta")
        self.assertEqual(cfg.getlist("app", "hosts"), ["a;b", "c#d"])
        self.assertEqual(cfg.getlist("app", "ports", sep=";"), ["80", "443"])

    def test_values_survive_a_write_and_read(self):
        cfg = inicfg.loads("[a]\ntoken = ab#12;cd\ncolor = #abc\n")
        again = inicfg.loads(inicfg.dumps(cfg))
        self.assertEqual(again.get("a", "token"), "ab#12;cd")
        self.assertEqual(again.get("a", "color"), "#abc")


if __name__ == "__main__":
    unittest.main()
