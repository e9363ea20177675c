"""The web shell: layout, sign-in, error pages and the shared template helpers."""
