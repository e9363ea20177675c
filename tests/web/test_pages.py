def test_home_requires_login(client, office_user):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_page_is_a_chinese_404(client, office_user):
    client.force_login(office_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "Traceback" not in body


def test_admin_is_for_office_staff_only(client, office_user, bureau_user):
    client.force_login(bureau_user)
    assert client.get("/admin/").status_code == 302
    client.force_login(office_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "数据维护与更正" in response.content.decode()


def test_admin_target_change_page_opens(client, office_user, make_target):
    target = make_target()
    client.force_login(office_user)
    assert client.get(f"/admin/targets/target/{target.pk}/change/").status_code == 200


def test_admin_edit_is_audited(client, office_user, make_target):
    from duban.audit.models import AuditEvent

    target = make_target(text="原来的写法")
    client.force_login(office_user)
    page = client.get(f"/admin/targets/target/{target.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "co_units"}
    data.update(
        {
            "text": "更正后的写法",
            "year": 2026,
            "source_category": "work_plan",
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
            "indicators-TOTAL_FORMS": 0,
            "indicators-INITIAL_FORMS": 0,
        }
    )
    response = client.post(f"/admin/targets/target/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.for_target(target.pk).last()
    assert event.actor == office_user
    assert event.after == {"目标内容": "更正后的写法"}
