from duban import __version__
from duban.organisations.models import is_office_staff, person_of


def product(request):
    user = getattr(request, "user", None)
    return {
        "product_name": "督查督办系统",
        "product_version": __version__,
        "current_person": person_of(user),
        "is_office_staff": is_office_staff(user),
    }
