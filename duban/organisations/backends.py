from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonAwareBackend(ModelBackend):
    """Django's password backend, loading the signed-in user together with their person and
    unit: every page asks who the user is and which unit they report for."""

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("person__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
