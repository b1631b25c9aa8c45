"""城镇燃气经营安全重大隐患判定标准, 建城规〔2023〕4号.

Issued and in force 2023-09-21 (still current). Item texts are the official ones
(MOHURD publication, checked word for word and against a recorded hash). Codes run
GAS-01 to GAS-22 in article order; articles 8 and 10 are whole-article criteria, and
the four items of article 9 carry the article's shared condition in their text.
"""

from __future__ import annotations

from datetime import date

from ledger.audit.rules import ListingRule
from plugins.catalogue import Catalogue, Criterion
from plugins.spec import GeneralCategory

CITY_GAS_2023 = Catalogue(
    sector="city_gas",
    standard="建城规〔2023〕4号",
    document="城镇燃气经营安全重大隐患判定标准",
    edition="2023",
    effective_from=date(2023, 9, 21),
    effective_to=None,
    source="MOHURD art_17339_774253; articles 1-11 verbatim, hash-checked.",
    criteria=(
        Criterion(
            "GAS-01",
            "未取得燃气经营许可证从事燃气经营活动；",
            "Gas business operated without a gas business licence",
            "第四条（一）",
            "安全生产管理",
        ),
        Criterion(
            "GAS-02",
            "未建立安全风险分级管控制度；",
            "No system of safety risk grading and control",
            "第四条（二）",
            "安全生产管理",
        ),
        Criterion(
            "GAS-03",
            "未建立事故隐患排查治理制度；",
            "No system of hazard identification and remediation",
            "第四条（三）",
            "安全生产管理",
        ),
        Criterion(
            "GAS-04",
            "未制定生产安全事故应急救援预案；",
            "No emergency rescue plan for production safety accidents",
            "第四条（四）",
            "安全生产管理",
        ),
        Criterion(
            "GAS-05",
            "未建立对燃气用户燃气设施的定期安全检查制度。",
            "No system of regular safety checks of users' gas installations",
            "第四条（五）",
            "安全生产管理",
        ),
        Criterion(
            "GAS-06",
            "燃气储罐未设置压力、罐容或液位显示等监测装置，或不具有超限报警功能；",
            "Gas tank without pressure, volume or level monitoring, or without over-limit alarm",
            "第五条（一）",
            "燃气厂站安全管理",
        ),
        Criterion(
            "GAS-07",
            "燃气厂站内设备和管道未设置防止系统压力参数超过限值的自动切断和放散装置；",
            "Station equipment and piping without automatic shut-off and venting against overpressure",
            "第五条（二）",
            "燃气厂站安全管理",
        ),
        Criterion(
            "GAS-08",
            "压缩天然气、液化天然气和液化石油气装卸系统未设置防止装卸用管拉脱的联锁保护装置；",
            "CNG, LNG or LPG loading without interlocks against hose pull-off",
            "第五条（三）",
            "燃气厂站安全管理",
        ),
        Criterion(
            "GAS-09",
            "燃气厂站内设置在有爆炸危险环境的电气、仪表装置，不具有与该区域爆炸危险等级相对应的防爆性能；",
            "Electrical and instrument equipment in a station's explosive zones not explosion-proof to the zone class",
            "第五条（四）",
            "燃气厂站安全管理",
        ),
        Criterion(
            "GAS-10",
            "燃气厂站内可燃气体泄漏浓度可能达到爆炸下限20%的燃气设施区域内或建（构）筑物内，未设置固定式可燃气体浓度报警装置。",
            "No fixed gas concentration alarm where station leaks may reach 20% of the lower explosive limit",
            "第五条（五）",
            "燃气厂站安全管理",
        ),
        Criterion(
            "GAS-11",
            "在中压及以上地下燃气管线保护范围内，建有占压管线的建筑物、构筑物或者其他设施；",
            "Buildings or structures occupying the protection zone of medium- or higher-pressure underground mains",
            "第六条（一）",
            "燃气管道和调压设施安全管理",
        ),
        Criterion(
            "GAS-12",
            "除确需穿过且已采取有效防护措施外，输配管道在排水管（沟）、供水管渠、热力管沟、电缆沟、城市交通隧道、城市轨道交通隧道和地下人行通道等地下构筑物内敷设；",
            "Distribution piping laid inside drains, water, heat or cable trenches, tunnels or underground passages",
            "第六条（二）",
            "燃气管道和调压设施安全管理",
        ),
        Criterion(
            "GAS-13",
            "调压装置未设置防止燃气出口压力超过下游压力允许值的安全保护措施。",
            "Pressure regulator without protection against outlet pressure above the downstream allowance",
            "第六条（三）",
            "燃气管道和调压设施安全管理",
        ),
        Criterion(
            "GAS-14",
            "擅自为非自有气瓶充装燃气；",
            "Gas filled into cylinders the filler does not own",
            "第七条（一）",
            "气瓶安全管理",
        ),
        Criterion(
            "GAS-15",
            "销售未经许可的充装单位充装的瓶装燃气；",
            "Bottled gas sold that an unlicensed filler filled",
            "第七条（二）",
            "气瓶安全管理",
        ),
        Criterion(
            "GAS-16",
            "销售充装单位擅自为非自有气瓶充装的瓶装燃气。",
            "Bottled gas sold that a filler filled into cylinders it does not own",
            "第七条（三）",
            "气瓶安全管理",
        ),
        Criterion(
            "GAS-17",
            "燃气经营者供应不具有标准要求警示性臭味燃气的，判定为重大隐患。",
            "Gas supplied without the required warning odour",
            "第八条",
            "警示性臭味",
        ),
        Criterion(
            "GAS-18",
            "在对燃气用户进行安全检查时，发现燃气相对密度大于等于0.75的燃气管道、调压装置和燃具等设置在地下室、半地下室、地下箱体及其他密闭地下空间内，不按规定采取书面告知用户整改等措施",
            "User check finds heavy gas (relative density >= 0.75) piping, regulators or appliances underground and no written rectification notice is given",
            "第九条（一）",
            "燃气用户安全检查",
        ),
        Criterion(
            "GAS-19",
            "在对燃气用户进行安全检查时，发现燃气引入管、立管、水平干管设置在卫生间内，不按规定采取书面告知用户整改等措施",
            "User check finds gas inlet, riser or main pipe in a bathroom and no written rectification notice is given",
            "第九条（二）",
            "燃气用户安全检查",
        ),
        Criterion(
            "GAS-20",
            "在对燃气用户进行安全检查时，发现燃气管道及附件、燃具设置在卧室、旅馆建筑客房等人员居住和休息的房间内，不按规定采取书面告知用户整改等措施",
            "User check finds gas piping or appliances in a bedroom or guest room and no written rectification notice is given",
            "第九条（三）",
            "燃气用户安全检查",
        ),
        Criterion(
            "GAS-21",
            "在对燃气用户进行安全检查时，发现使用国家明令淘汰的燃气燃烧器具、连接管，不按规定采取书面告知用户整改等措施",
            "User check finds banned obsolete gas appliances or hoses and no written rectification notice is given",
            "第九条（四）",
            "燃气用户安全检查",
        ),
        Criterion(
            "GAS-22",
            "其他严重违反城镇燃气经营法律法规及标准规范，且存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险，判定为重大隐患。",
            "Other serious breaches of gas law and standards posing a real danger of mass casualties or major loss",
            "第十条",
            "其他",
        ),
    ),
)


