"""Running batches past one process. :mod:`summarizer.scale.ray` runs them on a Ray cluster; it
imports Ray only when it is used (``pip install "sanctions-summarizer[ray]"``)."""
