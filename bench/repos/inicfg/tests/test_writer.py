import io
import os
import tempfile
import unittest

import inicfg
from inicfg import Config


class DumpsTest(unittest.TestCase):
    def test_canonical_layout(self):
        cfg = inicfg.loads("[a]\nx=1\ny :  two words\n[b]\nz = 3\n")
        self.assertEqual(inicfg.dumps(cfg), "[a]\nx = 1\ny = two words\n\n[b]\nz = 3\n")

    def test_default_section_comes_first(self):
        cfg = Config(defaults={"level": "info"})
        cfg.add_section("a")
        cfg.set("a", "x", "1")
        self.assertEqual(inicfg.dumps(cfg), "[DEFAULT]\nlevel = info\n\n[a]\nx = 1\n")

    def test_multi_line_values_are_indented(self):
        cfg = inicfg.loads("[a]\nlist =\n  one\n  two\nmsg = hi\n  there\n")
        self.assertEqual(inicfg.dumps(cfg), "[a]\nlist = one\n    two\nmsg = hi\n    there\n")

    def test_empty_values_and_sections(self):
        cfg = inicfg.loads("[a]\nx =\n[b]\n")
        self.assertEqual(inicfg.dumps(cfg), "[a]\nx =\n\n[b]\n")

    def test_empty_config(self):
        self.assertEqual(inicfg.dumps(Config()), "")

    def test_references_are_written_raw(self):
        cfg = inicfg.loads("[a]\nx = 1\ny = ${x}$$\n")
        self.assertIn("y = ${x}$$\n", inicfg.dumps(cfg))

    def test_round_trip_keeps_values(self):
        text = ("[DEFAULT]\nowner = ops\n\n[app]\nroot = /srv\nhost = example.org:8080\n"
                "dirs = ${root}/a\n  ${root}/b\nflag = yes\n\n[db]\nname = ${app:root}/shop\n")
        cfg = inicfg.loads(text)
        again = inicfg.loads(inicfg.dumps(cfg))
        self.assertEqual(again.to_dict(raw=True), cfg.to_dict(raw=True))
        self.assertEqual(again.to_dict(), cfg.to_dict())
        self.assertEqual(inicfg.dumps(again), inicfg.dumps(cfg))

    def test_round_trip_after_changes(self):
        cfg = inicfg.loads("[a]\nx = 1\ny = 2\n")
        cfg.set("a", "x", "one\ntwo")
        cfg.remove_option("a", "y")
        cfg.add_section("new")
        cfg.set("new", "flag", True)
        self.assertEqual(inicfg.dumps(cfg), "[a]\nx = one\n    two\n\n[new]\nflag = true\n")
        self.assertEqual(inicfg.loads(inicfg.dumps(cfg)).to_dict(), cfg.to_dict())


class FilesTest(unittest.TestCase):
    def test_dump_and_load_streams(self):
        cfg = inicfg.loads("[a]\nx = 1\n")
        buffer = io.StringIO()
        inicfg.dump(cfg, buffer)
        buffer.seek(0)
        self.assertEqual(inicfg.load(buffer).get("a", "x"), "1")

    def test_write_and_read_paths(self):
        cfg = inicfg.loads("[a]\nname = café\n")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "app.ini")
            inicfg.write(cfg, path)
            self.assertEqual(inicfg.read(path).get("a", "name"), "café")


if __name__ == "__main__":
    unittest.main()
