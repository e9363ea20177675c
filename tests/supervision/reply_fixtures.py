"""青溪市's 2022 work-report tasks, the answers the science bureau types into its Q2 form, and
the form itself as the progress ledger writes it: shared by the replies tests."""

import pytest

from duban.organisations.models import Organisation
from duban.reports.ledgers.export import export_ledger
from duban.targets.models import Milestone, SourceCategory, Target
from duban.targets.periods import Period

Q2 = Period.parse("2022-Q2")

TASKS = [
    # number, text, lead, co-units
    ("43", "全市高新技术企业总数达到1200家，科技型中小企业入库1500家以上", "bureau", ()),
    ("45", "新增省级以上创新平台15家以上，推进青溪湖实验室建设", "bureau", ()),
    ("46", "全社会研发经费投入增长12%，技术合同成交额突破80亿元", "bureau", ()),
    ("47", "兑现研发费用加计扣除奖补资金1.2亿元，发放科技创新券3000万元", "bureau", ()),
    ("52", "设立青溪市科技成果转化引导基金，规模不低于5亿元", "finance", ("bureau",)),
    ("60", "规模以上工业企业研发机构覆盖率达到45%，培育专精特新企业80家", "industry", ()),
]

ANSWERS = {
    "43": {
        "是否完成": "完成",
        "具体工作进展": "全市高新技术企业达到1236家，科技型中小企业入库1611家。",
        "未完成原因": "无",
        "下步工作打算": "做好下半年高企申报辅导。",
    },
    "45": {
        "是否完成": "未完成",
        "具体工作进展": "新增省级创新平台6家，青溪湖实验室完成主体封顶。",
        "未完成原因": "部分平台评审延期至三季度。",
        "下步工作打算": "跟进省级平台评审结果。",
    },
    "46": {
        "是否完成": "完成",
        "具体工作进展": "技术合同成交额累计41.3亿元，研发投入统计正在汇总。",
        "未完成原因": "",
        "下步工作打算": "开展技术经纪人培训两期。",
    },
    "47": {
        "是否完成": "完成",
        "具体工作进展": "创新券已发放1200万元。",
        "未完成原因": "",
        "下步工作打算": "",
    },
    "52": {
        "是否完成": "完成",
        "具体工作进展": "配合财政局拟定基金管理办法。",
        "未完成原因": "",
        "下步工作打算": "",
    },
}


@pytest.fixture(name="city")
def qingxi_city(db):
    """青溪市: the government, the science bureau, finance and industry."""
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government"
    )
    bureau = Organisation.objects.create(
        name="青溪市科学技术局", short_name="市科技局", parent=gov, aliases="科技局"
    )
    finance = Organisation.objects.create(name="青溪市财政局", short_name="市财政局", parent=gov)
    industry = Organisation.objects.create(
        name="青溪市工业和信息化局", short_name="市工业和信息化局", parent=gov
    )
    return {"gov": gov, "bureau": bureau, "finance": finance, "industry": industry}


@pytest.fixture(name="tasks")
def qingxi_tasks(city, make_target, leader):
    found = {}
    for number, text, lead, co in TASKS:
        target = make_target(
            year=2022, number=number, text=text, source_category=SourceCategory.WORK_REPORT
        )
        target.approve()
        target.assign(
            lead_unit=city[lead],
            co_units=[city[c] for c in co],
            leader=leader,
            deadline_text="12月底前",
        )
        target.acknowledge()
        Milestone.objects.create(target=target, period=str(Q2), text=f"第{number}项二季度过半")
        found[number] = target
    return found


def unit_form(unit, fmt="xlsx", period=Q2, targets=None) -> bytes:
    """The unit's form as the progress ledger writes it: its targets, answers empty."""
    targets = targets if targets is not None else Target.objects.for_unit(unit.pk)
    return export_ledger(targets.filter(year=period.year), "progress", fmt, period=period).content
