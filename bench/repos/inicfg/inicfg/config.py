"""The in-memory configuration: sections, defaults, interpolation and typed getters."""
import re

from . import convert
from .errors import ConversionError, DuplicateSectionError, NoOptionError, NoSectionError
from .interpolation import Interpolator
from .section import Section

DEFAULT_SECTION = "DEFAULT"

_MISSING = object()
_BLANK_LINE = re.compile(r"\n[ \t]*(\n|$)")


def _check_section_name(name):
    if not isinstance(name, str):
        raise TypeError(f"section names must be str, not {type(name).__name__}")
    if not name.strip() or name != name.strip() or any(c in name for c in "[]\n\r"):
        raise ValueError(f"invalid section name {name!r}")


def _check_option_name(option):
    if not isinstance(option, str):
        raise TypeError(f"option names must be str, not {type(option).__name__}")
    if (not option.strip() or option != option.strip() or option[0] in "[#;"
            or any(c in option for c in "=:\n\r")):
        raise ValueError(f"invalid option name {option!r}")


class Config:
    """An INI configuration.

    Options of the ``[DEFAULT]`` section (and the ``defaults`` given here) are visible from
    every section unless the section sets the option itself.
    """

    def __init__(self, defaults=None):
        self._default = Section(DEFAULT_SECTION)
        self._sections = {}
        self.footer_comments = []
        self._interpolator = Interpolator(self._resolve_reference)
        for option, value in (defaults or {}).items():
            self.set(DEFAULT_SECTION, option, value)

    # -- sections -----------------------------------------------------------------------

    def _section(self, name):
        if name == DEFAULT_SECTION:
            return self._default
        try:
            return self._sections[name]
        except KeyError:
            raise NoSectionError(name) from None

    def sections(self):
        """Names of the sections, in order, without ``DEFAULT``."""
        return list(self._sections)

    def has_section(self, name):
        return name in self._sections

    def add_section(self, name):
        _check_section_name(name)
        if name == DEFAULT_SECTION:
            raise ValueError("the DEFAULT section always exists")
        if name in self._sections:
            raise DuplicateSectionError(name)
        self._sections[name] = Section(name)

    def remove_section(self, name):
        """Remove a section and everything in it; return whether it existed."""
        return self._sections.pop(name, None) is not None

    def __contains__(self, name):
        return name == DEFAULT_SECTION or name in self._sections

    def __iter__(self):
        return iter(self.sections())

    # -- options ------------------------------------------------------------------------

    def defaults(self):
        """The raw default values, as a dict."""
        return dict(self._default.items_raw())

    def options(self, section):
        """The options visible in ``section``: its own first, then inherited defaults."""
        own = list(self._section(section))
        if section == DEFAULT_SECTION:
            return own
        return own + [option for option in self._default if option not in own]

    def has_option(self, section, option):
        if section not in self:
            return False
        return option in self._section(section) or option in self._default

    def _raw_value(self, section, option):
        own = self._section(section)
        if option in own:
            return own.get_raw(option)
        if option in self._default:
            return self._default.get_raw(option)
        raise NoOptionError(section, option)

    def _resolve_reference(self, section, option):
        """Raw text of a referenced option, for the interpolator; None when missing."""
        try:
            return self._raw_value(section, option)
        except (NoSectionError, NoOptionError):
            return None

    def get(self, section, option, *, raw=False, fallback=_MISSING):
        """The value of ``option`` with references expanded (unless ``raw``).

        ``fallback`` is returned when the section or the option does not exist.
        """
        try:
            value = self._raw_value(section, option)
        except (NoSectionError, NoOptionError):
            if fallback is _MISSING:
                raise
            return fallback
        if raw:
            return value
        return self._interpolator.expand(section, option, value)

    def _get_converted(self, section, option, converter, kind, fallback):
        try:
            value = self.get(section, option)
        except (NoSectionError, NoOptionError):
            if fallback is _MISSING:
                raise
            return fallback
        try:
            return converter(value)
        except ValueError:
            raise ConversionError(section, option, value, kind) from None

    def getint(self, section, option, *, fallback=_MISSING):
        return self._get_converted(section, option, convert.to_int, "integer", fallback)

    def getfloat(self, section, option, *, fallback=_MISSING):
        return self._get_converted(section, option, convert.to_float, "float", fallback)

    def getboolean(self, section, option, *, fallback=_MISSING):
        return self._get_converted(section, option, convert.to_boolean, "boolean", fallback)

    def getlist(self, section, option, *, sep=",", fallback=_MISSING):
        """Split the value on ``sep``; ``sep=None`` splits on whitespace and newlines."""
        if sep is not None and not sep:
            raise ValueError("empty separator")
        return self._get_converted(section, option, lambda text: convert.to_list(text, sep),
                                   "list", fallback)

    def set(self, section, option, value):
        """Set ``option`` in ``section`` (which must exist; ``DEFAULT`` always does)."""
        target = self._section(section)
        _check_option_name(option)
        text = convert.to_text(value)
        if _BLANK_LINE.search(text):
            raise ValueError(f"the value of {option!r} contains an empty line")
        target.set_raw(option, text)

    def remove_option(self, section, option):
        """Remove ``option`` from ``section`` itself; return whether it was there."""
        return self._section(section).remove(option)

    def items(self, section, *, raw=False):
        """``(option, value)`` pairs of every option visible in ``section``."""
        return [(option, self.get(section, option, raw=raw)) for option in self.options(section)]

    def to_dict(self, *, raw=False):
        """``{section: {option: value}}`` for every section, defaults merged in."""
        return {name: dict(self.items(name, raw=raw)) for name in self._sections}

    # -- for the parser and the writer --------------------------------------------------

    def section_storage(self, name):
        """The :class:`Section` holding ``name``'s own options (``DEFAULT`` included)."""
        return self._section(name)

    def storage_for_writing(self):
        """Sections in the order they are written: ``DEFAULT`` first when it has content."""
        sections = [] if self._default.is_empty() else [self._default]
        return sections + list(self._sections.values())
