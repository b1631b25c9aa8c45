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
  lang: pageLanguage(),
  asOf: sessionStorage.getItem("ledger.asof") || "",
  user: null,
};

const $ = (sel, root = document) => root.querySelector(sel);
const t = (key, vars = {}) => i18nText(state.lang, key, vars);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const fmtTime = (iso) => beijing(iso);
const asOfIso = () => (state.asOf ? new Date(fromBeijingInput(state.asOf)).toISOString() : "");

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
  if (isSnapshotMissing(err)) {
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

function download(name, text, type = "text/csv;charset=utf-8") {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name; document.body.appendChild(a); a.click(); a.remove();
}

const statusText = (s) => Labels.of("status", s);
const fieldLabel = (k) => Labels.table[`field.${k}`] || k;
const gradeBadge = (g) => (g ? `<span class="badge ${g === "major" ? "major" : ""}">${esc(Labels.of("grade", g))}</span>` : "—");

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
      const landing = state.user.role === "enterprise" ? "#/register" : "#/dashboard";
      if (location.hash === landing) route(); else location.hash = landing;
    } catch (err) { $("#login-error").hidden = false; }
  });
}

/* The last complete month before ``moment`` (the page opens on it: the current month
 * is nearly empty for most of its days). */
function lastCompleteMonth(moment) {
  const d = moment ? new Date(moment) : new Date();
  const b = new Date(d.getTime() + 8 * 3600 * 1000);
  const y = b.getUTCFullYear(), m = b.getUTCMonth(); // 0-based: the previous month is m
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, "0")}`;
}

function rankingTable(rows, unitLabel, testid) {
  const cols = [{ key: "rank", label: fieldLabel("rank"), num: true },
    { key: "unit", label: unitLabel, render: (r) => `<span class="name">${esc(r.unit_name || r.name || r.unit)}</span>` },
    { key: "index", label: fieldLabel("index"), num: true, render: (r) => esc(Number(r.index).toFixed(1)) },
    { key: "hazards_found", label: fieldLabel("hazards_found"), num: true },
    { key: "rectified", label: fieldLabel("rectified"), num: true },
    { key: "overdue", label: fieldLabel("overdue"), num: true },
    { key: "major_open", label: fieldLabel("major_open"), num: true }];
  return table(Array.isArray(rows) ? rows : [], cols, { testid });
}

async function dashboardView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const month = params.get("month") || lastCompleteMonth(asOfIso() || null);
  const reg = params.get("region") ?? (state.user?.region_prefix || "");
  view(`<h1>${esc(t("dash.title"))}</h1>
    <form class="filters noprint" id="dash-form"><label>${esc(t("month"))}
      <input type="month" name="month" value="${esc(month)}"></label>
      <label>${esc(t("region"))}<input name="region" value="${esc(reg)}" size="8"
        placeholder="${esc(state.user?.region_prefix ? "" : t("dash.all_regions"))}"></label>
      <button>${esc(t("filter"))}</button></form>
    <p class="muted" data-testid="dash-scope">${esc(month)} · ${esc(reg || t("dash.all_regions"))}</p>
    <div id="dash-snapshot"></div>
    <div id="kpis" class="kpis" data-testid="kpis">${esc(t("loading"))}</div>
    <div class="grid"><div class="card"><h2>${esc(t("dash.trend"))}</h2><div id="trend" class="chart"></div></div>
    <div class="card"><h2>${esc(t("dash.ranking.township"))}</h2><div id="ranking-region"></div></div>
    <div class="card"><h2>${esc(t("dash.ranking.department"))}</h2><div id="ranking"></div></div></div>
    <div class="card"><h2>${esc(t("dash.bysector"))}</h2><div id="bysector"></div></div>`);
  $("#dash-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    location.hash = `#/dashboard?month=${f.get("month")}&region=${f.get("region")}`;
  });
  // This render's own panels, taken now: when a later navigation replaces the page
  // (the first draw of the default month, then the month the link names), answers this
  // render still receives land in its detached panels, never over the newer page's.
  const panels = Object.fromEntries(["#kpis", "#trend", "#ranking-region", "#ranking", "#bysector",
    "#dash-snapshot"].map((sel) => [sel, $(sel)]));
  const region = reg || undefined;
  // one notice for the page when its moment has no snapshot yet, not one per panel
  let missing = null;
  const fail = (el, err) => {
    if (isSnapshotMissing(err)) { missing = err; el.innerHTML = ""; } else el.innerHTML = failure(err);
  };
  try {
    const report = await api("/reports/monthly", { region, month });
    const s = report.totals || report.total || {};
    const kpi = (label, value) => `<div class="kpi"><b>${esc(value ?? "—")}</b><span>${esc(label)}</span></div>`;
    panels["#kpis"].innerHTML = [
      kpi(t("dash.found"), s.hazards_found), kpi(t("dash.rectified"), s.rectified),
      kpi(t("dash.rate"), percent(s.rectification_rate)),
      kpi(t("dash.major_open"), s.major_open), kpi(t("dash.overdue"), s.overdue),
      kpi(t("dash.fines"), s.fines_amount),
    ].join("");
    const rows = report.sectors || [];
    const keys = ["hazards_found", "rectified_on_spot", "rectified", "rectification_rate", "major_found",
      "major_open", "overdue", "fines_count", "fines_amount"];
    panels["#bysector"].innerHTML = table(rows, [{ key: "sector", label: t("sector"), render: (r) => esc(Labels.of("sector", r.sector)) },
      ...keys.map((k) => ({ key: k, label: fieldLabel(k), num: true,
        render: k === "rectification_rate" ? (r) => esc(percent(r[k])) : undefined }))], { testid: "by-sector" });
  } catch (err) { fail(panels["#kpis"], err); }
  try {
    const trend = await api("/statistics/trend", { region, year: month.slice(0, 4) });
    drawTrend(panels["#trend"], trend);
  } catch (err) { fail(panels["#trend"], err); }
  for (const [by, el, label, testid] of [["township", "#ranking-region", t("dash.unit.township"), "ranking-region"],
    ["department", "#ranking", t("dash.unit.department"), "ranking"]]) {
    try {
      const ranking = await api("/rankings", { month, region, by });
      panels[el].innerHTML = rankingTable(ranking.rows || ranking, label, testid);
    } catch (err) { fail(panels[el], err); }
  }
  if (missing) panels["#dash-snapshot"].innerHTML = failure(missing);
}

