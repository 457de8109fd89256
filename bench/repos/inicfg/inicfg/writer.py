"""Write a :class:`Config` back as INI text.

The output is canonical: ``key = value`` lines, continuation lines indented by four
spaces, one blank line between sections. Comment lines read from the source are written
above the section or option they preceded, and comments at the end of the file stay at
the end. Reading the output back gives the same configuration.
"""

INDENT = "    "


def format_option(option, value):
    """The lines of one option; a multi-line value continues on indented lines."""
    first, *rest = value.split("\n")
    lines = [f"{option} = {first}" if first else f"{option} ="]
    lines.extend(INDENT + line for line in rest)
    return lines


def _section_lines(section):
    lines = list(section.comments)
    lines.append(f"[{section.name}]")
    for option in section:
        lines.extend(section.option_comments(option))
        lines.extend(format_option(option, section.get_raw(option)))
    return lines


def dumps(config):
    """Return ``config`` as INI text (raw values: references are written unexpanded)."""
    blocks = ["\n".join(_section_lines(section)) for section in config.storage_for_writing()]
    text = "\n\n".join(blocks)
    if config.footer_comments:
        footer = "\n".join(config.footer_comments)
        text = f"{text}\n{footer}" if text else footer
    return f"{text}\n" if text else ""


def dump(config, fp):
    """Write ``config`` to the text file object ``fp``."""
    fp.write(dumps(config))
