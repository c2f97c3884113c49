"""The one thing pyproject.toml cannot say: the C extension (the compiled JSON writer and reader
of time values).

It is optional: where it cannot be compiled, the package installs without it, and writes JSON
and reads time values in Python (tradetruce._write.COMPILED tells which).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "tradetruce._speedups",
            sources=["src/tradetruce/_speedups.c", "src/tradetruce/_speedups_when.c"],
            depends=["src/tradetruce/_speedups.h"],
            optional=True,
        )
    ]
)
