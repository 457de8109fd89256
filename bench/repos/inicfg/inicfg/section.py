"""The storage of one section: raw option values in order, and the comments around them."""


class Section:
    """Options of one section, in the order they were first set.

    Values are stored raw, exactly as read or set: interpolation happens when a value is
    read through :class:`inicfg.Config`. Comment lines that preceded the section header or
    an option in the source text are kept with it so that the writer can put them back.
    """

    def __init__(self, name):
        self.name = name
        self.comments = []
        self._values = {}
        self._option_comments = {}

    def __contains__(self, option):
        return option in self._values

    def __iter__(self):
        return iter(list(self._values))

    def __len__(self):
        return len(self._values)

    def __repr__(self):
        return f"Section({self.name!r}, {self._values!r})"

    def get_raw(self, option):
        """Return the raw value of ``option``; raises KeyError when it is not set here."""
        return self._values[option]

    def set_raw(self, option, value):
        self._values[option] = value

    def remove(self, option):
        """Remove ``option`` and its comments; return whether it existed."""
        if option not in self._values:
            return False
        del self._values[option]
        self._option_comments.pop(option, None)
        return True

    def items_raw(self):
        return list(self._values.items())

    def option_comments(self, option):
        """The comment lines written above ``option`` (a copy)."""
        return list(self._option_comments.get(option, ()))

    def add_option_comments(self, option, lines):
        if lines:
            self._option_comments.setdefault(option, []).extend(lines)

    def is_empty(self):
        return not self._values and not self.comments
