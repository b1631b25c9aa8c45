"""房屋市政工程生产安全重大事故隐患判定标准（2024版）, 建质规〔2024〕5号.

Issued and in force 2024-12-13; it repeals the 2022 edition (建质规〔2022〕2号). The
item texts are the official ones (the MOHURD attachment as reposted by 东莞市住房和城乡
建设局, byte-checked against a reviewed transcription). Codes are ``CONS-<article>-<item>``;
articles 16 and 17 are whole-article criteria. The 2022 edition is not encoded: no clean
full text of it was obtained, and it was repealed before this ledger recorded anything.
"""

from __future__ import annotations

from datetime import date

from ledger.audit.rules import ListingRule
from plugins.catalogue import Catalogue, Criterion
from plugins.spec import GeneralCategory

CONSTRUCTION_2024 = Catalogue(
    sector="construction",
    standard="建质规〔2024〕5号",
    document="房屋市政工程生产安全重大事故隐患判定标准（2024版）",
    edition="2024",
    effective_from=date(2024, 12, 13),
    effective_to=None,
    source="MOHURD attachment via the official repost at zjj.dg.gov.cn (post_4323450); "
    "articles 1-18 verbatim, byte-checked against a reviewed transcription.",
    criteria=(
        Criterion(
            "CONS-4-1",
            "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动或超（无）资质承揽工程；",
            "Contractor builds without a safety production licence, or beyond or without its qualification",
            "第四条（一）",
            "施工安全管理",
        ),
        Criterion(
            "CONS-4-2",
            "建筑施工企业未按照规定要求足额配备安全生产管理人员，或其主要负责人、项目负责人、专职安全生产管理人员未取得有效安全生产考核合格证书从事相关工作；",
            "Too few safety managers, or principal, project manager or safety staff without a valid safety assessment certificate",
            "第四条（二）",
            "施工安全管理",
        ),
        Criterion(
            "CONS-4-3",
            "建筑施工特种作业人员未取得有效特种作业人员操作资格证书上岗作业；",
            "Special construction operators work without a valid operation certificate",
            "第四条（三）",
            "施工安全管理",
        ),
        Criterion(
            "CONS-4-4",
            "危险性较大的分部分项工程未编制、未审核专项施工方案，或专项施工方案存在严重缺陷的，或未按规定组织专家对“超过一定规模的危险性较大的分部分项工程范围”的专项施工方案进行论证；",
            "Dangerous sub-project without a prepared and reviewed special plan, with a seriously flawed plan, or over-scale plan not expert-reviewed",
            "第四条（四）",
            "施工安全管理",
        ),
        Criterion(
            "CONS-4-5",
            "对于按照规定需要验收的危险性较大的分部分项工程，未经验收合格即进入下一道工序或投入使用。",
            "Dangerous sub-project that needs acceptance proceeds or is used before passing it",
            "第四条（五）",
            "施工安全管理",
        ),
        Criterion(
            "CONS-5-1",
            "未对因基坑、边坡工程施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施；",
            "No special protection for adjacent buildings, structures and pipelines endangered by pit or slope works",
            "第五条（一）",
            "基坑、边坡工程",
        ),
        Criterion(
            "CONS-5-2",
            "基坑、边坡土方超挖且未采取有效措施；",
            "Pit or slope over-excavated without effective measures",
            "第五条（二）",
            "基坑、边坡工程",
        ),
        Criterion(
            "CONS-5-3",
            "深基坑、高边坡（一级、二级）施工未进行第三方监测；",
            "Deep pit or high slope (class I or II) without third-party monitoring",
            "第五条（三）",
            "基坑、边坡工程",
        ),
        Criterion(
            "CONS-5-4",
            "有下列基坑、边坡坍塌风险预兆之一，且未及时处理：1.支护结构或周边建筑物变形值超过设计变形控制值；2.基坑侧壁出现大量漏水、流土；3.基坑底部出现管涌或突涌；4.桩间土流失孔洞深度超过桩径。",
            "Warning signs of pit or slope collapse not dealt with promptly",
            "第五条（四）",
            "基坑、边坡工程",
        ),
        Criterion(
            "CONS-6-1",
            "模板支架的基础承载力和变形不满足设计要求；",
            "Formwork support foundation capacity or deformation fails the design",
            "第六条（一）",
            "模板工程及支撑体系",
        ),
        Criterion(
            "CONS-6-2",
            "模板支架承受的施工荷载超过设计值；",
            "Construction load on formwork support exceeds the design value",
            "第六条（二）",
            "模板工程及支撑体系",
        ),
        Criterion(
            "CONS-6-3",
            "模板支架拆除及滑模、爬模爬升时，混凝土强度未达到设计或规范要求；",
            "Formwork removed, or slip or climbing form raised, before concrete reaches the required strength",
            "第六条（三）",
            "模板工程及支撑体系",
        ),
        Criterion(
            "CONS-6-4",
            "危险性较大的混凝土模板支撑工程未按专项施工方案要求的顺序或分层厚度浇筑混凝土。",
            "Concrete on dangerous formwork support poured out of the planned sequence or layer thickness",
            "第六条（四）",
            "模板工程及支撑体系",
        ),
        Criterion(
            "CONS-7-1",
            "脚手架工程的基础承载力和变形不满足设计要求；",
            "Scaffold foundation capacity or deformation fails the design",
            "第七条（一）",
            "脚手架工程",
        ),
        Criterion(
            "CONS-7-2",
            "未设置连墙件或连墙件整层缺失；",
            "Scaffold wall ties not fitted, or missing over a whole storey",
            "第七条（二）",
            "脚手架工程",
        ),
        Criterion(
            "CONS-7-3",
            "附着式升降脚手架的防倾覆、防坠落或同步升降控制装置不符合设计要求、失效或缺失。",
            "Attached lifting scaffold anti-tilt, anti-fall or synchronous control device non-compliant, failed or missing",
            "第七条（三）",
            "脚手架工程",
        ),
        Criterion(
            "CONS-8-1",
            "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或未按规定办理使用登记；",
            "Tower crane, hoist or material lift used before acceptance, or without use registration",
            "第八条（一）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-2",
            "建筑起重机械的基础承载力和变形不满足设计要求；",
            "Construction crane foundation capacity or deformation fails the design",
            "第八条（二）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-3",
            "建筑起重机械安装、拆卸、爬升（降）以及附着前未对结构件、爬升装置和附着装置以及高强度螺栓、销轴、定位板等连接件及安全装置进行检查；",
            "Structural parts, climbing and tie devices, connectors and safety devices not checked before erecting, dismantling, climbing or tying a crane",
            "第八条（三）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-4",
            "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏；",
            "Construction crane safety devices incomplete, failed, or removed or disabled",
            "第八条（四）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-5",
            "建筑起重机械主要受力构件有可见裂纹、严重锈蚀、塑性变形、开焊，或其连接螺栓、销轴缺失或失效；",
            "Visible cracks, severe corrosion, plastic deformation or weld failure in crane main members, or missing or failed bolts and pins",
            "第八条（五）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-6",
            "施工升降机附着间距和最高附着以上的最大悬高及垂直度不符合规范要求；",
            "Hoist tie spacing, free height above the top tie or verticality out of specification",
            "第八条（六）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-7",
            "塔式起重机独立起升高度、附着间距和最高附着以上的最大悬高及垂直度不符合规范要求；",
            "Tower crane free-standing height, tie spacing, free height or verticality out of specification",
            "第八条（七）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-8",
            "塔式起重机与周边建（构）筑物或群塔作业未保持安全距离；",
            "Tower crane without safe clearance from nearby structures or other cranes",
            "第八条（八）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-8-9",
            "使用达到报废标准的建筑起重机械，或使用达到报废标准的吊索具进行起重吊装作业。",
            "Crane or lifting gear past its scrapping criteria still used",
            "第八条（九）",
            "建筑起重机械及吊装工程",
        ),
        Criterion(
            "CONS-9-1",
            "钢结构、网架安装用支撑结构基础承载力和变形不满足设计要求，钢结构、网架安装用支撑结构超过设计承载力或未按设计要求设置防倾覆装置；",
            "Temporary support for steel or space-frame erection fails the design, is overloaded, or lacks anti-overturning devices",
            "第九条（一）",
            "高处作业",
        ),
        Criterion(
            "CONS-9-2",
            "单榀钢桁架（屋架）等预制构件安装时未采取防失稳措施；",
            "No anti-instability measures while erecting single steel trusses or similar members",
            "第九条（二）",
            "高处作业",
        ),
        Criterion(
            "CONS-9-3",
            "悬挑式卸料平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接；",
            "Cantilevered unloading platform not anchored to the stable main structure or not reliably connected",
            "第九条（三）",
            "高处作业",
        ),
        Criterion(
            "CONS-9-4",
            "脚手架与结构外表面之间贯通未采取水平防护措施，或电梯井道内贯通未采取水平防护措施且电梯井口未设置防护门；",
            "No horizontal protection between scaffold and facade or in lift shafts, or lift shaft openings without guard doors",
            "第九条（四）",
            "高处作业",
        ),
        Criterion(
            "CONS-9-5",
            "高处作业吊篮超载使用，或安全锁失效、安全绳（用于挂设安全带）未独立悬挂。",
            "Suspended work platform overloaded, safety lock failed, or lifeline not independently suspended",
            "第九条（五）",
            "高处作业",
        ),
        Criterion(
            "CONS-10-1",
            "特殊作业环境（通风不畅、高温、有导电灰尘、相对湿度长期超过75%、泥泞、存在积水或其他导电液体等不利作业环境）照明未按规定使用安全电压；",
            "Lighting in special work environments (poor ventilation, heat, conductive dust, damp, water) not at safety voltage",
            "第十条（一）",
            "施工临时用电",
        ),
        Criterion(
            "CONS-10-2",
            "在建工程及脚手架、机械设备、场内机动车道与外电架空线路之间的安全距离不符合规范要求且未采取防护措施。",
            "Works, scaffolds, machines or site roads too close to overhead power lines without protection",
            "第十条（二）",
            "施工临时用电",
        ),
        Criterion(
            "CONS-11-1",
            "未辨识施工现场有限空间，且未在显著位置设置警示标志；",
            "Confined spaces on site not identified and not marked with warning signs",
            "第十一条（一）",
            "有限空间作业",
        ),
        Criterion(
            "CONS-11-2",
            "有限空间作业未履行“作业审批制度”，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则；",
            "Confined-space work without a permit, special training, or 'ventilate, test, then work'",
            "第十一条（二）",
            "有限空间作业",
        ),
        Criterion(
            "CONS-11-3",
            "有限空间作业时现场无专人负责监护工作，或无专职安全生产管理人员现场监督；",
            "Confined-space work without a dedicated attendant or a full-time safety manager supervising",
            "第十一条（三）",
            "有限空间作业",
        ),
        Criterion(
            "CONS-11-4",
            "有限空间作业现场未配备必要的气体检测、机械通风、呼吸防护及应急救援设施设备。",
            "Confined-space work without gas detection, mechanical ventilation, respiratory protection and rescue equipment",
            "第十一条（四）",
            "有限空间作业",
        ),
        Criterion(
            "CONS-12-1",
            "装饰装修工程拆除承重结构未经原设计单位或具有相应资质条件的设计单位进行结构复核；",
            "Load-bearing structure removed in renovation without structural review by a qualified designer",
            "第十二条（一）",
            "拆除工程",
        ),
        Criterion(
            "CONS-12-2",
            "拆除施工作业顺序不符合规范和施工方案要求。",
            "Demolition sequence departs from the specifications and the construction plan",
            "第十二条（二）",
            "拆除工程",
        ),
        Criterion(
            "CONS-13-1",
            "作业面带水施工未采取相关措施，或地下水控制措施失效且继续施工；",
            "Tunnel face worked under water without measures, or groundwater control failed and work continues",
            "第十三条（一）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-2",
            "施工时出现涌水、涌沙、局部坍塌，支护结构扭曲变形或出现裂缝，未及时采取措施；",
            "Water or sand inrush, local collapse, or distorted or cracked support not dealt with promptly",
            "第十三条（二）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-3",
            "未按规范或施工方案要求选择开挖、支护方法，或未按规定开展超前地质预报、监控量测，或监测数据超过设计控制值且未及时采取措施；",
            "Wrong excavation or support method, no advance geological forecast or monitoring, or exceeded limits not acted on",
            "第十三条（三）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-4",
            "盾构机始发、接收端头未按设计进行加固，或加固效果未达到要求且未采取措施即开始施工；",
            "Shield launch or reception end not reinforced as designed, or reinforcement inadequate and work starts anyway",
            "第十三条（四）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-5",
            "盾构机盾尾密封失效、铰链部位发生渗漏仍继续掘进作业，或盾构机带压开仓检查换刀未按有关规定实施；",
            "Shield driving continues with a failed tail seal or leaking hinge, or pressurised cutter change not done by the rules",
            "第十三条（五）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-6",
            "未对因施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施；",
            "No special protection for adjacent buildings, structures and pipelines endangered by tunnelling",
            "第十三条（六）",
            "隧道工程",
        ),
        Criterion(
            "CONS-13-7",
            "未经批准，在轨道交通工程安全保护区范围内进行新（改、扩）建建（构）筑物、敷设管线、架空、挖掘、爆破等作业。",
            "Unapproved building, pipe laying, excavation or blasting inside a rail transit protection zone",
            "第十三条（七）",
            "隧道工程",
        ),
        Criterion(
            "CONS-14-1",
            "基坑周边堆载超过设计允许值；",
            "Surcharge beside a foundation pit exceeds the design allowance",
            "第十四条（一）",
            "施工临时堆载",
        ),
        Criterion(
            "CONS-14-2",
            "无支护基坑（槽）周边，在坑底边线周边与开挖深度相等范围内堆载；",
            "Loads stacked within the excavation depth of an unsupported pit or trench edge",
            "第十四条（二）",
            "施工临时堆载",
        ),
        Criterion(
            "CONS-14-3",
            "楼板、屋面和地下室顶板等结构构件或脚手架上堆载超过设计允许值。",
            "Loads on slabs, roofs, basement roofs or scaffolds exceed the design allowance",
            "第十四条（三）",
            "施工临时堆载",
        ),
        Criterion(
            "CONS-15-1",
            "使用混凝土泵车、打桩设备、汽车起重机、履带起重机等大型机械设备，未校核其运行路线及作业位置承载能力；",
            "Pump trucks, piling rigs or mobile or crawler cranes used without checking route and ground capacity",
            "第十五条（一）",
            "冒险作业",
        ),
        Criterion(
            "CONS-15-2",
            "在雷雨、大雪、浓雾或大风等恶劣天气条件下违规进行吊装作业、设备安装、拆卸和高处作业；",
            "Lifting, installation, dismantling or work at height in thunderstorms, heavy snow, dense fog or strong wind",
            "第十五条（二）",
            "冒险作业",
        ),
        Criterion(
            "CONS-15-3",
            "施工现场使用塔式起重机、汽车起重机、履带起重机或轮胎起重机等非载人设备吊运人员。",
            "People lifted by tower, truck, crawler or tyre cranes or other non-passenger equipment",
            "第十五条（三）",
            "冒险作业",
        ),
        Criterion(
            "CONS-16",
            "使用国家明令禁止和限制使用的危害程度较大、可能导致群死群伤或造成重大经济损失的施工工艺、设备和材料，应判定为重大事故隐患。",
            "Construction processes, equipment or materials banned or restricted by the state used, with grave danger",
            "第十六条",
            "淘汰工艺、设备和材料",
        ),
        Criterion(
            "CONS-17",
            "其他严重违反房屋市政工程安全生产法律法规、部门规章及强制性标准，且存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险，应判定为重大事故隐患。",
            "Other serious breaches of construction safety law and mandatory standards posing a real danger of mass casualties or major loss",
            "第十七条",
            "其他",
        ),
    ),
)


