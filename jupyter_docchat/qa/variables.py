"""Kernel variables as sources: a short, capped text description of each named object.

A DataFrame is described by its shape, columns, dtypes, nulls, first rows and numeric summary; an
array by its shape, dtype, a few values and statistics; a dict or list by its length and first items;
a function or class by its signature and docstring; anything else by its type and a cut ``repr``.
pandas and NumPy are never imported here: an object is recognised by its type's module, so a kernel
that never imported them pays nothing. A description (the user's ``repr``, properties, summaries)
has a time budget; past it the object is described by its type alone.
"""

from __future__ import annotations

import hashlib
import inspect
from itertools import islice
from typing import Any, Mapping

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.qa.key_guard import NOT_SHOWN, KeyGuard, key_like, secret_word, without_secrets
from jupyter_docchat.qa.time_budget import OutOfTime, within
from jupyter_docchat.safe_text import clean_text, cut, safe_repr
from jupyter_docchat.types import Hit

MAX_CHARS = 4000  # one variable's description, whatever the object
REPR_CHARS = 2000
ITEMS = 10  # first items of a dict or list
COLUMNS = 100  # a DataFrame's columns listed with their dtype and nulls (their lines fill MAX_CHARS before)
TABLE_COLUMNS = 20  # columns a table shows (_table's max_cols)
DESCRIBE_SECONDS = 3.0  # a DataFrame of millions of rows is summarised well within this


class VariableError(DocChatError):
    """A named variable that cannot be used as a source."""


def parse_names(spec: str) -> list[str]:
    """``"df, rates"`` → ``["df", "rates"]``, each checked to be a name (``obj.attr`` allowed)."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if not names:
        raise VariableError("--with needs variable names, e.g. --with df,rates")
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise VariableError(f"--with takes variable names separated by commas; {name!r} is not one")
        # Named as a cell's names are read (key_guard.secret_word): "tokenizer", "keyword" and "key_columns" were
        # refused as secrets, and a frame's "n_tokens" column's values not shown (probe 29).
        word = secret_word(name)
        if word:
            raise VariableError(f"{name!r} looks like it holds a secret (its name has {word!r}), so it is never "
                                "sent: rename it if it does not")
    return list(dict.fromkeys(names))


def lookup(namespace: Mapping[str, Any], name: str) -> Any:
    head, *attrs = name.split(".")
    if head not in namespace:
        raise VariableError(f"no variable named {head!r} in the kernel: run the cell that defines it first")
    value = namespace[head]
    for attr in attrs:
        if attr.startswith("_"):
            raise VariableError(f"{name!r}: private attributes are not sent")
        try:
            value = getattr(value, attr)
        except Exception as exc:
            raise VariableError(f"{name!r}: {type(value).__name__} has no attribute {attr!r}") from exc
    return value


def describe(name: str, value: Any) -> tuple[str, str]:
    """(a one-line label such as "DataFrame 1,000 × 5", the description), the description capped."""
    for kind in (_text, _dataframe, _series, _ndarray, _mapping, _sequence, _callable):
        try:
            found = kind(value)
        except Exception:  # an odd subclass, or a dtype describe() cannot summarise: the repr still says something
            found = None
        if found is not None:
            label, text = found
            break
    else:
        # A dataclass's or a namespace's repr names its fields: Cfg(api_key='...') was sent whole (probe 30).
        label, text = type(value).__name__, cut(without_secrets(safe_repr(value)), REPR_CHARS)
    return clean_text(label), clean_text(cut(f"{name}: {label}\n{text}", MAX_CHARS))


def variable_hits(namespace: Mapping[str, Any], names: list[str], guard: KeyGuard | None = None) -> list[Hit]:
    """One source per name. A description that holds a secret ``guard`` knows of (the configured keys)
    is refused whole: a key must never reach a model, even inside another object."""
    hits = []
    for name in names:
        label, text = described(namespace, name)
        if guard is not None and guard.holds(f"{label}\n{text}"):  # a long label is cut from the text, not from the source
            raise VariableError(f"{name!r} contains the configured API key or server token, so it is never sent")
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        hits.append(Hit(id=f"var:{name}:{digest}", text=text, source=name, heading=label, origin="variable",
                        end_line=text.count("\n") + 1))
    if guard is not None:
        between = _holding_a_key_between(guard, hits)
        if between:
            raise VariableError(f"{' and '.join(repr(n) for n in between)} hold the configured API key or server token "
                                "between them (a part in each), so they are never sent")
    return hits


def _holding_a_key_between(guard: KeyGuard, hits: list[Hit]) -> list[str]:
    """The names of the variables whose values spell a key between them, none holding it whole (``a = KEY[:8]``,
    ``b = KEY[8:]``): sent side by side, the model, the answer and the sources shown would hold both halves. Each
    line of a description is looked at apart (a part may be any item of a list), without the line naming the
    variable, which is this module's own text."""
    lines = [(hit.source, line) for hit in hits for line in hit.text.split("\n")[1:]]
    split = guard.split_between([line for _, line in lines])
    return list(dict.fromkeys(lines[n][0] for n in sorted(split)))