const isSnapshotMissing = (err) => err.status === 409 && String(err.body?.type || "").endsWith("snapshot-missing");

/* The month (YYYY-MM, Beijing time) that holds ``iso``. */
const monthOf = (iso) => beijing(iso).slice(0, 7);

/* The year's months found and rectified. Only complete months are drawn: the month the
 * figures were counted in (``trend.at``) has had only some of its days, so it is told
 * apart in words under the chart instead of as a drop in the line. The x axis is the
 * months themselves, one tick each, so no month is labelled twice. */
function drawTrend(el, trend) {
  const all = trend.months || trend;
  const current = trend.at ? monthOf(trend.at) : "";
  const rows = all.filter((r) => r.month !== current);
  const partial = all.find((r) => r.month === current);
  const note = partial ? `<p class="muted" data-testid="trend-partial">${esc(t("dash.partial", {
    m: partial.month, d: beijing(trend.at).slice(0, 10), f: partial.hazards_found ?? partial.found ?? 0,
    r: partial.rectified ?? 0 }))}</p>` : "";
  el.dataset.months = rows.map((r) => r.month).join(",");
  if (!rows.length) { el.innerHTML = `<p class="muted">${esc(t("none"))}</p>${note}`; return; }
  const months = rows.map((r) => r.month);
  const xs = months.map((_, i) => i);
  const data = [xs, rows.map((r) => r.hazards_found ?? r.found), rows.map((r) => r.rectified)];
  el.innerHTML = "";
  el.plot = new uPlot({ width: Math.max(280, el.clientWidth - 10), height: 220,
    scales: { x: { time: false, range: () => [-0.5, Math.max(months.length - 0.5, 0.5)] } },
    series: [{ label: t("month"), value: (u, v) => (v == null ? "—" : months[v] ?? "—") },
      { label: t("dash.found"), stroke: "#1f5f99", width: 2, points: { show: true } },
      { label: t("dash.rectified"), stroke: "#1e7b45", width: 2, points: { show: true } }],
    axes: [{ splits: () => xs, values: (u, vals) => vals.map((v) => months[v] ?? "") }, {}] },
  data, el);
  el.insertAdjacentHTML("beforeend", note);
}

const LATE_MS = 7 * 86400000;
const isLate = (r) => r.recorded_at && r.found_at && Date.parse(r.recorded_at) - Date.parse(r.found_at) > LATE_MS;

const REGISTER_COLUMNS = () => [
  { key: "case_id", label: t("reg.id"), render: (r) => {
    const id = r.case_id || r.id;
    return `<a href="#/case/${esc(id)}">${esc(String(id).slice(0, 8))}</a>`; } },
  { key: "enterprise_name", label: t("enterprise"), render: (r) => `<span class="name">${esc(r.enterprise_name)}</span>` },
  { key: "sector", label: t("sector"), render: (r) => esc(Labels.of("sector", r.sector)) },
  { key: "region_code", label: t("region") },
  { key: "source", label: t("reg.source"), render: (r) => esc(Labels.of("source", r.source)) },
  { key: "grade", label: t("grade"), render: (r) => gradeBadge(r.grade) },
  { key: "listing_level", label: t("listing"), render: (r) => (r.listing_level && !r.delisted_at
    ? `<span class="badge major" data-testid="listed-row">${esc(Labels.of("listing_level", r.listing_level))}</span>` : "") },
  { key: "status", label: t("status"), render: (r) => esc(statusText(r.status)) },
  { key: "found_at", label: t("found_at"), render: (r) => esc(fmtTime(r.found_at)) },
  { key: "late", label: t("reg.late"), render: (r) => (isLate(r) ? `<span class="badge warn" data-testid="late-row">${esc(t("reg.late"))}</span>` : "") },
  { key: "deadline", label: t("deadline"), render: (r) => esc(fmtTime(r.deadline)) },
  { key: "overdue_days", label: t("overdue"), num: true,
    render: (r) => (r.overdue_days > 0 ? `<span class="badge bad">${esc(r.overdue_days)} ${esc(t("days"))}</span>` : "") },
  { key: "description", label: t("description") },
];

