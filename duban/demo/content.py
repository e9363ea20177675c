"""The demo city's units, people and three documents, as structured data.

The documents are rendered to text by `render.py` in the layouts real offices use (a prose
work plan, a quarterly completion table, a business-goal table), so every demo target points
at real characters of a real document. `{soon}` and `{overdue}` in deadlines are filled with
dates near the day the demo is loaded, so the traffic lights show all three colours.
"""

CITY = "青溪市"
PROVINCE_GOV = "东川省人民政府"
CITY_GOV = "青溪市人民政府"
BUREAU = "青溪市科学技术局"

# (name, short name, level, kind, parent name)
ORGANISATIONS = [
    (PROVINCE_GOV, "省政府", 1, "government", None),
    ("东川省科学技术厅", "省科技厅", 1, "department", PROVINCE_GOV),
    (CITY_GOV, "市政府", 2, "government", PROVINCE_GOV),
    (BUREAU, "市科技局", 2, "department", CITY_GOV),
    ("青溪市发展和改革委员会", "市发展改革委", 2, "department", CITY_GOV),
    ("青溪市工业和信息化局", "市工业和信息化局", 2, "department", CITY_GOV),
    ("青溪市财政局", "市财政局", 2, "department", CITY_GOV),
    ("青溪市人力资源和社会保障局", "市人力资源社会保障局", 2, "department", CITY_GOV),
    ("青溪市教育局", "市教育局", 2, "department", CITY_GOV),
    ("青溪市农业农村局", "市农业农村局", 2, "department", CITY_GOV),
    ("青溪市地方金融监督管理局", "市地方金融监管局", 2, "department", CITY_GOV),
    ("青溪市科学技术局高新技术科", "高新技术科", 2, "office", BUREAU),
    ("青溪市科学技术局成果转化科", "成果转化科", 2, "office", BUREAU),
    ("青溪市科学技术局人才科", "人才科", 2, "office", BUREAU),
    ("云台县人民政府", "云台县政府", 3, "government", CITY_GOV),
    ("云台县科学技术局", "云台县科技局", 3, "department", "云台县人民政府"),
]

# (name, title, organisation, role)
LEADERS = [
    ("陈立言", "副市长", CITY_GOV),
    ("周文澜", "副市长", CITY_GOV),
]

# Accounts: (username, display name, person title, organisation, role)
ACCOUNTS = [
    ("admin", "林晓", "督查科科长", BUREAU, "office"),
    ("kejiju", "孙一鸣", "综合科科员", BUREAU, "unit"),
    ("fagaiwei", "赵清", "科员", "青溪市发展和改革委员会", "unit"),
    ("gongxin", "钱明远", "科员", "青溪市工业和信息化局", "unit"),
    ("chenlm", "陈立言", "副市长", CITY_GOV, "leader"),
]

# --- document 1: the bureau's annual work plan (prose) ------------------------------------

PLAN_TITLE = "{year}年全市科技工作要点"
PLAN_INTRO = (
    "{year}年是实施“十五五”规划的开局之年。全市科技工作以建设区域科技创新高地为目标，"
    "聚焦企业创新、平台建设、人才集聚和成果转化四个方面，推动科技创新更好支撑全市高质量发展。"
)

