"""The fictional 青溪市 for the reporting-round tests: three units, their reporters, a leader,
and 2022 work-report targets of which some are due in 2022-Q2 and some are not."""

import dataclasses
import datetime

from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target
from tests.conftest import _user

Q2 = "2022-Q2"
T7 = "实施高新技术企业倍增计划，全年新增高新技术企业120家，总数达到650家。"
M7 = "完成第一批高新技术企业申报推荐工作。"
T8 = "建设青溪科技创新港，年内引进新型研发机构3家以上。"
M8 = "完成创新港一期主体工程验收。"
T9 = "推进科技成果转化，技术合同成交额增长15%。"
T10 = "争创省级创新型城市。"
M10 = "编制创新型城市建设方案。"


@dataclasses.dataclass
class City:
    gov: Organisation
    bureau: Organisation  # 市科技局
    reform: Organisation  # 市发展改革委
    industry: Organisation  # 市工业和信息化局
    office: object  # the office's user
    bureau_user: object
    reform_user: object
    leader: Person
    targets: dict  # number -> Target


def _at(month, day):
    return timezone.make_aware(datetime.datetime(2022, month, day, 9, 30))


def build_city() -> City:
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", kind="government", sort_order=1
    )
    bureau = Organisation.objects.create(
        name="青溪市科学技术局", short_name="市科技局", parent=gov, sort_order=10
    )
    reform = Organisation.objects.create(
        name="青溪市发展和改革委员会", short_name="市发展改革委", parent=gov, sort_order=20
    )
    industry = Organisation.objects.create(
        name="青溪市工业和信息化局", short_name="市工业和信息化局", parent=gov, sort_order=30
    )
    office = _user(
        "duchayuan", role=Person.Role.OFFICE, organisation=gov, name="陈督查", staff=True
    )
    bureau_user = _user("kejiju", role=Person.Role.UNIT, organisation=bureau, name="林晓")
    Person.objects.filter(user=bureau_user).update(email="linxiao@kjj.qingxi.example")
    reform_user = _user("fagaiwei", role=Person.Role.UNIT, organisation=reform, name="赵明")
    Person.objects.filter(user=reform_user).update(email="zhaoming@fgw.qingxi.example")
    bureau_user.refresh_from_db()
    reform_user.refresh_from_db()
    leader = Person.objects.create(
        name="周副市长", title="副市长", role=Person.Role.LEADER, organisation=gov
    )
    source = SourceCategory.WORK_REPORT
    progress = Target.State.IN_PROGRESS

    def target(number, text, *, unit=bureau, state=progress, year=2022, **fields):
        co_units = fields.pop("co_units", ())
        made = Target.objects.create(
            year=year,
            number=number,
            text=text,
            source_category=source,
            lead_unit=unit,
            state=state,
            **fields,
        )
        made.co_units.set(co_units)
        return made

    targets = {
        "7": target("7", T7, leader=leader, co_units=[industry]),
        "8": target("8", T8),
        # No milestone, due at the year's end: due in every quarter.
        "9": target("9", T9, deadline=datetime.date(2022, 12, 31)),
        "10": target("10", T10, unit=reform, state=Target.State.ASSIGNED, co_units=[bureau]),
        # Not due in Q2: due in Q1; closed; not yet assigned; last year's.
        "11": target(
            "11", "一季度完成科技计划项目申报指南发布。", deadline=datetime.date(2022, 3, 31)
        ),
        "12": target("12", "出台科技创新券管理办法。", state=Target.State.CLOSED),
        "13": target("13", "谋划建设青溪实验室。", unit=reform, state=Target.State.REGISTERED),
        "14": target("14", "上一年度的科技招商任务。", year=2021),
    }
    # A point of item 7: answered with its item, never a row of its own.
    target("7.1", "一是开展高新技术企业培育辅导。", parent=targets["7"])
    for number, text in (("7", M7), ("8", M8), ("10", M10)):
        Milestone.objects.create(target=targets[number], period=Q2, text=text)
    Milestone.objects.create(target=targets["7"], period="2022-Q1", text="印发培育方案。")
    ProgressReport.objects.create(
        target=targets["8"],
        period=Q2,
        unit=bureau,
        progress="创新港一期主体工程已通过验收。",
        status_text="完成",
        is_complete=True,
        review_state=ProgressReport.Review.SUBMITTED,
        submitted_at=_at(7, 2),
        created_at=_at(7, 2),
    )
    ProgressReport.objects.create(
        target=targets["9"],
        period=Q2,
        unit=bureau,
        progress="技术合同登记数量有所增加。",
        review_state=ProgressReport.Review.RETURNED,
        review_comment="请补充成交额数据。",
        submitted_at=_at(7, 3),
        created_at=_at(7, 3),
    )
    # Another period's report says nothing about Q2.
    ProgressReport.objects.create(
        target=targets["7"],
        period="2022-Q1",
        unit=bureau,
        progress="培育方案已印发。",
        review_state=ProgressReport.Review.ACCEPTED,
        submitted_at=_at(4, 2),
        created_at=_at(4, 2),
    )
    return City(gov, bureau, reform, industry, office, bureau_user, reform_user, leader, targets)
