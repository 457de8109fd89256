import unittest

from inicfg import ParseError
from inicfg.tokenizer import (BLANK, COMMENT, CONTINUATION, OPTION, SECTION, strip_inline_comment,
                              tokenize)


class KindsTest(unittest.TestCase):
    def test_classifies_each_kind_of_line(self):
        tokens = tokenize("[main]\n; note\n\nname = value\n    more\n")
        self.assertEqual([t.kind for t in tokens], [SECTION, COMMENT, BLANK, OPTION, CONTINUATION])
        self.assertEqual([t.lineno for t in tokens], [1, 2, 3, 4, 5])

    def test_section_header(self):
        (token,) = tokenize("[ server one ]")
        self.assertEqual(token.name, "server one")

    def test_section_header_with_trailing_comment(self):
        (token,) = tokenize("[server]  ; the web server")
        self.assertEqual(token.name, "server")

    def test_both_delimiters(self):
        first, second = tokenize("a = 1\nb: 2")
        self.assertEqual((first.name, first.value), ("a", "1"))
        self.assertEqual((second.name, second.value), ("b", "2"))

    def test_first_delimiter_wins(self):
        first, second = tokenize("url: http://example.org/?a=b\nexpr = x:y")
        self.assertEqual((first.name, first.value), ("url", "http://example.org/?a=b"))
        self.assertEqual((second.name, second.value), ("expr", "x:y"))

    def test_empty_value(self):
        (token,) = tokenize("empty =")
        self.assertEqual((token.name, token.value), ("empty", ""))

    def test_hash_and_semicolon_comments(self):
        tokens = tokenize("# one\n; two\n   ; indented")
        self.assertEqual([t.kind for t in tokens], [COMMENT] * 3)
        self.assertEqual(tokens[2].value, "; indented")

    def test_indented_line_after_blank_is_not_a_continuation(self):
        tokens = tokenize("a = 1\n\n  b = 2")
        self.assertEqual(tokens[2].kind, OPTION)
        self.assertEqual(tokens[2].name, "b")

    def test_comment_inside_a_value_keeps_the_continuation(self):
        tokens = tokenize("a = 1\n; note\n  2")
        self.assertEqual(tokens[2].kind, CONTINUATION)

    def test_byte_order_mark_and_crlf(self):
        tokens = tokenize("\ufeff[a]\r\nx = 1\r\n")
        self.assertEqual(tokens[0].name, "a")
        self.assertEqual(tokens[1].value, "1")


class InlineCommentTest(unittest.TestCase):
    def test_strips_comment_after_whitespace(self):
        self.assertEqual(strip_inline_comment("value ; comment"), "value")
        self.assertEqual(strip_inline_comment("value # comment"), "value")

    def test_inline_comment_on_option_line(self):
        (token,) = tokenize("timeout = 30   ; seconds")
        self.assertEqual(token.value, "30")

    def test_text_without_comment_is_unchanged(self):
        self.assertEqual(strip_inline_comment("plain value"), "plain value")


class ErrorsTest(unittest.TestCase):
    def assertParseError(self, text, lineno, fragment):
        with self.assertRaises(ParseError) as caught:
            tokenize(text)
        self.assertEqual(caught.exception.lineno, lineno)
        self.assertIn(fragment, str(caught.exception))
        self.assertTrue(str(caught.exception).startswith(f"line {lineno}:"))

    def test_unterminated_header(self):
        self.assertParseError("[a]\nx = 1\n[b\n", 3, "unterminated section header")

    def test_text_after_header(self):
        self.assertParseError("[a] extra", 1, "unexpected text after section header")

    def test_empty_section_name(self):
        self.assertParseError("\n[  ]", 2, "empty section name")

    def test_line_without_delimiter(self):
        self.assertParseError("[a]\njust words", 2, "expected 'key = value'")

    def test_empty_option_name(self):
        self.assertParseError("[a]\n = 3", 2, "empty option name")


if __name__ == "__main__":
    unittest.main()
