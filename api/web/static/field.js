/* The inspector's phone page: quick hazard entry that survives a lost signal.
 *
 * Each submission is given an Idempotency-Key when it is made and kept on the phone
 * (localStorage) with its photo until the service answers it. It is retried when the
 * phone comes back online and every 20 seconds; the service records a key once and
 * replays its answer to every retry, so a submission sent twice is recorded once. A
 * refusal (4xx) is final for that submission: it leaves the outbox and is kept, with its
 * photo and the service's reasons, until the inspector corrects it and sends it again.
 *
 * The sector's own fields (city gas premises, a device's code …) are the same inputs
 * the desktop report form shows (forms.js ``detailsHtml``), so a report from the phone
 * carries what the sector's rules ask for.
 */
"use strict";

const state = { token: sessionStorage.getItem("ledger.token") || localStorage.getItem("ledger.field.token") || "", lang: pageLanguage() };
const t = (key, params) => i18nText(state.lang, key, params);
const $ = (s) => document.querySelector(s);
const OUTBOX = "ledger.field.outbox";
const TODAY = "ledger.field.inspections";
const REFUSED = "ledger.field.refused";
const escH = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

const load = (k) => JSON.parse(localStorage.getItem(k) || "[]");
const save = (k, v) => localStorage.setItem(k, JSON.stringify(v));
const auth = () => ({ Authorization: `Bearer ${state.token}`, "Accept-Language": state.lang === "en" ? "en" : "zh-CN" });

async function getJson(path) {
  const res = await fetch(path, { headers: auth() });
  if (!res.ok) throw new Error(String(res.status));
  return res.json();
}

function dataUrl(file) {
  return new Promise((ok, fail) => { const r = new FileReader(); r.onload = () => ok(r.result); r.onerror = fail; r.readAsDataURL(file); });
}

/* Send one outbox entry: its photo first (content-addressed, so a resent photo is the
 * same file), then the report with the entry's own Idempotency-Key. */
async function send(entry) {
  const body = { ...entry.body, evidence: [] };
  if (entry.photo) {
    const blob = await (await fetch(entry.photo)).blob();
    const form = new FormData();
    form.append("file", blob, "photo.jpg");
    const up = await fetch("/evidence", { method: "POST", headers: auth(), body: form });
    if (up.ok) { const a = await up.json(); body.evidence = [a.evidence || `sha256:${a.sha256}`]; }
    else if (up.status >= 500) throw new Error("evidence");
  }
  const res = await fetch("/hazards", { method: "POST", body: JSON.stringify(body),
    headers: { ...auth(), "Content-Type": "application/json", "Idempotency-Key": entry.key } });
  if (res.status >= 500 || res.status === 409) throw new Error(String(res.status));
  const answer = await res.json().catch(() => ({}));
  return { ok: res.ok, answer };
}

let flushing = false;
async function flush() {
  if (flushing || !state.token) return;
  flushing = true;
  try {
    for (const entry of load(OUTBOX)) {
      try {
        const { ok, answer } = await send(entry);
        const rest = load(OUTBOX).filter((e) => e.key !== entry.key);
        save(OUTBOX, rest);
        if (ok) {
          const done = load("ledger.field.done");
          done.unshift({ key: entry.key, id: String(answer.id), location: entry.body.location });
          save("ledger.field.done", done.slice(0, 20));
        } else {
          keep(REFUSED, { ...entry, reasons: reasons(answer) });
        }
      } catch (err) { break; } // offline or busy: keep it and every later one for the next try
    }
  } finally { flushing = false; render(); }
}

/* The service's reasons for a refusal, one line each. */
function reasons(answer) {
  const listed = ((answer && answer.violations) || []).map((v) => v.message).filter(Boolean);
  return listed.length ? listed : [(answer && (answer.detail || answer.title)) || t("field.not_recorded")];
}

/* Add ``entry`` to the list ``name``; a phone short of space keeps it without its photo. */
function keep(name, entry) {
  const list = load(name).filter((e) => e.key !== entry.key);
  try { save(name, [...list, entry]); } catch (err) { save(name, [...list, { ...entry, photo: null }]); }
}

function render() {
  $("#net").textContent = t(navigator.onLine ? "field.online" : "field.offline");
  const pending = load(OUTBOX).map((e) => `<li data-testid="pending">${escH(t("field.pending", { loc: e.body.location }))}</li>`);
  const refused = load(REFUSED).map((e) => `<li data-testid="refused" class="error">${escH(e.body.location)} ·
    ${escH(t("field.refused", { r: e.reasons.join(t("sep.items")) }))}
    <button type="button" data-fix="${escH(e.key)}" data-testid="fix">${escH(t("field.fix"))}</button></li>`);
  // an entry sent before the page kept its parts (location, id) has its line as text
  const sent = (e) => e.text || t("field.sent", { loc: e.location, id: String(e.id).slice(0, 8) });
  const done = load("ledger.field.done").map((e) => (e.id
    ? `<li data-testid="sent" data-case="${escH(e.id)}"><a href="/#/case/${escH(e.id)}">${escH(sent(e))}</a></li>`
    : `<li data-testid="sent">${escH(sent(e))}</li>`));
  $("#outbox").innerHTML = [...refused, ...pending, ...done].join("") || `<li class="muted">${escH(t("none"))}</li>`;
  for (const b of document.querySelectorAll("[data-fix]")) b.onclick = () => reopen(b.dataset.fix);
}

