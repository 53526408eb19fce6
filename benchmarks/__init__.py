"""Benchmarks run by hand (a regular package, so a site-packages "benchmarks" such as the one pysbd 0.3.4 ships cannot shadow it)."""
