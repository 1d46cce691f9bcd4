"""``python -m tariffrules``: the same command line as the ``tariffrules`` script."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
