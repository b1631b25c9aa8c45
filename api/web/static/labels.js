/* The names a person reads for the ledger's codes: sectors, statuses, grades, events,
 * enforcement kinds, sources, roles, fields, risk levels and colours, public-report
 * channels and statuses, accident levels, general-hazard categories, sector detail choices.
 *
 * They come from the service's one label catalogue (GET /labels?lang=zh|en) and the
 * loaded sectors (GET /plugins); the page never shows a code when the catalogue has a
 * name for it. The page is served by the service that serves the catalogue, so there
 * is no second copy of the names here.
 */
"use strict";

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
    if (this.lang === "en") return String(code).replace(/_/g, " ");
    return String(code);
  },

  /* Every code of ``group`` the page may offer, with its name. */
  choices(group) {
    if (group === "sector") return this.sectors.map((s) => [s.code, this.of("sector", s.code)]);
    const codes = new Set();
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