# ---- general hazards and listing -----------------------------------------------------------

#: The general-hazard categories (一般隐患类别) officials of the sector use: a general
#: grade carries one, so like hazards are counted together and recurrences found.
GENERAL_CATEGORIES: tuple[GeneralCategory, ...] = (
    GeneralCategory("CONS-G01", "基坑工程", "Excavations"),
    GeneralCategory("CONS-G02", "模板支撑体系", "Formwork and shoring"),
    GeneralCategory("CONS-G03", "脚手架", "Scaffolding"),
    GeneralCategory("CONS-G04", "起重机械", "Lifting machinery"),
    GeneralCategory(
        "CONS-G05", "高处作业与临边洞口防护", "Work at height, edge and opening protection"
    ),
    GeneralCategory("CONS-G06", "施工用电", "Temporary electricity"),
    GeneralCategory("CONS-G07", "消防与动火作业", "Fire protection and hot work"),
    GeneralCategory("CONS-G08", "有限空间作业", "Confined-space work"),
    GeneralCategory("CONS-G09", "安全管理资料与人员配备", "Safety records and staffing"),
    GeneralCategory("CONS-G10", "文明施工与现场管理", "Site order and housekeeping"),
)

#: The sector's name for its major grade, in Chinese and English.
MAJOR_GRADE = ("重大事故隐患", "major accident hazard")

#: When the sector's major hazards must be listed for supervision (挂牌督办). No national
#: rule sets the time limit; this default is a local policy to be set per jurisdiction.
LISTING = ListingRule(
    required=True,
    grace_days=15,
    basis_zh="房屋市政工程重大事故隐患实行挂牌督办（住房和城乡建设主管部门；地方规定的期限，默认15日）",
    basis_en="major construction hazards are listed for supervision (housing and construction authority; local time limit, 15 days by default)",
)
