"""Personal API tokens: only a hash is kept, the secret is shown once, tokens can be revoked."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from duban.api.models import ApiToken
from duban.audit.models import AuditEvent


def run(*args) -> str:
    out = io.StringIO()
    call_command("apitoken", *args, stdout=out)
    return out.getvalue()


def test_only_a_hash_of_the_secret_is_stored(bureau_user):
    token, secret = ApiToken.issue(bureau_user, name="OA 门户")
    assert secret.startswith("duban_") and len(secret) > 40
    token.refresh_from_db()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert ApiToken.user_for(secret) == bureau_user
    assert ApiToken.user_for(secret[:-1]) is None
    assert ApiToken.user_for("") is None


def test_issuing_and_revoking_are_recorded_without_the_secret(bureau_user):
    token, secret = ApiToken.issue(bureau_user, name="OA 门户")
    token.revoke()
    events = AuditEvent.objects.filter(object_id=str(token.pk), object_type__model="apitoken")
    assert [e.action for e in events.order_by("id")] == ["create", "transition"]
    for event in events:
        assert token.secret_hash not in str(event.before) + str(event.after)
        assert secret not in str(event.before) + str(event.after)


def test_command_creates_a_token_and_prints_its_secret_once(bureau_user):
    output = run("create", "bureau", "--name", "OA 门户")
    token = ApiToken.objects.get()
    secret = next(line for line in output.splitlines() if line.startswith("duban_"))
    assert token.name == "OA 门户"
    assert token.user == bureau_user
    assert ApiToken.user_for(secret) == bureau_user
    assert f"#{token.pk}" in output and "只显示这一次" in output


def test_command_refuses_an_unknown_or_deactivated_account(bureau_user):
    with pytest.raises(CommandError, match="没有这个账号"):
        run("create", "nobody")
    bureau_user.is_active = False
    bureau_user.save()
    with pytest.raises(CommandError, match="已停用"):
        run("create", "bureau")
    assert not ApiToken.objects.exists()


def test_command_revokes_a_token(bureau_user):
    token, secret = ApiToken.issue(bureau_user)
    assert "已撤销" in run("revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked and token.revoked_at is not None
    assert ApiToken.user_for(secret) is None
    assert "无需再次撤销" in run("revoke", str(token.pk))


def test_command_refuses_to_revoke_an_unknown_token(db):
    with pytest.raises(CommandError, match="没有编号为 99 的令牌"):
        run("revoke", "99")


def test_command_lists_tokens_without_secrets(bureau_user, office_user):
    kept, _ = ApiToken.issue(bureau_user, name="OA 门户")
    gone, secret = ApiToken.issue(office_user, name="旧脚本")
    gone.revoke()
    listing = run("list")
    assert "OA 门户" in listing and "旧脚本" in listing and "已撤销" in listing
    assert secret not in listing
    assert "旧脚本" not in run("list", "bureau")


def test_the_console_command_reaches_it(bureau_user, capsys):
    from duban.cli import main

    assert main(["apitoken", "create", "bureau"]) == 0
    assert "duban_" in capsys.readouterr().out
    assert main(["apitoken", "revoke", "12345"]) == 1
