"""The tables of the standards demo: sources, templates, the methodology of each demo
project type, change requests, suggestions and a tool evaluation."""

from __future__ import annotations

from pmo.core.models import Stage

# code | name | English name | kind | publisher | year | adoption | what was adopted
SOURCES = [
    (
        "GB/T 37507-2019",
        "项目管理指南",
        "Guidance on project management (ISO 21500)",
        "national",
        "国家市场监督管理总局、国家标准化管理委员会",
        2019,
        "adopted",
        "采用其项目生命周期、过程组（启动、规划、实施、控制、收尾）和主题组划分，作为各类方法论的骨架。",
    ),
    (
        "GB/T 37490-2019",
        "项目组合管理指南",
        "Guidance on portfolio management (ISO 21504)",
        "national",
        "国家市场监督管理总局、国家标准化管理委员会",
        2019,
        "partly",
        "采用立项决策关口与项目组合评审的衔接方式：立项决策关口的交付物同时作为项目组合评分的输入。",
    ),
    (
        "GB/T 41246-2022",
        "项目群管理指南",
        "Guidance on programme management (ISO 21503)",
        "national",
        "国家市场监督管理总局、国家标准化管理委员会",
        2022,
        "reference",
        "作为项目群下子项目关口协调的参考，暂未形成独立方法论。",
    ),
    (
        "PMBOK 7",
        "项目管理知识体系指南（第七版）",
        "A Guide to the Project Management Body of Knowledge, 7th ed.",
        "framework",
        "PMI",
        2021,
        "partly",
        "采用八大绩效域中的规划、交付、度量、不确定性，用于周报指标和风险登记册模板。",
    ),
    (
        "PRINCE2",
        "PRINCE2 受控环境下的项目管理",
        "PRINCE2: Projects in Controlled Environments",
        "framework",
        "AXELOS",
        2017,
        "partly",
        "采用“基于阶段的管理”和“按例外管理”原则：每个阶段末设关口，偏差超出容差时上报。",
    ),
    (
        "ISO 21502:2020",
        "项目、项目群和项目组合管理——项目管理指南",
        "Project, programme and portfolio management — Guidance on project management",
        "international",
        "ISO",
        2020,
        "reference",
        "作为下一版方法论修订的参考（剪裁与治理章节）。",
    ),
    (
        "HC-REG-PM-01",
        "华辰集团投资项目管理办法",
        "Huachen Group investment project regulation",
        "internal",
        "集团项目管理办公室",
        2024,
        "adopted",
        "规定了项目分类（重大/重点/一般）与各级审批权限，方法论的关口决策主体据此设置。",
    ),
]

# code | name | English name | kind (docx/xlsx) | sections or columns
TEMPLATES = [
    (
        "T-CASE",
        "项目建议书模板",
        "Project proposal template",
        "docx",
        ["项目背景与必要性", "目标与范围", "投资估算", "效益分析", "风险与对策", "实施计划"],
    ),
    (
        "T-CHARTER",
        "项目章程模板",
        "Project charter template",
        "docx",
        ["项目目标", "范围与边界", "里程碑", "项目组织与职责", "预算", "授权"],
    ),
    (
        "T-PLAN",
        "项目管理计划模板",
        "Project management plan template",
        "docx",
        [
            "范围管理",
            "进度管理",
            "成本管理",
            "质量管理",
            "资源管理",
            "沟通管理",
            "风险管理",
            "变更管理",
        ],
    ),
    (
        "T-SCHEDULE",
        "进度计划模板",
        "Schedule template",
        "xlsx",
        ["WBS编号", "任务名称", "负责人", "计划开始", "计划完成", "前置任务", "交付物"],
    ),
    (
        "T-RISK",
        "风险登记册模板",
        "Risk register template",
        "xlsx",
        [
            "风险编号",
            "风险描述",
            "类别",
            "概率(1-5)",
            "影响(1-5)",
            "应对策略",
            "应对措施",
            "责任人",
            "状态",
        ],
    ),
    (
        "T-STATUS",
        "项目周报模板",
        "Weekly status report template",
        "xlsx",
        [
            "报告周期",
            "总体状态",
            "进度",
            "成本",
            "本周完成",
            "下周计划",
            "问题与风险",
            "需协调事项",
        ],
    ),
    (
        "T-ACCEPT",
        "验收报告模板",
        "Acceptance report template",
        "docx",
        ["验收范围", "验收标准", "验收结论", "遗留问题与整改", "验收组签字"],
    ),
    (
        "T-CLOSE",
        "项目总结报告模板",
        "Project closure report template",
        "docx",
        ["目标达成情况", "进度与成本回顾", "质量与交付", "团队与资源", "经验教训", "后续事项"],
    ),
    (
        "T-LESSONS",
        "经验教训记录表",
        "Lessons learned log",
        "xlsx",
        ["阶段", "事件", "做得好的", "需改进的", "根本原因", "建议", "适用范围"],
    ),
    (
        "T-SRS",
        "需求规格说明书模板",
        "Software requirements specification template",
        "docx",
        ["引言", "总体描述", "功能需求", "非功能需求", "接口需求", "验收标准"],
    ),
    (
        "T-TEST",
        "测试报告模板",
        "Test report template",
        "docx",
        ["测试范围", "测试环境", "用例执行情况", "缺陷统计", "遗留问题", "测试结论"],
    ),
    (
        "T-SAFETY",
        "安全施工方案模板",
        "Construction safety plan template",
        "docx",
        ["工程概况", "危险源辨识", "安全措施", "应急预案", "安全责任"],
    ),
]

