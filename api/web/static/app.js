/* hazard-ledger web interface: a small single-page app over the JSON API.
 *
 * It keeps no data of its own: every view is one or two API calls with the user's
 * bearer token, so the page shows exactly what the user's role and jurisdiction allow.
 * The "as of" control adds known_at to every read, turning each page into the ledger
 * as it was known at that moment.
 */
"use strict";

const state = {
  token: sessionStorage.getItem("ledger.token") || "",
  lang: localStorage.getItem("ledger.lang") || "zh",
  asOf: sessionStorage.getItem("ledger.asof") || "",
  user: null,
};

const $ = (sel, root = document) => root.querySelector(sel);
const t = (key, vars = {}) => {
  const text = (I18N[state.lang] && I18N[state.lang][key]) || I18N.zh[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : ""));
};
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(state.lang === "en" ? "en-GB" : "zh-CN",
  { hour12: false }) : "—");
const asOfIso = () => (state.asOf ? new Date(state.asOf).toISOString() : "");

class ApiError extends Error {
  constructor(status, body) { super(body && (body.detail || body.title) || String(status));
    this.status = status; this.body = body; }
}

async function api(path, params = {}, { raw = false, asOf = true } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) url.searchParams.set(k, v);
  if (asOf && asOfIso() && !url.searchParams.has("known_at")) url.searchParams.set("known_at", asOfIso());
  const res = await fetch(url, { headers: {
    Authorization: `Bearer ${state.token}`, "Accept-Language": state.lang === "en" ? "en" : "zh-CN" } });
  if (res.status === 401) { if (state.user) signOut(); throw new ApiError(401, null); }
  if (raw) { if (!res.ok) throw new ApiError(res.status, null); return res; }
  const body = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

function view(html) { const v = $("#view"); v.innerHTML = html; return v; }
function failure(err) {
  if (err.status === 404) return `<p class="error" data-testid="not-found">${esc(t("notfound"))}</p>`;
  if (err.status === 409 && String(err.body?.type || "").endsWith("snapshot-missing")) {
    return `<div class="card" data-testid="snapshot-missing"><p>${esc(t("snapshot.missing"))}</p>
      <button type="button" data-testid="build-snapshot">${esc(t("snapshot.build"))}</button></div>`;
  }
  return `<p class="error">${esc(t("unavailable"))}: ${esc(err.message)}</p>`;
}

function table(rows, columns, { testid = "" } = {}) {
  if (!rows || !rows.length) return `<p class="muted">${esc(t("none"))}</p>`;
  const head = columns.map((c) => `<th class="${c.num ? "num" : ""}">${esc(c.label)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => {
    const v = c.render ? c.render(r) : esc(r[c.key]);
    return `<td class="${c.num ? "num" : ""}">${v ?? ""}</td>`; }).join("")}</tr>`).join("");
  return `<div class="scroll"><table data-testid="${testid}"><thead><tr>${head}</tr></thead>` +
    `<tbody>${body}</tbody></table></div>`;
}

function toCsv(rows, columns) {
  const cell = (v) => `"${String(v ?? "").replace(/"/g, '""')}"`;
  const lines = [columns.map((c) => cell(c.label)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c.key])).join(","));
  return "\ufeff" + lines.join("\r\n");
}

function download(name, text, type = "text/csv;charset=utf-8") {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name; document.body.appendChild(a); a.click(); a.remove();
}

const statusText = (s) => (s ? t(`st.${s}`) : "—");
const fieldLabel = (k) => (state.lang === "zh" && I18N.zh[`f.${k}`]) || k;
const gradeBadge = (g) => (g ? `<span class="badge ${g === "major" ? "major" : ""}">${esc(t(g))}</span>` : "—");

/* ---- views ------------------------------------------------------------------ */

function loginView() {
  view(`<div class="card login"><h1>${esc(t("login.title"))}</h1>
    <form id="login-form"><label>${esc(t("login.token"))}
    <input id="token" name="token" type="password" autocomplete="off" required></label>
    <button type="submit">${esc(t("login.submit"))}</button>
    <p class="error" id="login-error" hidden>${esc(t("login.bad"))}</p></form></div>`);
  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    state.token = $("#token").value.trim();
    try {
      state.user = await api("/me", {}, { asOf: false });
      sessionStorage.setItem("ledger.token", state.token);
      renderChrome();
      location.hash = "#/dashboard";
      route();
    } catch (err) { $("#login-error").hidden = false; }
  });
}

