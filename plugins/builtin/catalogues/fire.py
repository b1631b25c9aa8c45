"""GB 35181 — the fire catalogues: 重大火灾隐患判定方法 (2017) and 判定规则 (2025).

GB 35181-2025《重大火灾隐患判定规则》 replaced GB 35181-2017 on 2025-11-01 (published
2025-04-25). Both are kept: a grade is judged by the edition in force on its business
day, and keeps the edition it was graded under (``docs/decisions/0024-fire-graded-by-the-edition-in-force.md``).

2025 edition — codes follow the clauses: ``FIRE-5.2-c`` (direct element 5.2 c),
``FIRE-6.3.2`` (composite element), ``FIRE-4.1-c`` (the composite rule: 6 or more
elements at once), ``FIRE-A.2.3`` (an Annex A finding that decides whether 5.1 e),
5.2 d), 5.3 e) or 5.4 d) "不能正常运行" holds). Texts are the published copy's text layer
(see ``../shared/CRITERIA-FIRE-2025.md``; a copy is kept with the tests, which hold every
clause to it), with the typesetting spaces beside Chinese characters removed. Verified
against one published copy only; re-check against the official reading copy
(国家标准全文公开系统) when it can be reached.

2017 edition — direct elements 6.1-6.5 from a clean secondary copy; 6.6-6.10 and the
composite elements 7.1.1-7.3.7 from secondary copies only (``verified=False``; a typo
"接" for "按" corrected and "或者" written "或" as in the standard's style). Composite
elements 7.3.8 onwards and 7.4-7.9 were not obtained, and the composite rule (5.3.2)
is from recall, corroborated only for rule a); the rules below count only the elements
held here, so they are partial. The in-force date 2018-07-01 is likewise unconfirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from plugins.catalogue import Catalogue, CompositeRule, Criterion, Exclusion, Provision, Term

ELEMENTS = (
    Criterion(
        "FIRE-E-7.1.1",
        "未按国家工程建设消防技术标准的规定或城市消防规划的要求设置消防车道或消防车道被堵塞、占用",
        "Fire engine access not provided as required, or blocked or occupied",
        "7.1.1",
        "总平面布置",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.1.2",
        "建筑之间的既有防火间距被占用或小于国家工程建设消防技术标准的规定值的80%；明火和散发火花地点与易燃易爆生产厂房、装置设备之间的防火间距小于国家工程建设消防技术标准的规定值",
        "Fire separation between buildings occupied or below 80% of the required; open flames too close to flammable plants",
        "7.1.2",
        "总平面布置",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.1.3",
        "在厂房、库房、商场中设置员工宿舍，或是在居住等民用建筑中从事生产、储存、经营等活动，且不符合GA 703的规定",
        "Staff dormitories in plants, warehouses or shops, or production, storage or trade in residential buildings, against GA 703",
        "7.1.3",
        "总平面布置",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.1.4",
        "地下车站的站厅乘客疏散区、站台及疏散通道内设置商业经营活动场所",
        "Commercial premises in the passenger evacuation areas of underground stations",
        "7.1.4",
        "总平面布置",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.2.1",
        "原有防火分区被改变并导致实际防火分区的建筑面积大于国家工程建设消防技术标准规定值的50%",
        "Fire compartment altered so that its area exceeds the permitted by more than 50%",
        "7.2.1",
        "防火分隔",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.2.2",
        "防火门、防火卷帘等防火分隔设施损坏的数量大于该防火分区相应防火分隔设施总数的50%",
        "More than 50% of the fire doors, shutters and other separations of a compartment damaged",
        "7.2.2",
        "防火分隔",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.2.3",
        "丙、丁、戊类厂房内有火灾或爆炸危险的部位未采取防火分隔等防火防爆技术措施",
        "Fire or explosion hazard areas in class C, D or E plants without separation or protection",
        "7.2.3",
        "防火分隔",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.1",
        "建筑内的避难走道、避难间、避难层的设置不符合国家工程建设消防技术标准的规定，或避难走道、避难间、避难层被占用",
        "Refuge corridors, rooms or floors non-compliant or occupied",
        "7.3.1",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.2",
        "人员密集场所内疏散楼梯间的设置形式不符合国家工程建设消防技术标准的规定",
        "Evacuation staircases in crowded premises of a non-compliant type",
        "7.3.2",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.3",
        "除6.5规定外的其他场所或建筑物的安全出口数量或宽度不符合国家工程建设消防技术标准的规定，或既有安全出口被封堵",
        "Other premises with too few or too narrow exits, or exits blocked",
        "7.3.3",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.4",
        "按国家工程建设消防技术标准的规定，建筑物应设置独立的安全出口或疏散楼梯而未设置",
        "Required independent exit or evacuation staircase not provided",
        "7.3.4",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.5",
        "商店营业厅内的疏散距离大于国家工程建设消防技术标准规定值的125%",
        "Evacuation distance in shop sales halls above 125% of the permitted",
        "7.3.5",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.6",
        "高层建筑和地下建筑未按国家工程建设消防技术标准的规定设置疏散指示标志、应急照明,或所设置设施的损坏率大于标准规定要求设置数量的30%;其他建筑未按国家工程建设消防技术标准的规定设置疏散指示标志、应急照明,或所设置设施的损坏率大于标准规定要求设置数量的50%",
        "Evacuation signs and emergency lighting missing, or damaged beyond 30% (high-rise, underground) or 50% (others)",
        "7.3.6",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
    Criterion(
        "FIRE-E-7.3.7",
        "设有人员密集场所的高层建筑的封闭楼梯间或防烟楼梯间的门的损坏率超过其设置总数的20%,其他建筑的封闭楼梯间或防烟楼梯间的门的损坏率大于其设置总数的50%",
        "Doors of enclosed or smoke-proof staircases damaged beyond 20% (high-rise with crowded premises) or 50% (others)",
        "7.3.7",
        "安全疏散设施及灭火救援条件",
        verified=False,
    ),
)
ELEMENT_CODES = tuple(e.code for e in ELEMENTS)

FIRE_2017 = Catalogue(
    sector="fire",
    standard="GB 35181-2017",
    document="重大火灾隐患判定方法",
    series="GB 35181",
    edition="2017",
    effective_from=date(2018, 7, 1),
    effective_to=date(2025, 10, 31),
    source="Secondary copies of GB 35181-2017 (233.com, uianet.net, jianbiaoku.com); "
    "not checked against the official text; replaced by GB 35181-2025 on 2025-11-01.",
    criteria=(
        Criterion(
            "FIRE-D01",
            "生产、储存和装卸易燃易爆危险品的工厂、仓库和专用车站、码头、储罐区,未设置在城市的边缘或相对独立的安全地带",
            "Plants, warehouses, depots, docks or tank farms for flammable or explosive goods not at the city edge or in a separate safe area",
            "6.1",
            "直接判定要素",
        ),
        Criterion(
            "FIRE-D02",
            "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内,或与人员密集场所、居住场所的防火间距小于国家工程建设消防技术标准规定值的75%",
            "Flammable or explosive goods premises in one building with crowded or residential premises, or separation below 75% of the required",
            "6.2",
            "直接判定要素",
        ),
        Criterion(
            "FIRE-D03",
            "城市建成区内的加油站、天然气或液化石油气加气站、加油加气合建站的储量达到或超过一级站的规定",
            "Fuel or gas filling station in a built-up urban area with storage at or above the class-1 level",
            "6.3",
            "直接判定要素",
        ),
        Criterion(
            "FIRE-D04",
            "甲、乙类生产场所和仓库设置在建筑的地下室或半地下室",
            "Class A or B production or storage in a basement or semi-basement",
            "6.4",
            "直接判定要素",
        ),
        Criterion(
            "FIRE-D05",
            "公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于国家工程建设消防技术标准规定值的80%",
            "Crowded premises with too few safety exits, or total exit width below 80% of the required",
            "6.5",
            "直接判定要素",
        ),
        Criterion(
            "FIRE-D06",
            "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统或火灾自动报警系统",
            "Hotels, entertainment venues, shops or underground crowded premises without the required sprinklers or fire alarm system",
            "6.6",
            "直接判定要素",
            verified=False,
        ),
        Criterion(
            "FIRE-D07",
            "易燃可燃液体、可燃气体储罐(区)未接[sic, =按]国家工程建设消防技术标准的规定设置固定灭火、冷却、可燃气体浓度报警、火灾报警设施",
            "Flammable liquid or gas tank farms without the required fixed extinguishing, cooling, gas detection or fire alarm",
            "6.7",
            "直接判定要素",
            verified=False,
        ),
        Criterion(
            "FIRE-D08",
            "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品",
            "Flammable or explosive goods used, stored or sold in crowded premises against fire rules",
            "6.8",
            "直接判定要素",
            verified=False,
        ),
        Criterion(
            "FIRE-D09",
            "托儿所、幼儿园的儿童用房以及老年人活动场所,所在楼层位置不符合国家工程建设消防技术标准的规定",
            "Rooms for children in nurseries and kindergartens, or elderly activity premises, on floors the fire codes do not permit",
            "6.9",
            "直接判定要素",
            verified=False,
        ),
        Criterion(
            "FIRE-D10",
            "人员密集场所的居住场所采用彩钢夹芯板搭建,且彩钢夹芯板芯材的燃烧性能等级低于《建筑材料及制品燃烧性能分级》(GB 8624-2012)规定的A级",
            "Living quarters in crowded premises built of sandwich panels whose core is below class A",
            "6.10",
            "直接判定要素",
            verified=False,
        ),
    ),
    elements=ELEMENTS,
    composite_rules=(
        CompositeRule(
            "FIRE-C-A",
            "人员密集场所存在7.3.1～7.3.9和7.5、7.9.3规定的综合判定要素3条以上（含本数）",
            "Crowded premises with 3 or more of the evacuation, smoke-control and listed elements",
            "5.3.2 a)",
            elements=(
                "FIRE-E-7.3.1",
                "FIRE-E-7.3.2",
                "FIRE-E-7.3.3",
                "FIRE-E-7.3.4",
                "FIRE-E-7.3.5",
                "FIRE-E-7.3.6",
                "FIRE-E-7.3.7",
            ),
            threshold=3,
            applies_to="人员密集场所",
            verified=False,
        ),
        CompositeRule(
            "FIRE-C-B",
            "易燃、易爆危险品场所存在7.1.1～7.1.3、7.4.5和7.4.6规定的综合判定要素3条以上（含本数）",
            "Flammable or explosive goods premises with 3 or more of the layout and listed elements",
            "5.3.2 b)",
            elements=(
                "FIRE-E-7.1.1",
                "FIRE-E-7.1.2",
                "FIRE-E-7.1.3",
            ),
            threshold=3,
            applies_to="易燃易爆危险品场所",
            verified=False,
        ),
        CompositeRule(
            "FIRE-C-C",
            "人员密集场所、易燃易爆危险品场所、重要场所存在第7章规定的任意综合判定要素4条以上（含本数）",
            "Crowded, flammable-goods or important premises with any 4 or more composite elements",
            "5.3.2 c)",
            elements=ELEMENT_CODES,
            threshold=4,
            applies_to="人员密集场所、易燃易爆危险品场所、重要场所",
            verified=False,
        ),
        CompositeRule(
            "FIRE-C-D",
            "其他场所存在第7章规定的任意综合判定要素6条以上（含本数）",
            "Other premises with any 6 or more composite elements",
            "5.3.2 d)",
            elements=ELEMENT_CODES,
            threshold=6,
            applies_to="其他场所",
            verified=False,
        ),
    ),
)


# ---- GB 35181-2025 ---------------------------------------------------------------------

#: Kinds of premises (场所类别) a hazard report may declare; 5.2-5.5 apply to some only.
#: "重要场所" was a 2017 term (deleted in 2025); it stays for hazards reported before.
KINDS_5_2 = ("公共娱乐场所", "宾馆", "商店、集贸市场")
KINDS_5_3 = ("儿童活动场所", "老年人照料设施", "医院门诊楼、病房楼")
KINDS_5_4 = ("劳动密集型企业厂房、仓库",)
KINDS_5_5 = ("易燃易爆危险品场所",)
PREMISES_KINDS = (
    *KINDS_5_2,
    *KINDS_5_3,
    *KINDS_5_4,
    *KINDS_5_5,
    "多业态混合生产经营场所",
    "人员密集场所",
    "重要场所",
    "其他场所",
)

DIRECT_2025 = (
    Criterion(
        "FIRE-5.1-a",
        "除特殊工艺要求外，甲、乙类生产场所或仓库设置在建筑的地下室或半地下室；",
        "Class A or B production or storage in a basement or semi-basement, save for special process needs",
        "5.1 a)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-b",
        "除住宅建筑套内的自用楼梯外，公共疏散楼梯间的地下与地上部分未进行防火分隔；",
        "Public evacuation staircase not separated between its underground and above-ground parts",
        "5.1 b)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-c",
        "人员密集场所的疏散走道、楼梯间、疏散门或安全出口设置影响疏散的栅栏、卷帘门；",
        "Railings or roller shutters obstructing corridors, staircases, exit doors or safety exits of crowded premises",
        "5.1 c)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-d",
        "高层建筑、地下人员密集场所安全出口的数量不符合GB 55037、GB 50016的规定，或安全出口被完全占用、堵塞、封闭；",
        "High-rise or underground crowded premises with too few safety exits, or exits fully occupied, blocked or sealed",
        "5.1 d)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-e",
        "高层建筑、地下人员密集场所未按GB 55037的规定设置火灾自动报警系统或固定灭火设施，或已设置的火灾自动报警系统和固定灭火设施不能正常运行（火灾自动报警系统和固定灭火设施不能正常运行的判定规则应符合附录A）；",
        "High-rise or underground crowded premises without the required fire alarm or fixed extinguishing systems, or with them out of operation (Annex A)",
        "5.1 e)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-f",
        "人员密集场所采用金属夹芯板搭建且金属夹芯板芯材的燃烧性能等级低于A级；",
        "Crowded premises built of metal sandwich panels whose core is below class A",
        "5.1 f)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-g",
        "地下人员密集场所内部装修、装饰材料的燃烧性能等级不符合GB 50222的规定；",
        "Interior finishes of underground crowded premises below the fire performance GB 50222 requires",
        "5.1 g)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-h",
        "冷库的防火分隔措施或保温材料燃烧性能不符合GB 50016、GB 50072的规定；",
        "Cold store separation or insulation fire performance not as GB 50016 and GB 50072 require",
        "5.1 h)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-i",
        "多产权建筑，具有多个使用方的甲、乙、丙类厂房或仓库，多业态混合生产经营场所未明确消防安全管理职责，未对共用的疏散通道、安全出口、建筑消防设施和消防车通道明确统一管理单位或管理人；",
        "Multi-owner buildings, shared class A-C plants or warehouses, or mixed-use premises without assigned fire safety duties or a single manager of shared exits and facilities",
        "5.1 i)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.1-j",
        "具有火灾、爆炸风险的电池生产、储存场所或储能电站防火间距不足，未采取防火分隔措施，或未设置事故通风系统或自动灭火系统。",
        "Battery production or storage or energy storage stations with short separation distances, no fire separation, or no emergency ventilation or automatic extinguishing",
        "5.1 j)",
        "建筑或场所具有下列情形之一的，应判定为重大火灾隐患：",
    ),
    Criterion(
        "FIRE-5.2-a",
        "原有防火分区面积被改变，大于GB 55037的规定值；",
        "Original fire compartment altered to exceed the area GB 55037 permits",
        "5.2 a)",
        "公共娱乐场所、宾馆、商店及集贸市场具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_2,
    ),
    Criterion(
        "FIRE-5.2-b",
        "违反GB 55037的规定使用易燃、可燃材料装修、装饰；",
        "Flammable or combustible finishes against GB 55037",
        "5.2 b)",
        "公共娱乐场所、宾馆、商店及集贸市场具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_2,
    ),
    Criterion(
        "FIRE-5.2-c",
        "安全出口的数量不符合GB 55037、GB 50016的规定，或安全出口被完全占用、堵塞、封闭；",
        "Too few safety exits, or exits fully occupied, blocked or sealed",
        "5.2 c)",
        "公共娱乐场所、宾馆、商店及集贸市场具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_2,
    ),
    Criterion(
        "FIRE-5.2-d",
        "未按GB 55037的规定设置火灾自动报警系统或固定灭火设施，或已设置的火灾自动报警系统和固定灭火设施按照附录A判定为不能正常运行；",
        "Fire alarm or fixed extinguishing systems not provided as GB 55037 requires, or out of operation by Annex A",
        "5.2 d)",
        "公共娱乐场所、宾馆、商店及集贸市场具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_2,
    ),
    Criterion(
        "FIRE-5.2-e",
        "消防救援口设置影响逃生和灭火救援的障碍物。",
        "Obstacles at rescue openings hindering escape and firefighting",
        "5.2 e)",
        "公共娱乐场所、宾馆、商店及集贸市场具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_2,
    ),
    Criterion(
        "FIRE-5.3-a",
        "儿童活动场所和老年人照料设施所在楼层位置不符合GB 55037的规定；",
        "Children's or elderly care premises on floors GB 55037 does not permit",
        "5.3 a)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.3-b",
        "安全出口的数量不符合GB 55037、GB 50016的规定，或安全出口被完全占用、堵塞、封闭；",
        "Too few safety exits, or exits fully occupied, blocked or sealed",
        "5.3 b)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.3-c",
        "避难间的设置不符合GB 55037、GB 50016的规定；",
        "Refuge rooms not provided as GB 55037 and GB 50016 require",
        "5.3 c)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.3-d",
        "设置在高层建筑内的儿童活动场所未设置独立的安全出口或疏散楼梯；",
        "Children's premises in a high-rise building without their own exit or evacuation staircase",
        "5.3 d)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.3-e",
        "未按GB 55037的规定设置火灾自动报警系统或固定灭火设施，或已设置的火灾自动报警系统和固定灭火设施按照附录A判定为不能正常运行；",
        "Fire alarm or fixed extinguishing systems not provided as GB 55037 requires, or out of operation by Annex A",
        "5.3 e)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.3-f",
        "消防救援口设置影响逃生和灭火救援的障碍物。",
        "Obstacles at rescue openings hindering escape and firefighting",
        "5.3 f)",
        "儿童活动场所、老年人照料设施和医院的门诊楼、病房楼具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_3,
    ),
    Criterion(
        "FIRE-5.4-a",
        "厂房、仓库内设置员工宿舍；",
        "Staff dormitories inside the plant or warehouse",
        "5.4 a)",
        "劳动密集型企业的厂房、仓库内具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_4,
    ),
    Criterion(
        "FIRE-5.4-b",
        "厂房、仓库内有爆炸危险的部位及设施未按GB 50016的规定采取防爆泄压技术措施；",
        "Explosion-prone parts without the explosion venting GB 50016 requires",
        "5.4 b)",
        "劳动密集型企业的厂房、仓库内具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_4,
    ),
    Criterion(
        "FIRE-5.4-c",
        "厂房、仓库的耐火等级不符合GB 55037的规定；",
        "Fire resistance rating of the plant or warehouse below GB 55037",
        "5.4 c)",
        "劳动密集型企业的厂房、仓库内具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_4,
    ),
    Criterion(
        "FIRE-5.4-d",
        "未按GB 55037的规定设置火灾自动报警系统或固定灭火设施，或已设置的火灾自动报警系统和固定灭火设施按照附录A判定为不能正常运行。",
        "Fire alarm or fixed extinguishing systems not provided as GB 55037 requires, or out of operation by Annex A",
        "5.4 d)",
        "劳动密集型企业的厂房、仓库内具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_4,
    ),
    Criterion(
        "FIRE-5.5-a",
        "易燃易爆危险品场所与民用建筑设置在同一建筑内；",
        "Flammable or explosive goods premises in the same building as civil uses",
        "5.5 a)",
        "易燃易爆危险品场所具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_5,
    ),
    Criterion(
        "FIRE-5.5-b",
        "易燃易爆危险品场所与人员密集场所、居住场所的防火间距小于消防技术标准的规定值；",
        "Separation from crowded or residential premises below the required distance",
        "5.5 b)",
        "易燃易爆危险品场所具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_5,
    ),
    Criterion(
        "FIRE-5.5-c",
        "易燃易爆危险品场所与明火和散发火花地点之间的防火间距小于消防技术标准的规定值；",
        "Separation from open flames or sparking places below the required distance",
        "5.5 c)",
        "易燃易爆危险品场所具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_5,
    ),
    Criterion(
        "FIRE-5.5-d",
        "在地下建筑、建筑的地下室、人员密集场所、居住场所内违规使用、储存或销售易燃易爆危险品；",
        "Flammable or explosive goods used, stored or sold illegally underground, in basements, crowded or residential premises",
        "5.5 d)",
        "易燃易爆危险品场所具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_5,
    ),
    Criterion(
        "FIRE-5.5-e",
        "生产、储存易燃易爆危险品的大型企业未按消防法律法规规定建立专职消防队。",
        "Large enterprise producing or storing flammable or explosive goods without the required full-time fire brigade",
        "5.5 e)",
        "易燃易爆危险品场所具有以下情形之一的，应判定为重大火灾隐患：",
        premises=KINDS_5_5,
    ),
)

ELEMENTS_2025 = (
    Criterion(
        "FIRE-6.1.1",
        "未按消防技术标准的规定设置消防车道、消防车登高操作场地，或消防车道、消防车登高操作场地被堵塞、占用。",
        "Fire engine access or aerial operation area not provided, or blocked or occupied",
        "6.1.1",
        "总平面布置",
    ),
    Criterion(
        "FIRE-6.1.2",
        "建筑之间的防火间距小于消防技术标准的规定值。",
        "Separation between buildings below the required distance",
        "6.1.2",
        "总平面布置",
    ),
    Criterion(
        "FIRE-6.1.3",
        "消防控制室的设置不符合消防技术标准的规定。",
        "Fire control room not provided as the technical standards require",
        "6.1.3",
        "总平面布置",
    ),
    Criterion(
        "FIRE-6.2.1",
        "厂房、仓库的建筑耐火等级、防火分隔措施与其生产、储存物品的火灾危险性类别不匹配。",
        "Fire resistance or separation of a plant or warehouse not matching the fire hazard class of its goods",
        "6.2.1",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.2",
        "原有防火分区面积被改变，且大于消防技术标准的规定值。",
        "Original fire compartment altered to exceed the permitted area",
        "6.2.2",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.3",
        "设置在住宅建筑架空层的电动自行车集中停放或充电场所与建筑的采光通风井、公共门厅、疏散走道、楼梯间、安全出口未采取防火分隔措施。",
        "E-bike parking or charging in a residential stilt floor not separated from shafts, lobbies, corridors, stairs or exits",
        "6.2.3",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.4",
        "用于分隔防火分区的防火门、防火卷帘损坏。",
        "Fire doors or shutters separating compartments damaged",
        "6.2.4",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.5",
        "高层建筑幕墙未在楼板处采取防火封堵措施。",
        "High-rise curtain wall without fire stopping at the floor slabs",
        "6.2.5",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.6",
        "高层建筑电缆竖井未在楼板处采取防火封堵措施。",
        "High-rise cable shafts without fire stopping at the floor slabs",
        "6.2.6",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.2.7",
        "地上人员密集场所内部装修、装饰材料的燃烧性能等级不符合GB 50222的规定。",
        "Interior finishes of above-ground crowded premises below GB 50222",
        "6.2.7",
        "耐火等级、防火分隔与装修装饰",
    ),
    Criterion(
        "FIRE-6.3.1",
        "疏散楼梯间的设置形式不符合消防技术标准的规定。",
        "Evacuation staircase of a non-compliant type",
        "6.3.1",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.3.2",
        "安全出口数量不符合消防技术标准的规定，或安全出口被完全占用、堵塞、封闭。",
        "Too few safety exits, or exits fully occupied, blocked or sealed",
        "6.3.2",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.3.3",
        "封闭楼梯间或防烟楼梯间的疏散门损坏。",
        "Doors of enclosed or smoke-proof staircases damaged",
        "6.3.3",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.3.4",
        "疏散楼梯间、前室的室内装修材料未采用不燃材料。",
        "Finishes of evacuation staircases or lobbies not non-combustible",
        "6.3.4",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.3.5",
        "未按消防技术标准的规定设置消防应急照明和疏散指示标志。",
        "Emergency lighting and evacuation signs not provided as required",
        "6.3.5",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.3.6",
        "消防应急照明和灯光疏散指示标志的备用电源的连续供电时间不符合GB 55037的规定。",
        "Backup power of emergency lighting and lit signs lasting less than GB 55037 requires",
        "6.3.6",
        "安全疏散",
    ),
    Criterion(
        "FIRE-6.4.1",
        "未按消防技术标准的规定设置消防水源，或不能正常使用。",
        "Fire water supply not provided, or not usable",
        "6.4.1",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.4.2",
        "未按消防技术标准的规定设置室外或室内消火栓系统，或不能正常使用。",
        "Outdoor or indoor hydrant system not provided, or not usable",
        "6.4.2",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.4.3",
        "未按消防技术标准的规定设置自动灭火系统，或不能正常使用。",
        "Automatic extinguishing system not provided, or not usable",
        "6.4.3",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.4.4",
        "未按消防技术标准的规定设置建筑防烟排烟设施，或不能正常使用。",
        "Smoke control and exhaust not provided, or not usable",
        "6.4.4",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.4.5",
        "未按消防技术标准的规定设置火灾自动报警系统，或不能正常使用。",
        "Fire alarm system not provided, or not usable",
        "6.4.5",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.4.6",
        "未按GB 55037的规定设置消防电梯，或不能正常使用。",
        "Firefighting lift not provided as GB 55037 requires, or not usable",
        "6.4.6",
        "消防设施",
    ),
    Criterion(
        "FIRE-6.5.1",
        "建筑的消防用电负荷等级不符合消防技术标准的规定。",
        "Fire power load class below the technical standards",
        "6.5.1",
        "电气",
    ),
    Criterion(
        "FIRE-6.5.2",
        "消防用电设备未采用专用的供电回路。",
        "Fire equipment without dedicated supply circuits",
        "6.5.2",
        "电气",
    ),
    Criterion(
        "FIRE-6.5.3",
        "除按照三级负荷供电的消防用电设备外，消防控制室、消防水泵房的消防用电设备及消防电梯的供电，未在其配电线路的最末一级配电箱内设置自动切换装置，或不能正常切换。",
        "No automatic changeover in the final distribution box of the fire control room, pump room or firefighting lift supply, or it fails",
        "6.5.3",
        "电气",
    ),
    Criterion(
        "FIRE-6.5.4",
        "在可燃材料或可燃构件上直接敷设电气线路或安装电气设备。",
        "Wiring or electrical equipment mounted directly on combustible materials",
        "6.5.4",
        "电气",
    ),
    Criterion(
        "FIRE-6.5.5",
        "电气线路绝缘外护套有明显烧蚀、炭化、熔融等现象。",
        "Cable insulation visibly burnt, charred or melted",
        "6.5.5",
        "电气",
    ),
    Criterion(
        "FIRE-6.5.6",
        "用电设备的接线端子处、插座的插孔和端子处、照明开关的端子处有明显烧蚀、炭化、熔融等现象。",
        "Terminals of equipment, sockets or switches visibly burnt, charred or melted",
        "6.5.6",
        "电气",
    ),
    Criterion(
        "FIRE-6.6.1",
        "消防控制室操作人员未按GB 25506的规定持证上岗。",
        "Fire control room operators without the certificate GB 25506 requires",
        "6.6.1",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.2",
        "应处于自动控制状态的消防水泵控制柜处于手动控制状态。",
        "Fire pump control cabinet in manual mode where it must be automatic",
        "6.6.2",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.3",
        "消防水泵、高位消防水箱或自动喷水灭火系统报警阀等的进、出口部位应常开的阀门处于关闭状态。",
        "Valves that must stay open at fire pumps, tanks or alarm valves closed",
        "6.6.3",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.4",
        "人员密集场所的外窗、阳台设置影响逃生和灭火救援的栅栏等障碍物且紧急情况下从内部无法开启。",
        "Bars or obstacles on windows or balconies of crowded premises that cannot be opened from inside",
        "6.6.4",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.5",
        "人员密集场所的消防救援口设置影响疏散和灭火救援的障碍物。",
        "Obstacles at rescue openings of crowded premises",
        "6.6.5",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.6",
        "人员密集场所的业主单位、使用单位在场所内部动火作业时未执行内部审批制度，或动火作业人员未持证上岗，或动火作业现场未采取防火分隔和现场看护措施。",
        "Hot work in crowded premises without internal approval, certified workers, separation or watch",
        "6.6.6",
        "消防安全管理",
    ),
    Criterion(
        "FIRE-6.6.7",
        "人员密集场所的业主单位、使用单位未按消防技术标准的规定编制灭火和应急疏散预案，或未定期依据预案开展消防演练。",
        "Crowded premises without a firefighting and evacuation plan, or without regular drills",
        "6.6.7",
        "消防安全管理",
    ),
)

FINDINGS_2025 = (
    Criterion(
        "FIRE-A.1.1",
        "消防水泵（或泡沫液泵）采用自动控制、手动控制等方式均无法正常启动。",
        "Hydrant fire pump cannot start automatically or manually",
        "A.1.1",
        "消防给水及消火栓系统",
    ),
    Criterion(
        "FIRE-A.1.2",
        "水泵控制柜未连接消防电源，消防电源故障，或控制失效。",
        "Hydrant pump control cabinet without fire power, with a power fault, or failed control",
        "A.1.2",
        "消防给水及消火栓系统",
    ),
    Criterion(
        "FIRE-A.2.1",
        "消防水泵（或泡沫液泵）采用自动控制、手动控制等方式均无法正常启动。",
        "Extinguishing system pump cannot start automatically or manually",
        "A.2.1",
        "自动灭火系统",
    ),
    Criterion(
        "FIRE-A.2.2",
        "水泵控制柜未连接消防电源，消防电源故障，或控制失效。",
        "Extinguishing pump control cabinet without fire power, with a power fault, or failed control",
        "A.2.2",
        "自动灭火系统",
    ),
    Criterion(
        "FIRE-A.2.3",
        "报警阀（或电动控制阀、气动控制阀）无法正常启动。",
        "Alarm valve (or electric or pneumatic control valve) cannot start",
        "A.2.3",
        "自动灭火系统",
    ),
    Criterion(
        "FIRE-A.2.4",
        "气体灭火系统的启动装置采用自动控制、手动控制方式均无法正常启动或灭火剂净重小于设计储存量的90%。",
        "Gas extinguishing release fails automatically and manually, or agent below 90% of design",
        "A.2.4",
        "自动灭火系统",
    ),
    Criterion(
        "FIRE-A.2.5",
        "瓶组式细水雾灭火系统的启动装置采用自动控制、手动控制方式均无法正常启动。",
        "Cylinder water mist release fails automatically and manually",
        "A.2.5",
        "自动灭火系统",
    ),
    Criterion(
        "FIRE-A.3.1",
        "火灾报警控制器未连接消防电源，或消防电源故障。",
        "Fire alarm control panel without fire power, or with a power fault",
        "A.3.1",
        "火灾自动报警系统",
    ),
    Criterion(
        "FIRE-A.3.2",
        "火灾报警控制器操作控制按键失效、不能显示火警或故障报警、或不能发出声报警信号。",
        "Fire alarm panel keys fail, or it cannot show fire or fault alarms or sound",
        "A.3.2",
        "火灾自动报警系统",
    ),
    Criterion(
        "FIRE-A.3.3",
        "消防联动控制器未连接消防电源，消防电源故障，或联动控制失效。",
        "Linkage controller without fire power, with a power fault, or failed linkage",
        "A.3.3",
        "火灾自动报警系统",
    ),
    Criterion(
        "FIRE-A.3.4",
        "报警总线断路、接地或短路等故障。",
        "Alarm bus open, earthed or short-circuited",
        "A.3.4",
        "火灾自动报警系统",
    ),
)

TERMS_2025 = (
    Term(
        "3.1",
        "重大火灾隐患",
        "major fire potential",
        "违反消防法律法规、不符合消防技术标准，易导致重大、特别重大火灾事故或严重社会影响的各类潜在不安全因素。",
        "",
    ),
    Term(
        "3.2",
        "公共娱乐场所",
        "occupancy for public amusement",
        "具有文化娱乐、健身休闲功能并向公众开放的室内场所。",
        "包括但不限于影剧院、礼堂等演出、放映场所，舞厅、卡拉OK厅等歌舞娱乐场所，具有娱乐功能的夜总会、音乐茶座和餐饮场所，游艺、游乐场所，保龄球馆、旱冰场、桑拿浴室等经营性健身、休闲场所。",
    ),
    Term(
        "3.3",
        "公众聚集场所",
        "occupancy for public gathering",
        "面对公众开放，具有商业经营性质的室内场所。",
        "包括宾馆、饭店、商场、集贸市场、客运车站候车室、客运码头候船厅、民用机场航站楼、体育场馆、会堂以及公共娱乐场所等。",
    ),
    Term(
        "3.4",
        "人员密集场所",
        "assembly occupancy",
        "人员聚集的室内场所。",
        "包括公众聚集场所，医院的门诊楼、病房楼，学校的教学楼、图书馆、食堂和集体宿舍，养老院、福利院等老年人照料设施，托儿所、幼儿园等儿童活动场所，公共图书馆的阅览室，公共展览馆、博物馆的展示厅，劳动密集型企业的生产加工车间和员工集体宿舍，旅游、宗教活动场所等。",
    ),
    Term(
        "3.5",
        "儿童活动场所",
        "occupancy for children’s activity",
        "供12周岁及以下婴幼儿和少儿活动的场所。",
        "包括但不限于幼儿园、托儿所中供婴幼儿生活和活动的房间，设置在建筑内的儿童游乐厅、儿童乐园、儿童培训班、早教中心等儿童游乐、学习和培训等场所，不包括小学学校的教室等教学场所。",
    ),
    Term(
        "3.6",
        "老年人照料设施",
        "care facility for the aged",
        "为老年人提供集中照料服务，床位总数或可容纳老年人总数大于或等于20床（人）的老年人建筑。",
        "包括老年人全日照料设施和老年人日间照料设施，不包括其他专供老年人使用、非集中照料的设施或场所。",
    ),
    Term(
        "3.7",
        "劳动密集型企业",
        "labor⁃intensive industrial manufactory",
        "生产厂房或仓库具有丙类火灾危险性，且同一时间的生产、作业人数超过50人，人均建筑面积小于20 m²的生产制造类企业或具有分拣、加工、包装作业功能的仓储物流类企业。",
        "",
    ),
    Term(
        "3.8",
        "易燃易爆危险品场所",
        "occupancy with flammable and explosive hazardous substance",
        "易燃易爆危险品的生产、储存、输运、经营等场所。",
        "包括厂房、装置、库房、储罐（区）、专用车站和码头，可燃气体的储存（储配）站、充装站、调压站、供应站，加油加气站等。",
    ),
    Term(
        "3.9",
        "多业态混合生产经营场所",
        "occupancy with multiple manufacturing and commercial activity",
        "集餐饮、住宿、娱乐、商业、文化、体育、培训等两种及以上功能于一体的经营场所；通过自营、分租、转租形成，兼具生产、储存多功能于一体的劳动密集型企业的生产厂房和仓库。",
        "",
    ),
)

PROVISIONS_2025 = (
    Provision(
        "4.1",
        "判定重大火灾隐患时，应依次按下列步骤进行：",
        "Judge in order: premises kind, direct elements, composite elements, then the exclusions",
    ),
    Provision("4.1 a)", "确定建筑或场所类别；", "Establish the kind of building or premises"),
    Provision(
        "4.1 b)",
        "按照第5章规定的直接判定要素进行直接判定，符合任一判定要素即判定为重大火灾隐患；",
        "Any one chapter 5 direct element makes a major fire hazard",
    ),
    Provision(
        "4.1 d)", "对照4.2排除不应判定为重大火灾隐患的情形。", "Exclude the situations of 4.2"
    ),
    Provision(
        "4.2",
        "下列情形不应判定为重大火灾隐患或作为重大火灾隐患的判定要素：",
        "These situations are not judged major, nor counted as elements",
    ),
    Provision(
        "A.4",
        "符合以下条件的，应判定为火灾自动报警系统和固定灭火设施不能正常运行：",
        "When the fire alarm and fixed extinguishing systems count as out of operation",
    ),
    Provision(
        "A.4 a)",
        "建筑或场所按照消防技术标准应设置消火栓系统、自动灭火系统或火灾自动报警系统当中的一种，存在符合A.1~A.3规定的情形数量为1条及以上；",
        "One system required: 1 or more A.1-A.3 findings",
    ),
    Provision(
        "A.4 b)",
        "建筑或场所按照消防技术标准应设置消火栓系统、自动灭火系统或火灾自动报警系统当中的两种，分别存在符合A.1~A.3规定的情形各1条及以上，合计为2条及以上；",
        "Two systems required: at least 1 in each, 2 or more in total",
    ),
    Provision(
        "A.4 c)",
        "建筑或场所按照消防技术标准应设置消火栓系统、自动灭火系统、火灾自动报警系统，分别存在符合A.1~A.3规定的情形各1条及以上，合计为3条及以上。",
        "All three required: at least 1 in each, 3 or more in total",
    ),
)

EXCLUSIONS_2025 = (
    Exclusion(
        "4.2 a)",
        "消防技术标准修订引起，但法律法规有明确规定的除外；",
        "Arising from a revision of technical standards, unless the law says otherwise",
        detail="standard_revision_only",
        unless="required_by_law",
    ),
    Exclusion(
        "4.2 b)",
        "建筑、场所已停产停业或停止使用且经现场检查确认无现实火灾风险；",
        "Premises stopped or out of use, with no real fire risk confirmed on site",
        detail="stopped_no_fire_risk",
        unless="",
    ),
    Exclusion(
        "4.2 c)",
        "火灾隐患能立即整改消除，且当场整改完毕。",
        "Rectifiable at once and rectified on the spot",
        detail="rectified_on_the_spot",
        unless="",
    ),
)

COMPOSITE_2025 = CompositeRule(
    "FIRE-4.1-c",
    "按照第6章规定的综合判定要素进行综合判定，同时符合其中6项（含）以上判定要素即判定为重大火灾隐患，同一判定要素重复出现的按1项计算；",
    "6 or more chapter 6 composite elements at once make a major fire hazard; a repeated element counts once",
    "4.1 c)",
    elements=tuple(e.code for e in ELEMENTS_2025),
    threshold=6,
)


#: The direct elements whose "不能正常运行" branch is judged by Annex A.
ANNEX_A_CRITERIA = ("FIRE-5.1-e", "FIRE-5.2-d", "FIRE-5.3-e", "FIRE-5.4-d")
#: Annex A's systems: hydrants (A.1), automatic extinguishing (A.2), fire alarm (A.3).
ANNEX_A_SYSTEMS = ("A.1", "A.2", "A.3")


def annex_a_met(findings: Iterable[str], required_systems: int) -> bool:
    """A.4: whether the cited findings make the required systems "不能正常运行".

    With ``required_systems`` of the three systems required (1, 2 or 3), the findings
    must touch that many systems (A.4 b, c: "分别存在……各1条及以上") and number at least
    that many (a finding cited twice counts once).
    """
    cited = {f for f in findings if f.startswith("FIRE-A.")}
    systems = {f.removeprefix("FIRE-")[:3] for f in cited}
    return len(systems) >= required_systems and len(cited) >= required_systems


FIRE_2025 = Catalogue(
    sector="fire",
    standard="GB 35181-2025",
    document="重大火灾隐患判定规则",
    series="GB 35181",
    edition="2025",
    effective_from=date(2025, 11, 1),
    effective_to=None,
    source="Text layer of a published PDF copy (public repository SabaGPT/dataclear, "
    "commit 139c2fa30eac4824bdb60496b55065bbbe687ef3, sha256 e6ed7657…e638f), pages 2-6 "
    "compared by eye with the page images; verified against one published copy only.",
    criteria=DIRECT_2025,
    composite_rules=(COMPOSITE_2025,),
    elements=ELEMENTS_2025,
    findings=FINDINGS_2025,
    terms=TERMS_2025,
    provisions=PROVISIONS_2025,
    exclusions=EXCLUSIONS_2025,
)
