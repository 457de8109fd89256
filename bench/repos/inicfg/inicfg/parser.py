"""Build a :class:`Config` from INI text."""
from .config import DEFAULT_SECTION, Config
from .errors import DuplicateOptionError, DuplicateSectionError, MissingSectionHeaderError
from .tokenizer import tokenize


class _Parser:
    def __init__(self, config, strict):
        self.config = config
        self.strict = strict
        self.section = None
        self.option = None
        self.section_lines = {}
        self.option_lines = {}
        self.pending_comments = []

    def feed(self, tokens):
        for token in tokens:
            getattr(self, "_on_" + token.kind)(token)
        self.config.footer_comments.extend(self.pending_comments)
        self.pending_comments = []

    def _take_comments(self):
        comments, self.pending_comments = self.pending_comments, []
        return comments

    def _on_blank(self, token):
        self.option = None

    def _on_comment(self, token):
        self.pending_comments.append(token.value)

    def _on_section(self, token):
        name = token.name
        if name in self.section_lines:
            if self.strict:
                raise DuplicateSectionError(name, token.lineno, self.section_lines[name])
        else:
            self.section_lines[name] = token.lineno
            if name != DEFAULT_SECTION and not self.config.has_section(name):
                self.config.add_section(name)
        self.section = self.config.section_storage(name)
        self.section.comments.extend(self._take_comments())
        self.option = None

    def _on_option(self, token):
        if self.section is None:
            raise MissingSectionHeaderError(token.lineno, token.line)
        key = (self.section.name, token.name)
        if key in self.option_lines:
            if self.strict:
                raise DuplicateOptionError(self.section.name, token.name, token.lineno,
                                           self.option_lines[key])
        else:
            self.option_lines[key] = token.lineno
        self.section.set_raw(token.name, token.value)
        self.section.add_option_comments(token.name, self._take_comments())
        self.option = token.name

    def _on_continuation(self, token):
        current = self.section.get_raw(self.option)
        self.section.set_raw(self.option, f"{current}\n{token.value}" if current else token.value)


def parse(text, *, strict=True, defaults=None, config=None):
    """Parse ``text`` into a new :class:`Config` (or into ``config``, when given).

    With ``strict`` (the default) a section or an option given twice raises
    :class:`DuplicateSectionError` / :class:`DuplicateOptionError`; otherwise sections are
    merged and the last value of an option wins.
    """
    if config is None:
        config = Config(defaults)
    _Parser(config, strict).feed(tokenize(text))
    return config
