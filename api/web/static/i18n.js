/* Interface texts (page chrome, buttons, headings, form labels): Simplified Chinese by
 * default, English on request. Every text a page shows is here, in both tables under the
 * same key; the pages hold none of their own.
 *
 * Names of the ledger's codes and fields (sectors, statuses, grades, events, kinds,
 * field titles …) are NOT kept here: they come from the service's one label catalogue,
 * GET /labels?lang=zh|en, which the CLI and the exported workbooks also use. Where a text
 * only names such a field, its English entry is ``fromCatalogue("field.<name>")`` (with
 * an optional "{name} …" template for a hint around it), so the page and the catalogue
 * cannot name a field differently. A key "f.<field>" also answers from the catalogue.
 * The Chinese wording of a form's label stays its own: it often says more than the
 * field's bare name (whose enterprise, what to leave empty).
 */
"use strict";

/* An English text that is the catalogue's name of ``key`` (field.team …), put into
 * ``template`` at {name} when given. */
function fromCatalogue(key, template = "{name}") {
  return { catalogue: key, template };
}

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
    // page chrome
    "title.index": "隐患排查治理台账 · hazard-ledger", "lang.switch": "EN",
    "nav.inspect": "开始检查", "nav.report": "上报隐患", "nav.risk": "风险点",
    "nav.public_reports": "群众举报", "nav.accidents": "事故", "nav.field": "现场（手机）",
    "nav.users": "用户与令牌",
    "yes": "是", "no": "否", "choose": "请选择", "photo": "照片",
    "sep.list": "、", "sep.items": "；", "sep.colon": "：",
    // dashboard
    "dash.all_regions": "全部辖区", "dash.ranking.township": "乡镇（区域）排名",
    "dash.ranking.department": "部门排名", "dash.unit.township": "乡镇（区域）", "dash.unit.department": "部门",
    // register
    "reg.id": "编号", "reg.source": "来源", "reg.late": "补录", "reg.export_all": "导出全部（CSV）",
    "reg.total": "共 {n} 条",
    // case page
    "case.photos": "{n} 张照片", "case.accepted.yes": "通过", "case.accepted.no": "不通过",
    "steps.title": "办理", "steps.choose": "办理事项",
    "grade.suggestions": "标准条款建议（点击引用）：", "grade.no_suggestions": "未找到匹配的重大隐患判定条款",
    // the steps' names (the form's button, the step list)
    "step.report_hazard": "上报隐患", "step.record_inspection": "开始检查", "step.manage_users": "新建用户",
    "step.grade_hazard": "定级", "step.rectify_on_spot": "立查立改", "step.assign_rectification": "交办限期整改",
    "step.file_plan": "提交治理方案", "step.record_interim_controls": "临时管控措施",
    "step.report_rectification": "报告整改完成", "step.file_assessment": "提交评估", "step.extend_deadline": "延期",
    "step.verify_rectification": "复查验收", "step.close_hazard": "销号", "step.reopen_hazard": "重新打开",
    "step.dismiss_false_alarm": "误报核销", "step.list_for_supervision": "挂牌督办", "step.delist": "摘牌",
    "step.escalate": "升级督办", "step.issue_action": "下达执法文书 / 罚款",
    "step.record_observed_activity": "记录被停对象仍在运行",
    "step.reassess_risk_point": "重新评估风险等级", "step.add_control": "增加管控措施",
    "step.cite_failed_control": "登记管控措施失效", "step.register_risk_point": "登记",
    "step.verify_public_report": "核查", "step.find_report_unfounded": "认定不属实",
    "step.find_report_founded": "认定属实（立案隐患）", "step.reward_reporter": "奖励举报人",
    "step.receive_public_report": "受理", "step.reveal_reporter_identity": "查阅并记录",
    "step.record_accident": "记录事故",
    // form fields
    "fl.enterprise_code": "企业统一社会信用代码", "fl.enterprise_code.inspected": "被检查单位统一社会信用代码",
    "fl.enterprise_code.reported": "被举报单位统一社会信用代码", "fl.enterprise_code.accident": "事故单位统一社会信用代码",
    "fl.sector": "行业领域", "fl.location": "隐患部位", "fl.description": "隐患描述", "fl.source": "隐患来源",
    "fl.found_by": "发现人", "fl.evidence.site": "现场照片", "fl.evidence.rectification": "整改照片",
    "fl.inspection_type": "检查方式", "fl.team": "检查人员（多人用逗号分隔）", "fl.inspection_location": "检查地点",
    "fl.devices_checked": "检查设备数", "fl.inspection_summary": "检查情况",
    "fl.grade": "隐患等级", "fl.general_category": "一般隐患类别", "fl.criteria.major": "判定依据（重大隐患必填）",
    "fl.criteria.placeholder": "条款编号，多个用逗号分隔", "fl.measures": "整改措施",
    "fl.assigned_department": "责任部门", "fl.requirements": "整改要求", "fl.controls": "监控防范措施",
    "fl.completed_at": "整改完成时间", "fl.summary": "评估结论", "fl.new_deadline": "新期限",
    "fl.extension_reason": "延期理由", "fl.approver": "批准人", "fl.accepted": "复查结论",
    "fl.accepted.yes": "复查通过", "fl.accepted.no": "复查不通过", "fl.opinion": "复查意见", "fl.reason": "理由",
    "fl.dismiss_reason": "误报核销理由", "fl.level": "督办层级", "fl.authority": "督办单位", "fl.escalate_level": "升级至",
    "fl.kind": "文书种类", "fl.document_number": "文书编号", "fl.enforcement_department": "执法部门",
    "fl.legal_basis": "法律依据", "fl.device_code": "责令停止使用的设备（注册代码，不针对设备不填）",
    "fl.site_part": "责令停工的场所部位（不针对部位不填）", "fl.fine_amount": "罚款金额（元，无罚款不填）",
    "fl.note": "说明", "fl.observed": "检查发现的运行情况", "fl.occurred_at": "发生时间",
    "fl.justification": "补录原因（超过7天补录时必填）", "fl.details": "行业信息", "fl.role": "角色",
    "fl.risk_level": "风险等级", "fl.assessment_reason": "评估理由", "fl.control": "管控措施",
    "fl.failed_control": "失效的管控措施", "fl.failed_case": "发现该失效的隐患（案卷编号）",
    "fl.risk_point_name": "风险点名称", "fl.place": "位置", "fl.controls_lines": "管控措施（每行一条）",
    "fl.hazard_source_level": "重大危险源等级（1-4，非重大危险源不填）", "fl.findings": "核查情况",
    "fl.unfounded_reasons": "不属实的理由", "fl.founded_reasons": "属实的认定理由", "fl.reward_amount": "奖励金额（元）",
    "fl.channel": "举报渠道", "fl.content": "举报内容", "fl.reporter_name": "举报人姓名（加密保存，可匿名）",
    "fl.reporter_phone": "联系电话（加密保存）", "fl.purpose": "查阅事由", "fl.accident_place": "事故地点",
    "fl.accident_description": "事故简要经过", "fl.deaths": "死亡人数",
    "fl.serious_injuries": "重伤人数（包括急性工业中毒）", "fl.direct_loss": "直接经济损失（元）",
    // what a form says after it is sent
    "form.upload.pending": "上传中…", "form.done": "已记录", "form.conflict.who": "{actor}于 {time}（{event}）",
    "form.conflict.someone": "他人", "form.conflict": "案卷已被 {who} 修改，请刷新后重新办理",
    "form.offline": "网络不可用，请稍后重试（{m}）",
    // users and tokens
    "users.username": "用户名（字母数字）", "users.name": "姓名", "users.organisation": "单位",
    "users.region_prefix": "管辖区划代码前缀", "users.sectors": "管辖行业（空为全部）",
    "users.enterprise_code": "企业统一社会信用代码（企业用户）", "users.valid_days": "令牌有效天数",
    "users.all": "全部用户", "users.new_token": "令牌（只显示这一次，请交给本人）：{token}",
    "users.col.username": "用户名", "users.col.region": "管辖区划", "users.col.expires": "有效期至",
    "users.col.action": "操作", "users.revoked": "已撤销 {t}", "users.revoke": "撤销令牌",
    "users.revoke.confirm": "撤销 {user} 的令牌？",
    // risk points
    "risk.title": "风险点（风险分级管控）", "risk.register": "登记风险点", "risk.point": "风险点",
    "risk.hazard_source": "重大危险源", "risk.hazard_source_level": "{n}级", "risk.controls": "管控措施",
    "risk.open_hazards": "未销号隐患",
    // public reports
    "pr.receive": "受理举报", "pr.intro": "举报人身份加密保存，列表和详情中均不显示；仅受理部门可查阅，每次查阅均留痕。",
    "pr.received_at": "受理时间", "pr.channel": "渠道", "pr.content": "内容", "pr.details": "举报详情",
    "pr.enterprise": "被举报单位", "pr.reasons": "认定理由", "pr.case": "立案隐患", "pr.reward": "奖励金额",
    "pr.yuan": "{n} 元", "pr.reporter": "举报人", "pr.erased": "已应举报人申请删除", "pr.anonymous": "匿名举报",
    "pr.encrypted": "已加密保存", "pr.reads": "身份查阅次数", "pr.reveal.title": "查阅举报人身份",
    "pr.reveal.notice": "查阅将被记录（查阅人、时间和事由写入台账，不可删除），仅限依法处理举报所必需。",
    "pr.identity.name": "姓名", "pr.identity.phone": "联系电话", "pr.identity.id_number": "身份证号",
    "pr.identity.contact": "其他联系方式",
    // accidents
    "acc.title": "记录生产安全事故", "acc.occurred_at": "事故发生时间",
    "acc.note": "事故等级按《生产安全事故报告和调查处理条例》第三条由人数和损失自动认定；“发生时间”填写事故发生的时间。",
    "acc.recorded": "已记录事故 {id}。", "acc.review": "从此事故开始责任倒查",
    // the campaign's tables
    "campaign.sources": "隐患排查来源统计表", "campaign.listings": "挂牌督办统计表", "campaign.enforcement": "执法处罚统计表",
    "campaign.effort": "检查执法力量统计表", "campaign.accidents": "生产安全事故统计表", "campaign.heading": "专项整治统计表",
    "campaign.period": "统计期", "campaign.month": "月", "campaign.quarter": "季度", "campaign.year": "年",
    "campaign.total": "合计", "campaign.loading": "加载中……", "campaign.failed": "无法加载",
    "campaign.level": "挂牌级别", "campaign.sector": "行业领域",
    "campaign.group.self": "企业自查", "campaign.group.department": "部门检查",
    "campaign.group.public_report": "群众举报", "campaign.group.expert": "专家",
    "campaign.group.found": "{name}发现", "campaign.group.rectified": "{name}已整改",
    "campaign.previous_year": "上年同期{name}", "campaign.change": "{name}同比",
    "campaign.suffix.documents": "{name}（份）", "campaign.suffix.units": "{name}（户）",
    "campaign.suffix.quantity": "{name}（数量）",
    "campaign.fig.units_with_hazards": "涉及单位（家）", "campaign.fig.listed": "挂牌督办（条）",
    "campaign.fig.listed_rectified": "已整改", "campaign.fig.still_listed": "仍在挂牌",
    "campaign.fig.listed_rectification_rate": "整改率", "campaign.fig.fined_units": "罚款（户）",
    "campaign.fig.disciplined_units": "曝光约谈联合惩戒（户）", "campaign.fig.units_acted_on": "涉及单位（家）",
    "campaign.fig.person_times": "出动人次", "campaign.fig.guidance_visits": "帮扶指导（次）",
    "campaign.fig.guidance_units": "帮扶指导（家）", "campaign.fig.count": "事故起数",
    // the phone page
    "field.page_title": "现场检查 · 隐患排查治理台账", "field.token": "访问令牌", "field.today": "今日检查",
    "field.no_inspection": "今天尚未开始检查：请在电脑端或下方填写被检查单位后上报。",
    "field.quick": "快速上报隐患", "field.photo": "拍照", "field.kept_photo": "已保留上次的照片（重新拍照则替换）",
    "field.submit": "上报", "field.outbox": "待发送", "field.online": "在线", "field.offline": "离线",
    "field.pending": "{loc} · 待发送", "field.sent": "{loc} · 已记录 {id}", "field.refused": "未记录：{r}",
    "field.not_recorded": "未记录", "field.fix": "修改后重发", "field.required": "请填写{name}",
    "field.hazards_found": "发现隐患 {n} 项",
    // the page that checks a printed paper
    "verify.page_title": "文书核验 · hazard-ledger", "verify.title": "文书核验", "verify.camera": "打开摄像头扫描",
    "verify.snap": "拍照核验",
    "verify.intro": "扫描打印文书上的核验二维码，或上传文书的照片、扫描件或 PDF，核对纸面内容是否与账本中已签名的记录一致。",
    "verify.upload": "上传照片或 PDF（不超过 10 MB）", "verify.checking": "正在核验……",
    "verify.nocamera": "无法使用摄像头：请改为上传照片或 PDF。",
    "verify.nodetector": "此浏览器不能自动识别二维码：对准二维码后点击“拍照核验”。",
    "verify.failed": "核验请求失败：{m}", "verify.differing": "与账本不一致的内容：", "verify.compare": "请逐行对照纸面：",
    "verify.events": "已核验的记录：", "verify.checkpoint": "检查点", "verify.size": "树大小", "verify.links": "短链接：",
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
    // page chrome
    "title.index": "Hazard Ledger · hazard-ledger", "lang.switch": "中文",
    "nav.inspect": "Start an inspection", "nav.report": "Report a hazard", "nav.risk": "Risk points",
    "nav.public_reports": "Public reports", "nav.accidents": "Accidents", "nav.field": "Field (phone)",
    "nav.users": "Users and tokens",
    "yes": "Yes", "no": "No", "choose": "Choose…", "photo": "Photo",
    "sep.list": ", ", "sep.items": "; ", "sep.colon": ": ",
    // dashboard
    "dash.all_regions": "Whole jurisdiction", "dash.ranking.township": "Ranking of townships (areas)",
    "dash.ranking.department": "Ranking of departments", "dash.unit.township": "Township (area)",
    "dash.unit.department": "Department",
    // register
    "reg.id": fromCatalogue("field.id"), "reg.source": fromCatalogue("field.source"),
    "reg.late": fromCatalogue("field.late"), "reg.export_all": "Export all (CSV)", "reg.total": "{n} in total",
    // case page
    "case.photos": "Photos: {n}", "case.accepted.yes": "Accepted", "case.accepted.no": "Not accepted",
    "steps.title": "Actions", "steps.choose": "Step",
    "grade.suggestions": "Suggested criteria (click one to cite it):",
    "grade.no_suggestions": "No matching major-hazard criterion found",
    // the steps' names (the form's button, the step list)
    "step.report_hazard": "Report", "step.record_inspection": "Record inspection", "step.manage_users": "Add user",
    "step.grade_hazard": "Grade", "step.rectify_on_spot": "Rectify on the spot", "step.assign_rectification": "Assign",
    "step.file_plan": "File the plan", "step.record_interim_controls": "Interim controls",
    "step.report_rectification": "Report rectification", "step.file_assessment": "File assessment",
    "step.extend_deadline": "Extend deadline", "step.verify_rectification": "Verify", "step.close_hazard": "Close",
    "step.reopen_hazard": "Reopen", "step.dismiss_false_alarm": "Dismiss a false alarm",
    "step.list_for_supervision": "List for supervision", "step.delist": "De-list", "step.escalate": "Escalate",
    "step.issue_action": "Issue an order or fine", "step.record_observed_activity": "Record observed operation",
    "step.reassess_risk_point": "Re-assess", "step.add_control": "Add a control",
    "step.cite_failed_control": "Cite a failed control", "step.register_risk_point": "Register",
    "step.verify_public_report": "Verify", "step.find_report_unfounded": "Unfounded",
    "step.find_report_founded": "Founded (opens a case)", "step.reward_reporter": "Reward",
    "step.receive_public_report": "Receive", "step.reveal_reporter_identity": "Reveal (logged)",
    "step.record_accident": "Record accident",
    // form fields: the catalogue's name where the label only names the field
    "fl.enterprise_code": fromCatalogue("field.enterprise_code"),
    "fl.enterprise_code.inspected": fromCatalogue("field.enterprise_code", "{name} of the enterprise inspected"),
    "fl.enterprise_code.reported": fromCatalogue("field.enterprise_code", "{name} of the enterprise reported"),
    "fl.enterprise_code.accident": fromCatalogue("field.enterprise_code", "{name} of the enterprise concerned"),
    "fl.sector": fromCatalogue("field.sector"), "fl.location": fromCatalogue("field.location"),
    "fl.description": fromCatalogue("field.description"), "fl.source": fromCatalogue("field.source"),
    "fl.found_by": fromCatalogue("field.found_by"), "fl.evidence.site": "Photos of the site",
    "fl.evidence.rectification": "Photos of the rectification",
    "fl.inspection_type": fromCatalogue("field.inspection_type"),
    "fl.team": fromCatalogue("field.team", "{name} (separate several names with commas)"),
    "fl.inspection_location": "Place inspected", "fl.devices_checked": fromCatalogue("field.devices_checked"),
    "fl.inspection_summary": "What the inspection found",
    "fl.grade": fromCatalogue("field.grade"), "fl.general_category": "General-hazard category",
    "fl.criteria.major": fromCatalogue("field.criteria", "{name} (required for a major hazard)"),
    "fl.criteria.placeholder": "Criterion numbers, separated by commas", "fl.measures": fromCatalogue("field.measures"),
    "fl.assigned_department": fromCatalogue("field.assigned_department"),
    "fl.requirements": fromCatalogue("field.requirements"), "fl.controls": fromCatalogue("field.controls"),
    "fl.completed_at": fromCatalogue("field.completed_at"), "fl.summary": fromCatalogue("field.summary"),
    "fl.new_deadline": fromCatalogue("field.new_deadline"), "fl.extension_reason": "Reason for the extension",
    "fl.approver": fromCatalogue("field.approver"), "fl.accepted": fromCatalogue("field.accepted"),
    "fl.accepted.yes": "Accepted", "fl.accepted.no": "Not accepted", "fl.opinion": fromCatalogue("field.opinion"),
    "fl.reason": fromCatalogue("field.reason"), "fl.dismiss_reason": "Reason for dismissing it as a false alarm",
    "fl.level": fromCatalogue("field.level"), "fl.authority": fromCatalogue("field.authority"),
    "fl.escalate_level": "Escalate to", "fl.kind": fromCatalogue("field.kind"),
    "fl.document_number": fromCatalogue("field.document_number"), "fl.enforcement_department": "Enforcing department",
    "fl.legal_basis": fromCatalogue("field.legal_basis"),
    "fl.device_code": "Equipment ordered out of use (registration code; leave empty if the order names none)",
    "fl.site_part": "Part of the site ordered to stop work (leave empty if the order names none)",
    "fl.fine_amount": "Fine in CNY (leave empty if there is none)", "fl.note": fromCatalogue("field.note"),
    "fl.observed": "Operation seen during the inspection", "fl.occurred_at": fromCatalogue("field.occurred_at"),
    "fl.justification": fromCatalogue("field.justification", "{name} (required when recorded more than 7 days late)"),
    "fl.details": fromCatalogue("field.details"), "fl.role": fromCatalogue("field.role"),
    "fl.risk_level": fromCatalogue("field.risk_level"), "fl.assessment_reason": "Reason for the assessment",
    "fl.control": fromCatalogue("field.control"), "fl.failed_control": "Control that failed",
    "fl.failed_case": "Hazard that revealed the failure (case number)",
    "fl.risk_point_name": "Name of the risk point", "fl.place": fromCatalogue("field.location"),
    "fl.controls_lines": "Controls (one per line)",
    "fl.hazard_source_level": "Major hazard source class (1–4; leave empty if it is not a major hazard source)",
    "fl.findings": fromCatalogue("field.findings"), "fl.unfounded_reasons": "Why the report is untrue",
    "fl.founded_reasons": "Why the report is true", "fl.reward_amount": "Reward (CNY)",
    "fl.channel": fromCatalogue("field.channel"), "fl.content": fromCatalogue("field.content"),
    "fl.reporter_name": "Reporter's name (stored encrypted; may be left empty for an anonymous report)",
    "fl.reporter_phone": "Telephone (stored encrypted)", "fl.purpose": fromCatalogue("field.purpose"),
    "fl.accident_place": fromCatalogue("field.place"), "fl.accident_description": "Brief account of the accident",
    "fl.deaths": fromCatalogue("field.deaths"),
    "fl.serious_injuries": fromCatalogue("field.serious_injuries", "{name} (including acute industrial poisoning)"),
    "fl.direct_loss": fromCatalogue("field.direct_loss"),
    // what a form says after it is sent
    "form.upload.pending": "Uploading…", "form.done": "Recorded", "form.conflict.who": "{actor} at {time} ({event})",
    "form.conflict.someone": "someone else", "form.conflict": "The case was changed by {who}: reload it and take the step again",
    "form.offline": "The network is unavailable: try again later ({m})",
    // users and tokens
    "users.username": "User name (letters and digits)", "users.name": "Full name",
    "users.organisation": fromCatalogue("field.organisation"),
    "users.region_prefix": "Jurisdiction: region code prefix", "users.sectors": "Sectors in charge (empty: all)",
    "users.enterprise_code": fromCatalogue("field.enterprise_code", "{name} (enterprise users)"),
    "users.valid_days": "Days the token is valid", "users.all": "All users",
    "users.new_token": "Token (shown this once only; hand it to the user in person): {token}",
    "users.col.username": "User name", "users.col.region": "Jurisdiction", "users.col.expires": "Valid until",
    "users.col.action": "Action", "users.revoked": "Revoked {t}", "users.revoke": "Revoke token",
    "users.revoke.confirm": "Revoke the token of {user}?",
    // risk points
    "risk.title": "Risk points (graded risk control)", "risk.register": "Register a risk point", "risk.point": "Risk point",
    "risk.hazard_source": fromCatalogue("field.hazard_source"), "risk.hazard_source_level": "Class {n}",
    "risk.controls": "Controls", "risk.open_hazards": "Open hazards",
    // public reports
    "pr.receive": "Receive a report",
    "pr.intro": "The reporter's identity is stored encrypted and shown in neither the list nor the details; only the receiving department may open it, and every opening is recorded.",
    "pr.received_at": "Received at", "pr.channel": fromCatalogue("field.channel"), "pr.content": fromCatalogue("field.content"),
    "pr.details": "Report details", "pr.enterprise": "Enterprise reported", "pr.reasons": fromCatalogue("field.reasons"),
    "pr.case": "Case opened", "pr.reward": "Reward", "pr.yuan": "CNY {n}", "pr.reporter": "Reporter",
    "pr.erased": "Erased at the reporter's request", "pr.anonymous": "Anonymous report", "pr.encrypted": "Stored encrypted",
    "pr.reads": "Times the identity was opened", "pr.reveal.title": "Open the reporter's identity",
    "pr.reveal.notice": "Opening it is recorded (who, when and why are written into the ledger and cannot be deleted) and is allowed only where handling the report lawfully requires it.",
    "pr.identity.name": "Name", "pr.identity.phone": "Telephone", "pr.identity.id_number": "Identity card number",
    "pr.identity.contact": "Other contact",
    // accidents
    "acc.title": "Record a work-safety accident", "acc.occurred_at": "Time of the accident",
    "acc.note": "The accident's level follows from the casualties and the loss, by Article 3 of the Regulations on the Reporting, Investigation and Handling of Work Safety Accidents; give the time the accident happened.",
    "acc.recorded": "Accident {id} recorded. ", "acc.review": "Start an accountability review from this accident",
    // the campaign's tables
    "campaign.sources": "Hazards by source", "campaign.listings": "Listed for supervision", "campaign.enforcement": "Enforcement",
    "campaign.effort": "Inspection effort", "campaign.accidents": "Accidents", "campaign.heading": "Campaign tables",
    "campaign.period": "Period", "campaign.month": "Month", "campaign.quarter": "Quarter", "campaign.year": "Year",
    "campaign.total": "Total", "campaign.loading": "Loading…", "campaign.failed": "Cannot load",
    "campaign.level": "Level", "campaign.sector": "Sector",
    "campaign.group.self": "Self-inspection", "campaign.group.department": "Departments",
    "campaign.group.public_report": "Public reports", "campaign.group.expert": "Experts",
    "campaign.group.found": "{name}: found", "campaign.group.rectified": "{name}: rectified",
    "campaign.previous_year": "Year before: {name}", "campaign.change": "{name} change",
    "campaign.suffix.documents": "{name} (documents)", "campaign.suffix.units": "{name} (enterprises)",
    "campaign.suffix.quantity": "{name} (quantity)",
    "campaign.fig.units_with_hazards": "Enterprises with hazards", "campaign.fig.listed": "Listed",
    "campaign.fig.listed_rectified": "Rectified", "campaign.fig.still_listed": "Still listed",
    "campaign.fig.listed_rectification_rate": "Rectification rate", "campaign.fig.fined_units": "Enterprises fined",
    "campaign.fig.disciplined_units": "Exposed, summoned or jointly punished", "campaign.fig.units_acted_on": "Enterprises acted on",
    "campaign.fig.person_times": "Person-times", "campaign.fig.guidance_visits": "Guidance visits",
    "campaign.fig.guidance_units": "Enterprises guided", "campaign.fig.count": "Accidents",
    // the phone page
    "field.page_title": "Field inspection · Hazard Ledger", "field.token": "Access token", "field.today": "Today's inspections",
    "field.no_inspection": "No inspection started today: start one on a computer, or fill in the enterprise inspected below and report.",
    "field.quick": "Quick hazard report", "field.photo": "Photo", "field.kept_photo": "The last photo is kept (a new photo replaces it)",
    "field.submit": "Report", "field.outbox": "Waiting to be sent", "field.online": "online", "field.offline": "offline",
    "field.pending": "{loc} · waiting to be sent", "field.sent": "{loc} · recorded {id}", "field.refused": "Not recorded: {r}",
    "field.not_recorded": "Not recorded", "field.fix": "Correct and send again", "field.required": "Fill in {name}",
    "field.hazards_found": "{n} hazards found",
    // the page that checks a printed paper
    "verify.page_title": "Verify a printed document · hazard-ledger", "verify.title": "Verify a printed document",
    "verify.camera": "Scan with the camera", "verify.snap": "Take a picture and verify",
    "verify.intro": "Scan the verification QR code of a printed document, or upload a photo, scan or PDF of it, to check the paper against signed records of the ledger.",
    "verify.upload": "Upload a photo or PDF (at most 10 MB)", "verify.checking": "Verifying…",
    "verify.nocamera": "The camera cannot be used: upload a photo or PDF instead.",
    "verify.nodetector": "This browser cannot find QR codes by itself: point at the code and take a picture.",
    "verify.failed": "The verification request failed: {m}", "verify.differing": "Lines that differ from the ledger:",
    "verify.compare": "Compare with the paper, line by line:", "verify.events": "Records verified:",
    "verify.checkpoint": "checkpoint", "verify.size": "tree size", "verify.links": "Short links:",
  },
};

