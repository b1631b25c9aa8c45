/* The campaign's tables on the dashboard (专项整治三年行动报表).
 *
 * When the dashboard is on screen, this module fills the #campaign-tables mount point with
 * the five tables of GET /reports/campaign/{sources|listings|enforcement|effort|accidents}
 * for the dashboard's region (the user's jurisdiction when left empty: the server narrows
 * every table to the viewer's scope) and a period: a month, a quarter or a year. Column
 * and row names come from the label catalogue (GET /labels, loaded by labels.js); the
 * few figures the catalogue does not name yet are named here, in both languages, so the
 * page never shows an internal code.
 */
"use strict";

(() => {
  const TABLES = ["sources", "listings", "enforcement", "effort", "accidents"];
  const TITLES = {
    zh: { sources: "隐患排查来源统计表", listings: "挂牌督办统计表", enforcement: "执法处罚统计表",
      effort: "检查执法力量统计表", accidents: "生产安全事故统计表", heading: "专项整治统计表",
      period: "统计期", month: "月", quarter: "季度", year: "年", show: "查看", total: "合计",
      loading: "加载中……", none: "无数据", failed: "无法加载", level: "挂牌级别", sector: "行业领域" },
    en: { sources: "Hazards by source", listings: "Listed for supervision", enforcement: "Enforcement",
      effort: "Inspection effort", accidents: "Accidents", heading: "Campaign tables",
      period: "Period", month: "Month", quarter: "Quarter", year: "Year", show: "Show", total: "Total",
      loading: "Loading…", none: "No data", failed: "Cannot load", level: "Level", sector: "Sector" },
  };
  const GROUPS = { zh: { self: "企业自查", department: "部门检查", public_report: "群众举报", expert: "专家" },
    en: { self: "Self-inspection", department: "Departments", public_report: "Public reports", expert: "Experts" } };
  // Figures the label catalogue does not name (yet): [Chinese, English].
  const FIGURES = {
    units_with_hazards: ["涉及单位（家）", "Enterprises with hazards"],
    listed: ["挂牌督办（条）", "Listed"], listed_rectified: ["已整改", "Rectified"],
    still_listed: ["仍在挂牌", "Still listed"], listed_rectification_rate: ["整改率", "Rectification rate"],
    fined_units: ["罚款（户）", "Enterprises fined"], disciplined_units: ["曝光约谈联合惩戒（户）", "Exposed, summoned or jointly punished"],
    units_acted_on: ["涉及单位（家）", "Enterprises acted on"], person_times: ["出动人次", "Person-times"],
    guidance_visits: ["帮扶指导（次）", "Guidance visits"], guidance_units: ["帮扶指导（家）", "Enterprises guided"],
    count: ["事故起数", "Accidents"], deaths: ["死亡人数", "Deaths"], serious_injuries: ["重伤人数", "Serious injuries"],
    direct_loss: ["直接经济损失（元）", "Direct loss (yuan)"],
  };
  const KIND_SUFFIX = { zh: { "": "（份）", units: "（户）", quantity: "（数量）" },
    en: { "": " (documents)", units: " (enterprises)", quantity: " (quantity)" } };

  const lang = () => (localStorage.getItem("ledger.lang") === "en" ? "en" : "zh");
  const tr = (key) => TITLES[lang()][key] || TITLES.zh[key];
  const escape = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const kinds = () => new Set(Object.keys(Labels.table).filter((k) => k.startsWith("kind."))
    .map((k) => k.slice(5)));

  /* The name of a figure's column, from the catalogue where it names it. */
  function title(key) {
    const en = lang() === "en";
    const named = (k) => Labels.table[`field.${k}`] || (FIGURES[k] && FIGURES[k][en ? 1 : 0]);
    const base = named(key);
    if (base) return base;
    const known = kinds();
    for (const suffix of ["", "units", "quantity"]) {
      const kind = suffix ? key.slice(0, -(suffix.length + 1)) : key;
      if ((!suffix || key.endsWith(`_${suffix}`)) && known.has(kind)) {
        return Labels.of("kind", kind) + KIND_SUFFIX[lang()][suffix];
      }
    }
    for (const [group, name] of Object.entries(GROUPS[lang()])) {
      if (key === `${group}_found`) return en ? `${name}: found` : `${name}发现`;
      if (key === `${group}_rectified`) return en ? `${name}: rectified` : `${name}已整改`;
    }
    const prior = key.match(/^previous_year_(.+)$/);
    if (prior) return (en ? "Year before: " : "上年同期") + title(prior[1]);
    const change = key.match(/^(.+)_change$/);
    if (change) return title(change[1]) + (en ? " change" : "同比");
    return null; // not a figure people read: left out rather than shown as a code
  }

  const isRate = (key) => key.endsWith("rate") || key.endsWith("_change");
  function cell(key, value) {
    if (value == null || value === "") return "—";
    return isRate(key) ? percent(value) : String(value);
  }

  function render(answer, table) {
    const rows = answer.rows || [];
    const total = answer.total || {};
    const sample = Object.keys(total).length ? total : rows[0] || {};
    let keys = Object.keys(sample).filter((k) => !["sector", "level"].includes(k) && !/_baseline/.test(k));
    if (table === "enforcement") { // the kinds this period used, not fourteen empty pairs
      const known = kinds();
      keys = keys.filter((k) => {
        const kind = k.replace(/_(units|quantity)$/, "");
        return !known.has(kind) || Number(total[kind] || 0) > 0;
      });
    }
    keys = keys.filter((k) => title(k));
    const head = [`<th>${escape(tr("sector"))}</th>`, table === "listings" ? `<th>${escape(tr("level"))}</th>` : "",
      ...keys.map((k) => `<th class="num">${escape(title(k))}</th>`)].join("");
    const line = (r, isTotal) => `<tr${isTotal ? ' class="total"' : ""}>` +
      `<td>${escape(isTotal ? tr("total") : Labels.of("sector", r.sector))}</td>` +
      (table === "listings" ? `<td>${escape(isTotal ? "" : Labels.of("listing_level", r.level))}</td>` : "") +
      keys.map((k) => `<td class="num">${escape(cell(k, r[k]))}</td>`).join("") + "</tr>";
    const body = rows.map((r) => line(r, false)).join("") + line(total, true);
    return `<div class="scroll"><table data-testid="campaign-${table}"><thead><tr>${head}</tr></thead>` +
      `<tbody>${body}</tbody></table></div>`;
  }

  function periodFor(kind, month) {
    const [y, m] = month.split("-").map(Number);
    if (kind === "year") return String(y);
    if (kind === "quarter") return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    return month;
  }

  async function get(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
    const asOf = sessionStorage.getItem("ledger.asof");
    if (asOf) url.searchParams.set("known_at", new Date(fromBeijingInput(asOf)).toISOString());
    const res = await fetch(url, { headers: { Authorization: `Bearer ${sessionStorage.getItem("ledger.token") || ""}`,
      "Accept-Language": lang() === "en" ? "en" : "zh-CN" } });
    const body = await res.json();
    if (!res.ok) throw new Error(body.detail || body.title || String(res.status));
    return body;
  }

  let shown = "";
  async function fill(mount) {
    const form = document.querySelector("#dash-form");
    const month = form?.elements.month?.value || "";
    const region = form?.elements.region?.value || "";
    if (!month) return;
    const kind = mount.dataset.kind || "month";
    const key = `${lang()}|${month}|${region}|${kind}|${sessionStorage.getItem("ledger.asof") || ""}`;
    if (key === shown && !mount.hidden) return;
    shown = key;
    const period = periodFor(kind, month);
    const option = (k) => `<option value="${k}" ${k === kind ? "selected" : ""}>${escape(tr(k))}</option>`;
    mount.innerHTML = `<div class="card"><h2>${escape(tr("heading"))} · ${escape(period)}</h2>
      <label class="noprint">${escape(tr("period"))} <select data-testid="campaign-period">
      ${["month", "quarter", "year"].map(option).join("")}</select></label>
      ${TABLES.map((t) => `<h3>${escape(tr(t))}</h3><div data-table="${t}">${escape(tr("loading"))}</div>`).join("")}</div>`;
    mount.hidden = false;
    mount.querySelector("select").addEventListener("change", (e) => { mount.dataset.kind = e.target.value; fill(mount); });
    await Promise.all(TABLES.map(async (table) => {
      const box = mount.querySelector(`[data-table=${table}]`);
      try {
        box.innerHTML = render(await get(`/reports/campaign/${table}`, { period, region }), table);
      } catch (err) {
        box.innerHTML = `<p class="error">${escape(tr("failed"))}: ${escape(err.message)}</p>`;
      }
    }));
  }

  function watch() {
    const mount = document.querySelector("#campaign-tables");
    const view = document.querySelector("#view");
    if (!mount || !view) return;
    const check = () => {
      if (view.querySelector("#dash-form") && sessionStorage.getItem("ledger.token")) fill(mount);
      else { mount.hidden = true; mount.innerHTML = ""; shown = ""; }
    };
    new MutationObserver(check).observe(view, { childList: true });
    check();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
