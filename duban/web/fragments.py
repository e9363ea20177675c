"""Parts of pages rendered once and served to many visitors (see `duban.audit.changes`).

A rendered part may hold forms, and each form the CSRF token of the visitor it was rendered
for, which would refuse anyone else's post. Shared parts are therefore rendered with a
placeholder in the token's place, and each visitor's own token is put in when the part is
served.
"""

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from duban.web import jinja

# What `{% csrf_token %}` prints in a shared part; no real token has this form.
CSRF_PLACEHOLDER = "csrf-token-of-the-visitor"


def render_shared(template_name: str, context: dict, using: str | None = None) -> str:
    """Render a part for everyone who may see it: with no request, so no visitor's token
    (`using`: "jinja2" for a template of `duban/jinja2/`)."""
    context = {**context, "csrf_token": CSRF_PLACEHOLDER}
    if using == "jinja2":
        return jinja.render(template_name, context)
    return render_to_string(template_name, context)


def for_visitor(html: str, request) -> str:
    """A shared part with this visitor's CSRF token in its forms."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def served_part(context: dict | None) -> dict | None:
    """Of a cached page's context, what serving the page takes (its title, status and rendered
    content): what the other workers of the server are given (`duban.audit.shared`)."""
    if context is None:
        return None
    return {name: context[name] for name in ("title", "status", "content") if name in context}
