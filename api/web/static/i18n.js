/* Interface texts (page chrome, buttons, headings): Simplified Chinese by default,
 * English on request.
 *
 * Names of the ledger's codes and fields (sectors, statuses, grades, events, kinds,
 * field titles …) are NOT kept here: they come from the service's one label catalogue,
 * GET /labels?lang=zh|en, which the CLI and the exported workbooks also use. A key
 * "f.<field>" still answers, from that catalogue once it is loaded (window.Labels).
 */
"use strict";
const I18N_TEXTS = {
  zh: {
    "brand": "隐患排查治理台账", "nav.dashboard": "统计看板", "nav.register": "问题隐患清单",
    "nav.measures": "制度措施清单", "nav.review": "事故责任倒查", "nav.plugins": "行业与判定标准",
    "asof": "截至", "asof.now": "现在", "signout": "退出",
    "asof.banner": "正在查看截至 {t} 已记录的台账（历史视图，之后的记录不显示）",
    "login.title": "登录", "login.token": "访问令牌（由管理员通过 ledger users add 发放）",
    "login.submit": "登录", "login.bad": "令牌无效、已过期或已撤销",
    "loading": "加载中…", "snapshot.missing": "尚无该时点的读模型快照：清单和统计需要按该时点重建。",
    "snapshot.build": "生成该时点快照", "snapshot.building": "正在生成快照…", "unavailable": "暂不可用", "none": "无",
    "notfound": "未找到，或不在您的管辖范围内",
    "case.title": "隐患案卷", "case.timeline": "全过程记录（双时钟）", "case.state": "当前状态",
    "case.occurred": "发生", "case.recorded": "记录", "case.late": "补录：晚 {d} 天记录",
    "case.justification": "补录原因", "case.actor": "操作人", "case.proof": "存证",
    "case.proof.ok": "已验证", "case.proof.bad": "验证失败", "case.proof.none": "无存证",
    "case.bundle": "下载案卷证据包", "case.actions": "关联执法文书", "case.findings": "审计发现",
    "status": "状态", "grade": "等级", "sector": "行业", "region": "区域", "enterprise": "企业",
    "deadline": "整改期限", "overdue": "逾期", "days": "天", "listing": "挂牌督办",
    "criteria": "判定依据", "location": "隐患部位", "description": "隐患描述", "found_at": "发现时间",
    "found_by": "发现人", "found_from": "发现日期自", "found_to": "发现日期至", "rectification_reporter": "整改报告人", "measures": "整改措施", "closed_by": "销号人", "verified_by": "复查人",
    "filter": "筛选", "search": "搜索", "export": "导出 CSV", "next": "下一页", "prev": "上一页",
    "all": "全部", "month": "月份", "dash.title": "统计看板", "dash.found": "发现隐患",
    "dash.rectified": "已整改", "dash.rate": "整改率", "dash.major_open": "重大隐患未销号",
    "dash.overdue": "逾期未整改", "dash.fines": "罚款金额（元）", "dash.bysector": "分行业统计",
    "dash.trend": "月度发现与整改", "dash.partial": "{m} 未满月（计至 {d}），未画入：发现 {f} 项，已整改 {r} 项", "dash.ranking": "月度动态评价排名",
    "review.title": "事故责任倒查", "review.enterprise": "企业统一社会信用代码",
    "review.incident": "事故发生时间", "review.known_at": "依据截至此时的记录（空为现在）", "review.run": "生成报告", "review.print": "打印",
    "plugins.title": "行业领域与重大事故隐患判定标准", "plugins.edition": "版本",
    "plugins.count": "条目数", "plugins.document": "文件", "plugins.standard": "文号/标准号",
    "plugins.from": "施行日期", "plugins.to": "废止日期", "plugins.unverified": "待核对条目",
    "plugins.plugin": "插件", "measures.title": "制度措施清单",
  },
  en: {
    "brand": "Hazard Ledger", "nav.dashboard": "Dashboard", "nav.register": "Hazard register",
    "nav.measures": "Measures list", "nav.review": "Accountability review",
    "nav.plugins": "Sectors & criteria", "asof": "As of", "asof.now": "Now", "signout": "Sign out",
    "asof.banner": "Viewing the ledger as recorded by {t} (historical view; later records hidden)",
    "login.title": "Sign in", "login.token": "Access token (issued with ledger users add)",
    "login.submit": "Sign in", "login.bad": "The token is unknown, expired or revoked",
    "loading": "Loading…", "snapshot.missing": "No read-model snapshot for this moment yet: the lists and statistics must be rebuilt as known then.",
    "snapshot.build": "Build the snapshot", "snapshot.building": "Building the snapshot…", "unavailable": "Not available", "none": "None",
    "notfound": "Not found, or outside your jurisdiction",
    "case.title": "Hazard case", "case.timeline": "Timeline (both clocks)", "case.state": "Current state",
    "case.occurred": "Occurred", "case.recorded": "Recorded", "case.late": "Late entry: recorded {d} days later",
    "case.justification": "Justification", "case.actor": "Actor", "case.proof": "Proof",
    "case.proof.ok": "verified", "case.proof.bad": "FAILED", "case.proof.none": "no proof",
    "case.bundle": "Download case bundle", "case.actions": "Linked enforcement", "case.findings": "Audit findings",
    "status": "Status", "grade": "Grade", "sector": "Sector", "region": "Region", "enterprise": "Enterprise",
    "deadline": "Deadline", "overdue": "Overdue", "days": "days", "listing": "Listed",
    "criteria": "Criteria", "location": "Location", "description": "Description", "found_at": "Found at",
    "found_by": "Found by", "found_from": "Found from", "found_to": "Found to", "rectification_reporter": "Rectification reported by", "measures": "Measures", "closed_by": "Closed by", "verified_by": "Verified by",
    "filter": "Filter", "search": "Search", "export": "Export CSV", "next": "Next", "prev": "Previous",
    "all": "All", "month": "Month", "dash.title": "Dashboard", "dash.found": "Hazards found",
    "dash.rectified": "Rectified", "dash.rate": "Rectification rate", "dash.major_open": "Major hazards open",
    "dash.overdue": "Overdue", "dash.fines": "Fines (CNY)", "dash.bysector": "By sector",
    "dash.trend": "Found and rectified per month", "dash.partial": "{m} is not complete (counted to {d}) and not drawn: {f} found, {r} rectified", "dash.ranking": "Monthly evaluation ranking",
    "review.title": "Accountability review", "review.enterprise": "Enterprise credit code",
    "review.incident": "Incident time", "review.known_at": "From the record as known at (empty: now)", "review.run": "Run review", "review.print": "Print",
    "plugins.title": "Sectors and major-hazard criteria", "plugins.edition": "Edition",
    "plugins.count": "Items", "plugins.document": "Document", "plugins.standard": "Number",
    "plugins.from": "In force from", "plugins.to": "Until", "plugins.unverified": "Unverified items",
    "plugins.plugin": "plugin", "measures.title": "Institutional measures list",
  },
};

/* A field's title from the served catalogue, for "f.<field>" keys. */
function catalogueField(key) {
  const labels = window.Labels;
  if (typeof key !== "string" || !key.startsWith("f.") || !labels || !labels.table) return undefined;
  return labels.table[`field.${key.slice(2)}`];
}

window.I18N = Object.fromEntries(Object.entries(I18N_TEXTS).map(([lang, texts]) => [
  lang,
  new Proxy(texts, { get: (t, key) => (key in t ? t[key] : catalogueField(key)) }),
]));
