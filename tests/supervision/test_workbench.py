import datetime

from django.utils import timezone

from duban.targets.models import ProgressReport, Target


def test_office_home_lists_what_waits_for_office_staff(client, office_user, make_target, city):
    make_target(text="待审核的目标甲")
    approved = make_target(text="待交办的目标乙")
    approved.approve()
    busy = make_target(
        text="办理中的目标丙", lead_unit=city["bureau"], state=Target.State.IN_PROGRESS
    )
    report = ProgressReport.objects.create(
        target=busy, period="2026-Q2", progress="进展", is_complete=True
    )
    report.submit()
    client.force_login(office_user)
    body = client.get("/").content.decode()
    assert "待审核的目标甲" in body and "待交办的目标乙" in body
    assert "待审核的报送" in body and "办理中的目标丙" in body


def test_unit_home_shows_its_own_work_with_lights(client, bureau_user, make_target, city):
    soon = timezone.localdate() + datetime.timedelta(days=2)
    make_target(
        text="待签收的目标", lead_unit=city["bureau"], state=Target.State.ASSIGNED, deadline=soon
    )
    make_target(text="本期待报送的目标", lead_unit=city["bureau"], state=Target.State.IN_PROGRESS)
    make_target(
        text="协办的目标",
        lead_unit=city["industry"],
        co_units=[city["bureau"]],
        state=Target.State.IN_PROGRESS,
    )
    make_target(text="别家的目标", lead_unit=city["industry"])
    client.force_login(bureau_user)
    response = client.get("/")
    body = response.content.decode()
    sections = dict(response.context["sections"])
    assert [t["text"] for t in sections["待签收"]] == ["待签收的目标"]
    assert [t["text"] for t in sections["协办的目标"]] == ["协办的目标"]
    assert "本期待报送的目标" in body
    assert "别家的目标" not in body
    assert 'class="light light-yellow"' in body


def test_unit_home_lists_returned_reports(client, bureau_user, office_user, make_target, city):
    target = make_target(lead_unit=city["bureau"], state=Target.State.IN_PROGRESS)
    report = ProgressReport.objects.create(
        target=target, period="2026-Q2", progress="x", is_complete=True
    )
    report.submit()
    report.return_for_revision(office_user, "请补充数据来源")
    client.force_login(bureau_user)
    body = client.get("/").content.decode()
    assert "请补充数据来源" in body
    link = f'<a href="/targets/{target.pk}/report/?period=2026-Q2">{target}（2026年第二季度）</a>'
    assert link in body


def test_leader_home_shows_targets_in_charge_with_latest_report(
    client, leader_user, leader, make_target
):
    mine = make_target(text="分管的目标", leader=leader)
    ProgressReport.objects.create(
        target=mine, period="2026-Q2", progress="最新的进展内容", is_complete=True
    )
    make_target(text="他人分管的目标")
    client.force_login(leader_user)
    body = client.get("/").content.decode()
    assert "分管的目标" in body and "最新的进展内容" in body
    assert "他人分管的目标" not in body


def test_points_that_follow_their_item_do_not_wait_for_steps_of_their_own(
    client, bureau_user, make_target, city
):
    item = make_target(text="推进青溪实验室建设", lead_unit=city["bureau"])
    make_target(text="一是完成主体工程", parent=item, lead_unit=city["bureau"])
    separate = make_target(
        text="二是引进研发团队", parent=item, lead_unit=city["bureau"], state=Target.State.ASSIGNED
    )
    item.state = Target.State.ASSIGNED
    item.save()
    Target.objects.filter(parent=item).exclude(pk=separate.pk).update(state=Target.State.ASSIGNED)
    # The item moves on; a point left behind in another state waits on its own.
    item.acknowledge()
    Target.objects.filter(pk=separate.pk).update(state=Target.State.ASSIGNED)
    client.force_login(bureau_user)
    sections = dict(client.get("/").context["sections"])
    assert [t["text"] for t in sections["待签收"]] == ["二是引进研发团队"]
    (to_report,) = [rows for name, rows in sections.items() if name.endswith("待报送")]
    assert [t["text"] for t in to_report] == ["推进青溪实验室建设"]


def test_unit_sections_hold_what_a_query_per_section_gives(client, bureau_user, make_target, city):
    """The unit's workbench sorts its targets into sections in one pass; each section must
    hold the rows, in the order and up to the number, that a query of its own would give."""
    from django.db.models import Exists, F, OuterRef

    from duban.supervision.workbench import LIMIT
    from duban.targets.periods import Period

    today = timezone.localdate()
    period = str(Period.quarter_of(today))
    State = Target.State
    for n in range(LIMIT + 4):  # more than a section shows, some without a deadline
        deadline = None if n % 5 == 0 else today + datetime.timedelta(days=n % 7)
        make_target(
            text=f"待签收{n}", lead_unit=city["bureau"], state=State.ASSIGNED, deadline=deadline
        )
    for n, review in enumerate(["submitted", "accepted", "draft", "returned", None]):
        target = make_target(text=f"办理中{n}", lead_unit=city["bureau"], state=State.IN_PROGRESS)
        if review:
            ProgressReport.objects.create(
                target=target, period=period, progress="x", is_complete=True, review_state=review
            )
    item = make_target(text="上级事项", lead_unit=city["bureau"], state=State.IN_PROGRESS)
    make_target(text="随上级的点", parent=item, lead_unit=city["bureau"], state=State.IN_PROGRESS)
    make_target(
        text="自行签收的点",
        parent=item,
        lead_unit=city["bureau"],
        state=State.ASSIGNED,
        deadline=today,
    )
    for state in (State.IN_PROGRESS, State.CLOSED, State.ASSIGNED):
        make_target(
            text=f"协办{state}", lead_unit=city["industry"], co_units=[city["bureau"]], state=state
        )
    make_target(text="别家的目标", lead_unit=city["industry"], state=State.ASSIGNED)

    def texts(queryset):
        return [t.text for t in queryset.order_by("deadline", "id")[:LIMIT]]

    visible = Target.objects.visible_to(bureau_user)
    own = visible.exclude(parent__isnull=False, parent__state=F("state"))
    led = own.filter(lead_unit=city["bureau"])
    reported = ProgressReport.objects.filter(
        target=OuterRef("pk"), period=period, review_state__in=["submitted", "accepted"]
    )
    expected = [
        texts(led.filter(state=State.ASSIGNED)),
        texts(led.filter(state=State.IN_PROGRESS).exclude(Exists(reported))),
        texts(own.exclude(lead_unit=city["bureau"]).exclude(state=State.CLOSED)),
    ]
    client.force_login(bureau_user)
    response = client.get("/")
    sections = response.context["sections"]
    assert [[row["text"] for row in rows] for _, rows in sections] == expected
    assert len(expected[0]) == LIMIT and "自行签收的点" in expected[0]
    assert "办理中2" in expected[1] and "办理中0" not in expected[1]
    lights = dict.fromkeys(["green", "yellow", "red", "done"], 0)
    for target in visible.with_lights():
        lights[target.light] += 1
    assert response.context["counts"] == lights
