"""The tables of the demo company: units, roles, project types, staffing, projects, names."""

from __future__ import annotations

from dataclasses import dataclass

from pmo.core import roles
from pmo.core.models import Classification, Health, Stage

SEED = 2026
PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo logins
COMPANY = "HC"
EMAIL_DOMAIN = "huachen.example"
MAJOR, KEY, GENERAL = Classification.MAJOR, Classification.KEY, Classification.GENERAL
SCALE_PROJECT_PREFIX = "SC-P"  # codes of the projects added by --scale
NOT_STARTED = frozenset({Stage.IDEA, Stage.PROPOSED, Stage.UNDER_REVIEW, Stage.REJECTED})


def table(text: str) -> list[list[str]]:
    """Rows of a ``|``-separated table (kept as text so that each row stays on one line)."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def words(text: str) -> list[str]:
    return text.split()


# code | name | English name | kind | parent code
UNITS = table("""
HC|华辰集团|Huachen Group|company|
HC-HQ|集团总部|Group headquarters|division|HC
HC-PMO|项目管理办公室|Project Management Office|department|HC-HQ
HC-FIN|财务部|Finance|department|HC-HQ
HC-HR|人力资源部|Human Resources|department|HC-HQ
HC-STR|战略发展部|Strategy & Development|department|HC-HQ
HC-DT|数字科技事业部|Digital Technology Division|division|HC
HC-IT|信息技术部|Information Technology|department|HC-DT
HC-RD|研发中心|R&D Centre|department|HC-DT
HC-DATA|数据与智能部|Data & AI|department|HC-DT
HC-MO|制造运营事业部|Manufacturing Operations Division|division|HC
HC-MFG|生产制造部|Manufacturing|department|HC-MO
HC-QA|质量管理部|Quality Management|department|HC-MO
HC-SCM|供应链管理部|Supply Chain|department|HC-MO
HC-CON|基建工程部|Facilities & Construction|department|HC-MO
HC-MC|市场与客户事业部|Market & Customer Division|division|HC
HC-MKT|市场营销部|Marketing|department|HC-MC
HC-CS|客户服务部|Customer Service|department|HC-MC
""")
UNIT_NAMES = {row[0]: row[1] for row in UNITS}

# code | name | English name | hourly cost rate (CNY) | titles by seniority
ROLES = table("""
pm|项目经理|Project manager|450|项目经理,高级项目经理,项目总监
architect|架构师|Architect|600|架构师,高级架构师,首席架构师
developer|开发工程师|Developer|350|开发工程师,高级开发工程师,资深开发工程师
tester|测试工程师|Test engineer|280|测试工程师,高级测试工程师,测试经理
analyst|业务分析师|Business analyst|380|业务分析师,高级业务分析师,业务架构师
ops|运维工程师|Operations engineer|300|运维工程师,高级运维工程师,运维经理
designer|设计师|Designer|320|设计师,高级设计师,设计主管
data|数据工程师|Data engineer|420|数据工程师,高级数据工程师,数据科学家
process_eng|工艺工程师|Process engineer|330|工艺工程师,高级工艺工程师,工艺主管
civil_eng|土建工程师|Civil engineer|300|土建工程师,高级土建工程师,工程经理
marketing|市场专员|Marketing specialist|260|市场专员,市场经理,品牌总监
""")
ROLE_RATES = {row[0]: int(row[3]) for row in ROLES}
ROLE_TITLES = {row[0]: row[4].split(",") for row in ROLES}

# code | name | English name | description
PROJECT_TYPES = table("""
it|信息化|IT|信息系统的建设、升级与改造
rd|研发|R&D|新产品、新技术的研究与开发
construction|基建|Construction|厂房、设施与工程建设
marketing|市场|Marketing|品牌、渠道与市场推广
process|流程改进|Process improvement|管理流程与质量体系的改进
""")

# The roles each project type plans hours for, with their weight in the team.
TYPE_ROLES = {
    "it": {
        "pm": 0.5,
        "analyst": 0.6,
        "architect": 0.4,
        "developer": 1.6,
        "tester": 0.8,
        "ops": 0.4,
    },
    "rd": {"pm": 0.5, "architect": 0.5, "developer": 1.4, "tester": 0.7, "data": 0.5},
    "construction": {"pm": 0.6, "civil_eng": 1.5, "process_eng": 0.5},
    "marketing": {"pm": 0.5, "marketing": 1.2, "designer": 0.8, "analyst": 0.3},
    "process": {"pm": 0.5, "analyst": 1.0, "process_eng": 0.7, "data": 0.3},
}

# Generated staff of each department (role: head count) and the role of its head;
# the demo logins and the heads come on top.
STAFFING = {
    "HC-PMO": ("pm", {"pm": 3, "analyst": 1}),
    "HC-FIN": ("analyst", {"analyst": 4, "pm": 1}),
    "HC-HR": ("analyst", {"analyst": 3}),
    "HC-STR": ("analyst", {"analyst": 3, "pm": 1}),
    "HC-IT": (
        "architect",
        {
            "pm": 3,
            "architect": 2,
            "developer": 7,
            "tester": 3,
            "ops": 4,
            "designer": 1,
            "analyst": 2,
        },
    ),
    "HC-RD": ("architect", {"pm": 2, "architect": 2, "developer": 9, "tester": 4, "data": 1}),
    "HC-DATA": ("data", {"data": 5, "developer": 2, "architect": 1, "pm": 1}),
    "HC-MFG": ("process_eng", {"process_eng": 6, "pm": 2, "analyst": 1}),
    "HC-QA": ("process_eng", {"process_eng": 2, "tester": 2, "analyst": 1}),
    "HC-SCM": ("analyst", {"analyst": 3, "pm": 1, "process_eng": 1}),
    "HC-CON": ("civil_eng", {"civil_eng": 5, "pm": 2}),
    "HC-MKT": ("marketing", {"marketing": 5, "designer": 2, "pm": 1}),
    "HC-CS": ("analyst", {"analyst": 2, "marketing": 1}),
}


@dataclass(frozen=True)
class Login:
    username: str
    groups: tuple[str, ...]
    name: str
    name_en: str
    unit: str
    role: str
    title: str
    language: str = ""


LOGINS = [
    Login("pmo", (roles.PMO_ADMIN, roles.PMO_STAFF), "周敏", "Zhou Min", "HC-PMO", "pm", "PMO主任"),
    Login("pmo_staff", (roles.PMO_STAFF,), "林晓雪", "Lin Xiaoxue", "HC-PMO", "analyst", "PMO专员"),
    Login("exec", (roles.EXECUTIVE,), "陈志国", "Chen Zhiguo", "HC", "", "集团副总裁", "en"),
    Login(
        "pm",
        (roles.PROJECT_MANAGER,),
        "王建华",
        "Wang Jianhua",
        "HC-IT",
        "pm",
        "高级项目经理",
        "zh-hans",
    ),
    Login("pm2", (roles.PROJECT_MANAGER,), "李婷", "Li Ting", "HC-RD", "pm", "项目经理"),
    Login(
        "reviewer", (roles.REVIEWER,), "刘思远", "Liu Siyuan", "HC-RD", "architect", "首席架构师"
    ),
    Login("member", (roles.MEMBER,), "张浩", "Zhang Hao", "HC-IT", "developer", "开发工程师"),
]

# code | name | English name | type | unit | classification
PROGRAMMES = table("""
HC-PGM-01|数字化转型项目群|Digital transformation programme|it|HC-IT|major
HC-PGM-02|智能制造项目群|Smart manufacturing programme|process|HC-MFG|major
HC-PGM-03|新一代产品研发项目群|Next-generation product programme|rd|HC-RD|major
""")

# Project HC-PRJ-<row number>: name | English name | type | unit | classification
# (M/K/G) | stage | programme number (0 = none) | managing demo login
PROJECTS = table("""
ERP系统升级（S/4HANA）|ERP upgrade to S/4HANA|it|HC-IT|M|active|1|pm
企业数据中台建设|Enterprise data platform|it|HC-DATA|M|active|1|
移动办公平台|Mobile workplace app|it|HC-IT|G|active|1|pm
主数据管理系统|Master data management|it|HC-DATA|K|approved|1|
网络安全等级保护2.0整改|Cybersecurity MLPS 2.0 remediation|it|HC-IT|K|closing|1|
财务共享服务中心系统|Finance shared-service centre system|it|HC-FIN|K|active|0|
人力资源管理系统替换|HR system replacement|it|HC-HR|G|closed|0|
客户关系管理（CRM）系统|CRM system|it|HC-MKT|K|active|0|
数据中心机房迁移|Data centre migration|it|HC-IT|K|closing|0|pm
办公网络改造|Office network refresh|it|HC-IT|G|closed|0|pm
电子签章与合同管理|E-signature and contract management|it|HC-IT|G|proposed|0|pm
智能客服机器人|AI customer-service assistant|it|HC-CS|G|idea|0|
供应商协同门户|Supplier collaboration portal|it|HC-SCM|G|under_review|0|
管理驾驶舱BI报表|Management BI dashboards|it|HC-DATA|G|active|0|
企业云平台迁移（一期）|Cloud migration, phase I|it|HC-IT|M|approved|0|pm
项目管理信息系统|Project management information system|it|HC-PMO|K|active|0|
MES制造执行系统实施|MES rollout|it|HC-MFG|M|active|2|
智能仓储与AGV物流|Smart warehouse and AGV logistics|it|HC-SCM|K|active|2|
设备预测性维护|Predictive maintenance|rd|HC-MFG|K|under_review|2|
二号厂房扩建工程|Plant 2 extension|construction|HC-CON|M|active|2|
质量追溯系统|Quality traceability system|it|HC-QA|G|approved|2|
新能源汽车电控系统研发|EV motor controller development|rd|HC-RD|M|active|3|
车规级传感器研发|Automotive-grade sensor development|rd|HC-RD|K|active|3|pm2
产品平台化与模块化|Product platform and modularisation|rd|HC-RD|K|proposed|3|
储能变流器样机开发|Energy-storage converter prototype|rd|HC-RD|K|active|0|pm2
工业物联网网关|Industrial IoT gateway|rd|HC-RD|G|on_hold|0|pm2
低功耗芯片选型验证|Low-power chip qualification|rd|HC-RD|G|closed|0|
电池管理系统算法优化|BMS algorithm optimisation|rd|HC-RD|G|idea|0|pm2
视觉检测算法研发|Machine-vision inspection algorithms|rd|HC-DATA|G|active|0|
研发实验室扩建|R&D laboratory expansion|construction|HC-CON|K|approved|0|
专利布局与知识产权体系|Patent portfolio and IP system|process|HC-RD|G|rejected|0|
华东生产基地新建工程|East China production base|construction|HC-CON|M|active|0|
员工宿舍楼改造|Staff dormitory renovation|construction|HC-CON|G|closed|0|
屋顶光伏发电项目|Rooftop solar power|construction|HC-CON|K|active|0|
污水处理站升级|Wastewater plant upgrade|construction|HC-CON|G|cancelled|0|
总部大楼节能改造|Headquarters energy retrofit|construction|HC-CON|G|proposed|0|
品牌焕新计划|Brand refresh|marketing|HC-MKT|K|active|0|
新品上市发布会|New product launch event|marketing|HC-MKT|G|closing|0|
东南亚市场拓展|South-east Asia market entry|marketing|HC-MKT|M|under_review|0|
数字营销平台|Digital marketing platform|marketing|HC-MKT|G|active|0|
经销商渠道优化|Dealer channel optimisation|marketing|HC-MKT|G|idea|0|
客户满意度提升计划|Customer satisfaction programme|process|HC-CS|G|active|0|
2026年行业展会参展|Trade fairs 2026|marketing|HC-MKT|G|approved|0|
精益生产推行|Lean production rollout|process|HC-MFG|K|active|0|
六西格玛质量改进|Six Sigma quality improvement|process|HC-QA|G|closed|0|
采购流程优化|Procurement process redesign|process|HC-SCM|G|on_hold|0|
项目管理体系建设|Project management framework|process|HC-PMO|K|active|0|
费用报销流程数字化|Digital expense claims|process|HC-FIN|G|closed|0|
全面预算管理优化|Budgeting process overhaul|process|HC-FIN|G|proposed|0|
安全生产标准化|Work-safety standardisation|process|HC-MFG|G|active|0|
人才梯队建设|Talent pipeline|process|HC-HR|G|idea|0|
IATF 16949认证|IATF 16949 certification|process|HC-QA|K|active|0|
集团战略规划（2026-2030）编制|Group strategy 2026–2030|process|HC-STR|K|closing|0|
库存周转提升|Inventory turnover improvement|process|HC-SCM|G|under_review|0|
IT服务管理流程建设|IT service management|process|HC-IT|G|cancelled|0|
碳排放核算与管理|Carbon accounting|process|HC-STR|G|idea|0|
知识管理平台|Knowledge management platform|it|HC-PMO|G|proposed|0|
""")
CLASSIFICATIONS = {"M": MAJOR, "K": KEY, "G": GENERAL}

# Demo logins on particular projects besides the managers: project number, role, allocation.
LOGIN_MEMBERSHIPS = {
    "member": [(1, "member", 50), (3, "member", 80), (14, "member", 30)],
    "reviewer": [(1, "stakeholder", 5), (19, "stakeholder", 5)],
}
EXEC_SPONSORED = (1, 32, 39)  # the major projects the executive sponsors in person

SURNAMES = words("""
王Wang 李Li 张Zhang 刘Liu 陈Chen 杨Yang 黄Huang 赵Zhao 吴Wu 周Zhou 徐Xu 孙Sun 马Ma
朱Zhu 胡Hu 郭Guo 何He 林Lin 罗Luo 高Gao 郑Zheng 梁Liang 谢Xie 宋Song 唐Tang 韩Han
冯Feng 邓Deng 曹Cao 彭Peng 曾Zeng 田Tian 董Dong 潘Pan 袁Yuan 蔡Cai 蒋Jiang 余Yu 杜Du
叶Ye 程Cheng 魏Wei 苏Su 吕Lyu 丁Ding 任Ren 卢Lu 姚Yao 沈Shen 钟Zhong 崔Cui 谭Tan
陆Lu 范Fan 汪Wang 廖Liao 石Shi 金Jin 贾Jia 夏Xia 方Fang 邹Zou 熊Xiong 白Bai 孟Meng
秦Qin 邱Qiu 侯Hou 薛Xue 段Duan 雷Lei 龙Long 史Shi 陶Tao 顾Gu 毛Mao 郝Hao 龚Gong
邵Shao
""")
GIVEN_NAMES = words("""
伟Wei 芳Fang 娜Na 敏Min 静Jing 丽Li 强Qiang 磊Lei 军Jun 洋Yang 勇Yong 艳Yan 杰Jie
涛Tao 明Ming 超Chao 秀Xiu 霞Xia 平Ping 刚Gang 英Ying 华Hua 文Wen 建Jian 国Guo 辉Hui
玲Ling 鹏Peng 宇Yu 浩Hao 婷Ting 雪Xue 琳Lin 晨Chen 欣Xin 怡Yi 博Bo 凯Kai 思Si
佳Jia 子Zi 嘉Jia 俊Jun 志Zhi 海Hai 红Hong 晓Xiao 亮Liang 斌Bin 飞Fei 慧Hui 倩Qian
琪Qi 瑶Yao 昊Hao 天Tian 然Ran 哲Zhe 雨Yu 萌Meng 帆Fan 鑫Xin 阳Yang 冰Bing 丹Dan
蕾Lei 悦Yue 泽Ze 宁Ning 立Li 新Xin 春Chun 颖Ying 峰Feng 旭Xu 岚Lan 毅Yi 诚Cheng
睿Rui 航Hang
""")

# What a status report says, by health and by what drives it.
STATUS_NOTES = {
    (Health.GREEN, ""): ("按计划推进", "里程碑按期完成", "进展顺利，无重大风险"),
    (Health.AMBER, "cost"): ("成本偏高，正在落实控制措施", "外包费用高于预期，正在重新议价"),
    (Health.AMBER, "schedule"): ("关键供应商交付延迟，正在协调", "需求变更较多，进度略有滞后"),
    (Health.RED, "cost"): ("成本超支，需提交变更申请", "预算不足，已申请追加"),
    (Health.RED, "schedule"): ("关键路径延误超过一个月", "核心人员流失，计划需重排"),
}
