"""Keep IPython's help syntax away from ``%ask`` lines.

Questions end with '?', and IPython reads ``%ask what is duration?`` as a help
request for ``duration``. This cleanup transformer, which runs before IPython's
own, turns such a line into the equivalent explicit magic call.
"""

from __future__ import annotations

import re

_ASK_LINE = re.compile(r"^([ \t]*)%ask(?:[ \t]+(.*))?$")


def protect_ask_questions(lines: list[str]) -> list[str]:
    if not lines or lines[0].lstrip().startswith("%%"):
        return lines
    out = []
    for line in lines:
        match = _ASK_LINE.match(line.rstrip("\r\n"))
        if match:
            indent, rest = match.group(1), (match.group(2) or "").strip()
            out.append(f"{indent}get_ipython().run_line_magic('ask', {rest!r})\n")
        else:
            out.append(line)
    return out
