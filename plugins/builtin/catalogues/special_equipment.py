"""GB 45067-2024 特种设备重大事故隐患判定准则, clause 4.

A mandatory national standard, published 2024-11-28 and in force 2024-12-01. Each
item of 4.1-4.4 and 4.6-4.10 applies when the condition exists and the equipment is
still in use (仍继续使用), so that condition is part of each criterion's text.
Item texts are from one transcription whose per-clause hashes match a reviewed copy;
no second independent copy was found. Codes are ``SE-<kind>-<nn>`` in clause order.
"""

from __future__ import annotations

from datetime import date

from ledger.audit.rules import ListingRule
from plugins.catalogue import Catalogue, Criterion
from plugins.spec import GeneralCategory

SPECIAL_EQUIPMENT_2024 = Catalogue(
    sector="special_equipment",
    standard="GB 45067-2024",
    document="特种设备重大事故隐患判定准则",
    edition="2024",
    effective_from=date(2024, 12, 1),
    effective_to=None,
    source="openstd.samr.gov.cn (hcno 081C93E3186E0D1FE5CB034093C47A53), clause 4 as "
    "transcribed with per-clause hashes; publication 2024-11-28, in force 2024-12-01 "
    "(secondary report).",
    criteria=(
        Criterion(
            "SE-GEN-01",
            "特种设备未取得许可生产、因安全问题国家明令淘汰、已经报废或者达到报废条件，仍继续使用",
            "Equipment made without a licence, banned as unsafe, scrapped or due for scrapping, still in use",
            "4.1 a)",
            "通用",
        ),
        Criterion(
            "SE-GEN-02",
            "特种设备发生过事故，未对其进行全面检查、消除事故隐患，仍继续使用",
            "Equipment that had an accident used without a full check and removal of the hazard",
            "4.1 b)",
            "通用",
        ),
        Criterion(
            "SE-GEN-03",
            "未按规定进行监督检验或者监督检验不合格，仍继续使用",
            "Supervisory inspection not done or failed, equipment still in use",
            "4.1 c)",
            "通用",
        ),
        Criterion(
            "SE-GEN-04",
            "有 4.2～4.10 中规定的超过规定参数、使用范围的情形，仍继续使用",
            "Equipment used beyond the parameters or scope specified in 4.2-4.10",
            "4.1 d)",
            "通用",
        ),
        Criterion(
            "SE-BLR-01",
            "定期检验的检验结论为“不符合要求”，仍继续使用",
            "Boiler periodic inspection concluded non-compliant, still in use",
            "4.2 a)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-02",
            "热工仪表失效或控制电(气)源中断，导致无法监视、调整主要运行参数，仍继续使用",
            "Thermal instruments failed or control power or air lost, so main parameters cannot be watched or adjusted",
            "4.2 b)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-03",
            "安全阀(爆破片装置)缺失或失效，仍继续使用",
            "Boiler safety valve or bursting disc missing or failed",
            "4.2 c)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-04",
            "系统报警装置缺失或失效，仍继续使用",
            "Boiler system alarm missing or failed",
            "4.2 d)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-05",
            "联锁保护装置缺失或失效，仍继续使用",
            "Boiler interlock protection missing or failed",
            "4.2 e)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-06",
            "熄火保护装置缺失或失效，仍继续使用",
            "Boiler flame-failure protection missing or failed",
            "4.2 f)",
            "锅炉",
        ),
        Criterion(
            "SE-BLR-07",
            "电站锅炉主要汽水管道泄漏或锅炉范围内管道破裂，仍继续使用",
            "Power-station boiler main steam or water pipe leaking, or a pipe in boiler scope ruptured",
            "4.2 g)",
            "锅炉",
        ),
        Criterion(
            "SE-PV-01",
            "定期检验的检验结论为“不符合要求”，仍继续使用",
            "Pressure vessel periodic inspection concluded non-compliant, still in use",
            "4.3 a)",
            "压力容器",
        ),
        Criterion(
            "SE-PV-02",
            "固定式压力容器改做移动式压力容器使用，仍继续使用",
            "Stationary pressure vessel used as a mobile one",
            "4.3 b)",
            "压力容器",
        ),
        Criterion(
            "SE-PV-03",
            "固定式压力容器、移动式压力容器的安全阀、爆破片装置、紧急切断装置缺失或失效，仍继续使用",
            "Safety valve, bursting disc or emergency shut-off of a stationary or mobile vessel missing or failed",
            "4.3 c)",
            "压力容器",
        ),
        Criterion(
            "SE-PV-04",
            "快开门式压力容器的快开安全保护联锁装置缺失或失效，仍继续使用",
            "Quick-opening closure safety interlock missing or failed",
            "4.3 d)",
            "压力容器",
        ),
        Criterion(
            "SE-PV-05",
            "氧舱的接地装置缺失或失效，仍继续使用",
            "Oxygen chamber earthing missing or failed",
            "4.3 e)",
            "压力容器",
        ),
        Criterion(
            "SE-PV-06",
            "氧舱安全保护联锁装置(联锁功能)失效，仍继续使用",
            "Oxygen chamber safety interlock failed",
            "4.3 f)",
            "压力容器",
        ),
        Criterion(
            "SE-PIP-01",
            "定期检验的检验结论为“不符合要求”或“不允许使用”，仍继续使用",
            "Pressure piping periodic inspection concluded non-compliant or not permitted for use",
            "4.4 a)",
            "压力管道",
        ),
        Criterion(
            "SE-PIP-02",
            "安全阀、爆破片装置、紧急切断装置缺失或失效，仍继续使用",
            "Piping safety valve, bursting disc or emergency shut-off missing or failed",
            "4.4 b)",
            "压力管道",
        ),
        Criterion(
            "SE-FIL-01",
            "未经许可，擅自从事移动式压力容器充装或者气瓶充装活动",
            "Mobile pressure vessel or cylinder filling without a licence",
            "4.5 a)",
            "移动式压力容器、气瓶充装",
        ),
        Criterion(
            "SE-FIL-02",
            "移动式压力容器、气瓶错装介质",
            "Mobile pressure vessel or cylinder filled with the wrong medium",
            "4.5 b)",
            "移动式压力容器、气瓶充装",
        ),
        Criterion(
            "SE-FIL-03",
            "充装设备设施上的紧急切断装置缺失或失效，仍继续使用的",
            "Emergency shut-off on filling equipment missing or failed, still in use",
            "4.5 c)",
            "移动式压力容器、气瓶充装",
        ),
        Criterion(
            "SE-ELV-01",
            "定期检验的检验结论为“不合格”，仍继续使用",
            "Elevator periodic inspection failed, still in use",
            "4.6 a)",
            "电梯",
        ),
        Criterion(
            "SE-ELV-02",
            "乘客与载货电梯门锁安全回路被短接，仍继续使用",
            "Door-lock safety circuit of a passenger or freight elevator bypassed",
            "4.6 b)",
            "电梯",
        ),
        Criterion(
            "SE-ELV-03",
            "限速器-安全钳联动试验失效，仍继续使用",
            "Overspeed governor and safety gear linkage test failed",
            "4.6 c)",
            "电梯",
        ),
        Criterion(
            "SE-ELV-04",
            "自动扶梯、自动人行道紧急停止开关缺失或失效，仍继续使用",
            "Escalator or moving walk emergency stop missing or failed",
            "4.6 d)",
            "电梯",
        ),
        Criterion(
            "SE-ELV-05",
            "自动扶梯、自动人行道扶手带外缘与任何障碍物之间距离小于 400mm 时，未按要求装设防护挡板，仍继续使用",
            "Escalator handrail within 400 mm of an obstacle without a guard plate",
            "4.6 e)",
            "电梯",
        ),
        Criterion(
            "SE-CRN-01",
            "未经首次检验，仍继续使用",
            "Crane used without its first inspection",
            "4.7 a)",
            "起重机械",
        ),
        Criterion(
            "SE-CRN-02",
            "定期检验(含首次检验)的检验结论为“不合格”，仍继续使用",
            "Crane periodic or first inspection failed, still in use",
            "4.7 b)",
            "起重机械",
        ),
        Criterion(
            "SE-CRN-03",
            "急停开关缺失或失效，仍继续使用",
            "Crane emergency stop missing or failed",
            "4.7 c)",
            "起重机械",
        ),
        Criterion(
            "SE-CRN-04",
            "起重量限制器、起重力矩限制器、防坠安全器缺失或失效，仍继续使用",
            "Load limiter, moment limiter or anti-fall safety device missing or failed",
            "4.7 d)",
            "起重机械",
        ),
        Criterion(
            "SE-CRN-05",
            "室外工作的轨道式起重机械抗风防滑装置缺失或失效，仍继续使用",
            "Outdoor rail-mounted crane anti-wind and anti-slip device missing or failed",
            "4.7 e)",
            "起重机械",
        ),
        Criterion(
            "SE-RPW-01",
            "定期检验的检验结论为“不合格”或“复检不合格”，仍继续使用",
            "Passenger ropeway periodic inspection or re-inspection failed, still in use",
            "4.8 a)",
            "客运索道",
        ),
        Criterion(
            "SE-RPW-02",
            "控制室、站台、机房紧急停车开关缺失或失效，仍继续使用",
            "Emergency stop in control room, station or machine room missing or failed",
            "4.8 b)",
            "客运索道",
        ),
        Criterion(
            "SE-RPW-03",
            "吊厢、吊篮、客车门不能锁闭且未停用，仍继续使用",
            "Cabin, basket or car doors cannot be locked and the ropeway is not stopped",
            "4.8 c)",
            "客运索道",
        ),
        Criterion(
            "SE-RPW-04",
            "辅机、备用电源不能启动运行，仍继续使用",
            "Auxiliary drive or standby power cannot start",
            "4.8 d)",
            "客运索道",
        ),
        Criterion(
            "SE-RPW-05",
            "电气系统安全回路发生故障后采用短接方法继续运营，仍继续使用",
            "Electrical safety circuit bypassed after a fault to keep operating",
            "4.8 e)",
            "客运索道",
        ),
        Criterion(
            "SE-AMU-01",
            "定期检验的检验结论为“不合格”，仍继续使用",
            "Large amusement ride periodic inspection failed, still in use",
            "4.9 a)",
            "大型游乐设施",
        ),
        Criterion(
            "SE-AMU-02",
            "安全带、安全压杠和安全挡杆等乘客束缚装置缺失或失效，仍继续使用",
            "Passenger restraints (belts, lap bars, bars) missing or failed",
            "4.9 b)",
            "大型游乐设施",
        ),
        Criterion(
            "SE-AMU-03",
            "座舱舱门锁紧装置缺失或失效，仍继续使用",
            "Seat cabin door lock missing or failed",
            "4.9 c)",
            "大型游乐设施",
        ),
        Criterion(
            "SE-AMU-04",
            "制动装置、限位装置、防碰撞及缓冲装置、止逆行装置、限速装置缺失或失效，仍继续使用",
            "Brakes, limiters, anti-collision or buffers, anti-rollback or speed limiters missing or failed",
            "4.9 d)",
            "大型游乐设施",
        ),
        Criterion(
            "SE-AMU-05",
            "主要受力部件、重要焊缝及重要螺栓出现裂纹、严重变形，仍继续使用",
            "Cracks or severe deformation in main load-bearing parts, key welds or key bolts",
            "4.9 e)",
            "大型游乐设施",
        ),
        Criterion(
            "SE-VEH-01",
            "定期检验的检验结论为“不合格”，仍继续使用",
            "In-plant vehicle periodic inspection failed, still in use",
            "4.10 a)",
            "场（厂）内专用机动车辆",
        ),
        Criterion(
            "SE-VEH-02",
            "电动车辆电源紧急切断装置缺失或失效，仍继续使用",
            "Electric vehicle emergency power cut-off missing or failed",
            "4.10 b)",
            "场（厂）内专用机动车辆",
        ),
        Criterion(
            "SE-VEH-03",
            "制动(包括行车、驻车)装置缺失或失效，仍继续使用",
            "Service or parking brake missing or failed",
            "4.10 c)",
            "场（厂）内专用机动车辆",
        ),
        Criterion(
            "SE-VEH-04",
            "观光列车的牵引连接装置及其二次保护装置缺失或失效，仍继续使用",
            "Sightseeing train coupling or its secondary protection missing or failed",
            "4.10 d)",
            "场（厂）内专用机动车辆",
        ),
        Criterion(
            "SE-VEH-05",
            "非公路用旅游观光车辆超过最大行驶坡度使用，仍继续使用",
            "Off-road sightseeing vehicle used beyond its maximum gradient",
            "4.10 e)",
            "场（厂）内专用机动车辆",
        ),
    ),
)