def described(namespace: Mapping[str, Any], name: str, seconds: float = DESCRIBE_SECONDS) -> tuple[str, str]:
    """``describe(name, lookup(namespace, name))`` within ``seconds``; past them, by its type alone (a
    repr or a property that never returns must not hang the question)."""
    try:
        return within(seconds, lambda: describe(name, lookup(namespace, name)))
    except OutOfTime as exc:
        head = namespace.get(name.split(".")[0])
        label = type(head).__name__ if "." not in name else "attribute"
        return label, f"{name}: {label}\n(described by its type alone: its description was stopped, as {exc})"


def _module_of(value: Any) -> str:
    return type(value).__module__.split(".")[0]


def _text(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, (str, bytes)):
        return None
    unit = "characters" if isinstance(value, str) else "bytes"
    shown = value[:REPR_CHARS] if isinstance(value, str) else safe_repr(value[:REPR_CHARS])
    more = f"\n... and {len(value) - REPR_CHARS:,} more {unit}" if len(value) > REPR_CHARS else ""
    # A settings file read into a string shows no string it gives to a secret's name, as a cell does not (probe 27).
    return f"{type(value).__name__} of {len(value):,} {unit}", without_secrets(clean_text(shown)) + more


def _dataframe(value: Any) -> tuple[str, str] | None:
    if _module_of(value) != "pandas" or type(value).__name__ != "DataFrame":
        return None
    rows, cols = value.shape
    label = f"DataFrame {rows:,} × {cols:,}"
    # Only the columns the description can show are summarised: a frame thousands of columns wide took
    # the whole time budget (3 s for 20,000) and was then described by its type alone.
    shown = value.iloc[:, :COLUMNS]
    columns = "\n".join(f"  {_column_name(c)}: {t} ({n:,} null)" for (c, t), n in
                        zip(shown.dtypes.astype(str).items(), shown.isna().sum().tolist()))
    if cols > COLUMNS:
        columns += f"\n  ... and {cols - COLUMNS:,} more columns"
    # A column whose name looks secret (password_hash, api_token) is listed, its values are not shown.
    # A column of a MultiIndex ("creds", "api_key") too, and a row so named (a settings dict read with orient="index").
    secret = [_secret_label(c) for c in value.columns]
    if any(secret):
        keep = [not s for s in secret]
        value, shown = value.loc[:, keep], shown.loc[:, keep[:shown.shape[1]]]
        columns += "\n(values not shown of the columns whose name looks secret)"
    parts = [f"columns (dtype, nulls):\n{columns}",
             "first rows:\n" + _table(_secret_rows_hidden(_cells_without_secrets(value.head(5))))]
    numeric = shown.select_dtypes("number").iloc[:, :TABLE_COLUMNS]
    if numeric.shape[1]:
        parts.append("numeric summary:\n" + _table(numeric.describe()))
    return label, "\n".join(parts)


def _secret_label(label: Any) -> bool:
    """Whether a column's or row's label looks secret: a string, or a MultiIndex's tuple holding one, with a secret's
    word in it."""
    parts = label if isinstance(label, tuple) else (label,)
    return any(isinstance(part, str) and secret_word(part) is not None for part in parts)


def _secret_rows_hidden(head: Any) -> Any:
    """The first rows of a frame or series with the values of a row whose label looks secret not shown: a settings
    dict as a Series (pd.Series(config)) showed its "api_key" row's key whole, as --with config does not (probe 27)."""
    rows = [_secret_label(label) for label in head.index]
    if not any(rows):
        return head
    head = head.astype(object)  # a copy, which holds the note whatever the dtype
    if head.ndim == 1:
        head[rows] = "(not shown)"
    else:
        head.loc[rows, :] = "(not shown)"
    return head