# ---- general hazards and listing -----------------------------------------------------------

#: The general-hazard categories (一般隐患类别) officials of the sector use: a general
#: grade carries one, so like hazards are counted together and recurrences found.
GENERAL_CATEGORIES: tuple[GeneralCategory, ...] = (
    GeneralCategory(
        "GAS-G01",
        "用户燃气设施（软管、连接、灶具）",
        "User installations (hoses, connections, appliances)",
    ),
    GeneralCategory(
        "GAS-G02", "可燃气体泄漏报警与切断装置", "Gas leak alarms and shut-off devices"
    ),
    GeneralCategory("GAS-G03", "瓶装燃气储存与使用", "Storage and use of bottled gas"),
    GeneralCategory("GAS-G04", "管道、阀门与调压设施", "Pipes, valves and pressure regulators"),
    GeneralCategory("GAS-G05", "厂站设备与安全附件", "Station equipment and safety accessories"),
    GeneralCategory(
        "GAS-G06", "用气场所通风与环境", "Ventilation and surroundings where gas is used"
    ),
    GeneralCategory("GAS-G07", "安全管理制度与台账", "Safety management rules and records"),
    GeneralCategory("GAS-G08", "人员培训与持证", "Training and certificates"),
    GeneralCategory("GAS-G09", "巡检与标志标识", "Patrols, signs and markings"),
    GeneralCategory("GAS-G10", "应急处置", "Emergency response"),
)

#: The sector's name for its major grade, in Chinese and English.
MAJOR_GRADE = ("燃气经营安全重大隐患", "major gas-business safety hazard")

#: When the sector's major hazards must be listed for supervision (挂牌督办). No national
#: rule sets the time limit; this default is a local policy to be set per jurisdiction.
LISTING = ListingRule(
    required=True,
    grace_days=15,
    basis_zh="城镇燃气经营安全重大隐患实行挂牌督办（燃气管理部门；地方规定的期限，默认15日）",
    basis_en="major city-gas hazards are listed for supervision (gas authority; local time limit, 15 days by default)",
)