# Every methodology has four phases, each closed by a gate:
# phase code | name | English | gate code | gate name | English | due stage | position % | decided by
LIFECYCLE = [
    (
        "INIT",
        "立项",
        "Initiation",
        "G1",
        "立项决策",
        "Investment decision",
        Stage.APPROVED,
        0,
        "投资决策委员会",
    ),
    (
        "PLAN",
        "规划",
        "Planning",
        "G2",
        "计划评审",
        "Plan review",
        Stage.ACTIVE,
        15,
        "项目管理办公室",
    ),
    (
        "EXEC",
        "执行",
        "Execution",
        "G3",
        "交付验收",
        "Delivery acceptance",
        Stage.CLOSING,
        85,
        "项目发起人",
    ),
    (
        "CLOSE",
        "收尾",
        "Closing",
        "G4",
        "项目关闭",
        "Project closure",
        Stage.CLOSED,
        100,
        "项目管理办公室",
    ),
]

# process code | phase | name | English | owner role code | owner responsibility | steps
# a step: (name, English, role code, responsibility)
COMMON_PROCESSES = [
    (
        "P-INIT",
        "INIT",
        "立项管理",
        "Project initiation",
        "",
        "项目发起人",
        [
            ("编制项目建议书", "Draft the proposal", "pm", ""),
            ("组织立项评审", "Hold the initiation review", "", "项目管理办公室"),
            ("发布项目章程", "Issue the charter", "", "项目发起人"),
        ],
    ),
    (
        "P-FEAS",
        "INIT",
        "可行性研究",
        "Feasibility study",
        "analyst",
        "",
        [
            ("市场与技术分析", "Market and technical analysis", "analyst", ""),
            ("投资估算与效益分析", "Cost estimate and benefits", "analyst", ""),
        ],
    ),
    (
        "P-PLAN",
        "PLAN",
        "计划编制",
        "Planning",
        "pm",
        "",
        [
            ("分解工作结构", "Build the WBS", "pm", ""),
            ("编制进度与预算", "Schedule and budget", "pm", ""),
            ("计划评审", "Review the plan", "", "项目管理办公室"),
        ],
    ),
    (
        "P-RISK",
        "PLAN",
        "风险管理",
        "Risk management",
        "pm",
        "",
        [
            ("识别风险", "Identify risks", "pm", ""),
            ("评估与制定应对", "Assess and plan responses", "pm", ""),
        ],
    ),
    (
        "P-MON",
        "EXEC",
        "监控与报告",
        "Monitoring and reporting",
        "pm",
        "",
        [
            ("每周状态报告", "Weekly status report", "pm", ""),
            ("偏差分析与纠偏", "Variance analysis and correction", "pm", ""),
        ],
    ),
    (
        "P-CHG",
        "EXEC",
        "变更控制",
        "Change control",
        "",
        "变更控制委员会",
        [
            ("提出变更申请", "Raise a change request", "pm", ""),
            ("评估与审批变更", "Assess and approve", "", "变更控制委员会"),
        ],
    ),
    (
        "P-ACC",
        "EXEC",
        "验收管理",
        "Acceptance",
        "",
        "项目发起人",
        [
            ("准备验收材料", "Prepare the acceptance", "pm", ""),
            ("组织验收", "Hold the acceptance", "", "项目发起人"),
        ],
    ),
    (
        "P-CLOSE",
        "CLOSE",
        "收尾与总结",
        "Closure and lessons",
        "pm",
        "",
        [
            ("编制总结报告", "Write the closure report", "pm", ""),
            ("总结经验教训", "Capture lessons learned", "pm", ""),
            ("资料归档", "Archive the records", "", "档案管理员"),
        ],
    ),
]

