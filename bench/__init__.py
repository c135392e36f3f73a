"""goodwill's benchmark suite: ``make bench`` (``python -m bench``).

Every figure is printed next to its *limit*, measured in the same run on the
same data: the raw SQL that returns the same rows (lists, aggregates), or a
minimal handler served by the same Django stack (pages). The ratio is the
price of the feature above the database; networks are built by ``goodwill
demo`` and cached in ``bench/.cache/``.
"""
