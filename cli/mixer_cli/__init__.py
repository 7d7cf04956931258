"""The ``mixer`` command line: a thin click + rich layer over the :mod:`mixer` library."""
