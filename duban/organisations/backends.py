from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from duban.queries import CompiledQuery


class PersonAwareBackend(ModelBackend):
    """Django's password backend, loading the signed-in user together with their person and
    unit: every page asks who the user is and which unit they report for."""

    def get_user(self, user_id):
        user = load_signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def load_signed_in_user(user_id):
    """The user with this id, their person and the person's unit, as
    `User.objects.select_related("person__organisation").get(pk=user_id)` would give them
    (None if there is no such user).

    Every signed-in request asks this, and Django built and compiled that query anew each
    time: a third of the CPU of a cached page. Here it is compiled once (`CompiledQuery`).

    Why not a cache of users: every change to an account would then have to renew it, an
    administrator's SQL included, and a disabled account must stop working at once."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    found = _user_by_id(user_id)
    return found[0] if found else None


_user_by_id = CompiledQuery(
    lambda pk: get_user_model().objects.select_related("person__organisation").filter(pk=pk)
)