# deliverable code | gate | process | name | English | template | optional
COMMON_DELIVERABLES = [
    ("D-CASE", "G1", "P-INIT", "项目建议书", "Project proposal", "T-CASE", False),
    ("D-FEAS", "G1", "P-FEAS", "可行性研究报告", "Feasibility study report", "", True),
    ("D-CHARTER", "G1", "P-INIT", "项目章程", "Project charter", "T-CHARTER", False),
    ("D-PMP", "G2", "P-PLAN", "项目管理计划", "Project management plan", "T-PLAN", False),
    ("D-SCHED", "G2", "P-PLAN", "进度计划", "Schedule", "T-SCHEDULE", False),
    ("D-RISK", "G2", "P-RISK", "风险登记册", "Risk register", "T-RISK", False),
    ("D-COMM", "G2", "P-PLAN", "沟通计划", "Communication plan", "", True),
    ("D-STATUS", "G3", "P-MON", "项目周报记录", "Weekly status reports", "T-STATUS", False),
    ("D-CHGLOG", "G3", "P-CHG", "变更记录", "Change log", "", True),
    ("D-ACCEPT", "G3", "P-ACC", "验收报告", "Acceptance report", "T-ACCEPT", False),
    ("D-CLOSE", "G4", "P-CLOSE", "项目总结报告", "Closure report", "T-CLOSE", False),
    ("D-LESSONS", "G4", "P-CLOSE", "经验教训记录", "Lessons learned", "T-LESSONS", False),
    ("D-ARCHIVE", "G4", "P-CLOSE", "归档清单", "Archive list", "", True),
]

# Per project type: the methodology's code, name, English name, extra processes and
# deliverables (same shapes as above).
TYPE_EXTRAS = {
    "it": (
        "M-IT",
        "信息化项目管理办法",
        "IT project methodology",
        [
            (
                "P-REQ",
                "PLAN",
                "需求管理",
                "Requirements management",
                "analyst",
                "",
                [
                    ("需求调研", "Elicit requirements", "analyst", ""),
                    ("需求评审与确认", "Review and sign off", "", "业务部门负责人"),
                ],
            ),
            (
                "P-DEV",
                "EXEC",
                "开发与测试",
                "Build and test",
                "developer",
                "",
                [
                    ("系统设计", "System design", "architect", ""),
                    ("编码与单元测试", "Code and unit test", "developer", ""),
                    ("系统测试", "System test", "tester", ""),
                    ("上线切换", "Go-live", "ops", ""),
                ],
            ),
        ],
        [
            (
                "D-SRS",
                "G2",
                "P-REQ",
                "需求规格说明书",
                "Requirements specification",
                "T-SRS",
                False,
            ),
            ("D-TEST", "G3", "P-DEV", "测试报告", "Test report", "T-TEST", False),
            ("D-GOLIVE", "G3", "P-DEV", "上线方案", "Go-live plan", "", True),
        ],
    ),
    "rd": (
        "M-RD",
        "研发项目管理办法",
        "R&D project methodology",
        [
            (
                "P-PRD",
                "PLAN",
                "产品需求定义",
                "Product requirements",
                "analyst",
                "",
                [
                    ("客户与市场需求分析", "Customer and market needs", "analyst", ""),
                    ("产品规格确定", "Fix the specification", "architect", ""),
                ],
            ),
            (
                "P-DESIGN",
                "EXEC",
                "设计与验证",
                "Design and verification",
                "architect",
                "",
                [
                    ("方案设计与DFMEA", "Design and DFMEA", "architect", ""),
                    ("样机试制", "Build prototypes", "developer", ""),
                    ("样机测试", "Test prototypes", "tester", ""),
                ],
            ),
        ],
        [
            ("D-PRD", "G2", "P-PRD", "产品需求文档", "Product requirements document", "", False),
            ("D-PROTO", "G3", "P-DESIGN", "样机测试报告", "Prototype test report", "T-TEST", False),
            ("D-TRANSFER", "G3", "P-DESIGN", "量产移交清单", "Production hand-over list", "", True),
        ],
    ),
    "construction": (
        "M-CON",
        "基建项目管理办法",
        "Construction project methodology",
        [
            (
                "P-PERMIT",
                "PLAN",
                "设计与报建",
                "Design and permits",
                "civil_eng",
                "",
                [
                    ("施工图设计", "Construction drawings", "civil_eng", ""),
                    ("报建审批", "Obtain permits", "", "基建工程部"),
                ],
            ),
            (
                "P-BUILD",
                "EXEC",
                "施工管理",
                "Construction management",
                "civil_eng",
                "",
                [
                    ("施工组织", "Organise the works", "civil_eng", ""),
                    ("安全文明施工检查", "Safety inspections", "", "安全员"),
                    ("隐蔽工程验收", "Inspect concealed works", "", "监理单位"),
                ],
            ),
        ],
        [
            ("D-PERMIT", "G2", "P-PERMIT", "施工许可证", "Construction permit", "", False),
            ("D-SAFETY", "G2", "P-PERMIT", "安全施工方案", "Safety plan", "T-SAFETY", False),
            (
                "D-COMPLETION",
                "G3",
                "P-BUILD",
                "竣工验收报告",
                "Completion acceptance report",
                "T-ACCEPT",
                False,
            ),
        ],
    ),
    "marketing": (
        "M-MKT",
        "市场项目管理办法",
        "Marketing project methodology",
        [
            (
                "P-CAMPAIGN",
                "EXEC",
                "活动策划与执行",
                "Campaign planning and delivery",
                "marketing",
                "",
                [
                    ("策划方案", "Plan the campaign", "marketing", ""),
                    ("执行与监测", "Run and monitor", "marketing", ""),
                ],
            ),
        ],
        [
            ("D-MKTPLAN", "G2", "P-PLAN", "营销方案", "Marketing plan", "", False),
            ("D-EFFECT", "G3", "P-CAMPAIGN", "效果评估报告", "Effectiveness report", "", False),
        ],
    ),
    "process": (
        "M-PROC",
        "流程改进项目管理办法",
        "Process improvement methodology",
        [
            (
                "P-DIAG",
                "PLAN",
                "现状诊断",
                "Current-state diagnosis",
                "analyst",
                "",
                [
                    ("流程调研", "Survey the process", "analyst", ""),
                    ("问题根因分析", "Root-cause analysis", "analyst", ""),
                ],
            ),
            (
                "P-PILOT",
                "EXEC",
                "试点运行",
                "Pilot",
                "process_eng",
                "",
                [
                    ("试点部署", "Deploy the pilot", "process_eng", ""),
                    ("试点评估", "Evaluate the pilot", "", "流程负责人"),
                ],
            ),
        ],
        [
            ("D-DIAG", "G2", "P-DIAG", "现状诊断报告", "Diagnosis report", "", False),
            ("D-PILOT", "G3", "P-PILOT", "试运行评估报告", "Pilot evaluation", "", False),
        ],
    ),
}

