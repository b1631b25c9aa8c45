/* Records beside the cases: risk points (双重预防), public reports (群众举报) and accidents
 * (生产安全事故). Like every form of the page, each step posts to the command route a
 * program would call, and each form is offered only where GET /me's ``may`` allows it;
 * the ledger still judges every command.
 */
"use strict";

const mayDo = (cmd) => (state.user?.may || []).includes(cmd);

/* A select of steps and the form of the chosen one, for a record with a version. */
function stepPicker(holder, steps, { base, version, done, status = "" }) {
  const allowed = steps.filter((s) => mayDo(s.cmd));
  const likely = (s) => !s.when || s.when.includes(status);
  const offered = [...allowed.filter(likely), ...allowed.filter((s) => !likely(s))];
  if (!offered.length) { holder.innerHTML = ""; return; }
  holder.innerHTML = `<label>办理事项 <select data-testid="record-step">${offered.map((s) =>
    `<option value="${s.cmd}">${esc(state.lang === "en" ? s.en : s.title)}</option>`).join("")}</select></label>
    <div class="record-form"></div>`;
  const select = holder.querySelector("select");
  const show = () => {
    const spec = offered.find((s) => s.cmd === select.value);
    const box = holder.querySelector(".record-form");
    box.innerHTML = formHtml(spec, { timed: spec.timed !== false });
    wireCommand(box.querySelector("form"), `${base}/${spec.path}`, { version, done });
  };
  select.onchange = show;
  show();
}

/* ---- risk points -------------------------------------------------------------------- */

const RISK_STEPS = [
  { cmd: "reassess_risk_point", path: "reassess", title: "重新评估风险等级", en: "Re-assess",
    fields: [{ name: "level", label: "风险等级", kind: "choice", group: "risk_level", required: true },
      { name: "reason", label: "评估理由", kind: "textarea", required: true }] },
  { cmd: "add_control", path: "controls", title: "增加管控措施", en: "Add a control",
    fields: [{ name: "description", label: "管控措施", kind: "textarea", required: true }] },
  { cmd: "cite_failed_control", path: "failed-controls", title: "登记管控措施失效", en: "Cite a failed control",
    fields: [{ name: "control_id", label: "失效的管控措施", kind: "choice", required: true },
      { name: "case_id", label: "发现该失效的隐患（案卷编号）", kind: "text", required: true }] },
];

const riskBadge = (r) => `<span class="risk risk-${esc(r.colour)}" data-testid="risk-level" data-level="${esc(r.level)}">${
  esc(r.level_zh && state.lang !== "en" ? r.level_zh : Labels.of("risk_level", r.level))}</span>`;

