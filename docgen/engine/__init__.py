"""The build engine: jobs (pure functions of bytes), the cache, executors, the pack.

``job`` defines a render as input bytes → output bytes; ``inputs`` gathers those bytes
from the project; ``cache`` stores results by the hash of their inputs; ``executors``
runs jobs inline, in a process pool (``-j N``) or on a Dask cluster; ``build`` is the
coordinator, the only part that touches the output folder.
"""