def _cells_without_secrets(head: Any) -> Any:
    """The first rows of a frame or series with the secrets its cells of text or objects hold not shown, as a str's or a
    dict's are: a column of a config's lines ("password = ..."), of request URLs ("?api_key=..."), of dicts ({"token":
    ...}) showed its keys under a column of no secret's name (probe 37). Each cell alone, before the table cuts it at
    40 characters (a key's head was left); numbers and dates are left as they are, in their own format. Only the
    columns the table shows (its first and last TABLE_COLUMNS // 2): a frame 20,000 columns wide is described in time."""
    width = 1 if head.ndim == 1 else head.shape[1]
    half = TABLE_COLUMNS // 2
    shown = range(width) if width <= TABLE_COLUMNS else [*range(half), *range(width - half, width)]
    changed = {}
    for n in shown:
        column = head if head.ndim == 1 else head.iloc[:, n]
        if column.dtype.kind not in "biufcmM":
            values = column.tolist()
            cells = [_cell_without_secrets(cell) for cell in values]
            if any(new is not old for new, old in zip(cells, values)):  # else shown as it was, dtype and all
                changed[n] = column.astype(object)  # a copy, which holds the note whatever the dtype
                changed[n][:] = cells
    if not changed:
        return head
    if head.ndim == 1:
        return changed[0]
    head = head.copy()
    for n, column in changed.items():
        head.isetitem(n, column)
    return head


def _cell_without_secrets(value: Any) -> Any:
    """A cell itself when it shows no secret, else its copy without them."""
    if isinstance(value, str):
        shown = without_secrets(value)
        return value if shown == value else shown
    if type(value) in (dict, list, tuple):
        shown = _without_secrets(value)
        return value if shown == value else shown
    return value


def _column_name(name: Any) -> str:
    """A column's name on one line: one holding a line break (or not a string) as its repr."""
    return name if isinstance(name, str) and name.isprintable() else cut(safe_repr(name), 80)


def _series(value: Any) -> tuple[str, str] | None:
    if _module_of(value) != "pandas" or type(value).__name__ != "Series":
        return None
    label = f"Series {len(value):,} ({value.dtype}), name {value.name!r}"
    if isinstance(value.name, str) and secret_word(value.name):
        return label, f"nulls: {int(value.isna().sum()):,}\n(values not shown: its name looks secret)"
    parts = [f"nulls: {int(value.isna().sum()):,}",
             "first values:\n" + _table(_secret_rows_hidden(_cells_without_secrets(value.head(5))))]
    if value.dtype.kind in "iufc":
        parts.append("summary:\n" + _table(value.describe()))
    return label, "\n".join(parts)


def _ndarray(value: Any) -> tuple[str, str] | None:
    if _module_of(value) != "numpy" or type(value).__name__ != "ndarray":
        return None
    shape = " × ".join(f"{n:,}" for n in value.shape) or "scalar"
    label = f"array {shape} ({value.dtype})"
    flat = value.ravel()
    parts = [f"first values: {cut(without_secrets(repr(flat[:8].tolist())), 400)}"]  # an array of "token=..." lines
    if value.dtype.kind in "iuf" and flat.size:
        import numpy as np  # already imported: the value is an ndarray

        finite = flat[np.isfinite(flat)] if value.dtype.kind == "f" else flat
        if finite.size:
            parts.append(f"min {finite.min():.6g}, max {finite.max():.6g}, mean {finite.mean():.6g}, "
                         f"std {finite.std():.6g}; {flat.size - finite.size:,} not finite")
    return label, "\n".join(parts)


