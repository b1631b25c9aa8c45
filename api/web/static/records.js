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
  holder.innerHTML = `<label>${esc(t("steps.choose"))} <select data-testid="record-step">${offered.map((s) =>
    `<option value="${s.cmd}">${esc(t(s.title))}</option>`).join("")}</select></label>
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
  { cmd: "reassess_risk_point", path: "reassess", title: "step.reassess_risk_point",
    fields: [{ name: "level", label: "fl.risk_level", kind: "choice", group: "risk_level", required: true },
      { name: "reason", label: "fl.assessment_reason", kind: "textarea", required: true }] },
  { cmd: "add_control", path: "controls", title: "step.add_control",
    fields: [{ name: "description", label: "fl.control", kind: "textarea", required: true }] },
  { cmd: "cite_failed_control", path: "failed-controls", title: "step.cite_failed_control",
    fields: [{ name: "control_id", label: "fl.failed_control", kind: "choice", required: true },
      { name: "case_id", label: "fl.failed_case", kind: "text", required: true }] },
];

const riskBadge = (r) => `<span class="risk risk-${esc(r.colour)}" data-testid="risk-level" data-level="${esc(r.level)}">${
  esc(r.level_zh && state.lang !== "en" ? r.level_zh : Labels.of("risk_level", r.level))}</span>`;

/* A major hazard source's class: the service's Chinese name, in English its number. */
const hazardSourceLevel = (r) => esc(r.hazard_source_level == null ? "—" : state.lang === "en"
  ? t("risk.hazard_source_level", { n: r.hazard_source_level }) : r.hazard_source_level_zh || r.hazard_source_level);

async function riskView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const level = params.get("level") || "";
  const enterprise = state.user?.role === "enterprise";
  const register = mayDo("register_risk_point") && !state.asOf ? `<div class="card"><h2>${esc(t("risk.register"))}</h2>${formHtml({
    cmd: "register_risk_point", title: "step.register_risk_point", fields: [
      { name: "enterprise_code", label: "fl.enterprise_code", kind: "text", required: true, value: state.user?.enterprise_code || "" },
      { name: "sector", label: "fl.sector", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "name", label: "fl.risk_point_name", kind: "text", required: true },
      { name: "location", label: "fl.place", kind: "text", required: true },
      { name: "level", label: "fl.risk_level", kind: "choice", group: "risk_level", required: true },
      { name: "controls", label: "fl.controls_lines", kind: "lines", required: true },
      { name: "hazard_source_level", label: "fl.hazard_source_level", kind: "number" }] })}</div>` : "";
  view(`<h1>${esc(t("risk.title"))}</h1>
    <form class="filters noprint" id="risk-filter"><label>${esc(t("fl.risk_level"))}<select name="level"><option value="">${esc(t("all"))}</option>
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
      { key: "level", label: t("fl.risk_level"), render: riskBadge },
      { key: "name", label: t("risk.point"), render: (r) => `<a href="#/risk" data-point="${esc(r.risk_point_id)}">${esc(r.name)}</a>` },
      { key: "location", label: t("fl.place") },
      { key: "enterprise_code", label: t("enterprise") },
      { key: "hazard_source_level_zh", label: t("risk.hazard_source"), render: hazardSourceLevel },
      { key: "controls", label: t("risk.controls"), render: (r) => esc((r.controls || []).filter((x) => !x.retired)
        .map((x) => `${x.id} ${x.description}`).join(t("sep.items"))) },
      { key: "open_hazards", label: t("risk.open_hazards"), num: true, render: (r) => (r.open_hazards || []).map((h) =>
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
  { cmd: "verify_public_report", path: "verify", title: "step.verify_public_report", when: ["received"],
    fields: [{ name: "findings", label: "fl.findings", kind: "textarea", required: true }] },
  { cmd: "find_report_unfounded", path: "unfounded", title: "step.find_report_unfounded", when: ["received", "verified"],
    fields: [{ name: "reasons", label: "fl.unfounded_reasons", kind: "textarea", required: true }] },
  { cmd: "find_report_founded", path: "founded", title: "step.find_report_founded",
    when: ["received", "verified"],
    fields: [{ name: "reasons", label: "fl.founded_reasons", kind: "textarea", required: true },
      { name: "location", label: "fl.location", kind: "text", required: true },
      { name: "description", label: "fl.description", kind: "textarea", required: true }] },
  { cmd: "reward_reporter", path: "reward", title: "step.reward_reporter", when: ["founded"],
    fields: [{ name: "amount", label: "fl.reward_amount", kind: "number", required: true }] },
];

async function publicReportsView() {
  const receive = mayDo("receive_public_report") && !state.asOf ? `<div class="card"><h2>${esc(t("pr.receive"))}</h2>${formHtml({
    cmd: "receive_public_report", title: "step.receive_public_report", fields: [
      { name: "enterprise_code", label: "fl.enterprise_code.reported", kind: "text", required: true },
      { name: "sector", label: "fl.sector", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "channel", label: "fl.channel", kind: "choice", group: "channel", required: true },
      { name: "content", label: "fl.content", kind: "textarea", required: true },
      { name: "reporter_name", label: "fl.reporter_name", kind: "text" },
      { name: "reporter_phone", label: "fl.reporter_phone", kind: "text" }] })}</div>` : "";
  view(`<h1>${esc(t("nav.public_reports"))}</h1><p class="muted">${esc(t("pr.intro"))}</p>
    <div class="grid"><div class="card"><div id="reports" data-testid="public-reports">${esc(t("loading"))}</div></div>
    <div>${receive}<div class="card" id="report-one" data-testid="public-report" hidden></div></div></div>`);
  const form = $("[data-testid=form-receive_public_report]");
  if (form) wireCommand(form, "/public-reports", { done: (a) => { location.hash = `#/public-reports?id=${a.id}`; } });
  try {
    const rows = await api("/public-reports");
    $("#reports").innerHTML = table(rows, [
      { key: "received_at", label: t("pr.received_at"), render: (r) => esc(fmtTime(r.received_at)) },
      { key: "enterprise_code", label: t("enterprise") },
      { key: "channel", label: t("pr.channel"), render: (r) => esc(Labels.of("channel", r.channel)) },
      { key: "content", label: t("pr.content"), render: (r) => `<a href="#/public-reports?id=${esc(r.report_id)}">${esc(String(r.content || "").slice(0, 30))}</a>` },
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
    box.innerHTML = `<h2>${esc(t("pr.details"))}</h2><table>
      ${row(t("status"), `<span class="badge" data-testid="report-status" data-status="${esc(r.status)}">${esc(reportStatus(r))}</span>`)}
      ${row(t("pr.enterprise"), esc(r.enterprise_code))}${row(t("fl.sector"), esc(Labels.of("sector", r.sector)))}
      ${row(t("pr.channel"), esc(Labels.of("channel", r.channel)))}${row(t("fl.content"), esc(r.content))}
      ${row(t("pr.received_at"), esc(fmtTime(r.received_at)))}${row(t("fl.findings"), esc(r.findings || "—"))}
      ${row(t("pr.reasons"), `<span data-testid="report-reasons">${esc(r.reasons || "—")}</span>`)}
      ${row(t("pr.case"), r.case_id ? `<a href="#/case/${esc(r.case_id)}">${esc(r.case_id.slice(0, 8))}</a>` : "—")}
      ${row(t("pr.reward"), esc(r.reward_amount ? t("pr.yuan", { n: r.reward_amount }) : "—"))}
      ${row(t("pr.reporter"), esc(t(r.identity_erased ? "pr.erased" : r.anonymous ? "pr.anonymous" : "pr.encrypted")))}
      ${row(t("pr.reads"), `<span data-testid="identity-reads">${esc(r.identity_reads ?? 0)}</span>`)}</table>
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
  holder.innerHTML = `<h3>${esc(t("pr.reveal.title"))}</h3>
    <p class="warn" data-testid="reveal-notice">${esc(t("pr.reveal.notice"))}</p>
    ${formHtml({ cmd: "reveal_reporter_identity", title: "step.reveal_reporter_identity", fields: [
      { name: "purpose", label: "fl.purpose", kind: "textarea", required: true }] })}
    <dl class="changes" data-testid="identity" hidden></dl>`;
  const form = holder.querySelector("form");
  wireCommand(form, `/public-reports/${id}/identity`, { version, done: (shown) => {
    const dl = holder.querySelector("[data-testid=identity]");
    dl.innerHTML = ["name", "phone", "id_number", "contact"].map((k) => `<dt>${esc(t(`pr.identity.${k}`))}</dt><dd>${esc(shown[k] || shown[`reporter_${k}`] || "—")}</dd>`).join("");
    dl.hidden = false;
    const reads = $("[data-testid=identity-reads]");
    reads.textContent = String(Number(reads.textContent) + 1); // this reading was recorded
  } });
}

/* ---- accidents ---------------------------------------------------------------------- */

async function accidentView() {
  view(`<h1>${esc(t("acc.title"))}</h1><div class="card">${formHtml({
    cmd: "record_accident", title: "step.record_accident", fields: [
      { name: "enterprise_code", label: "fl.enterprise_code.accident", kind: "text", required: true },
      { name: "sector", label: "fl.sector", kind: "choice", choices: Labels.choices("sector"), required: true },
      { name: "place", label: "fl.accident_place", kind: "text", required: true },
      { name: "description", label: "fl.accident_description", kind: "textarea", required: true },
      { name: "deaths", label: "fl.deaths", kind: "number" },
      { name: "serious_injuries", label: "fl.serious_injuries", kind: "number" },
      { name: "direct_loss", label: "fl.direct_loss", kind: "number" }] })}
    <p class="muted">${esc(t("acc.note"))}</p>
    <p id="accident-done" data-testid="accident-done" hidden></p></div>`);
  const form = $("form.command");
  form.querySelector("[name=occurred_at]").previousElementSibling.textContent = `${t("acc.occurred_at")} *`;
  wireCommand(form, "/accidents", { done: (answer) => {
    const done = $("#accident-done");
    done.hidden = false;
    done.innerHTML = `${esc(t("acc.recorded", { id: String(answer.id).slice(0, 8) }))}${mayDo("review") ? `<a class="button" data-testid="review-accident"
      href="#/review?accident=${esc(answer.id)}">${esc(t("acc.review"))}</a>` : ""}`;
  } });
}

Object.assign(window, { riskView, publicReportsView, accidentView });
