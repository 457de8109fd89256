"""inicfg: read, query and write INI configuration files.

>>> import inicfg
>>> cfg = inicfg.loads("[server]\\nhost = example.org\\nport = 8080\\nurl = http://${host}:${port}/\\n")
>>> cfg.get("server", "url")
'http://example.org:8080/'
>>> cfg.getint("server", "port")
8080
"""
from .config import DEFAULT_SECTION, Config
from .errors import (ConversionError, DuplicateOptionError, DuplicateSectionError, Error,
                     InterpolationCycleError, InterpolationError, InterpolationMissingError,
                     InterpolationSyntaxError, MissingSectionHeaderError, NoOptionError,
                     NoSectionError, ParseError)
from .parser import parse
from .writer import dump, dumps

__version__ = "1.0.0"


def loads(text, *, strict=True, defaults=None):
    """Parse INI ``text`` into a :class:`Config`."""
    return parse(text, strict=strict, defaults=defaults)


def load(fp, *, strict=True, defaults=None):
    """Parse the text file object ``fp``."""
    return parse(fp.read(), strict=strict, defaults=defaults)


def read(path, *, encoding="utf-8", strict=True, defaults=None):
    """Parse the file at ``path``."""
    with open(path, encoding=encoding) as fp:
        return load(fp, strict=strict, defaults=defaults)


def write(config, path, *, encoding="utf-8"):
    """Write ``config`` to the file at ``path``."""
    with open(path, "w", encoding=encoding) as fp:
        dump(config, fp)


__all__ = [
    "Config", "DEFAULT_SECTION", "parse", "loads", "load", "read", "dumps", "dump", "write",
    "Error", "ParseError", "MissingSectionHeaderError", "DuplicateSectionError",
    "DuplicateOptionError", "NoSectionError", "NoOptionError", "InterpolationError",
    "InterpolationMissingError", "InterpolationCycleError", "InterpolationSyntaxError",
    "ConversionError",
]
