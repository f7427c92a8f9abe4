"""The official datasets bundled with Vigía, as reviewable text (see FORMAT.md)."""

from .loader import Dataset, DatasetError, Record, available, load

__all__ = ["Dataset", "DatasetError", "Record", "available", "load"]
