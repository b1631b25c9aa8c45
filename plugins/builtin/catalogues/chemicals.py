"""化工和危险化学品 / 烟花爆竹 重大生产安全事故隐患判定标准（试行）, 安监总管三〔2017〕121号.

Both standards were issued in one document by the State Administration of Work Safety
in 2017 and are in force. The item texts here are the standards' items in the short
form the project's criteria list confirms; each keeps its number in the standard as
its clause. Before these texts are printed as quotations in a formal document, re-key
them from the official full text, which words several items at greater length.
"""

from __future__ import annotations

from datetime import date

from ledger.audit.rules import ListingRule
from plugins.catalogue import Catalogue, Criterion
from plugins.spec import GeneralCategory

_STANDARD = "安监总管三〔2017〕121号"
_SOURCE = (
    "安监总管三〔2017〕121号 (issued November 2017); items as confirmed in the project's "
    "criteria list, in short form."
)

CHEMICALS_2017 = Catalogue(
    sector="chemicals",
    standard=_STANDARD,
    document="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
    edition="2017",
    effective_from=date(2017, 11, 13),
    effective_to=None,
    source=_SOURCE,
    criteria=(
        Criterion(
            "CHEM-01",
            "主要负责人和安全管理人员未依法经考核合格",
            "Principal and safety managers not assessed and qualified as the law requires",
            "一",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-02",
            "特种作业人员未持证上岗",
            "Special operations workers without certificates",
            "二",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-03",
            "涉及“两重点一重大”的装置外部安全防护距离不符合要求",
            "External safety distances of 'two key points, one major' installations non-compliant",
            "三",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-04",
            "重点监管危险化工工艺未实现自动化控制、系统未实现紧急停车功能或未投用",
            "Key hazardous processes without automatic control, or emergency shutdown missing or not in use",
            "四",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-05",
            "一、二级重大危险源罐区未配备紧急切断；毒性气体、剧毒液体、易燃气体等重大危险源未配备独立安全仪表系统",
            "Class 1-2 major-hazard tank farms without emergency shut-off; toxic or flammable gas installations without an independent safety instrumented system",
            "五",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-06",
            "全压力式液化烃储罐未按要求设置注水措施",
            "Fully pressurised liquefied hydrocarbon tanks without water injection",
            "六",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-07",
            "液化烃、液氨、液氯等充装未使用万向管道充装系统",
            "Liquefied hydrocarbon, ammonia or chlorine loading without universal-joint loading arms",
            "七",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-08",
            "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区外的公共区域",
            "Phosgene, chlorine or hydrogen sulphide pipelines crossing public areas outside the plant",
            "八",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-09",
            "地区架空电力线路穿越生产区且不符合国家标准",
            "Overhead power lines crossing production areas in breach of national standards",
            "九",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-10",
            "在役化工装置未经正规设计且未进行安全设计诊断",
            "Operating chemical plant never formally designed and without a safety design review",
            "十",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-11",
            "使用淘汰落后安全技术工艺、设备",
            "Obsolete safety technology, processes or equipment in use",
            "十一",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-12",
            "可燃和有毒气体泄漏场所未设检测报警，爆炸危险场所未按规定使用防爆电气设备",
            "No gas detection alarms where flammable or toxic gas may leak, or non-explosion-proof electrics in explosive areas",
            "十二",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-13",
            "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足防火防爆要求",
            "Control or cabinet rooms facing fire or explosion hazards without fire and blast protection",
            "十三",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-14",
            "化工生产装置未按规定设双重电源，自动化控制系统未设不间断电源",
            "Chemical plant without dual power supply, or control systems without uninterruptible power",
            "十四",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-15",
            "安全阀、爆破片等安全附件未正常投用",
            "Safety valves, bursting discs and other safety accessories not in normal service",
            "十五",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-16",
            "未建立全员安全生产责任制或隐患排查治理制度",
            "No all-staff safety responsibility system or hazard remediation system",
            "十六",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-17",
            "未制定操作规程和工艺控制指标",
            "No operating procedures or process control limits",
            "十七",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-18",
            "未按规定制定动火、进入受限空间等特殊作业管理制度或未有效执行",
            "Hot work, confined-space entry and other special operations without rules, or rules not enforced",
            "十八",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-19",
            "新开发工艺未经小试、中试、工业化试验直接工业化生产等",
            "New processes put into production without laboratory, pilot and industrial trials",
            "十九",
            "化工和危险化学品",
        ),
        Criterion(
            "CHEM-20",
            "未按规定分区分类储存危险化学品，超量、超品种储存，禁配物质混放混存",
            "Hazardous chemicals not stored by zone and class, excess quantities or kinds, or incompatibles stored together",
            "二十",
            "化工和危险化学品",
        ),
    ),
)