# How often the projects of a unit have produced their due deliverables (the demo's
# compliance differs by unit; everything else is drawn from demo.rng).
PRESENCE = {
    "HC-IT": 0.92,
    "HC-DATA": 0.8,
    "HC-PMO": 0.95,
    "HC-RD": 0.62,
    "HC-CON": 0.85,
    "HC-MFG": 0.7,
    "HC-QA": 0.75,
    "HC-SCM": 0.55,
    "HC-MKT": 0.45,
    "HC-CS": 0.5,
    "HC-FIN": 0.7,
    "HC-HR": 0.6,
    "HC-STR": 0.65,
}
DEFAULT_PRESENCE = 0.65
# Projects that do not follow a methodology yet (the coverage is not 100 %).
UNASSIGNED = {"HC-PRJ-014", "HC-PRJ-046", "HC-PRJ-054"}

# The demo pm's ERP project: evidence files on its first gates. The pm's mobile
# workplace app asks to tailor optional deliverables out (pending).
SHOWCASE_PROJECT = "HC-PRJ-001"
APPROVED_TAILORING = (
    "HC-PRJ-018",
    ["D-COMM", "D-CHGLOG"],
    "项目为单一供应商交付，沟通按周报执行，变更直接走合同变更流程。",
)
PENDING_TAILORING = (
    "HC-PRJ-003",
    ["D-FEAS", "D-GOLIVE"],
    "移动办公平台为标准SaaS产品配置，无需单独可研；上线随SaaS版本发布，无需单独上线方案。",
)