async function riskView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const level = params.get("level") || "";
  const enterprise = state.user?.role === "enterprise";
  const register = mayDo("register_risk_point") && !state.asOf ? `<div class="card"><h2>登记风险点</h2>${formHtml({
    cmd: "register_risk_point", title: "登记", en: "Register", fields: [
      { name: "enterprise_code", label: "企业统一社会信用代码", kind: "text", required: true, value: state.user?.enterprise_code || "" },
      { name: "sector", label: "行业领域", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "name", label: "风险点名称", kind: "text", required: true },
      { name: "location", label: "位置", kind: "text", required: true },
      { name: "level", label: "风险等级", kind: "choice", group: "risk_level", required: true },
      { name: "controls", label: "管控措施（每行一条）", kind: "lines", required: true },
      { name: "hazard_source_level", label: "重大危险源等级（1-4，非重大危险源不填）", kind: "number" }] })}</div>` : "";
  view(`<h1>风险点（风险分级管控）</h1>
    <form class="filters noprint" id="risk-filter"><label>风险等级<select name="level"><option value="">${esc(t("all"))}</option>
      ${Labels.choices("risk_level").map(([c, n]) => `<option value="${c}" ${c === level ? "selected" : ""}>${esc(n)}</option>`).join("")}
      </select></label><button>${esc(t("filter"))}</button></form>
    <div class="grid"><div class="card"><div id="risk-list" data-testid="risk-points">${esc(t("loading"))}</div></div>
    <div>${register}<div class="card" id="risk-one" hidden></div></div></div>`);
  $("#risk-filter").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/risk?level=${new FormData(e.target).get("level")}`;
  });
  const form = $("[data-testid=form-register_risk_point]");
  if (form) wireCommand(form, "/risk-points", { done: () => route() });
  try {
    const rows = await api("/risk-points", { level, enterprise: enterprise ? state.user.enterprise_code : "" });
    $("#risk-list").innerHTML = table(rows, [
      { key: "level", label: "风险等级", render: riskBadge },
      { key: "name", label: "风险点", render: (r) => `<a href="#/risk" data-point="${esc(r.risk_point_id)}">${esc(r.name)}</a>` },
      { key: "location", label: "位置" },
      { key: "enterprise_code", label: t("enterprise") },
      { key: "hazard_source_level_zh", label: "重大危险源", render: (r) => esc(r.hazard_source_level_zh || "—") },
      { key: "controls", label: "管控措施", render: (r) => esc((r.controls || []).filter((x) => !x.retired)
        .map((x) => `${x.id} ${x.description}`).join("；")) },
      { key: "open_hazards", label: "未销号隐患", num: true, render: (r) => (r.open_hazards || []).map((h) =>
        `<a href="#/case/${esc(h.case_id)}">${esc(String(h.case_id).slice(0, 8))}</a>`).join(" ") || "0" }],
    { testid: "risk-table" });
    for (const a of document.querySelectorAll("[data-point]")) {
      a.onclick = (e) => { e.preventDefault(); showRiskPoint(a.dataset.point); };
    }
  } catch (err) { $("#risk-list").innerHTML = failure(err); }
}

async function showRiskPoint(id) {
  const box = $("#risk-one");
  box.hidden = false;
  box.innerHTML = esc(t("loading"));
  try {
    const p = await api(`/risk-points/${id}`);
    const controls = (p.controls || []).filter((x) => !x.retired);
    box.innerHTML = `<h2>${esc(p.name)} ${riskBadge({ ...p, colour: p.colour || "", level_zh: p.level_zh })}</h2>
      <ul>${controls.map((x) => `<li>${esc(x.id)} ${esc(x.description)}</li>`).join("")}</ul>
      <div id="risk-steps" data-testid="risk-steps"></div>`;
    const steps = RISK_STEPS.map((s) => (s.cmd !== "cite_failed_control" ? s : { ...s, fields: s.fields.map((f) =>
      (f.name === "control_id" ? { ...f, choices: controls.map((x) => [x.id, `${x.id} ${x.description}`]) } : f)) }));
    if (!state.asOf) {
      stepPicker($("#risk-steps"), steps, { base: `/risk-points/${id}`, version: p.version, done: () => route() });
    }
  } catch (err) { box.innerHTML = failure(err); }
}

/* ---- public reports ----------------------------------------------------------------- */

const REPORT_STEPS = [
  { cmd: "verify_public_report", path: "verify", title: "核查", en: "Verify", when: ["received"],
    fields: [{ name: "findings", label: "核查情况", kind: "textarea", required: true }] },
  { cmd: "find_report_unfounded", path: "unfounded", title: "认定不属实", en: "Unfounded", when: ["received", "verified"],
    fields: [{ name: "reasons", label: "不属实的理由", kind: "textarea", required: true }] },
  { cmd: "find_report_founded", path: "founded", title: "认定属实（立案隐患）", en: "Founded (opens a case)",
    when: ["received", "verified"],
    fields: [{ name: "reasons", label: "属实的认定理由", kind: "textarea", required: true },
      { name: "location", label: "隐患部位", kind: "text", required: true },
      { name: "description", label: "隐患描述", kind: "textarea", required: true }] },
  { cmd: "reward_reporter", path: "reward", title: "奖励举报人", en: "Reward", when: ["founded"],
    fields: [{ name: "amount", label: "奖励金额（元）", kind: "number", required: true }] },
];

async function publicReportsView() {
  const receive = mayDo("receive_public_report") && !state.asOf ? `<div class="card"><h2>受理举报</h2>${formHtml({
    cmd: "receive_public_report", title: "受理", en: "Receive", fields: [
      { name: "enterprise_code", label: "被举报单位统一社会信用代码", kind: "text", required: true },
      { name: "sector", label: "行业领域", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "channel", label: "举报渠道", kind: "choice", group: "channel", required: true },
      { name: "content", label: "举报内容", kind: "textarea", required: true },
      { name: "reporter_name", label: "举报人姓名（加密保存，可匿名）", kind: "text" },
      { name: "reporter_phone", label: "联系电话（加密保存）", kind: "text" }] })}</div>` : "";
  view(`<h1>群众举报</h1><p class="muted">举报人身份加密保存，列表和详情中均不显示；仅受理部门可查阅，每次查阅均留痕。</p>
    <div class="grid"><div class="card"><div id="reports" data-testid="public-reports">${esc(t("loading"))}</div></div>
    <div>${receive}<div class="card" id="report-one" data-testid="public-report" hidden></div></div></div>`);
  const form = $("[data-testid=form-receive_public_report]");
  if (form) wireCommand(form, "/public-reports", { done: (a) => { location.hash = `#/public-reports?id=${a.id}`; } });
  try {
    const rows = await api("/public-reports");
    $("#reports").innerHTML = table(rows, [
      { key: "received_at", label: "受理时间", render: (r) => esc(fmtTime(r.received_at)) },
      { key: "enterprise_code", label: t("enterprise") },
      { key: "channel", label: "渠道", render: (r) => esc(Labels.of("channel", r.channel)) },
      { key: "content", label: "内容", render: (r) => `<a href="#/public-reports?id=${esc(r.report_id)}">${esc(String(r.content || "").slice(0, 30))}</a>` },
      { key: "status", label: t("status"), render: (r) => `<span data-status="${esc(r.status)}">${esc(reportStatus(r))}</span>` }],
    { testid: "report-table" });
  } catch (err) { $("#reports").innerHTML = failure(err); }
  const id = new URLSearchParams(location.hash.split("?")[1] || "").get("id");
  if (id) showPublicReport(id);
}