const REGISTER_STATUSES = ["reported", "graded", "assigned", "rectification_reported", "verified", "closed", "reopened", "dismissed"];

/* The register's query from the page's filters: found dates are whole days in Beijing
 * time, from the first day's start to the end of the last (the API's found_to is
 * exclusive). */
function registerQuery(filters) {
  const query = { ...filters };
  const dayStart = (day) => `${day}T00:00:00+08:00`;
  if (filters.found_from) query.found_from = dayStart(filters.found_from);
  if (filters.found_to) {
    const next = new Date(Date.parse(`${filters.found_to}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
    query.found_to = dayStart(next);
  }
  return query;
}

async function registerView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const field = (name, label, size = 10) =>
    `<label>${esc(label)}<input name="${name}" value="${esc(params.get(name) || "")}" size="${size}"></label>`;
  const option = (name, code, text) =>
    `<option value="${esc(code)}" ${params.get(name) === code ? "selected" : ""}>${esc(text)}</option>`;
  view(`<h1>${esc(t("nav.register"))}</h1>
    <form class="filters noprint" id="reg-form">
    <label>${esc(t("sector"))}<select name="sector" data-testid="sector-filter"><option value="">${esc(t("all"))}</option>
      ${Labels.choices("sector").map(([c, n]) => option("sector", c, n)).join("")}</select></label>
    ${field("region", t("region"), 8)}${field("enterprise", t("enterprise"), 18)}
    <label>${esc(t("status"))}<select name="status"><option value="">${esc(t("all"))}</option>
      ${REGISTER_STATUSES.map((s) => option("status", s, statusText(s))).join("")}</select></label>
    <label>${esc(t("grade"))}<select name="grade"><option value="">${esc(t("all"))}</option>
      ${option("grade", "general", Labels.of("grade", "general"))}${option("grade", "major", Labels.of("grade", "major"))}</select></label>
    <label>${esc(t("found_from"))}<input type="date" name="found_from" data-testid="found-from"
      value="${esc(params.get("found_from") || "")}"></label>
    <label>${esc(t("found_to"))}<input type="date" name="found_to" data-testid="found-to"
      value="${esc(params.get("found_to") || "")}"></label>
    <label><span>${esc(t("overdue"))}</span><input type="checkbox" name="overdue" value="true"
      ${params.get("overdue") ? "checked" : ""}></label>
    <label><span>${esc(t("listing"))}</span><input type="checkbox" name="listed" value="true" data-testid="listed-filter"
      ${params.get("listed") ? "checked" : ""}></label>
    <button>${esc(t("filter"))}</button>
    <button type="button" id="export" data-testid="export">${esc(t("reg.export_all"))}</button></form>
    <p class="muted" id="total" data-testid="total"></p>
    <div id="reg">${esc(t("loading"))}</div><div class="pager noprint" id="pager"></div>`);
  $("#reg-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v));
    location.hash = `#/register?${q}`;
  });
  const filters = Object.fromEntries([...params].filter(([k]) => !["cursor", "back"].includes(k)));
  const query = registerQuery(filters);
  const cursor = params.get("cursor") || "";
  const back = params.get("back") ? params.get("back").split("~") : [];
  $("#export").onclick = async () => {
    const button = $("#export");
    button.disabled = true;
    try {
      const res = await api("/register/export", query, { raw: true });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await res.blob());
      a.download = "hazard-register.csv"; document.body.appendChild(a); a.click(); a.remove();
    } catch (err) { $("#total").innerHTML = failure(err); }
    button.disabled = false;
  };
  try {
    const [page, count] = await Promise.all([api("/register", { ...query, cursor, limit: 50 }),
      api("/register/count", query).catch(() => null)]);
    const rows = page.items || [];
    if (count) $("#total").textContent = t("reg.total", { n: count.total });
    $("#reg").innerHTML = table(rows, REGISTER_COLUMNS(), { testid: "register" });
    const links = [];
    if (cursor) {
      const prev = back.slice(0, -1);
      const q = new URLSearchParams({ ...filters, ...(back.length ? { cursor: back[back.length - 1] } : {}) });
      if (back.length && back[back.length - 1] === "") q.delete("cursor");
      if (prev.length) q.set("back", prev.join("~"));
      links.push(`<a class="button" data-testid="prev" href="#/register?${q}">${esc(t("prev"))}</a>`);
    }
    if (page.next_cursor) {
      const q = new URLSearchParams({ ...filters, cursor: page.next_cursor, back: [...back, cursor].join("~") });
      links.push(`<a class="button" data-testid="next" href="#/register?${q}">${esc(t("next"))}</a>`);
    }
    $("#pager").innerHTML = links.join("");
  } catch (err) { $("#reg").innerHTML = failure(err); }
}

