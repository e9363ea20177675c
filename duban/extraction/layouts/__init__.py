"""Genre readers: turn a ReadDocument's tables and paragraphs into items with fields."""
