"""Running a batch on Dask: partition a CSV (or Parquet) file and resolve each partition on a worker.

``RuleSet.resolve_table`` (or, without pyarrow, ``resolve_many``) is a pure
function of (rule set, lines) and a rule set pickles as its data (the index is rebuilt on the worker), so a
partition can be resolved anywhere and the answers are the same, line for
line, as in one process. Needs the optional extra ``dask``
(``pip install 'tariffrules[dask]'``).

Usage (see ``examples/dask_scaleout.py`` for a run that is checked line for line)::

    from tariffrules.scaleout import resolve_csv
    frame = resolve_csv("entries-*.csv", tariffrules.builtin("us"))
    frame.to_csv("rated-*.csv", index=False)   # runs on the current Dask scheduler
"""

from __future__ import annotations

from typing import Any

from .tabular import RESULT_COLUMNS, resolve_rows

__all__ = ["resolve_partition", "resolve_frame", "resolve_csv", "resolve_parquet"]


def resolve_partition(frame: Any, rules: Any, allow_stale: bool = False) -> Any:
    """Resolve one pandas DataFrame of text cells; returns it with the result columns added, as text.

    Runs :meth:`RuleSet.resolve_table` on the partition when pyarrow is
    installed (the ``arrow`` extra), else :func:`tariffrules.tabular.resolve_rows`;
    both give the same cells.
    """
    import pandas as pd

    columns = list(frame.columns) + [c for c in RESULT_COLUMNS if c not in frame.columns]
    try:
        import pyarrow as pa

        from .table import resolve_table, text_batch
    except ImportError:
        rows = frame.to_dict(orient="records")
        out = list(resolve_rows(rules, rows, allow_stale=allow_stale))
        return pd.DataFrame(out, columns=columns, index=frame.index)
    table = resolve_table(rules, pa.Table.from_pandas(frame, preserve_index=False), allow_stale=allow_stale)
    texts = pa.Table.from_batches([text_batch(b) for b in table.to_batches()], schema=None) if table.num_rows \
        else None
    out = texts.select(columns).to_pandas() if texts is not None else pd.DataFrame(columns=columns)
    out.index = frame.index
    return out.astype(object)


def resolve_frame(frame: Any, rules: Any, allow_stale: bool = False) -> Any:
    """Map :func:`resolve_partition` over a Dask DataFrame (lazy; call ``.compute()`` or write it)."""
    import pandas as pd

    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in list(frame.columns) + list(RESULT_COLUMNS)})
    return frame.map_partitions(resolve_partition, rules, allow_stale, meta=meta)


def resolve_csv(path: Any, rules: Any, *, blocksize: str | int = "16MB", allow_stale: bool = False) -> Any:
    """Read CSV file(s) as text cells, partitioned by ``blocksize``, and resolve every row."""
    import dask.dataframe as dd

    frame = dd.read_csv(path, dtype=str, keep_default_na=False, blocksize=blocksize)
    return resolve_frame(frame, rules, allow_stale)


def resolve_parquet(path: Any, rules: Any, *, allow_stale: bool = False) -> Any:
    """Read Parquet file(s) (values cast to text; a null cell stays "not given") and resolve every row."""
    import dask.dataframe as dd

    frame = dd.read_parquet(path)
    frame = frame.astype(object).where(frame.notnull(), None).map_partitions(
        lambda part: part.apply(lambda col: col.map(lambda v: v if v is None else str(v))))
    return resolve_frame(frame, rules, allow_stale)
