"""Exceptions raised by inicfg.

Every exception derives from :class:`Error`. Errors found while reading text carry the
line number (1-based) of the offending line, so that a message can point the user at the
exact place in their file.
"""


class Error(Exception):
    """Base class of every inicfg error."""


class ParseError(Error):
    """A line of the input could not be understood."""

    def __init__(self, message, lineno, line=None):
        self.message = message
        self.lineno = lineno
        self.line = line
        text = f"line {lineno}: {message}"
        if line is not None:
            text += f": {line.strip()!r}"
        super().__init__(text)


class MissingSectionHeaderError(ParseError):
    """An option appeared before the first section header."""

    def __init__(self, lineno, line):
        super().__init__("option outside of any section", lineno, line)


class DuplicateSectionError(Error):
    """A section was defined twice (while parsing strictly) or added twice."""

    def __init__(self, section, lineno=None, first_lineno=None):
        self.section = section
        self.lineno = lineno
        self.first_lineno = first_lineno
        if lineno is None:
            message = f"section {section!r} already exists"
        else:
            message = (f"line {lineno}: duplicate section {section!r} "
                       f"(first defined on line {first_lineno})")
        super().__init__(message)


class DuplicateOptionError(Error):
    """An option was given twice in the same section while parsing strictly."""

    def __init__(self, section, option, lineno, first_lineno):
        self.section = section
        self.option = option
        self.lineno = lineno
        self.first_lineno = first_lineno
        super().__init__(f"line {lineno}: duplicate option {option!r} in section {section!r} "
                         f"(first defined on line {first_lineno})")


class NoSectionError(Error, LookupError):
    """The requested section does not exist."""

    def __init__(self, section):
        self.section = section
        super().__init__(f"no section {section!r}")


class NoOptionError(Error, LookupError):
    """The requested option exists neither in its section nor in the defaults."""

    def __init__(self, section, option):
        self.section = section
        self.option = option
        super().__init__(f"no option {option!r} in section {section!r}")


class InterpolationError(Error):
    """A ``${...}`` reference in a value could not be expanded."""

    def __init__(self, section, option, message):
        self.section = section
        self.option = option
        self.message = message
        super().__init__(f"cannot interpolate {option!r} in section {section!r}: {message}")


class InterpolationMissingError(InterpolationError):
    """A reference names an option (or a section) that does not exist."""

    def __init__(self, section, option, reference):
        self.reference = reference
        super().__init__(section, option, f"${{{reference}}} refers to a missing option")


class InterpolationCycleError(InterpolationError):
    """References lead back to an option that is already being expanded."""

    def __init__(self, section, option, chain):
        self.chain = list(chain)
        path = " -> ".join(f"{sec}:{opt}" for sec, opt in self.chain)
        super().__init__(section, option, f"reference cycle {path}")


class InterpolationSyntaxError(InterpolationError):
    """A value contains a malformed reference such as ``${`` without ``}``."""


class ConversionError(Error, ValueError):
    """A typed getter could not convert the value of an option."""

    def __init__(self, section, option, value, kind):
        self.section = section
        self.option = option
        self.value = value
        self.kind = kind
        super().__init__(f"option {option!r} in section {section!r}: {value!r} is not a valid {kind}")
