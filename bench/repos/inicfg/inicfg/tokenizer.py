"""Split INI text into one token per line.

The tokenizer knows the shape of single lines: blank lines, full-line comments, section
headers, ``key = value`` / ``key: value`` options and indented continuation lines. It does
not know about sections' contents; the parser builds those from the tokens.
"""
from dataclasses import dataclass

from .errors import ParseError

COMMENT_PREFIXES = ("#", ";")
INLINE_COMMENT_PREFIXES = ("#", ";")
DELIMITERS = ("=", ":")

BLANK = "blank"
COMMENT = "comment"
SECTION = "section"
OPTION = "option"
CONTINUATION = "continuation"


@dataclass(frozen=True)
class Token:
    kind: str
    lineno: int
    line: str
    name: str = ""
    value: str = ""


def strip_inline_comment(text):
    """Remove a trailing inline comment from ``text``.

    An inline comment starts at a comment prefix that follows whitespace, so
    ``"a ; note"`` becomes ``"a"`` while ``"a;b"`` and ``"#ff0000"`` are left alone.
    """
    for index, char in enumerate(text):
        if char in INLINE_COMMENT_PREFIXES and index > 0 and text[index - 1].isspace():
            return text[:index].rstrip()
    return text


def _find_delimiter(text):
    positions = [text.find(delimiter) for delimiter in DELIMITERS]
    positions = [position for position in positions if position != -1]
    return min(positions) if positions else -1


def _section_token(stripped, lineno, line):
    end = stripped.find("]")
    if end == -1:
        raise ParseError("unterminated section header", lineno, line)
    name = stripped[1:end].strip()
    rest = stripped[end + 1:].strip()
    if rest and rest[0] not in INLINE_COMMENT_PREFIXES:
        raise ParseError("unexpected text after section header", lineno, line)
    if not name:
        raise ParseError("empty section name", lineno, line)
    return Token(SECTION, lineno, line, name=name)


def _option_token(stripped, lineno, line):
    index = _find_delimiter(stripped)
    if index == -1:
        raise ParseError("expected 'key = value' or 'key: value'", lineno, line)
    key = stripped[:index].strip()
    if not key:
        raise ParseError("empty option name", lineno, line)
    value = strip_inline_comment(stripped[index + 1:].strip())
    return Token(OPTION, lineno, line, name=key, value=value)


def classify(line, lineno, previous):
    """Turn one line into a token. ``previous`` is the kind of the last non-comment token."""
    stripped = line.strip()
    if not stripped:
        return Token(BLANK, lineno, line)
    if stripped[0] in COMMENT_PREFIXES:
        return Token(COMMENT, lineno, line, value=stripped)
    if line[0].isspace() and previous in (OPTION, CONTINUATION):
        return Token(CONTINUATION, lineno, line, value=strip_inline_comment(stripped))
    if stripped[0] == "[":
        return _section_token(stripped, lineno, line)
    return _option_token(stripped, lineno, line)


def tokenize(text):
    """Return the list of tokens of ``text``; line numbers start at 1."""
    if text.startswith("\ufeff"):
        text = text[1:]
    tokens = []
    previous = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        token = classify(line, lineno, previous)
        tokens.append(token)
        if token.kind != COMMENT:
            previous = token.kind
    return tokens
