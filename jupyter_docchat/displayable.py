"""``Displayable``: the one ``_repr_mimebundle_`` of everything docchat shows in Jupyter.

A class gives ``__str__`` (text a terminal prints as is) and ``to_html()`` (escaped HTML); the mixin makes
the bundle, with only the MIME types the front end asks for (``include``/``exclude``, as IPython's
formatter passes them), and makes no HTML a text-only front end would throw away. At the bottom of the
layers, so that a report of the retrieval layer (``EvalReport``) uses it as the views do.
"""

from __future__ import annotations

from typing import Callable, Container

TEXT, HTML = "text/plain", "text/html"


class Displayable:
    def to_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Container[str] | None = None,
                          exclude: Container[str] | None = None) -> dict[str, str]:
        makers: dict[str, Callable[[], str]] = {TEXT: self.__str__, HTML: self.to_html}
        return {mime: make() for mime, make in makers.items()
                if (not include or mime in include) and not (exclude and mime in exclude)}