# ---- general hazards and listing -----------------------------------------------------------

#: The general-hazard categories (一般隐患类别) officials of the sector use: a general
#: grade carries one, so like hazards are counted together and recurrences found.
GENERAL_CATEGORIES: tuple[GeneralCategory, ...] = (
    GeneralCategory("SE-G01", "使用登记与定期检验", "Use registration and periodic inspection"),
    GeneralCategory("SE-G02", "安全附件与保护装置", "Safety accessories and protective devices"),
    GeneralCategory("SE-G03", "作业人员持证", "Certified operators"),
    GeneralCategory("SE-G04", "维护保养与自行检查", "Maintenance and the user's own checks"),
    GeneralCategory("SE-G05", "安全技术档案", "Technical safety records"),
    GeneralCategory("SE-G06", "应急预案与演练", "Emergency plans and drills"),
    GeneralCategory("SE-G07", "警示标志与使用须知", "Warning signs and instructions for use"),
    GeneralCategory("SE-G08", "设备本体缺陷", "Defects of the equipment itself"),
)

#: The sector's name for its major grade, in Chinese and English.
MAJOR_GRADE = ("重大事故隐患", "major accident hazard")

#: When the sector's major hazards must be listed for supervision (挂牌督办). No national
#: rule sets the time limit; this default is a local policy to be set per jurisdiction.
LISTING = ListingRule(
    required=True,
    grace_days=30,
    basis_zh="特种设备重大事故隐患须停止使用并整改；超过30日仍未消除的提请挂牌督办（地方规定，默认30日）",
    basis_en="a device with a major hazard is taken out of use; one not removed within 30 days is listed for supervision (local rule, 30 days by default)",
)