async function dashboardView() {
  const month = new URLSearchParams(location.hash.split("?")[1] || "").get("month") ||
    (state.asOf ? state.asOf.slice(0, 7) : new Date().toISOString().slice(0, 7));
  const region = state.user?.region_prefix || "";
  view(`<h1>${esc(t("dash.title"))}</h1>
    <form class="filters noprint" id="dash-form"><label>${esc(t("month"))}
      <input type="month" name="month" value="${esc(month)}"></label>
      <label>${esc(t("region"))}<input name="region" value="${esc(region)}" size="8"></label>
      <button>${esc(t("filter"))}</button></form>
    <div id="kpis" class="kpis" data-testid="kpis">${esc(t("loading"))}</div>
    <div class="grid"><div class="card"><h2>${esc(t("dash.trend"))}</h2><div id="trend" class="chart"></div></div>
    <div class="card"><h2>${esc(t("dash.ranking"))}</h2><div id="ranking"></div></div></div>
    <div class="card"><h2>${esc(t("dash.bysector"))}</h2><div id="bysector"></div></div>`);
  $("#dash-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    location.hash = `#/dashboard?month=${f.get("month")}&region=${f.get("region")}`;
  });
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const reg = params.get("region") ?? region;
  try {
    const report = await api("/reports/monthly", { region: reg, month });
    const s = report.totals || report;
    const kpi = (label, value) => `<div class="kpi"><b>${esc(value ?? "—")}</b><span>${esc(label)}</span></div>`;
    $("#kpis").innerHTML = [
      kpi(t("dash.found"), s.hazards_found), kpi(t("dash.rectified"), s.rectified),
      kpi(t("dash.rate"), s.rectification_rate != null ? `${(s.rectification_rate * 100).toFixed(1)}%` : "—"),
      kpi(t("dash.major_open"), s.major_open), kpi(t("dash.overdue"), s.overdue),
      kpi(t("dash.fines"), s.fines_amount),
    ].join("");
    const rows = report.sectors || report.rows || [];
    $("#bysector").innerHTML = table(rows, Object.keys(rows[0] || {}).map((k) => ({ key: k, label: fieldLabel(k),
      num: typeof rows[0][k] === "number" })), { testid: "by-sector" });
  } catch (err) { $("#kpis").innerHTML = failure(err); }
  try {
    const trend = await api("/statistics/trend", { region: reg });
    drawTrend($("#trend"), trend);
  } catch (err) { $("#trend").innerHTML = failure(err); }
  try {
    const ranking = await api("/rankings", { month, region: reg });
    const rows = ranking.regions || ranking.rows || ranking;
    const cols = ["rank", "unit", "index", "hazards_found", "rectified", "overdue", "major_open"];
    $("#ranking").innerHTML = table(Array.isArray(rows) ? rows : [], cols.map((k) => ({
      key: k, label: fieldLabel(k), num: k !== "unit",
      render: k === "index" ? (r) => esc(Number(r.index).toFixed(1)) : undefined })),
      { testid: "ranking" });
  } catch (err) { $("#ranking").innerHTML = failure(err); }
}

function drawTrend(el, trend) {
  const rows = trend.months || trend;
  if (!rows.length) { el.innerHTML = `<p class="muted">${esc(t("none"))}</p>`; return; }
  const xs = rows.map((r) => Date.parse(`${r.month}-01T00:00:00Z`) / 1000);
  const data = [xs, rows.map((r) => r.hazards_found ?? r.found), rows.map((r) => r.rectified)];
  el.innerHTML = "";
  new uPlot({ width: Math.max(280, el.clientWidth - 10), height: 220, series: [{},
    { label: t("dash.found"), stroke: "#1f5f99", width: 2 },
    { label: t("dash.rectified"), stroke: "#1e7b45", width: 2 }] }, data, el);
}

const REGISTER_COLUMNS = () => [
  { key: "case_id", label: "ID", render: (r) => {
    const id = r.case_id || r.id;
    return `<a href="#/case/${esc(id)}">${esc(String(id).slice(0, 8))}</a>`; } },
  { key: "enterprise_name", label: t("enterprise") },
  { key: "sector", label: t("sector") },
  { key: "region_code", label: t("region") },
  { key: "grade", label: t("grade"), render: (r) => gradeBadge(r.grade) },
  { key: "status", label: t("status"), render: (r) => esc(statusText(r.status)) },
  { key: "deadline", label: t("deadline"), render: (r) => esc(fmtTime(r.deadline)) },
  { key: "overdue_days", label: t("overdue"), num: true,
    render: (r) => (r.overdue_days > 0 ? `<span class="badge bad">${esc(r.overdue_days)} ${esc(t("days"))}</span>` : "") },
  { key: "description", label: t("description") },
];