# Each section: (heading, [items]); an item: (title, body, sub_points, lead office, deadline)
PLAN_SECTIONS = [
    (
        "壮大创新主体，提升企业创新能力",
        [
            (
                "实施科技企业倍增计划",
                "建立科技型企业培育库，入库企业实行分级辅导。年内高新技术企业总数达到560家，"
                "科技型中小企业入库评价数量突破900家。",
                [
                    "一是开展高企申报“一对一”辅导，全年组织培训不少于12场。",
                    "二是落实研发费用加计扣除政策，惠及企业300家以上。",
                ],
                "青溪市科学技术局高新技术科",
                "12月底前",
            ),
            (
                "引导企业加大研发投入",
                "落实企业研发投入后补助政策，全社会研发经费投入增长10%以上，"
                "研发投入强度提高0.2个百分点。",
                [],
                "青溪市科学技术局高新技术科",
                "持续推进",
            ),
        ],
    ),
    (
        "建设高能级创新平台",
        [
            (
                "推进青溪实验室建设",
                "完成青溪实验室一期主体工程，引进高层次研发团队3—5个，新增省级以上创新平台8家以上。",
                [],
                "青溪市科学技术局成果转化科",
                "{soon}",
            ),
        ],
    ),
    (
        "集聚科技人才，促进成果转化",
        [
            (
                "办好科技成果对接活动",
                "举办科技成果路演和校企对接活动20场左右，全年技术合同成交额达到45亿元。",
                [
                    "一是建设线上技术交易平台。",
                    "二是培育技术经理人100名。",
                ],
                "青溪市科学技术局成果转化科",
                "{overdue}",
            ),
            (
                "完善人才引育机制",
                "新引进高层次科技人才50人，支持青年科技人才项目30项。",
                [],
                "青溪市科学技术局人才科",
                "12月底前",
            ),
        ],
    ),
]

# --- document 2: the quarterly completion table (政府工作报告部分) ---------------------

PROGRESS_TITLE = (
    "{year}年第{quarter_cn}季度全市经济社会发展主要目标任务（政府工作报告部分）完成情况"
)
PROGRESS_CONTACT = "联系人：刘思远                         联系方式：6123456"
PROGRESS_HEADER = [
    "序号",
    "年度目标",
    "第{quarter}季度目标",
    "是否完成",
    "具体工作进展",
    "未完成原因",
    "下步工作打算",
    "市政府\n分管领导",
    "责任单位",
]
PROGRESS_NOTE = "注：责任单位有多个的，第一个为牵头单位。"

# (number, annual target, quarter target, status, progress, reason, next steps, leader, units,
#  deadline, loop state, review)
PROGRESS_ROWS = [
    (
        "31",
        "深入实施科技企业梯次培育，年内科技型中小企业、高新技术企业分别达到900家、550家。",
        "完成第二批高新技术企业申报材料审核，组织政策宣讲。",
        "完成",
        "组织高企政策宣讲会6场，参加企业210余家；第二批申报企业材料已全部完成审核，推荐上报86家。",
        "无",
        "跟踪认定评审进度，做好第三批企业辅导。",
        "陈立言",
        ["青溪市科学技术局", "青溪市财政局"],
        "12月底前",
        "in_progress",
        "accepted",
    ),
    (
        "32",
        "加快青溪实验室建设，新增省级以上创新平台8家以上。",
        "实验室一期主体完工，启动省级平台申报。",
        "未完成",
        "实验室一期主体工程完成85%，已组织12家单位申报省级创新平台。",
        "受雨季施工影响，主体工程进度滞后。",
        "增加作业班组，确保下季度完成主体工程。",
        "陈立言",
        ["青溪市科学技术局", "青溪市发展和改革委员会", "云台县人民政府"],
        "{soon}",
        "in_progress",
        "returned",
    ),
    (
        "33",
        "推动技术市场发展，全年技术合同成交额增长15%。",
        "组织校企对接活动，推进技术经纪人培训。",
        "完成",
        "举办校企对接活动4场，签约项目23项；技术合同登记额同比增长18.6%。",
        "无",
        "筹办秋季成果路演周。",
        "周文澜",
        ["青溪市科学技术局", "青溪市教育局"],
        "12月底前",
        "in_progress",
        "submitted",
    ),
    (
        "34",
        "实施智能制造提升行动，新增省级智能工厂10家。",
        "完成智能工厂培育名单遴选。",
        "完成",
        "遴选培育企业18家，完成诊断评估12家。",
        "无",
        "指导企业编制建设方案。",
        "周文澜",
        ["青溪市工业和信息化局", "青溪市科学技术局"],
        "{overdue}",
        "in_progress",
        "accepted",
    ),
    (
        "35",
        "引进培育高层次人才团队，新增省级以上人才工程入选者15人左右。",
        "组织省级人才工程申报。",
        "完成",
        "组织申报省级人才工程42人，通过初审29人。",
        "是",
        "配合做好评审答辩工作。",
        "陈立言",
        ["青溪市人力资源和社会保障局", "青溪市科学技术局"],
        "12月底前",
        "assigned",
        None,
    ),
    (
        "36",
        "发展农业科技园区，创建省级农业科技园区1家。",
        "完成园区创建方案编制。",
        "完成",
        "园区创建方案已通过专家论证。",
        "无",
        "报送省科技厅审核。",
        "周文澜",
        ["青溪市农业农村局", "青溪市科学技术局"],
        "12月底前",
        "closed",
        "accepted",
    ),
]

