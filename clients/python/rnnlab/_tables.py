"""Tables as pandas DataFrames when pandas is installed, as lists of dicts otherwise."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

try:  # pandas is optional: `pip install rnnlab[pandas]` or Debian's python3-pandas.
    import pandas
except ImportError:  # pragma: no cover - depends on the environment
    pandas = None

Rows = List[Dict[str, Any]]


def table(rows: Rows, columns: Sequence[str] = ()) -> Any:
    """A DataFrame of ``rows`` (keeping ``columns`` first, even when there are no rows), or ``rows`` itself."""
    if pandas is None:
        return rows
    ordered = list(columns) + sorted({key for row in rows for key in row} - set(columns))
    return pandas.DataFrame(rows, columns=ordered)