async function registerView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const field = (name, label, size = 10) =>
    `<label>${esc(label)}<input name="${name}" value="${esc(params.get(name) || "")}" size="${size}"></label>`;
  view(`<h1>${esc(t("nav.register"))}</h1>
    <form class="filters noprint" id="reg-form">${field("q", t("search"), 16)}
    ${field("sector", t("sector"))}${field("region", t("region"), 8)}${field("enterprise", t("enterprise"), 18)}
    <label>${esc(t("status"))}<select name="status"><option value="">${esc(t("all"))}</option>
      ${["reported", "graded", "assigned", "rectification_reported", "verified", "closed", "reopened"]
        .map((s) => `<option ${params.get("status") === s ? "selected" : ""}>${s}</option>`).join("")}</select></label>
    <label>${esc(t("grade"))}<select name="grade"><option value="">${esc(t("all"))}</option>
      <option value="general" ${params.get("grade") === "general" ? "selected" : ""}>${esc(t("general"))}</option>
      <option value="major" ${params.get("grade") === "major" ? "selected" : ""}>${esc(t("major"))}</option></select></label>
    <label><span>${esc(t("overdue"))}</span><input type="checkbox" name="overdue" value="true"
      ${params.get("overdue") ? "checked" : ""}></label>
    <button>${esc(t("filter"))}</button>
    <button type="button" id="export">${esc(t("export"))}</button></form>
    <div id="reg">${esc(t("loading"))}</div><div class="pager noprint" id="pager"></div>`);
  $("#reg-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v));
    location.hash = `#/register?${q}`;
  });
  const query = Object.fromEntries(params);
  try {
    const page = await api("/register", { ...query, limit: 50 });
    const rows = page.items || [];
    $("#reg").innerHTML = table(rows, REGISTER_COLUMNS(), { testid: "register" });
    $("#export").onclick = () => download("hazard-register.csv", toCsv(rows, REGISTER_COLUMNS()));
    if (page.next_cursor) {
      $("#pager").innerHTML = `<a class="button" href="#/register?${new URLSearchParams({ ...query,
        cursor: page.next_cursor })}">${esc(t("next"))}</a>`;
    }
  } catch (err) { $("#reg").innerHTML = failure(err); }
}

async function measuresView() {
  view(`<h1>${esc(t("measures.title"))}</h1><div id="ms">${esc(t("loading"))}</div>`);
  try {
    const page = await api("/measures", { limit: 200 });
    const rows = page.items || page;
    $("#ms").innerHTML = table(rows, Object.keys(rows[0] || {}).map((k) => ({ key: k, label: fieldLabel(k) })),
      { testid: "measures" });
  } catch (err) { $("#ms").innerHTML = failure(err); }
}

function changesList(changes) {
  const entries = Object.entries(changes || {}).filter(([, v]) => v !== null && v !== "" &&
    !(Array.isArray(v) && !v.length));
  if (!entries.length) return "";
  return `<dl class="changes">${entries.map(([k, v]) => `<dt>${esc(fieldLabel(k))}</dt><dd>${esc(
    Array.isArray(v) ? v.join("、") : typeof v === "object" ? JSON.stringify(v, null, 1) : v)}</dd>`)
    .join("")}</dl>`;
}

