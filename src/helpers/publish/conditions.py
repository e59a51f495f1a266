"""Conditions: the bools that choose a report's sentences, and the tags that use them.

A prose cell tagged `if-<name>` is kept only when the glued bool `<name>` holds,
`unless-<name>` only when it does not (helpers.publish.prose.prepare asks `holds`).
"""

from __future__ import annotations

import re

from helpers.errors import JJJError

TAG = re.compile(r"^(if|unless)-(.+)$")


def names(tags) -> list[str]:
    """The conditions a cell's tags name, in order."""
    return [m.group(2) for t in tags if (m := TAG.match(t))]


def holds(tags, values: dict, where: str) -> bool:
    """Whether every condition tag among `tags` holds under the glued `values`; a condition on
    a name never glued, or glued as something other than a bool, is named with `where`."""
    for tag in tags:
        m = TAG.match(tag)
        if not m:
            continue
        kind, name = m.groups()
        if name not in values:
            raise JJJError(f"{where}: condition {tag!r}: no value {name!r}")
        flag = values[name]
        if not isinstance(flag, bool):
            raise JJJError(f"{where}: condition {tag!r}: not a bool")
        if flag != (kind == "if"):
            return False
    return True