const reportStatus = (r) => (state.lang !== "en" && r.status_zh) || Labels.of("report_status", r.status);

async function showPublicReport(id) {
  const box = $("#report-one");
  box.hidden = false;
  box.innerHTML = esc(t("loading"));
  try {
    const r = await api(`/public-reports/${id}`);
    const row = (k, v) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
    box.innerHTML = `<h2>举报详情</h2><table>
      ${row("状态", `<span class="badge" data-testid="report-status" data-status="${esc(r.status)}">${esc(reportStatus(r))}</span>`)}
      ${row("被举报单位", esc(r.enterprise_code))}${row("行业领域", esc(Labels.of("sector", r.sector)))}
      ${row("渠道", esc(Labels.of("channel", r.channel)))}${row("举报内容", esc(r.content))}
      ${row("受理时间", esc(fmtTime(r.received_at)))}${row("核查情况", esc(r.findings || "—"))}
      ${row("认定理由", `<span data-testid="report-reasons">${esc(r.reasons || "—")}</span>`)}
      ${row("立案隐患", r.case_id ? `<a href="#/case/${esc(r.case_id)}">${esc(r.case_id.slice(0, 8))}</a>` : "—")}
      ${row("奖励金额", esc(r.reward_amount ? `${r.reward_amount} 元` : "—"))}
      ${row("举报人", esc(r.identity_erased ? "已应举报人申请删除" : r.anonymous ? "匿名举报" : "已加密保存"))}
      ${row("身份查阅次数", `<span data-testid="identity-reads">${esc(r.identity_reads ?? 0)}</span>`)}</table>
      <div id="report-steps"></div><div id="reveal"></div>`;
    if (state.asOf) return;
    stepPicker($("#report-steps"), REPORT_STEPS, { base: `/public-reports/${id}`, version: r.version,
      status: r.status, done: () => showPublicReport(id) });
    if (mayDo("reveal_reporter_identity") && !r.anonymous && !r.identity_erased) revealForm(id, r.version);
  } catch (err) { box.innerHTML = failure(err); }
}

/* Opening the reporter's identity is itself a recorded step: the page says so before
 * the button, and shows what the service answered only after it recorded the reading. */
function revealForm(id, version) {
  const holder = $("#reveal");
  holder.innerHTML = `<h3>查阅举报人身份</h3>
    <p class="warn" data-testid="reveal-notice">查阅将被记录（查阅人、时间和事由写入台账，不可删除），仅限依法处理举报所必需。</p>
    ${formHtml({ cmd: "reveal_reporter_identity", title: "查阅并记录", en: "Reveal (logged)", fields: [
      { name: "purpose", label: "查阅事由", kind: "textarea", required: true }] })}
    <dl class="changes" data-testid="identity" hidden></dl>`;
  const form = holder.querySelector("form");
  wireCommand(form, `/public-reports/${id}/identity`, { version, done: (shown) => {
    const dl = holder.querySelector("[data-testid=identity]");
    const names = { name: "姓名", phone: "联系电话", id_number: "身份证号", contact: "其他联系方式" };
    dl.innerHTML = Object.entries(names).map(([k, label]) => `<dt>${label}</dt><dd>${esc(shown[k] || shown[`reporter_${k}`] || "—")}</dd>`).join("");
    dl.hidden = false;
    const reads = $("[data-testid=identity-reads]");
    reads.textContent = String(Number(reads.textContent) + 1); // this reading was recorded
  } });
}

/* ---- accidents ---------------------------------------------------------------------- */

async function accidentView() {
  view(`<h1>记录生产安全事故</h1><div class="card">${formHtml({
    cmd: "record_accident", title: "记录事故", en: "Record accident", fields: [
      { name: "enterprise_code", label: "事故单位统一社会信用代码", kind: "text", required: true },
      { name: "sector", label: "行业领域", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "place", label: "事故地点", kind: "text", required: true },
      { name: "description", label: "事故简要经过", kind: "textarea", required: true },
      { name: "deaths", label: "死亡人数", kind: "number" },
      { name: "serious_injuries", label: "重伤人数（包括急性工业中毒）", kind: "number" },
      { name: "direct_loss", label: "直接经济损失（元）", kind: "number" }] })}
    <p class="muted">事故等级按《生产安全事故报告和调查处理条例》第三条由人数和损失自动认定；“发生时间”填写事故发生的时间。</p>
    <p id="accident-done" data-testid="accident-done" hidden></p></div>`);
  const form = $("form.command");
  form.querySelector("[name=occurred_at]").previousElementSibling.textContent = "事故发生时间 *";
  wireCommand(form, "/accidents", { done: (answer) => {
    const done = $("#accident-done");
    done.hidden = false;
    done.innerHTML = `已记录事故 ${esc(String(answer.id).slice(0, 8))}。${mayDo("review") ? `<a class="button" data-testid="review-accident"
      href="#/review?accident=${esc(answer.id)}">从此事故开始责任倒查</a>` : ""}`;
  } });
}

Object.assign(window, { riskView, publicReportsView, accidentView });