async function measuresView() {
  view(`<h1>${esc(t("measures.title"))}</h1><div id="ms">${esc(t("loading"))}</div>`);
  try {
    const page = await api("/measures", { limit: 200 });
    const rows = page.items || page;
    $("#ms").innerHTML = table(rows, [
      { key: "title", label: fieldLabel("title") },
      { key: "category", label: fieldLabel("category"), render: (r) => esc(Labels.of("measure_category", r.category)) },
      { key: "owner_department", label: fieldLabel("owner_department"), render: (r) => `<span class="name">${esc(r.owner_department)}</span>` },
      { key: "region_code", label: t("region") },
      { key: "due", label: fieldLabel("due"), render: (r) => esc(fmtTime(r.due)) },
      { key: "timetable", label: fieldLabel("timetable") },
      { key: "status", label: fieldLabel("status"), render: (r) => esc(Labels.of("measure_status", r.status)) },
    ], { testid: "measures" });
  } catch (err) { $("#ms").innerHTML = failure(err); }
}

/* An event's change as a person reads it: field names, labels for codes, Beijing time,
 * the plan as its six sections, photos as pictures. */
function changesList(changes) {
  const entries = Object.entries(changes || {}).filter(([, v]) => v !== null && v !== "" &&
    !(Array.isArray(v) && !v.length) && !(typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length));
  if (!entries.length) return "";
  const value = (k, v) => {
    if (k === "plan" && typeof v === "object") {
      return `<div class="plan" data-testid="plan">${PLAN_PARTS.map((p) => `<section><h4>${esc(Labels.of("plan", p))}</h4>
        <p>${esc(v[p] || "—")}</p></section>`).join("")}</div>`;
    }
    if (k === "evidence") return `<span class="thumbs" data-evidence="${esc(v.join(","))}">${esc(t("case.photos", { n: v.length }))}</span>`;
    if (k === "grade") return esc(Labels.of("grade", v));
    if (k === "sector") return esc(Labels.of("sector", v));
    if (k === "source") return esc(Labels.of("source", v));
    if (k === "level") return esc(Labels.of("listing_level", v));
    if (k === "accepted") return esc(t(v ? "case.accepted.yes" : "case.accepted.no"));
    if (typeof v === "boolean") return esc(t(v ? "yes" : "no"));
    if (k === "category") return esc(categoryName(v));
    if (k === "details" && typeof v === "object") {
      return esc(Object.entries(v).map(([dk, dv]) => `${detailLabel(dk)}${t("sep.colon")}${dv === true ? t("yes") : dv === false ? t("no") : detailValue(dk, dv)}`).join(t("sep.items")));
    }
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v)) return esc(fmtTime(v));
    if (Array.isArray(v)) return esc(v.join(t("sep.list")));
    if (typeof v === "object") return esc(Object.entries(v).map(([a, b]) => `${fieldLabel(a)}${t("sep.colon")}${b}`).join(t("sep.items")));
    return esc(v);
  };
  return `<dl class="changes">${entries.map(([k, v]) => `<dt>${esc(fieldLabel(k))}</dt><dd>${value(k, v)}</dd>`)
    .join("")}</dl>`;
}

/* A general-hazard category by its code (the catalogue names every sector's). */
const categoryName = (code) => Labels.of("general_category", code);

/* A sector detail's value: a choice by its name in the catalogue, anything else as is. */
const detailValue = (name, value) => Labels.table[`detail_choice.${name}.${value}`] || value;

function detailLabel(name) {
  for (const s of Labels.sectors) {
    const d = (s.details || []).find((x) => x.name === name);
    if (d) return state.lang === "en" ? d.label_en : d.label_zh;
  }
  return fieldLabel(name);
}

async function showPhotos(root) {
  for (const holder of root.querySelectorAll("[data-evidence]")) {
    const hashes = holder.dataset.evidence.split(",").filter(Boolean);
    const imgs = [];
    for (const sha of hashes) {
      const url = await evidenceImage(sha);
      if (url) imgs.push(`<img alt="${esc(t("photo"))}" data-testid="evidence-photo" src="${url}">`);
    }
    if (imgs.length) holder.innerHTML = imgs.join("");
  }
}

/* The steps the user's role may take on this case, the likely next one first. */
function stepsFor(c) {
  const may = new Set(state.user?.may || []);
  const fits = (s) => !s.only || Object.entries(s.only).every(([k, vs]) => vs.includes(c[k]));
  const allowed = CASE_STEPS.filter((s) => may.has(s.cmd) && fits(s));
  return [...allowed.filter((s) => s.when.includes(c.status)), ...allowed.filter((s) => !s.when.includes(c.status))];
}

