import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from duban import __version__
from duban.organisations.models import is_office_staff, person_of

# The pages the frame of every page links to (base.html), by the names it uses for them.
NAV = {
    "home": "home",
    "targets": "targets:list",
    "notifications": "notifications:list",
    "dashboard": "reports:dashboard",
    "reply_upload": "supervision:reply_upload",
    "units": "organisations:units",
    "rounds": "supervision:rounds",
    "import": "documents:import",
    "channels": "supervision:channels",
    "admin": "admin:index",
    "logout": "logout",
    "public": "public:list",
}


@functools.lru_cache(maxsize=256)
def _reversed(name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


class FrameLinks:
    """The frame's links, each reversed once per process (and prefix the site is served
    under) rather than a dozen times on every page: they depend on nothing else."""

    def __getitem__(self, key: str) -> str:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return _reversed(NAV[key], get_script_prefix(), urlconf)


def product(request):
    user = getattr(request, "user", None)
    return {
        "product_name": "督查督办系统",
        "product_version": __version__,
        "current_person": person_of(user),
        "is_office_staff": is_office_staff(user),
        "nav": FrameLinks(),
    }
