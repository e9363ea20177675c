"""The signed-in user's own notifications (站内通知): the list, and marking them read.
Nobody sees or marks another user's notifications: those answer 404, as if they did not exist."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


def _back(request):
    page = request.POST.get("page", "")
    url = redirect("notifications:list").url
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def notification_list(request):
    notifications = (
        Notification.objects.filter(user=request.user)
        .select_related("target", "round")
        .defer("target__search_text", "target__benchmark")
        .order_by("-created_at", "-id")
    )
    page = Paginator(notifications, settings.DUBAN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/notifications.html", {"page": page})


@require_POST
@login_required
def mark_read(request, pk):
    updated = Notification.objects.filter(pk=pk, user=request.user)
    if not updated.exists():
        raise Http404("没有找到这条通知")
    updated.filter(read_at__isnull=True).update(read_at=timezone.now())
    return _back(request)


@require_POST
@login_required
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return _back(request)
