/* The campaign's tables on the dashboard (专项整治三年行动报表).
 *
 * When the dashboard is on screen, this module fills the #campaign-tables mount point with
 * the five tables of GET /reports/campaign/{sources|listings|enforcement|effort|accidents}
 * for the dashboard's region (the user's jurisdiction when left empty: the server narrows
 * every table to the viewer's scope) and a period: a month, a quarter or a year. Column
 * and row names come from the label catalogue (GET /labels, loaded by labels.js); the
 * few figures the catalogue does not name yet, and the tables' own words, are i18n.js's
 * ("campaign.*"), in both languages, so the page never shows an internal code.
 */
"use strict";

(() => {
  const TABLES = ["sources", "listings", "enforcement", "effort", "accidents"];
  // Figures the label catalogue does not name (yet): i18n.js "campaign.fig.<key>".
  const FIGURES = new Set(["units_with_hazards", "listed", "listed_rectified", "still_listed",
    "listed_rectification_rate", "fined_units", "disciplined_units", "units_acted_on", "person_times",
    "guidance_visits", "guidance_units", "count"]);
  const GROUPS = ["self", "department", "public_report", "expert"];
  const SUFFIX = { "": "documents", units: "units", quantity: "quantity" };

  const lang = () => (localStorage.getItem("ledger.lang") === "en" ? "en" : "zh");
  const tr = (key, params) => i18nText(lang(), `campaign.${key}`, params);
  const escape = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const kinds = () => new Set(Object.keys(Labels.table).filter((k) => k.startsWith("kind."))
    .map((k) => k.slice(5)));

  /* The name of a figure's column, from the catalogue where it names it. */
  function title(key) {
    const named = (k) => Labels.table[`field.${k}`] || (FIGURES.has(k) ? tr(`fig.${k}`) : null);
    const base = named(key);
    if (base) return base;
    const known = kinds();
    for (const suffix of ["", "units", "quantity"]) {
      const kind = suffix ? key.slice(0, -(suffix.length + 1)) : key;
      if ((!suffix || key.endsWith(`_${suffix}`)) && known.has(kind)) {
        return tr(`suffix.${SUFFIX[suffix]}`, { name: Labels.of("kind", kind) });
      }
    }
    for (const group of GROUPS) {
      if (key === `${group}_found`) return tr("group.found", { name: tr(`group.${group}`) });
      if (key === `${group}_rectified`) return tr("group.rectified", { name: tr(`group.${group}`) });
    }
    const prior = key.match(/^previous_year_(.+)$/);
    if (prior) return tr("previous_year", { name: title(prior[1]) });
    const change = key.match(/^(.+)_change$/);
    if (change) return tr("change", { name: title(change[1]) });
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