# --- document 3: the bureau's business goals (业务目标) --------------------------------

GOALS_TITLE = "{year}年度市直单位业务目标"
GOALS_UNIT_LINE = (
    "单位名称：市科技局       主要负责人：王海川       联系人：吴静       联系电话：6123000"
)
GOALS_HEADER = ["类别", "序号", "目标名称", "目标内容"]
# (category, number, name, content, benchmark or None)
GOALS_ROWS = [
    (
        "重点目标",
        "1",
        "科技创新规划编制",
        "编制全市“十五五”科技创新专项规划，出台支持科技创新的若干政策措施。",
        None,
    ),
    (
        "重点目标",
        "2",
        "创新平台建设",
        "推进青溪实验室建设，新增市级以上重点实验室和工程技术研究中心20家。",
        None,
    ),
    (
        "重点目标",
        "3",
        "科技金融服务",
        "扩大科技成果转化贷款规模，全年新增科技信贷30亿元以上。",
        None,
    ),
    (
        "创优目标",
        "4",
        "研发投入强度",
        "全社会研发投入强度达到2.8%，居全省前5位。",
        "标杆城市及标杆值：东川省江城市，3.1%",
    ),
    (
        "创优目标",
        "5",
        "高新技术产业产值占比",
        "高新技术产业产值占规模以上工业总产值比重达到52%。",
        "标杆城市及标杆值：东川省江城市，55.2%",
    ),
]

# Indicators the demo attaches, each found in its target's text by the printed string.
# (document key, target number, printed text, subject, kind, measure, comparator, value,
#  value_max, unit)
INDICATORS = [
    ("plan", "1", "达到560家", "高新技术企业", "target", "total", "=", 560, None, "家"),
    ("plan", "1", "突破900家", "科技型中小企业", "target", "total", ">", 900, None, "家"),
    ("plan", "2", "增长10%以上", "全社会研发经费投入", "target", "growth", ">=", 10, None, "%"),
    ("plan", "3", "3—5个", "高层次研发团队", "target", "increase", "range", 3, 5, "个"),
    ("plan", "3", "8家以上", "省级以上创新平台", "target", "increase", ">=", 8, None, "家"),
    ("plan", "4", "45亿元", "技术合同成交额", "target", "total", "=", 45, None, "亿元"),
    ("progress", "31", "900家", "科技型中小企业", "target", "total", "=", 900, None, "家"),
    ("progress", "31", "550家", "高新技术企业", "target", "total", "=", 550, None, "家"),
    ("progress", "32", "8家以上", "省级以上创新平台", "target", "increase", ">=", 8, None, "家"),
    ("progress", "33", "增长15%", "技术合同成交额", "target", "growth", "=", 15, None, "%"),
    (
        "progress",
        "35",
        "15人左右",
        "省级以上人才工程入选者",
        "target",
        "increase",
        "~",
        15,
        None,
        "人",
    ),
    ("goals", "4", "达到2.8%", "研发投入强度", "target", "share", "=", 2.8, None, "%"),
    ("goals", "5", "达到52%", "高新技术产业产值占比", "target", "share", "=", 52, None, "%"),
]