async function caseView(id) {
  view(`<h1>${esc(t("case.title"))} <code>${esc(id)}</code></h1>
    <div class="grid"><div class="card" id="state">${esc(t("loading"))}</div>
    <div class="card"><h2>${esc(t("case.findings"))}</h2><div id="findings"></div>
    <h2>${esc(t("case.actions"))}</h2><div id="actions"></div>
    <p class="noprint"><a class="button" id="bundle" href="#" data-testid="bundle">${esc(t("case.bundle"))}</a></p></div></div>
    <h2>${esc(t("case.timeline"))}</h2><ol class="timeline" id="timeline" data-testid="timeline"></ol>`);
  let c;
  try { c = await api(`/hazards/${id}`); } catch (err) { view(failure(err)); return; }
  const row = (k, v) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`;
  $("#state").innerHTML = `<h2>${esc(t("case.state"))}</h2><table data-testid="case-state">
    ${row("status", `<span class="badge" data-testid="case-status" data-status="${esc(c.status)}">${esc(statusText(c.status))}</span>`)}
    ${row("grade", gradeBadge(c.grade))}${row("criteria", esc((c.criteria || []).join("、")))}
    ${row("enterprise", `${esc(c.enterprise_name)} <span class="muted">${esc(c.enterprise_code)}</span>`)}
    ${row("sector", esc(c.sector))}${row("location", esc(c.location))}${row("description", esc(c.description))}
    ${row("found_at", esc(fmtTime(c.found_at)))}${row("found_by", esc(c.found_by))}
    ${row("deadline", esc(fmtTime(c.deadline)) + (c.overdue ? ` <span class="badge bad">${esc(t("overdue"))} ${esc(c.overdue_days)} ${esc(t("days"))}</span>` : ""))}
    ${row("listing", esc(c.listing_level || "—"))}${row("measures", esc(c.measures || "—"))}
    ${row("verified_by", esc(c.verified_by || "—"))}${row("closed_by", esc(c.closed_by || "—"))}</table>`;
  let proofs = {};
  try {
    const p = await api(`/hazards/${id}/proofs`);
    for (const e of p.events || p) proofs[e.version] = e;
  } catch (err) { proofs = null; }
  try {
    const events = await api(`/hazards/${id}/timeline`);
    $("#timeline").innerHTML = events.map((e) => {
      const proof = proofs && proofs[e.version];
      const label = proof && (state.lang === "en" ? proof.label_en : proof.label_zh);
      const proofText = !proofs ? t("case.proof.none") : label || t("case.proof.none");
      const proofClass = proofs && proof && proof.verified ? "ok" : proofs ? "bad" : "";
      return `<li class="${e.late ? "late" : ""}" data-testid="event" data-late="${e.late}">
        <b>v${esc(e.version)} ${esc(e.event)}</b> · ${esc(t("case.actor"))}: ${esc(e.actor)}
        <span class="badge ${proofClass}" data-testid="proof">${esc(t("case.proof"))}: ${esc(proofText)}</span>
        <div class="clocks">${esc(t("case.occurred"))} ${esc(fmtTime(e.occurred_at))} ·
          ${esc(t("case.recorded"))} ${esc(fmtTime(e.recorded_at))}
          ${e.late ? `<span class="late-flag" data-testid="late-flag">${esc(t("case.late", { d: e.late_by_days }))}</span>` : ""}</div>
        ${e.justification ? `<div><i>${esc(t("case.justification"))}:</i> ${esc(e.justification)}</div>` : ""}
        ${changesList(e.changes)}</li>`;
    }).join("");
  } catch (err) { $("#timeline").innerHTML = failure(err); }
  try {
    const actions = await api(`/hazards/${id}/actions`);
    $("#actions").innerHTML = table(actions, [{ key: "document_number", label: "文书编号" },
      { key: "kind", label: "kind" }, { key: "status", label: t("status") },
      { key: "issued_at", label: t("case.occurred"), render: (r) => esc(fmtTime(r.issued_at)) }]);
  } catch (err) { $("#actions").innerHTML = failure(err); }
  try {
    const findings = await api(`/hazards/${id}/findings`);
    $("#findings").innerHTML = (findings.length ? findings : []).map((f) =>
      `<div class="finding" data-testid="finding"><b>${esc(f.rule || f.code)}</b> ${esc(f.message || f.title || "")}</div>`)
      .join("") || `<p class="muted">${esc(t("none"))}</p>`;
  } catch (err) { $("#findings").innerHTML = failure(err); }
  $("#bundle").onclick = async (e) => {
    e.preventDefault();
    try {
      const res = await api(`/hazards/${id}/bundle`, {}, { raw: true, asOf: false });
      download(`case-${id}.bundle.json`, await res.text(), "application/json");
    } catch (err) { alert(err.message); }
  };
}

async function reviewView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  view(`<h1>${esc(t("review.title"))}</h1>
    <form class="filters noprint" id="rv-form"><label>${esc(t("review.enterprise"))}
      <input name="enterprise" size="20" required value="${esc(params.get("enterprise") || "")}"></label>
      <label>${esc(t("review.incident"))}<input type="datetime-local" name="incident_at" required
        value="${esc(params.get("incident_at") || "")}"></label>
      <button>${esc(t("review.run"))}</button>
      <button type="button" onclick="window.print()">${esc(t("review.print"))}</button></form>
    <div id="report" data-testid="review"></div>`);
  $("#rv-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    location.hash = `#/review?enterprise=${encodeURIComponent(f.get("enterprise"))}&incident_at=${encodeURIComponent(f.get("incident_at"))}`;
  });
  if (!params.get("enterprise") || !params.get("incident_at")) return;
  $("#report").innerHTML = esc(t("loading"));
  try {
    const html = await api("/review", { enterprise: params.get("enterprise"),
      incident_at: new Date(params.get("incident_at")).toISOString(), format: "html",
      lang: state.lang }, { asOf: false });
    const frame = document.createElement("iframe");
    frame.setAttribute("data-testid", "review-frame");
    frame.style.cssText = "width:100%;min-height:70vh;border:1px solid #d9e0e7;background:#fff";
    frame.srcdoc = html;
    $("#report").innerHTML = "";
    $("#report").appendChild(frame);
  } catch (err) { $("#report").innerHTML = failure(err); }
}