function stepsPanel(c) {
  const steps = stepsFor(c);
  const may = new Set(state.user?.may || []);
  if (!steps.length && !may.has("issue_action")) return "";
  const options = steps.map((s, i) => `<option value="${s.cmd}" ${i === 0 ? "selected" : ""}>${esc(t(s.title))}</option>`);
  if (may.has("issue_action")) options.push(`<option value="issue_action">${esc(t(ISSUE_ACTION.title))}</option>`);
  return `<div class="card noprint" id="steps" data-testid="steps"><h2>${esc(t("steps.title"))}</h2>
    <label>${esc(t("steps.choose"))} <select id="step-select" data-testid="step-select">${options.join("")}</select></label>
    <div id="step-form"></div></div>`;
}

function showStep(c, cmd) {
  const holder = $("#step-form");
  if (cmd === "issue_action") {
    holder.innerHTML = formHtml(ISSUE_ACTION);
    wireCommand(holder.querySelector("form"), "/enforcement", { caseId: c.id,
      extend: () => ({ enterprise_code: c.enterprise_code, sector: c.sector, case_ids: [c.id] }),
      done: () => route() });
    return;
  }
  const spec = cmd === "grade_hazard" ? gradeSpec(c, state.user?.role === "enterprise")
    : CASE_STEPS.find((s) => s.cmd === cmd);
  holder.innerHTML = formHtml(spec);
  const form = holder.querySelector("form");
  wireCommand(form, `/hazards/${c.id}/${spec.path}`, { version: c.version, caseId: c.id, done: () => route() });
  if (cmd === "grade_hazard" && form.querySelector("[data-testid=suggestions]")) suggest(c, form);
}

/* Criterion suggestions from the sector's catalogue: click one to cite it. */
async function suggest(c, form) {
  const box = form.querySelector("[data-testid=suggestions]");
  try {
    const body = await api(`/hazards/${c.id}/suggestions`);
    const items = body.suggestions || [];
    const en = state.lang === "en";
    box.innerHTML = items.length ? `<p class="muted">${esc(t("grade.suggestions"))}</p>${items.map((s) =>
      `<button type="button" class="chip" data-code="${esc(s.code)}" title="${esc(en ? s.reason_en || s.reason_zh : s.reason_zh)}">${esc(s.code)} ${esc(en ? s.gist_en || s.text_zh : s.text_zh)}</button>`).join("")}`
      : `<p class="muted">${esc(t("grade.no_suggestions"))}</p>`;
    for (const b of box.querySelectorAll("button[data-code]")) {
      b.onclick = () => {
        const input = form.querySelector("[name=criteria]");
        const codes = new Set(input.value.split(/[,\uff0c\u3001\s]+/).filter(Boolean));
        codes.add(b.dataset.code);
        input.value = [...codes].join(",");
        form.querySelector("[name=grade]").value = "major";
      };
    }
  } catch (err) { box.innerHTML = ""; }
}

