"""Vigía: seguimiento y evaluación de políticas nacionales y planes del Sinaplan."""

__version__ = "0.1.0"
