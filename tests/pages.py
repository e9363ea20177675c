"""What a rendered page asks the browser to fetch, for the tests that keep pages offline."""

import re

_REFERENCE = re.compile(r"""(?:src|href|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Every src, href and action that points at another host (`https://…`, `//cdn…`)."""
    return [url for url in _REFERENCE.findall(html) if _ELSEWHERE.match(url)]
