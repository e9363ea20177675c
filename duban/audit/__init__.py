"""留痕: an append-only record of every create, change and state transition."""
