import unittest

import inicfg

COMMENTED = """\
; Settings for the shop.
; Edit with care.
[DEFAULT]
# used everywhere
owner = ops

; the web front end
[web]
; public name
host = example.org
# 0 means "pick one"
port = 0
paths = /a
    /b

[db]
name = shop
; end of file
"""


class CommentsAreWrittenBackTest(unittest.TestCase):
    def test_commented_file_round_trips_exactly(self):
        self.assertEqual(inicfg.dumps(inicfg.loads(COMMENTED)), COMMENTED)

    def test_comments_stay_with_their_option_when_values_change(self):
        cfg = inicfg.loads(COMMENTED)
        cfg.set("web", "port", 8080)
        cfg.set("web", "host", "shop.example")
        cfg.set("web", "timeout", 30)
        self.assertEqual(inicfg.dumps(cfg), COMMENTED.replace(
            "host = example.org", "host = shop.example").replace(
            "port = 0\npaths = /a\n    /b\n", "port = 8080\npaths = /a\n    /b\ntimeout = 30\n"))

    def test_removing_an_option_removes_its_comments(self):
        cfg = inicfg.loads(COMMENTED)
        self.assertTrue(cfg.remove_option("web", "port"))
        expected = COMMENTED.replace('# 0 means "pick one"\nport = 0\n', "")
        self.assertEqual(inicfg.dumps(cfg), expected)
        cfg.set("web", "port", "1")
        self.assertEqual(inicfg.dumps(cfg), expected.replace("    /b\n", "    /b\nport = 1\n"))

    def test_removing_a_section_removes_its_comments(self):
        cfg = inicfg.loads(COMMENTED)
        self.assertTrue(cfg.remove_section("web"))
        self.assertEqual(inicfg.dumps(cfg),
                         "; Settings for the shop.\n; Edit with care.\n[DEFAULT]\n"
                         "# used everywhere\nowner = ops\n\n[db]\nname = shop\n; end of file\n")

    def test_comment_only_file(self):
        text = "; nothing configured yet\n# see the docs\n"
        cfg = inicfg.loads(text)
        self.assertEqual(cfg.sections(), [])
        self.assertEqual(inicfg.dumps(cfg), text)

    def test_comments_keep_their_order_and_place_in_a_loose_layout(self):
        text = ("# file header\n\n[a]\n\n  ; about x\nx = 1   ; inline note\n\n"
                "; about y\n\ny = 2\n\n\n; about b\n[b]\nz = 3\n\n; last words\n")
        out = inicfg.dumps(inicfg.loads(text))
        order = ["# file header", "[a]", "; about x", "x = 1", "; about y", "y = 2",
                 "; about b", "[b]", "z = 3", "; last words"]
        positions = [out.find(piece) for piece in order]
        self.assertNotIn(-1, positions, out)
        self.assertEqual(positions, sorted(positions), out)
        self.assertEqual(inicfg.loads(out).to_dict(), {"a": {"x": "1", "y": "2"}, "b": {"z": "3"}})
        self.assertEqual(inicfg.dumps(inicfg.loads(out)), out)

    def test_comments_do_not_change_values(self):
        cfg = inicfg.loads(COMMENTED)
        self.assertEqual(cfg.to_dict(raw=True), {
            "web": {"host": "example.org", "port": "0", "paths": "/a\n/b", "owner": "ops"},
            "db": {"name": "shop", "owner": "ops"},
        })
        again = inicfg.loads(inicfg.dumps(cfg))
        self.assertEqual(again.to_dict(raw=True), cfg.to_dict(raw=True))
        self.assertIn("; Edit with care.\n", inicfg.dumps(again))


if __name__ == "__main__":
    unittest.main()
