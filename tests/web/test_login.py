from tests.conftest import PASSWORD


def test_login_page_is_in_chinese(client, office_user):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录督查督办系统" in response.content.decode()


def test_wrong_password_is_refused_with_401(client, office_user):
    response = client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert response.status_code == 401
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_missing_field_is_refused_with_400(client, office_user):
    response = client.post("/accounts/login/", {"username": "office"})
    assert response.status_code == 400
    assert "请填写用户名和密码" in response.content.decode()


def test_login_and_logout(client, office_user):
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/targets/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/targets/").status_code == 302


def test_passwords_are_hashed(office_user):
    assert office_user.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))
    assert PASSWORD not in office_user.password


def test_csrf_is_enforced_on_login(db, office_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