# title | description | why | affected | source | reference | priority | raised by | status | note
CHANGES = [
    (
        "周报与月报模板合并",
        "建议以周报模板为基础自动汇总月报，取消单独的月报模板。",
        "项目经理每月重复填报，工作量大。",
        "T-STATUS 项目周报模板",
        "user",
        "",
        "medium",
        "pm",
        "submitted",
        "",
    ),
    (
        "信息化项目增加敏捷迭代过程",
        "在执行阶段增加迭代管理过程，允许以迭代计划替代一次性详细进度计划。",
        "ERP和移动办公项目经验：需求变化快，瀑布式计划频繁变更。",
        "执行阶段 / P-DEV",
        "lesson",
        "HC-PRJ-010 经验教训",
        "high",
        "pm2",
        "accepted",
        "纳入V2修订。",
    ),
    (
        "收尾阶段增加知识归档检查",
        "项目关闭关口增加“知识条目提交”检查项。",
        "年度绩效评价发现30%的项目未提交经验教训。",
        "G4 项目关闭",
        "evaluation",
        "2025年度项目管理绩效评价",
        "medium",
        "pmo_staff",
        "deferred",
        "待知识库上线后再纳入。",
    ),
    (
        "一般项目免做可研报告",
        "一般类项目立项时不要求可研报告。",
        "一般项目投资小，可研报告形式化。",
        "D-FEAS 可行性研究报告",
        "user",
        "",
        "low",
        "pm",
        "rejected",
        "可研报告已为可选交付物，可通过剪裁申请免除。",
    ),
]

# title | description | area | submitted by | status | response
SUGGESTIONS = [
    (
        "周报支持手机填写",
        "出差时无法用电脑，希望能在手机上填写周报。",
        "status",
        "pm",
        "planned",
        "已列入第三季度移动端开发计划。",
    ),
    (
        "项目列表导出增加自定义列",
        "导出Excel时希望能选择需要的列。",
        "projects",
        "pm2",
        "considering",
        "正在评估。",
    ),
    (
        "交付物上传支持批量",
        "关口前要上传多个文件，希望一次选择多个。",
        "standards",
        "member",
        "new",
        "",
    ),
    (
        "与OA审批集成",
        "立项审批希望与OA系统打通，避免重复录入。",
        "integration",
        "pmo_staff",
        "done",
        "已通过接口与OA对接立项审批结果。",
    ),
]

# The tool evaluation: criteria (name, weight %), candidates (name, vendor, annual cost),
# and each evaluator's scores per candidate (in criteria order).
TOOL_EVALUATION = "项目管理信息系统选型（2025）"
TOOL_PURPOSE = "为集团统一项目管理平台选型：覆盖立项、计划、周报、关口、收尾与项目组合管理，支持中英双语与内网部署。"
TOOL_CRITERIA = [
    ("功能覆盖", "覆盖项目全生命周期与项目组合管理", 30),
    ("易用性", "项目经理填报的便捷程度", 20),
    ("集成能力", "与OA、ERP、财务系统对接", 20),
    ("总拥有成本", "五年许可、实施与运维费用", 15),
    ("内网部署与数据安全", "可私有化部署，满足等保要求", 15),
]
TOOL_CANDIDATES = [
    ("自建PMO平台", "集团信息技术部", 800_000),
    ("商业项目组合管理套件", "国际厂商", 2_400_000),
    ("国产项目协同软件", "国内厂商", 1_100_000),
]
TOOL_SCORES = {
    "pmo": [[9, 8, 8, 7, 9], [9, 6, 7, 4, 6], [7, 8, 6, 7, 8]],
    "exec": [[8, 7, 9, 8, 9], [8, 7, 6, 3, 5], [6, 8, 6, 8, 7]],
}
TOOL_DECISION = (
    "自建PMO平台加权得分最高，且满足内网部署和双语要求，五年总拥有成本最低；"
    "商业套件功能完整但成本高、私有化部署受限。决定采用自建平台。"
)

# The inputs each process works from (the outputs are its deliverables).
INPUTS = {
    "P-INIT": "业务需求、战略目标、投资计划",
    "P-FEAS": "项目建议书、市场与技术资料",
    "P-PLAN": "项目章程、可研报告、资源约束",
    "P-RISK": "项目管理计划、历史项目经验教训",
    "P-MON": "进度计划、预算基线、实际进展",
    "P-CHG": "变更申请、基线计划",
    "P-ACC": "交付成果、验收标准",
    "P-CLOSE": "验收报告、项目全过程记录",
    "P-REQ": "项目章程、业务流程现状",
    "P-DEV": "需求规格说明书、系统设计",
    "P-PRD": "客户需求、竞品分析",
    "P-DESIGN": "产品需求文档、技术标准",
    "P-PERMIT": "可研批复、用地规划",
    "P-BUILD": "施工图、施工许可证、安全施工方案",
    "P-CAMPAIGN": "营销方案、预算",
    "P-DIAG": "流程文件、运行数据",
    "P-PILOT": "新流程设计、试点范围",
    "P-AGILE": "产品待办列表、需求规格说明书",
}
