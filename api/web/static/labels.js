/* The names a person reads for the ledger's codes: sectors, statuses, grades, events,
 * enforcement kinds, sources, roles, fields, risk levels and colours, public-report
 * channels and statuses, accident levels, general-hazard categories, sector detail choices.
 *
 * They come from the service's one label catalogue (GET /labels?lang=zh|en) and the
 * loaded sectors (GET /plugins); the page never shows a code when the catalogue has a
 * name for it. Until a service without the catalogue is upgraded, FALLBACK keeps the
 * page readable (Chinese only).
 */
"use strict";

const FALLBACK = {
  status: { reported: "待定级", graded: "待处置", assigned: "限期整改中",
    rectification_reported: "待复查", verified: "待销号", closed: "已销号", reopened: "已重新打开",
    dismissed: "误报已核销" },
  action_status: { issued: "已下达", executed: "已执行", lifted: "已解除", revoked: "已撤销" },
  measure_status: { planned: "未开始", in_progress: "推进中", open: "推进中", completed: "已完成" },
  measure_category: { institutional_measure: "制度措施", campaign_task: "专项整治任务" },
  grade: { general: "一般事故隐患", major: "重大事故隐患" },
  source: { self_inspection: "企业自查", grid_patrol: "属地网格排查",
    county_verification: "县级核查", expert_diagnosis: "专家会诊",
    unannounced_inspection: "明查暗访", routine_inspection: "日常执法检查",
    sensor: "科技手段检测", public_report: "群众举报" },
  inspection_type: { routine: "日常检查", special: "专项检查", unannounced: "四不两直",
    joint: "联合检查", expert_diagnosis: "专家会诊", self_inspection: "企业自查",
    grid_patrol: "网格巡查", county_verification: "县级核查", re_inspection: "复查" },
  kind: { penalty: "行政处罚", rectification_order: "责令限期整改", stop_work: "停工停产",
    directive: "监察指令", warning_letter: "警示函", summons: "约谈", circular: "通报",
    exposure: "曝光", joint_punishment: "联合惩戒", confiscation: "没收销毁", ban: "取缔",
    seal_up: "查封扣押/停电停水", police_transfer: "移送公安机关" },
  listing_level: { county: "县级", city: "市级", province: "省级" },
  role: { inspector: "执法检查人员", enterprise: "生产经营单位", department: "行业主管部门",
    government: "属地政府", auditor: "督查审计", admin: "系统管理员", system: "系统导入" },
  event: { Reported: "上报", Graded: "定级", RectifiedOnSpot: "当场整改", Assigned: "交办",
    PlanFiled: "提交治理方案", InterimControlsRecorded: "临时管控措施", DeadlineExtended: "延期",
    Listed: "挂牌督办", Delisted: "摘牌", Escalated: "升级督办",
    RectificationReported: "报告整改完成", AssessmentFiled: "提交评估", Verified: "复查/验收",
    Closed: "销号", Reopened: "重新打开", Dismissed: "误报核销", Issued: "下达", Executed: "执行", Lifted: "解除",
    Revoked: "撤销", Recorded: "检查", HazardFound: "检查发现隐患", Registered: "登记",
    PrincipalChanged: "主要负责人变更", DetailsChanged: "信息变更" },
  plan: { goal_and_tasks: "治理的目标和任务", methods_and_measures: "采取的方法和措施",
    funds_and_materials: "经费和物资的落实", organisation_and_people: "负责治理的机构和人员",
    time_limit_and_requirements: "治理的时限和要求", safety_and_emergency: "安全措施和应急预案" },
};

const Labels = {
  table: {},
  sectors: [],
  lang: "zh",

  /* Load the catalogue and the sectors for ``lang``; never throws. */
  async load(lang, fetchJson) {
    this.lang = lang;
    this.table = {};
    try {
      const body = await fetchJson(`/labels?lang=${lang}`);
      this.table = flatten(body.labels || body);
    } catch (err) { this.table = {}; }
    try {
      const plugins = await fetchJson("/plugins");
      this.sectors = plugins.sectors || [];
    } catch (err) { this.sectors = []; }
  },

  /* The name of ``code`` in ``group`` (status, grade, event, kind, sector, ...). */
  of(group, code) {
    if (code == null || code === "") return "—";
    if (group === "sector") {
      const s = this.sectors.find((x) => x.code === code);
      if (s) return this.lang === "en" ? (s.name_en || s.name_zh) : s.name_zh;
    }
    const key = `${group}.${code}`;
    if (this.table[key]) return this.table[key];
    if (this.lang !== "en" && FALLBACK[group] && FALLBACK[group][code]) return FALLBACK[group][code];
    if (this.lang === "en") return String(code).replace(/_/g, " ");
    return String(code);
  },

  /* Every code of ``group`` the page may offer, with its name. */
  choices(group) {
    if (group === "sector") return this.sectors.map((s) => [s.code, this.of("sector", s.code)]);
    const codes = new Set(Object.keys(FALLBACK[group] || {}));
    for (const key of Object.keys(this.table)) {
      if (key.startsWith(`${group}.`)) codes.add(key.slice(group.length + 1));
    }
    return [...codes].map((c) => [c, this.of(group, c)]);
  },

  sector(code) { return this.sectors.find((s) => s.code === code); },
};

function flatten(obj, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) flatten(v, key, out);
    else if (typeof v === "string") out[key] = v;
  }
  return out;
}

/* Beijing time to the minute, whatever the browser's zone: 2026-02-20 17:00. */
function beijing(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const b = new Date(d.getTime() + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ` +
    `${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`;
}

/* The one percentage format: 97.7%. */
function percent(fraction) {
  return fraction == null || Number.isNaN(Number(fraction)) ? "—" : `${(Number(fraction) * 100).toFixed(1)}%`;
}

/* A datetime-local value (read as Beijing time) to ISO 8601 with its offset. */
function fromBeijingInput(value) {
  return value ? `${value.length === 16 ? `${value}:00` : value}+08:00` : "";
}

/* Now in Beijing time as a datetime-local value. */
function beijingInputNow(offsetMs = 0) {
  return beijing(new Date(Date.now() + offsetMs).toISOString()).replace(" ", "T");
}

window.Labels = Labels;