async function caseView(id) {
  view(`<h1>${esc(t("case.title"))} <span class="muted">${esc(id.slice(0, 8))}</span></h1>
    <div class="grid"><div class="card" id="state">${esc(t("loading"))}</div>
    <div><div id="steps-holder"></div><div class="card"><h2>${esc(t("case.findings"))}</h2><div id="findings"></div>
    <h2>${esc(t("case.actions"))}</h2><div id="actions"></div>
    <p class="noprint"><a class="button" id="bundle" href="#" data-testid="bundle">${esc(t("case.bundle"))}</a></p></div></div></div>
    <h2>${esc(t("case.timeline"))}</h2><ol class="timeline" id="timeline" data-testid="timeline"></ol>`);
  // the link works from the start: a click while the panels still load is not a jump to "#"
  $("#bundle").onclick = async (e) => {
    e.preventDefault();
    try {
      const res = await api(`/hazards/${id}/bundle`, {}, { raw: true, asOf: false });
      download(`case-${id}.bundle.json`, await res.text(), "application/json");
    } catch (err) { alert(err.message); }
  };
  let c;
  try { c = await api(`/hazards/${id}`); } catch (err) { view(failure(err)); return; }
  // the timeline names the people the case records by their login (its events' actors)
  let events = null, timelineError = null;
  try { events = await api(`/hazards/${id}/timeline`); } catch (err) { timelineError = err; }
  const names = new Map((events || []).map((e) => [e.actor_id, e.actor]));
  const person = (login) => esc(login ? names.get(login) || login : "—");
  const row = (k, v) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`;
  $("#state").innerHTML = `<h2>${esc(t("case.state"))}</h2><table data-testid="case-state">
    ${row("status", `<span class="badge" data-testid="case-status" data-status="${esc(c.status)}">${esc(statusText(c.status))}</span>`)}
    ${row("grade", gradeBadge(c.grade))}${row("criteria", esc((c.criteria || []).join(t("sep.list")) || "—"))}
    ${row("enterprise", `<span class="name">${esc(c.enterprise_name)}</span> <span class="muted">${esc(c.enterprise_code)}</span>`)}
    ${row("sector", esc(Labels.of("sector", c.sector)))}${row("location", esc(c.location))}${row("description", esc(c.description))}
    ${row("found_at", esc(fmtTime(c.found_at)))}${row("found_by", esc(c.found_by || "—"))}
    ${row("deadline", esc(fmtTime(c.deadline)) + (c.overdue ? ` <span class="badge bad">${esc(t("overdue"))} ${esc(c.overdue_days)} ${esc(t("days"))}</span>` : ""))}
    ${row("listing", esc(c.listing_level ? Labels.of("listing_level", c.listing_level) : "—"))}${row("measures", esc(c.measures || "—"))}
    ${c.rectification_reporter ? row("rectification_reporter", person(c.rectification_reporter)) : ""}
    ${row("verified_by", person(c.verified_by))}${row("closed_by", person(c.closed_by))}</table>`;
  if (!state.asOf) {
    $("#steps-holder").innerHTML = stepsPanel(c);
    const select = $("#step-select");
    if (select) { showStep(c, select.value); select.onchange = () => showStep(c, select.value); }
  }
  // Each event shown is proven as the log stands now, against its latest signed
  // checkpoint, in the historical view too: the events recorded by then are the same
  // events, and one basis for all of them reads alike (proofs as they could be given at
  // that moment would mix a then-signed checkpoint with a then-unsigned root).
  let proofs = {};
  try {
    const p = await api(`/hazards/${id}/proofs`, {}, { asOf: false });
    for (const e of p.events || p) proofs[e.version] = e;
  } catch (err) { proofs = null; }
  try {
    if (timelineError) throw timelineError;
    $("#timeline").innerHTML = events.map((e) => {
      const proof = proofs && proofs[e.version];
      const label = proof && (state.lang === "en" ? proof.label_en : proof.label_zh);
      const proofText = !proofs ? t("case.proof.none") : label || t("case.proof.none");
      const proofClass = proofs && proof && proof.verified ? "ok" : proofs ? "bad" : "";
      return `<li class="${e.late ? "late" : ""}" data-testid="event" data-late="${e.late}" data-event="${esc(e.event)}">
        <b>${esc(Labels.of("event", e.event))}</b> · ${esc(t("case.actor"))}: ${esc(e.actor)}
        <span class="badge ${proofClass}" data-testid="proof">${esc(t("case.proof"))}: ${esc(proofText)}</span>
        <div class="clocks">${esc(t("case.occurred"))} ${esc(fmtTime(e.occurred_at))} ·
          ${esc(t("case.recorded"))} ${esc(fmtTime(e.recorded_at))}
          ${e.late ? `<span class="late-flag" data-testid="late-flag">${esc(t("case.late", { d: e.late_by_days }))}</span>` : ""}</div>
        ${e.justification ? `<div><i>${esc(t("case.justification"))}:</i> ${esc(e.justification)}</div>` : ""}
        ${changesList(e.changes)}</li>`;
    }).join("");
    showPhotos($("#timeline"));
  } catch (err) { $("#timeline").innerHTML = failure(err); }
  try {
    const actions = await api(`/hazards/${id}/actions`);
    const observe = (state.user?.may || []).includes("record_observed_activity") && !state.asOf;
    $("#actions").innerHTML = table(actions, [{ key: "document_number", label: t("fl.document_number") },
      { key: "kind", label: t("fl.kind"), render: (r) => esc(Labels.of("kind", r.kind)) },
      { key: "status", label: t("status"), render: (r) => esc(Labels.of("action_status", r.status)) },
      { key: "device_code", label: `${fieldLabel("device_code")}/${fieldLabel("site_part")}`,
        render: (r) => esc(r.device_code || r.site_part || "—") },
      { key: "issued_at", label: t("case.occurred"), render: (r) => esc(fmtTime(r.issued_at)) },
      ...(observe ? [{ key: "action_id", label: "", render: (r) => (["issued", "executed"].includes(r.status)
        ? `<button type="button" data-observe="${esc(r.action_id)}" data-testid="observe">${esc(t(OBSERVED_ACTIVITY.title))}</button>` : "") }] : [])],
    { testid: "actions" }) + '<div id="observe-form"></div>';
    for (const b of document.querySelectorAll("[data-observe]")) {
      b.onclick = () => {
        $("#observe-form").innerHTML = formHtml(OBSERVED_ACTIVITY);
        wireCommand($("#observe-form form"), `/enforcement/${b.dataset.observe}/observed-activity`, { done: () => route() });
      };
    }
  } catch (err) { $("#actions").innerHTML = failure(err); }
  try {
    const findings = await api(`/hazards/${id}/findings`);
    const text = (f) => (state.lang === "en" ? f.message_en || f.title_en : f.message_zh || f.title_zh) || f.message || "";
    $("#findings").innerHTML = (findings.length ? findings : []).map((f) =>
      `<div class="finding" data-testid="finding"><b>${esc((state.lang === "en" ? f.title_en : f.title_zh) || "")}</b> ${esc(text(f))}</div>`)
      .join("") || `<p class="muted">${esc(t("none"))}</p>`;
  } catch (err) { $("#findings").innerHTML = failure(err); }
}

/* Report a hazard: location, description, the sector's own fields as real inputs with
 * its choices, photos; linked to an inspection when started from one. */
async function reportView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const enterprise = state.user?.role === "enterprise";
  const sectors = Labels.choices("sector").filter(([c]) => !state.user?.sectors?.length || state.user.sectors.includes(c));
  const sources = enterprise ? [["self_inspection", Labels.of("source", "self_inspection")]] : Labels.choices("source");
  const spec = { cmd: "report_hazard", title: "step.report_hazard", fields: [
    { name: "enterprise_code", label: "fl.enterprise_code", kind: "text", required: true,
      value: params.get("enterprise") || state.user?.enterprise_code || "" },
    { name: "sector", label: "fl.sector", kind: "choice", choices: sectors, required: true, value: params.get("sector") || "" },
    { name: "location", label: "fl.location", kind: "text", required: true },
    { name: "description", label: "fl.description", kind: "textarea", required: true },
    { name: "source", label: "fl.source", kind: "choice", choices: sources, required: true,
      value: enterprise ? "self_inspection" : "routine_inspection" },
    { name: "found_by", label: "fl.found_by", kind: "text", value: state.user?.name || "" },
    { name: "evidence", label: "fl.evidence.site", kind: "photos" }] };
  view(`<h1>${esc(t("nav.report"))}</h1><div class="card">${formHtml(spec, { extra: '<fieldset id="details" class="details"></fieldset>' })}</div>`);
  const form = $("form.command");
  const showDetails = () => { $("#details").innerHTML = detailsHtml(form.querySelector("[name=sector]").value); };
  form.querySelector("[name=sector]").addEventListener("change", showDetails);
  showDetails();
  wireCommand(form, "/hazards", {
    extend: () => (params.get("inspection") ? { inspection_id: params.get("inspection") } : {}),
    done: (answer) => { location.hash = `#/case/${answer.id}`; } });
}

