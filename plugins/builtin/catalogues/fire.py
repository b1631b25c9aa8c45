"""GB 35181-2017 重大火灾隐患判定方法 — the fire catalogue, 2017 edition.

GB 35181-2025《重大火灾隐患判定规则》 replaced it on 2025-11-01 and revised both the
direct and the composite elements; its item texts have not been obtained, so it is not
encoded. It takes its place as a second ``Catalogue`` of sector ``fire`` (edition
"2025", effective from 2025-11-01) once the official text is keyed in; until then the
ledger grades fire hazards under this edition and records that it did (see
``docs/decisions/0013-superseded-catalogue-until-successor-encoded.md``).

Provenance: direct elements 6.1-6.5 from a clean secondary copy; 6.6-6.10 and the
composite elements 7.1.1-7.3.7 from secondary copies only (``verified=False``; a typo
"接" for "按" corrected and "或者" written "或" as in the standard's style). Composite
elements 7.3.8 onwards and 7.4-7.9 were not obtained, and the composite rule (5.3.2)
is from recall, corroborated only for rule a); the rules below count only the elements
held here, so they are partial. The in-force date 2018-07-01 is likewise unconfirmed.
"""

from __future__ import annotations

from datetime import date

from plugins.catalogue import Catalogue, CompositeRule, Criterion

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
