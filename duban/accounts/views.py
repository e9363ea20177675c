"""The setup page, a person's account page (invite, printable link, disable, enable), the
invitation link, and Django's password reset with the product's templates."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from duban.organisations.models import Person, is_office_staff

from . import invitations, status
from .forms import AcceptInvitationForm, PasswordResetForm, SetPasswordForm
from .models import Invitation, Office
from .setup import SetupForm, SetupRefused, needs_setup

BACKEND = "duban.organisations.backends.PersonAwareBackend"


def office_staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _refuse_after_setup():
    raise Http404("系统已完成初始设置，初始设置页面不再开放。请直接登录。")


def setup(request):
    if not needs_setup():
        _refuse_after_setup()
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office, person, user = form.save()
        except SetupRefused:
            _refuse_after_setup()
        login(request, user, backend=BACKEND)
        messages.success(
            request,
            f"初始设置完成：本单位为{office.name}，{person.name}的督查员账号已开通。"
            "现在可以导入文件，建立目标任务。",
        )
        return redirect("home")
    status_code = 400 if request.method == "POST" else 200
    return render(request, "accounts/setup.html", {"form": form}, status=status_code)


def _person(pk) -> Person:
    return get_object_or_404(Person.objects.select_related("user", "organisation"), pk=pk)


def _next(request) -> str:
    """Where to go back to (the people list that linked here), when it is this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request, person):
    return redirect(_next(request) or reverse("accounts:person", args=[person.pk]))


@office_staff_required
def person_account(request, pk):
    person = _person(pk)
    pending = (
        Invitation.objects.filter(person=person, used_at=None, revoked_at=None)
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "status": status.account_status(person),
            "pending": pending if pending is not None and pending.is_pending() else None,
            "can_email": invitations.why_not_invitable(person, Invitation.Channel.EMAIL),
            "can_link": invitations.why_not_invitable(person, Invitation.Channel.LINK),
            "next": _next(request),
            "invitation_days": invitations.valid_days(),
        },
    )


@office_staff_required
@require_POST
def invite(request, pk):
    person = _person(pk)
    channel = request.POST.get("channel", Invitation.Channel.EMAIL)
    if channel not in Invitation.Channel.values:
        channel = Invitation.Channel.EMAIL
    try:
        invitation, token = invitations.invite(person, by=request.user, channel=channel)
    except invitations.CannotInvite as refusal:
        messages.error(request, str(refusal))
        return _back(request, person)
    if channel == Invitation.Channel.EMAIL:
        messages.success(request, f"已向{person.name}（{invitation.sent_to}）发出账号邀请邮件。")
        return _back(request, person)
    # Shown once: only the nonce's hash is stored, the link cannot be shown again.
    return render(
        request,
        "accounts/invitation_link.html",
        {
            "person": person,
            "invitation": invitation,
            "url": invitations.invitation_url(token),
            "office": Office.current(),
        },
    )


@office_staff_required
@require_POST
def disable(request, pk):
    return _change(request, pk, status.disable, "已停用{name}的账号，其历史记录保留。")


@office_staff_required
@require_POST
def enable(request, pk):
    return _change(request, pk, status.enable, "已启用{name}的账号。")


def _change(request, pk, action, done):
    person = _person(pk)
    try:
        changed = action(person, by=request.user)
    except status.CannotChange as refusal:
        messages.error(request, str(refusal))
    else:
        if changed:
            messages.success(request, done.format(name=person.name))
    return _back(request, person)


def invitation(request, token):
    try:
        invitation = invitations.open_invitation(token)
    except invitations.InvitationRefused as refusal:
        return render(
            request,
            "accounts/invitation_refused.html",
            {"title": refusal.title, "message": refusal.message},
            status=refusal.status,
        )
    person = invitation.person
    if request.method == "POST":
        form = AcceptInvitationForm(invitation, request.POST)
        if form.is_valid():
            try:
                user = invitations.accept(
                    invitation,
                    username=form.cleaned_data.get("username"),
                    password=form.cleaned_data["password1"],
                    remote_addr=request.META.get("REMOTE_ADDR"),
                )
            except invitations.InvitationRefused as refusal:  # used meanwhile in another tab
                return render(
                    request,
                    "accounts/invitation_refused.html",
                    {"title": refusal.title, "message": refusal.message},
                    status=refusal.status,
                )
            login(request, user, backend=BACKEND)
            messages.success(request, f"{person.name}，您的账号已开通，欢迎使用。")
            return redirect("home")
    else:
        form = AcceptInvitationForm(
            invitation, initial={"username": invitations.suggested_username(person)}
        )
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "person": person, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def get_extra_email_context(self):
        return {"base_url": settings.DUBAN_BASE_URL.rstrip("/")}

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")