FIREWORKS_2017 = Catalogue(
    sector="chemicals",
    standard=_STANDARD,
    document="烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
    edition="2017",
    effective_from=date(2017, 11, 13),
    effective_to=None,
    source=_SOURCE,
    criteria=(
        Criterion(
            "FWK-01",
            "主要负责人、安全管理人员未考核合格",
            "Principal and safety managers not assessed and qualified",
            "一",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-02",
            "特种作业人员无证上岗或带药检维修",
            "Special operations workers unlicensed, or repairs made with composition present",
            "二",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-03",
            "职工自带工器具进入涉药作业场所",
            "Workers bring their own tools into areas handling composition",
            "三",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-04",
            "工(库)房超核定人数",
            "Workshop or store occupancy above the approved number",
            "四",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-05",
            "超核定药量",
            "Composition above the approved quantity",
            "五",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-06",
            "内外部安全距离不足或防护屏障缺失",
            "Internal or external safety distances insufficient, or protective barriers missing",
            "六",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-07",
            "防静电、防火、防雷设施失效",
            "Anti-static, fire or lightning protection failed",
            "七",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-08",
            "擅自改变工(库)房用途或违规私搭乱建",
            "Workshop or store use changed without approval, or illegal structures built",
            "八",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-09",
            "围墙缺失或分区设置不符",
            "Perimeter wall missing or zoning non-compliant",
            "九",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-10",
            "氧化剂与还原剂同库储存、违规预混或同一工房粉碎称量",
            "Oxidisers and reducers stored together, illegal pre-mixing, or crushing and weighing in one workshop",
            "十",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-11",
            "涉药机械设备未经论证或擅自更改",
            "Machinery handling composition not validated, or altered without approval",
            "十一",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-12",
            "库房容量与生产能力不匹配",
            "Store capacity out of proportion to production capacity",
            "十二",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-13",
            "未建立责任制或隐患排查治理制度",
            "No responsibility system or hazard remediation system",
            "十三",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-14",
            "出租、出借、转让、买卖、冒用或伪造许可证",
            "Licence rented, lent, transferred, traded, misused or forged",
            "十四",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-15",
            "超许可范围生产或使用违禁药物",
            "Production beyond the licensed scope, or with banned chemicals",
            "十五",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-16",
            "分包、转包工(库)房",
            "Workshops or stores subcontracted",
            "十六",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-17",
            "一证多厂或多股东各自组织生产",
            "Several plants under one licence, or shareholders each organising production",
            "十七",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-18",
            "许可证过期、被注销或停产期间擅自生产",
            "Production with an expired or cancelled licence, or during a suspension",
            "十八",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-19",
            "仓库内存放其他爆炸物或违禁、超标产品",
            "Other explosives, or banned or non-standard products, kept in the warehouse",
            "十九",
            "烟花爆竹",
        ),
        Criterion(
            "FWK-20",
            "零售点与居住场所在同一建筑物内或使用明火",
            "Retail outlet in the same building as living quarters, or open flames used",
            "二十",
            "烟花爆竹",
        ),
    ),
)


# ---- general hazards and listing -----------------------------------------------------------

#: The general-hazard categories (一般隐患类别) officials of the sector use: a general
#: grade carries one, so like hazards are counted together and recurrences found.
GENERAL_CATEGORIES: tuple[GeneralCategory, ...] = (
    GeneralCategory("CHEM-G01", "安全管理制度与台账", "Safety management rules and records"),
    GeneralCategory("CHEM-G02", "人员培训与持证", "Training and certificates"),
    GeneralCategory("CHEM-G03", "设备设施与安全附件", "Equipment and safety accessories"),
    GeneralCategory("CHEM-G04", "工艺与操作规程执行", "Process control and operating procedures"),
    GeneralCategory("CHEM-G05", "储存与装卸", "Storage, loading and unloading"),
    GeneralCategory(
        "CHEM-G06", "动火、受限空间等特殊作业", "Hot work, confined space and other special work"
    ),
    GeneralCategory("CHEM-G07", "检测报警与监控", "Gas detection, alarms and monitoring"),
    GeneralCategory("CHEM-G08", "电气与防爆", "Electrical installations and explosion protection"),
    GeneralCategory("CHEM-G09", "消防设施与应急准备", "Fire protection and emergency preparedness"),
    GeneralCategory(
        "CHEM-G10", "烟花爆竹涉药作业现场", "Fireworks: areas handling pyrotechnic compositions"
    ),
    GeneralCategory("CHEM-G11", "作业现场与标志标识", "Workplace order, signs and markings"),
)

#: The sector's name for its major grade, in Chinese and English.
MAJOR_GRADE = ("重大生产安全事故隐患", "major production-safety accident hazard")

#: When the sector's major hazards must be listed for supervision (挂牌督办). No national
#: rule sets the time limit; this default is a local policy to be set per jurisdiction.
LISTING = ListingRule(
    required=True,
    grace_days=15,
    basis_zh="危险化学品重大生产安全事故隐患实行挂牌督办（应急管理部门；地方规定的期限，默认15日）",
    basis_en="major hazards of hazardous chemicals are listed for supervision (emergency management; local time limit, 15 days by default)",
)
