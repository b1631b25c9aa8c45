/* The inspector's phone page: quick hazard entry that survives a lost signal.
 *
 * Each submission is given an Idempotency-Key when it is made and kept on the phone
 * (localStorage) with its photo until the service answers it. It is retried when the
 * phone comes back online and every 20 seconds; the service records a key once and
 * replays its answer to every retry, so a submission sent twice is recorded once. A
 * refusal (4xx) is final: it is shown and the entry leaves the outbox.
 */
"use strict";

const state = { token: sessionStorage.getItem("ledger.token") || localStorage.getItem("ledger.field.token") || "", lang: "zh" };
const $ = (s) => document.querySelector(s);
const OUTBOX = "ledger.field.outbox";
const TODAY = "ledger.field.inspections";
const escH = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

const load = (k) => JSON.parse(localStorage.getItem(k) || "[]");
const save = (k, v) => localStorage.setItem(k, JSON.stringify(v));
const auth = () => ({ Authorization: `Bearer ${state.token}`, "Accept-Language": "zh-CN" });

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
        entry.result = ok ? `已记录 ${String(answer.id).slice(0, 8)}` : `未记录：${answer.detail || answer.title || ""}`;
        const done = load("ledger.field.done");
        done.unshift({ key: entry.key, id: ok ? String(answer.id) : "", text: `${entry.body.location} · ${entry.result}` });
        save("ledger.field.done", done.slice(0, 20));
      } catch (err) { break; } // offline or busy: keep it and every later one for the next try
    }
  } finally { flushing = false; render(); }
}

function render() {
  $("#net").textContent = navigator.onLine ? "在线" : "离线";
  const pending = load(OUTBOX).map((e) => `<li data-testid="pending">${escH(e.body.location)} · 待发送</li>`);
  const done = load("ledger.field.done").map((e) => (e.id
    ? `<li data-testid="sent" data-case="${escH(e.id)}"><a href="/#/case/${escH(e.id)}">${escH(e.text)}</a></li>`
    : `<li data-testid="sent">${escH(e.text)}</li>`));
  $("#outbox").innerHTML = [...pending, ...done].join("") || '<li class="muted">无</li>';
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
    ${i.location ? `· ${escH(i.location)}` : ""} · 发现隐患 ${escH(i.hazards_found)} 项
    <button type="button" data-ent="${escH(i.enterprise_code)}" data-sector="${escH(i.sector)}" data-insp="${escH(i.inspection_id)}">上报隐患</button></li>`);
  $("#inspections").innerHTML = rows.join("");
  $("#no-insp").hidden = rows.length > 0;
  for (const b of document.querySelectorAll("[data-insp]")) {
    b.onclick = () => {
      const f = $("#quick");
      f.enterprise_code.value = b.dataset.ent; f.sector.value = b.dataset.sector; f.dataset.inspection = b.dataset.insp;
      f.location.focus();
    };
  }
}

async function start() {
  if (!state.token) { $("#signin").hidden = false; return; }
  try {
    const me = await getJson("/me");
    state.me = me;
    $("#who").textContent = me.name;
    localStorage.setItem("ledger.field.token", state.token);
  } catch (err) { if (navigator.onLine) { $("#signin").hidden = false; return; } }
  await Labels.load("zh", getJson);
  $("#quick").sector.innerHTML = Labels.choices("sector").map(([c, n]) => `<option value="${escH(c)}">${escH(n)}</option>`).join("");
  await today();
  render();
  flush();
}

$("#go").onclick = () => { state.token = $("#token").value.trim(); $("#signin").hidden = true; start(); };
$("#quick").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const now = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 16);
  const body = { enterprise_code: f.enterprise_code.value.trim(), sector: f.sector.value,
    location: f.location.value.trim(), description: f.description.value.trim(),
    source: "routine_inspection", occurred_at: `${now}:00+08:00` };
  if (f.dataset.inspection) body.inspection_id = f.dataset.inspection;
  const file = f.photo.files[0];
  const entry = { key: crypto.randomUUID ? crypto.randomUUID() : `k-${Date.now()}-${Math.random()}`,
    body, photo: file ? await dataUrl(file) : null };
  const box = load(OUTBOX);
  box.push(entry);
  try { save(OUTBOX, box); } catch (err) { entry.photo = null; save(OUTBOX, [...load(OUTBOX), entry]); }
  f.reset();
  render();
  flush();
});
window.addEventListener("online", flush);
window.addEventListener("offline", render);
setInterval(flush, 20000);
start();
