"""The version of the library (``techdiversity.__version__``), in a module that imports nothing."""

__all__ = ["__version__"]

__version__ = "0.1.0"
