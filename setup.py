"""The one thing pyproject.toml cannot say: the C extension (the compiled JSON writer).

It is optional: where it cannot be compiled, the package installs without it and writes JSON in
Python (tradetruce._write.COMPILED tells which).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "tradetruce._speedups",
            sources=["src/tradetruce/_speedups.c"],
            optional=True,
        )
    ]
)