async function pluginsView() {
  view(`<h1>${esc(t("plugins.title"))}</h1><div id="pl">${esc(t("loading"))}</div>`);
  try {
    const data = await api("/plugins", {}, { asOf: false });
    const sectors = data.sectors || data;
    $("#pl").innerHTML = sectors.map((s) => `<div class="card" data-testid="sector">
      <h2>${esc(state.lang === "en" ? (s.name_en || s.code) : (s.name_zh || s.code))}
        <span class="muted">${esc(state.lang === "en" ? (s.name_zh || "") : (s.name_en || ""))} · ${esc(s.code)}</span></h2>
      <p class="muted">${esc(state.lang === "en" ? (s.department_en || s.department || "") : (s.department || ""))}
        · ${esc(t("plugins.plugin"))} ${esc(s.plugin || "")} ${esc(s.plugin_version || "")}</p>
      ${table(s.catalogues || [], [{ key: "document", label: t("plugins.document") },
        { key: "standard", label: t("plugins.standard") },
        { key: "edition", label: t("plugins.edition") },
        { key: "effective_from", label: t("plugins.from") },
        { key: "effective_to", label: t("plugins.to") },
        { key: "count", label: t("plugins.count"), num: true },
        { key: "unverified", label: t("plugins.unverified"), num: true }])}
    </div>`).join("");
  } catch (err) { $("#pl").innerHTML = failure(err); }
}

/* ---- chrome and routing ------------------------------------------------------ */

function renderChrome() {
  document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("#lang").textContent = state.lang === "en" ? "中文" : "EN";
  $("#who").textContent = state.user ? `${state.user.name} · ${state.user.role}` : "";
  $("#nav").hidden = !state.user;
  $("#signout").hidden = !state.user;
  $("#asof").value = state.asOf;
  const banner = $("#asof-banner");
  banner.hidden = !state.asOf;
  banner.textContent = state.asOf ? t("asof.banner", { t: fmtTime(asOfIso()) }) : "";
  banner.setAttribute("data-testid", "asof-banner");
  for (const a of document.querySelectorAll("#nav a"))
    a.classList.toggle("active", location.hash.startsWith(a.getAttribute("href")));
}

function signOut() {
  state.token = ""; state.user = null;
  sessionStorage.removeItem("ledger.token");
  renderChrome();
  location.hash = "#/login";
}

/* Build the read models "as known at" the chosen moment, wait for them, show the page. */
async function buildSnapshot(button) {
  const box = button.parentElement;
  button.disabled = true;
  button.textContent = t("snapshot.building");
  try {
    const res = await fetch("/snapshots", { method: "POST", headers: {
      Authorization: `Bearer ${state.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ known_at: asOfIso() }) });
    if (!res.ok && res.status !== 409) throw new ApiError(res.status, await res.json());
    for (let i = 0; i < 1200; i += 1) {
      const s = await api("/snapshots", {}, { asOf: false });
      if (s.state === "ready" && Date.parse(s.known_at) === Date.parse(asOfIso())) return route();
      if (s.state === "failed") throw new Error(s.error || "failed");
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("timeout");
  } catch (err) { box.innerHTML = failure(err); }
}
document.addEventListener("click", (e) => {
  if (e.target.matches("[data-testid=build-snapshot]")) buildSnapshot(e.target);
});

async function route() {
  renderChrome();
  if (!state.token) { loginView(); return; }
  if (!state.user) {
    try { state.user = await api("/me", {}, { asOf: false }); renderChrome(); }
    catch (err) { loginView(); return; }
  }
  const [path] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "case" && parts[1]) return caseView(parts[1]);
  if (parts[0] === "register") return registerView();
  if (parts[0] === "measures") return measuresView();
  if (parts[0] === "review") return reviewView();
  if (parts[0] === "plugins") return pluginsView();
  if (parts[0] === "login") return loginView();
  return dashboardView();
}

$("#lang").addEventListener("click", () => {
  state.lang = state.lang === "en" ? "zh" : "en";
  localStorage.setItem("ledger.lang", state.lang);
  route();
});
$("#asof").addEventListener("change", (e) => {
  state.asOf = e.target.value;
  sessionStorage.setItem("ledger.asof", state.asOf);
  route();
});
$("#asof-clear").addEventListener("click", () => {
  state.asOf = ""; sessionStorage.removeItem("ledger.asof"); route();
});
$("#signout").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
