"""How the command line prints: rich tables and colour on a terminal, plain aligned text everywhere else.

Output that goes to a file or a pipe is read by programs and by ``grep``, so
it never carries escape codes; only a terminal gets rich's tables, colours
and progress bars. ``rich`` is optional (the ``cli`` extra): without it every
command prints the same information as plain text.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import IO, Any, Callable, Iterator, Sequence

import attrs

__all__ = ["Column", "Output", "load_rich", "bar_length"]

#: Width in characters of the longest bar in a chart.
BAR_WIDTH = 40


def load_rich() -> Any | None:
    """The ``rich`` package if it can be imported, else ``None`` (the plain-text path)."""
    try:
        import rich.console
        import rich.progress
        import rich.table
        import rich.text
    except ImportError:
        return None
    return rich


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def bar_length(value: Decimal, largest: Decimal, width: int = BAR_WIDTH) -> int:
    """Characters of a bar for ``value`` when ``largest`` fills ``width``; a non-zero value shows at least one.

    >>> bar_length(Decimal("25"), Decimal("50"))
    20
    >>> bar_length(Decimal("0.1"), Decimal("50")), bar_length(Decimal("0"), Decimal("50"))
    (1, 0)
    """
    if value <= 0 or largest <= 0:
        return 0
    return max(1, int((value * width / largest).to_integral_value()))


@attrs.frozen
class Column:
    """A table column: its header, whether its cells are numbers (right-aligned), and whether long
    cells may wrap on a terminal (free text such as citations) or must stay whole (ids, headings)."""

    header: str
    numeric: bool = False
    wrap: bool = False


class Output:
    """One output stream, rendered with rich when it is a terminal and rich is installed.

    ``plain=True`` (the ``--plain`` option, and always with ``--json``)
    forces plain text even on a terminal.
    """

    def __init__(self, stream: IO[str], *, plain: bool = False) -> None:
        self.stream = stream
        self.rich = None if plain or not _is_terminal(stream) else load_rich()
        self.console = self.rich.console.Console(file=stream, highlight=False) if self.rich else None

    @property
    def fancy(self) -> bool:
        """True when output goes through rich (a terminal)."""
        return self.console is not None

    # -- text --------------------------------------------------------------------
    def line(self, text: str = "", style: str | None = None) -> None:
        """One line of text; ``style`` (a rich style such as ``"bold"``) is used only on a terminal."""
        if self.console is not None:
            self.console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(text + "\n")

    def raw(self, text: str) -> None:
        """Text written as is, never styled (JSON, CSV)."""
        self.stream.write(text)

    # -- tables --------------------------------------------------------------------
    def table(self, title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
        """A table; in plain text, columns separated by two spaces under a dashed header rule."""
        cells = [["" if c is None else str(c) for c in row] for row in rows]
        if self.console is not None:
            table = self.rich.table.Table(title=self.rich.text.Text(title) if title else None, title_justify="left", title_style="bold",
                                          header_style="bold cyan")
            # ids and headings keep their full width when the terminal has room for them and some of the
            # free text; otherwise rich shares the width out as usual
            natural = [max([len(c.header)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
            needed = sum(n + 3 for n, c in zip(natural, columns) if not c.wrap) + 15 * sum(c.wrap for c in columns)
            keep_whole = needed <= self.console.width
            for column, width in zip(columns, natural):
                whole = keep_whole and not column.wrap
                table.add_column(column.header, justify="right" if column.numeric else "left",
                                 min_width=width if whole else None, no_wrap=whole, overflow="fold")
            for row in cells:
                table.add_row(*(self.rich.text.Text(c) for c in row))  # cells are data, never markup
            self.console.print(table)
            return
        if title:
            self.stream.write(title + "\n")
        headers = [c.header for c in columns]
        widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]

        def render(row: Sequence[str]) -> str:
            parts = [text.rjust(w) if col.numeric else text.ljust(w)
                     for text, w, col in zip(row, widths, columns)]
            return "  ".join(parts).rstrip()

        self.stream.write(render(headers) + "\n")
        self.stream.write("  ".join("-" * w for w in widths) + "\n")
        for row in cells:
            self.stream.write(render(row) + "\n")

    def fields(self, title: str | None, pairs: Sequence[tuple[str, Any]]) -> None:
        """Name/value lines (a record), names aligned; pairs whose value is ``None`` or empty are left out."""
        shown = [(name, str(value)) for name, value in pairs if value not in (None, "", ())]
        if self.console is not None:
            grid = self.rich.table.Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column(overflow="fold")
            for name, value in shown:
                grid.add_row(self.rich.text.Text(name), self.rich.text.Text(value))
            if title:
                self.console.print(title, style="bold", markup=False, highlight=False)
            self.console.print(grid)
            return
        if title:
            self.stream.write(title + "\n")
        width = max((len(name) for name, _ in shown), default=0)
        for name, value in shown:
            self.stream.write(f"  {name.ljust(width)}  {value}\n")

    def bars(self, title: str | None, items: Sequence[tuple[str, Decimal | None, str]]) -> None:
        """A text bar chart: one line per item, a bar proportional to its value, then its text.

        An item whose value is ``None`` (not computable) gets no bar, only its text.
        """
        largest = max((v for _, v, _ in items if v is not None), default=Decimal(0))
        label_width = max((len(label) for label, _, _ in items), default=0)
        mark = "█" if self.console is not None else "#"
        if title:
            self.line(title, style="bold")
        for label, value, text in items:
            length = bar_length(value, largest) if value is not None else 0
            bar = (mark * length).ljust(BAR_WIDTH)
            if self.console is not None:
                line = self.rich.text.Text(f"{label.ljust(label_width)} |")
                line.append(bar, style="yellow")
                line.append(f" {text}")
                self.console.print(line, highlight=False, soft_wrap=True)
            else:
                self.stream.write(f"{label.ljust(label_width)} |{bar} {text}".rstrip() + "\n")

    # -- progress ----------------------------------------------------------------
    @contextlib.contextmanager
    def status(self, text: str) -> Iterator[Callable[[str], None]]:
        """A one-line status on a terminal (rich spinner), nothing elsewhere; yields ``update(text)``."""
        if self.console is None:
            yield lambda text: None
            return
        with self.console.status(text) as shown:
            yield lambda new: shown.update(f"{text}: {new}")

    @contextlib.contextmanager
    def progress(self, total: int | None, description: str) -> Iterator[Callable[[int], None]]:
        """A progress bar on a terminal (rich), nothing elsewhere; yields ``update(done)``."""
        if self.console is None:
            yield lambda done: None
            return
        columns = (self.rich.progress.TextColumn("{task.description}"), self.rich.progress.BarColumn(),
                   self.rich.progress.MofNCompleteColumn(), self.rich.progress.TimeRemainingColumn())
        with self.rich.progress.Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done: bar.update(task, completed=done)