def _mapping(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    return _first_items(value, [f"  {cut(safe_repr(k), 80)}: {_item_value(k, v)}" for k, v in islice(value.items(), ITEMS)])


def _item_value(key: Any, value: Any) -> str:
    """An entry's value, unless its name looks secret (``--with settings`` or ``os.environ``): such a value
    is held back as a variable of that name is, and so are such entries inside it ({"db": {"password": ...}})."""
    word = secret_word(key) if isinstance(key, str) else None
    return f"(not shown: its name has {word!r})" if word else cut(without_secrets(safe_repr(_without_secrets(value))), 200)


def _without_secrets(value: Any, depth: int = 4) -> Any:
    """A plain dict or list (and those in it, ``depth`` deep) with the values of secret-looking names replaced;
    anything else as it is (its repr is cut to 200 characters)."""
    if depth <= 0 or type(value) not in (dict, list, tuple):
        return value
    more = [f"... {len(value) - ITEMS:,} more"] if len(value) > ITEMS else []
    if type(value) is dict:
        shown = {k: "(not shown)" if isinstance(k, str) and secret_word(k) else _without_secrets(v, depth - 1)
                 for k, v in islice(value.items(), ITEMS)}
        return {**shown, **dict.fromkeys(more)}
    return type(value)([*(_without_secrets(v, depth - 1) for v in islice(value, ITEMS)), *more])


def shown_value(value: Any) -> Any:
    """``value`` as its repr may show it: a dict's or list's items of secret-looking names, a pandas frame's columns and
    rows so named, a series so named or its rows, written "(not shown)" (in a copy of its first rows; anything else as
    it is). A cell's result (%ask --notebook) showed a frame's "token" column whole, as --with does not (probe 28)."""
    if _module_of(value) != "pandas" or type(value).__name__ not in ("DataFrame", "Series"):
        return _without_secrets(value)
    named = isinstance(value.name, str) and secret_word(value.name) if value.ndim == 1 else False
    columns = [_secret_label(c) for c in value.columns] if value.ndim == 2 else []
    if not (named or any(columns) or any(_secret_label(label) for label in value.index[:ITEMS])):
        return value
    head = value.head(ITEMS).astype(object)  # a copy, which holds the note whatever the dtype
    if named:
        return head.where(head.isna(), "(not shown)")
    for n, secret in enumerate(columns):
        if secret:
            head.iloc[:, n] = "(not shown)"
    return _secret_rows_hidden(head)


def _sequence(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, (list, tuple, set, frozenset)):
        return None
    # An item's string that gives a secret to a name ("OPENAI_API_KEY=sk-...", a .env file's lines) is hidden, as a
    # str's is (probe 28). A named tuple's field is an entry of its name, and an item after a secret's name (a pair
    # ("password", "...")) is that name's value: both were shown (probe 30).
    fields = getattr(value, "_fields", None) if isinstance(value, tuple) else None
    if isinstance(fields, tuple) and all(isinstance(f, str) for f in fields):
        return _first_items(value, [f"  {cut(f, 80)}: {_item_value(f, v)}" for f, v in islice(zip(fields, value), ITEMS)])
    lines, after_name = [], False
    for v in islice(value, ITEMS):
        # a key's length and digits: not the next of a list of names ("password", "email")
        secret = after_name and isinstance(v, str) and not any(ch.isspace() for ch in v) and key_like(v)
        lines.append(f"  {NOT_SHOWN}" if secret else f"  {cut(without_secrets(safe_repr(v)), 200)}")
        after_name = isinstance(v, str) and len(v) <= 64 and not any(ch.isspace() for ch in v) and bool(secret_word(v))
    return _first_items(value, lines)


def _first_items(value: Any, lines: list[str]) -> tuple[str, str]:
    """The label and description of a container from the lines of its first items (only those are
    looked at: a million-item list is not copied)."""
    more = f"\n  ... and {len(value) - ITEMS:,} more" if len(value) > ITEMS else ""
    return f"{type(value).__name__} of {len(value):,} items", "first items:\n" + "\n".join(lines) + more


def _callable(value: Any) -> tuple[str, str] | None:
    if not (inspect.isfunction(value) or inspect.isclass(value) or inspect.ismethod(value) or inspect.isbuiltin(value)):
        return None
    kind = "class" if inspect.isclass(value) else "function"
    try:
        signature = str(inspect.signature(value))
    except (TypeError, ValueError):
        signature = "(...)"
    doc = inspect.getdoc(value) or "(no docstring)"
    return f"{kind} {getattr(value, '__name__', '?')}{cut(signature, 200)}", cut(doc, REPR_CHARS)


def _table(frame: Any) -> str:
    try:
        return frame.to_string(max_cols=TABLE_COLUMNS, max_colwidth=40)
    except Exception:  # an odd subclass or extension dtype: its repr still says something
        return safe_repr(frame)