/* Start an inspection (检查记录); hazards found are then reported against it. */
async function inspectView() {
  const enterprise = state.user?.role === "enterprise";
  const types = enterprise ? [["self_inspection", Labels.of("inspection_type", "self_inspection")]] : Labels.choices("inspection_type");
  const spec = { cmd: "record_inspection", title: "step.record_inspection", fields: [
    { name: "enterprise_code", label: "fl.enterprise_code.inspected", kind: "text", required: true, value: state.user?.enterprise_code || "" },
    { name: "sector", label: "fl.sector", kind: "choice", choices: Labels.choices("sector"), required: true },
    { name: "inspection_type", label: "fl.inspection_type", kind: "choice", choices: types, required: true },
    { name: "team", label: "fl.team", kind: "list", required: true },
    { name: "location", label: "fl.inspection_location", kind: "text" },
    { name: "devices_checked", label: "fl.devices_checked", kind: "number" },
    { name: "summary", label: "fl.inspection_summary", kind: "textarea" }] };
  view(`<h1>${esc(t("nav.inspect"))}</h1><div class="card">${formHtml(spec)}</div>`);
  const form = $("form.command");
  form.querySelector("[name=team]").value = state.user?.name || "";
  wireCommand(form, "/inspections", { done: (answer) => {
    const f = new FormData(form);
    location.hash = `#/report?inspection=${answer.id}&enterprise=${f.get("enterprise_code")}&sector=${f.get("sector")}`;
  } });
}

/* Accounts and tokens, for administrators (GET/POST /users). */
async function usersView() {
  const spec = { cmd: "manage_users", title: "step.manage_users", fields: [
    { name: "username", label: "users.username", kind: "text", required: true },
    { name: "name", label: "users.name", kind: "text", required: true },
    { name: "role", label: "fl.role", kind: "choice", choices: Labels.choices("role").filter(([c]) => c !== "system"), required: true },
    { name: "organisation", label: "users.organisation", kind: "text" },
    { name: "region_prefix", label: "users.region_prefix", kind: "text" },
    { name: "sectors", label: "users.sectors", kind: "choice", choices: Labels.choices("sector") },
    { name: "enterprise_code", label: "users.enterprise_code", kind: "text" },
    { name: "valid_days", label: "users.valid_days", kind: "number" }] };
  view(`<h1>${esc(t("nav.users"))}</h1><div class="grid"><div class="card">${formHtml(spec, { timed: false })}
    <p class="token" id="new-token" data-testid="new-token" hidden></p></div>
    <div class="card"><h2>${esc(t("users.all"))}</h2><div id="users">${esc(t("loading"))}</div></div></div>`);
  const form = $("form.command");
  const sectorSelect = form.querySelector("[name=sectors]");
  sectorSelect.dataset.kind = "list";
  wireCommand(form, "/users", { done: (answer) => {
    $("#new-token").hidden = false;
    $("#new-token").textContent = t("users.new_token", { token: answer.token });
    loadUsers();
  } });
  const loadUsers = async () => {
    try {
      const body = await api("/users", {}, { asOf: false });
      $("#users").innerHTML = table(body.items, [{ key: "username", label: t("users.col.username") }, { key: "name", label: t("users.name") },
        { key: "role", label: t("fl.role"), render: (r) => esc(Labels.of("role", r.role)) },
        { key: "organisation", label: t("users.organisation") }, { key: "region_prefix", label: t("users.col.region") },
        { key: "sectors", label: t("sector"), render: (r) => esc((r.sectors || []).map((s) => Labels.of("sector", s)).join(t("sep.list")) || t("all")) },
        { key: "expires_at", label: t("users.col.expires"), render: (r) => esc(fmtTime(r.expires_at)) },
        { key: "revoked_at", label: t("users.col.action"), render: (r) => (r.revoked_at ? esc(t("users.revoked", { t: fmtTime(r.revoked_at) }))
          : `<button type="button" data-revoke="${esc(r.username)}">${esc(t("users.revoke"))}</button>`) }], { testid: "users" });
      for (const b of document.querySelectorAll("[data-revoke]")) {
        b.onclick = async () => {
          if (!confirm(t("users.revoke.confirm", { user: b.dataset.revoke }))) return;
          await postCommand(`/users/${encodeURIComponent(b.dataset.revoke)}/revoke`, {});
          loadUsers();
        };
      }
    } catch (err) { $("#users").innerHTML = failure(err); }
  };
  loadUsers();
}