/* The sector's own fields for the chosen sector. */
function showDetails() {
  $("#details").innerHTML = detailsHtml($("#quick").sector.value);
}

/* Put a refused entry back into the form, with its photo and the reasons beside it. */
function reopen(key) {
  const entry = load(REFUSED).find((e) => e.key === key);
  if (!entry) return;
  save(REFUSED, load(REFUSED).filter((e) => e.key !== key));
  const f = $("#quick");
  for (const name of ["enterprise_code", "sector", "location", "description"]) f[name].value = entry.body[name] || "";
  showDetails();
  for (const [name, value] of Object.entries(entry.body.details || {})) {
    const el = f.querySelector(`[name="details.${name}"]`);
    if (el) el.value = String(value);
  }
  if (entry.body.inspection_id) f.dataset.inspection = entry.body.inspection_id;
  kept.photo = entry.photo;
  $("#kept-photo").hidden = !entry.photo;
  problem(entry.reasons);
  render();
  f.location.focus();
}

/* Say what is wrong with the form (empty: nothing). */
function problem(lines) {
  const box = $("#quick-error");
  box.textContent = lines.join(t("sep.items"));
  box.hidden = !lines.length;
}

/* The photo of a refused entry, kept for its corrected submission. */
const kept = { photo: null };

/* What the form lacks before it may be queued: each required field left empty. */
function missing(f) {
  const empty = [...f.querySelectorAll("[required]")].filter((el) => !String(el.value).trim());
  for (const el of f.querySelectorAll(".invalid")) el.classList.remove("invalid");
  for (const el of empty) el.closest(".field")?.classList.add("invalid");
  return empty.map((el) => t("field.required", { name: el.closest(".field")?.querySelector("label")?.textContent.replace(/\s*\*$/, "") || el.name }));
}

/* Today's inspections (Beijing time) the signed-in user recorded, from GET /inspections;
 * offline, the list last shown stays. */
async function today() {
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  let found;
  try {
    found = await getJson(`/inspections?date=${day}&inspector=${encodeURIComponent(state.me?.username || "")}`);
    save(TODAY, { day, found });
  } catch (err) {
    const kept = JSON.parse(localStorage.getItem(TODAY) || "{}");
    found = kept.day === day ? kept.found || [] : [];
  }
  const rows = found.map((i) => `<li data-testid="inspection"><b class="name">${escH(i.enterprise_name || i.enterprise_code)}</b>
    · ${escH(Labels.of("sector", i.sector))} · ${escH(Labels.of("inspection_type", i.inspection_type))}
    ${i.location ? `· ${escH(i.location)}` : ""} · ${escH(t("field.hazards_found", { n: i.hazards_found }))}
    <button type="button" data-ent="${escH(i.enterprise_code)}" data-sector="${escH(i.sector)}" data-insp="${escH(i.inspection_id)}">${escH(t("nav.report"))}</button></li>`);
  $("#inspections").innerHTML = rows.join("");
  $("#no-insp").hidden = rows.length > 0;
  for (const b of document.querySelectorAll("[data-insp]")) {
    b.onclick = () => {
      const f = $("#quick");
      f.enterprise_code.value = b.dataset.ent; f.sector.value = b.dataset.sector; f.dataset.inspection = b.dataset.insp;
      showDetails();
      f.location.focus();
    };
  }
}

async function start() {
  document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
  applyI18n(state.lang);
  if (!state.token) { $("#signin").hidden = false; return; }
  try {
    const me = await getJson("/me");
    state.me = me;
    $("#who").textContent = me.name;
    localStorage.setItem("ledger.field.token", state.token);
  } catch (err) { if (navigator.onLine) { $("#signin").hidden = false; return; } }
  await Labels.load(state.lang, getJson);
  $("#quick").sector.innerHTML = `<option value="">${escH(t("choose"))}</option>${Labels.choices("sector")
    .map(([c, n]) => `<option value="${escH(c)}">${escH(n)}</option>`).join("")}`;
  showDetails();
  await today();
  render();
  flush();
}

$("#go").onclick = () => { state.token = $("#token").value.trim(); $("#signin").hidden = true; start(); };
$("#quick").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const lacking = missing(f);
  problem(lacking);
  if (lacking.length) return; // the form stays as filled
  const now = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 16);
  const body = { enterprise_code: f.enterprise_code.value.trim(), sector: f.sector.value,
    location: f.location.value.trim(), description: f.description.value.trim(),
    details: formBody($("#details")).details || {},
    source: "routine_inspection", occurred_at: `${now}:00+08:00` };
  if (f.dataset.inspection) body.inspection_id = f.dataset.inspection;
  const file = f.photo.files[0];
  const entry = { key: crypto.randomUUID ? crypto.randomUUID() : `k-${Date.now()}-${Math.random()}`,
    body, photo: file ? await dataUrl(file) : kept.photo };
  keep(OUTBOX, entry);
  f.reset();
  kept.photo = null;
  $("#kept-photo").hidden = true;
  showDetails();
  render();
  flush();
});
$("#quick").sector.addEventListener("change", showDetails);
window.addEventListener("online", flush);
window.addEventListener("offline", render);
setInterval(flush, 20000);
start();
