"""tracker: a walking diary for people with intermittent claudication."""

__version__ = "0.1.0"
