"""Expansion of ``${option}`` and ``${section:option}`` references.

``$$`` stands for a literal ``$``; a ``$`` followed by anything else than ``$`` or ``{`` is
kept as it is. References are expanded recursively, each in the context of the section
that holds the referenced value, and a reference back to an option that is already being
expanded raises :class:`InterpolationCycleError`.
"""
from .errors import (InterpolationCycleError, InterpolationMissingError,
                     InterpolationSyntaxError)


def scan(text, section, option):
    """Yield ``(literal, reference)`` pairs; ``reference`` is None for the last literal."""
    literal = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        following = text[pos + 1:pos + 2]
        if char != "$":
            literal.append(char)
            pos += 1
        elif following == "$":
            literal.append("$")
            pos += 2
        elif following == "{":
            end = text.find("}", pos + 2)
            if end == -1:
                raise InterpolationSyntaxError(section, option, f"unterminated reference in {text!r}")
            name = text[pos + 2:end].strip()
            if not name:
                raise InterpolationSyntaxError(section, option, "empty reference ${}")
            yield "".join(literal), name
            literal = []
            pos = end + 1
        else:
            literal.append("$")
            pos += 1
    yield "".join(literal), None


def split_reference(reference, current_section, section, option):
    """``"sec:opt"`` -> ``("sec", "opt")``; ``"opt"`` -> ``(current_section, "opt")``."""
    ref_section, sep, ref_option = reference.rpartition(":")
    if not sep:
        return current_section, reference
    ref_section, ref_option = ref_section.strip(), ref_option.strip()
    if not ref_section or not ref_option:
        raise InterpolationSyntaxError(section, option, f"malformed reference ${{{reference}}}")
    return ref_section, ref_option


class Interpolator:
    """Expands references using ``resolve(section, option)``.

    ``resolve`` returns the raw text of an option as seen from a section (defaults
    included), or None when there is no such option or section.
    """

    def __init__(self, resolve):
        self._resolve = resolve

    def expand(self, section, option, value):
        """Expand every reference in ``value``, the raw value of ``section``/``option``."""
        return self._expand(value, section, [(section, option)])

    def _expand(self, value, current_section, chain):
        if "$" not in value:
            return value
        origin_section, origin_option = chain[0]
        parts = []
        for literal, reference in scan(value, origin_section, origin_option):
            parts.append(literal)
            if reference is None:
                continue
            link = split_reference(reference, current_section, origin_section, origin_option)
            if link in chain:
                raise InterpolationCycleError(origin_section, origin_option, chain + [link])
            raw = self._resolve(*link)
            if raw is None:
                raise InterpolationMissingError(origin_section, origin_option, reference)
            parts.append(self._expand(raw, link[0], chain + [link]))
        return "".join(parts)
