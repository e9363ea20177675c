"""duban (督办): supervision and follow-up of government science-and-technology targets."""

__version__ = "0.1.0"