async function reviewView() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  view(`<h1>${esc(t("review.title"))}</h1>
    <form class="filters noprint" id="rv-form"><label>${esc(t("review.enterprise"))}
      <input name="enterprise" size="20" required value="${esc(params.get("enterprise") || "")}"></label>
      <label>${esc(t("review.incident"))}<input type="datetime-local" name="incident_at" required
        value="${esc(params.get("incident_at") || "")}"></label>
      <label>${esc(t("review.known_at"))}<input type="datetime-local" name="known_at" step="60"
        data-testid="review-known-at" value="${esc(params.get("known_at") || state.asOf || "")}"></label>
      <button>${esc(t("review.run"))}</button>
      <button type="button" onclick="window.print()">${esc(t("review.print"))}</button></form>
    <div id="report" data-testid="review"></div>`);
  $("#rv-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const q = new URLSearchParams({ enterprise: f.get("enterprise"), incident_at: f.get("incident_at") });
    if (f.get("known_at")) q.set("known_at", f.get("known_at"));
    location.hash = `#/review?${q}`;
  });
  // the record the review reads: as known at the form's moment, else the page's 截至, else now
  const knownAt = params.get("known_at") || state.asOf;
  const accident = params.get("accident");
  if (!accident && (!params.get("enterprise") || !params.get("incident_at"))) return;
  $("#report").innerHTML = esc(t("loading"));
  try {
    const query = accident ? { accident } : { enterprise: params.get("enterprise"),
      incident_at: new Date(fromBeijingInput(params.get("incident_at"))).toISOString() };
    const known = knownAt ? { known_at: new Date(fromBeijingInput(knownAt)).toISOString() } : {};
    const html = await api("/review", { ...query, ...known, format: "html", lang: state.lang }, { asOf: false });
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
  applyI18n(state.lang);
  $("#who").textContent = state.user ? `${state.user.name} · ${Labels.of("role", state.user.role)}` : "";
  const may = new Set(state.user?.may || []);
  for (const a of document.querySelectorAll("#nav a[data-may]")) a.hidden = !a.dataset.may.split("|").some((m) => may.has(m));
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

let routing = 0;
async function route() {
  // a later navigation wins: one still waiting for the user or the labels draws nothing
  const turn = ++routing;
  renderChrome();
  if (!state.token) { loginView(); return; }
  if (!state.user) {
    try { state.user = await api("/me", {}, { asOf: false }); }
    catch (err) { if (turn === routing) loginView(); return; }
  }
  if (Labels.lang !== state.lang || !Labels.sectors.length) {
    await Labels.load(state.lang, (path) => api(path, {}, { asOf: false }));
  }
  if (turn !== routing) return;
  renderChrome();
  const [path] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "case" && parts[1]) return caseView(parts[1]);
  if (parts[0] === "register") return registerView();
  if (parts[0] === "measures") return measuresView();
  if (parts[0] === "review") return reviewView();
  if (parts[0] === "plugins") return pluginsView();
  if (parts[0] === "report") return reportView();
  if (parts[0] === "inspect") return inspectView();
  if (parts[0] === "users") return usersView();
  if (parts[0] === "risk") return riskView();
  if (parts[0] === "public-reports") return publicReportsView();
  if (parts[0] === "accidents") return accidentView();
  if (parts[0] === "login") return loginView();
  if (!(state.user.may || []).includes("read_statistics")) return registerView();
  return dashboardView();
}

$("#lang").addEventListener("click", () => {
  state.lang = state.lang === "en" ? "zh" : "en";
  localStorage.setItem("ledger.lang", state.lang);
  if (new URLSearchParams(location.search).has("lang")) history.replaceState(null, "", location.pathname + location.hash);
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