/* A field's title from the served catalogue, for "f.<field>" keys. */
function catalogueField(key) {
  const labels = window.Labels;
  if (typeof key !== "string" || !key.startsWith("f.") || !labels || !labels.table) return undefined;
  return labels.table[`field.${key.slice(2)}`];
}

/* A catalogue reference as a label: the served name (its code's words before the
 * catalogue is loaded), in the template, with a capital first letter. */
function catalogueText(ref) {
  const labels = window.Labels;
  const name = (labels && labels.table && labels.table[ref.catalogue])
    || ref.catalogue.split(".").pop().replace(/_/g, " ");
  const text = ref.template.replace("{name}", name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/* The text of ``key`` in ``lang`` (Chinese when that table lacks it), with {param}s
 * filled from ``params``; the key itself when no table has it. A key missing from the
 * table is said on the console, where the browser tests look for it. */
function i18nText(lang, key, params = {}) {
  const own = I18N_TEXTS[lang] || I18N_TEXTS.zh;
  if (!(key in own) && !String(key).startsWith("f.")) console.warn(`i18n: no ${lang} text for ${key}`);
  let text = key in own ? own[key] : key in I18N_TEXTS.zh ? I18N_TEXTS.zh[key] : catalogueField(key);
  if (text == null) return key;
  if (typeof text === "object") text = catalogueText(text);
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in params ? String(params[k]) : ""));
}

/* Put the texts of ``lang`` into every element under ``root`` that names one:
 * data-i18n (its text), data-i18n-placeholder (its placeholder). */
function applyI18n(lang, root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = i18nText(lang, el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = i18nText(lang, el.dataset.i18nPlaceholder);
  }
}

/* The language a page opened with ?lang=en|zh is read in (remembered for the next
 * page), else the one last chosen, else Chinese. */
function pageLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "en" || asked === "zh") {
    try { localStorage.setItem("ledger.lang", asked); } catch (err) { /* private mode: this page only */ }
    return asked;
  }
  try { return localStorage.getItem("ledger.lang") === "en" ? "en" : "zh"; } catch (err) { return "zh"; }
}
