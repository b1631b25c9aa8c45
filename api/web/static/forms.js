/* Forms that record steps: every one posts to the same HTTP command route a program
 * would call (POST /hazards, /hazards/{id}/assign, /enforcement, ...), with the user's
 * token, If-Match for the case version it showed, and an Idempotency-Key per submission.
 * The page has no write path of its own: permission, scope, the sector rules and the
 * state machine are the ledger's, and a refusal is shown as the API gives it, in the
 * reader's language, next to the field it names.
 */
"use strict";

/* What each step asks for. ``cmd`` is the command's type name in the permission table
 * (GET /me answers ``may``); ``path`` the route under /hazards/{id}/. */
const PLAN_PARTS = ["goal_and_tasks", "methods_and_measures", "funds_and_materials",
  "organisation_and_people", "time_limit_and_requirements", "safety_and_emergency"];

const CASE_STEPS = [
  { cmd: "grade_hazard", path: "grade", title: "step.grade_hazard", when: ["reported", "graded", "reopened"],
    fields: [{ name: "grade", label: "fl.grade", kind: "choice", group: "grade", required: true },
      { name: "category", label: "fl.general_category", kind: "choice", group: "general_category" },
      { name: "criteria", label: "fl.criteria.major", kind: "criteria" }] },
  { cmd: "rectify_on_spot", path: "rectify-on-spot", title: "step.rectify_on_spot",
    when: ["reported", "graded"],
    fields: [{ name: "measures", label: "fl.measures", kind: "textarea", required: true },
      { name: "evidence", label: "fl.evidence.rectification", kind: "photos" }] },
  { cmd: "assign_rectification", path: "assign", title: "step.assign_rectification", when: ["graded", "reopened"],
    fields: [{ name: "department", label: "fl.assigned_department", kind: "text", required: true },
      { name: "deadline", label: "deadline", kind: "datetime", required: true, defaultDays: 30 },
      { name: "requirements", label: "fl.requirements", kind: "textarea", required: true }] },
  { cmd: "file_plan", path: "plan", title: "step.file_plan", when: ["assigned"],
    fields: PLAN_PARTS.map((p) => ({ name: `plan.${p}`, group: "plan", code: p,
      kind: "textarea", required: true })) },
  { cmd: "record_interim_controls", path: "interim-controls", title: "step.record_interim_controls",
    when: ["graded", "assigned"],
    fields: [{ name: "controls", label: "fl.controls", kind: "textarea", required: true }] },
  { cmd: "report_rectification", path: "rectification", title: "step.report_rectification",
    when: ["assigned"],
    fields: [{ name: "measures", label: "fl.measures", kind: "textarea", required: true },
      { name: "completed_at", label: "fl.completed_at", kind: "datetime", required: true },
      { name: "evidence", label: "fl.evidence.rectification", kind: "photos" }] },
  { cmd: "file_assessment", path: "assessment", title: "step.file_assessment",
    when: ["assigned", "rectification_reported"],
    fields: [{ name: "summary", label: "fl.summary", kind: "textarea", required: true }] },
  { cmd: "extend_deadline", path: "extend", title: "step.extend_deadline", when: ["assigned"],
    fields: [{ name: "new_deadline", label: "fl.new_deadline", kind: "datetime", required: true, defaultDays: 45 },
      { name: "reason", label: "fl.extension_reason", kind: "textarea", required: true },
      { name: "approver", label: "fl.approver", kind: "text", required: true }] },
  { cmd: "verify_rectification", path: "verify", title: "step.verify_rectification", when: ["rectification_reported"],
    fields: [{ name: "accepted", label: "fl.accepted", kind: "bool", yes: "fl.accepted.yes", no: "fl.accepted.no", required: true },
      { name: "opinion", label: "fl.opinion", kind: "textarea", required: true }] },
  { cmd: "close_hazard", path: "close", title: "step.close_hazard", when: ["verified"], fields: [] },
  { cmd: "reopen_hazard", path: "reopen", title: "step.reopen_hazard", when: ["closed"],
    fields: [{ name: "reason", label: "fl.reason", kind: "textarea", required: true }] },
  /* Only a sensor's alarm, before grading, can prove false (HazardCase.dismiss decides). */
  { cmd: "dismiss_false_alarm", path: "dismiss", title: "step.dismiss_false_alarm",
    when: ["reported"], only: { status: ["reported"], source: ["sensor"] },
    fields: [{ name: "reason", label: "fl.dismiss_reason", kind: "textarea", required: true }] },
  { cmd: "list_for_supervision", path: "list", title: "step.list_for_supervision",
    when: ["graded", "assigned"],
    fields: [{ name: "level", label: "fl.level", kind: "choice", group: "listing_level", required: true },
      { name: "authority", label: "fl.authority", kind: "text", required: true }] },
  { cmd: "delist", path: "delist", title: "step.delist", when: ["closed"], fields: [] },
  { cmd: "escalate", path: "escalate", title: "step.escalate", when: ["assigned"],
    fields: [{ name: "level", label: "fl.escalate_level", kind: "choice", group: "listing_level", required: true },
      { name: "reason", label: "fl.reason", kind: "textarea", required: true }] },
];

const ISSUE_ACTION = { cmd: "issue_action", title: "step.issue_action",
  fields: [{ name: "kind", label: "fl.kind", kind: "choice", group: "kind", required: true },
    { name: "document_number", label: "fl.document_number", kind: "text", required: true },
    { name: "department", label: "fl.enforcement_department", kind: "text", required: true },
    { name: "legal_basis", label: "fl.legal_basis", kind: "textarea", required: true },
    { name: "device_code", label: "fl.device_code", kind: "text" },
    { name: "site_part", label: "fl.site_part", kind: "text" },
    { name: "fine_amount", label: "fl.fine_amount", kind: "number" },
    { name: "description", label: "fl.note", kind: "textarea" }] };

/* A standing order (stop-work, stop-use) whose object is seen operating: recorded on the
 * order itself, not as a new hazard. */
const OBSERVED_ACTIVITY = { cmd: "record_observed_activity", title: "step.record_observed_activity",
  fields: [{ name: "description", label: "fl.observed", kind: "textarea", required: true },
    { name: "evidence", label: "fl.evidence.site", kind: "photos" }] };

/* The grade form for this case: the general-hazard categories its sector declares, and
 * for an enterprise (which grades only its own general hazards) no major grade. */
function gradeSpec(c, enterprise) {
  const spec = CASE_STEPS.find((s) => s.cmd === "grade_hazard");
  const sector = Labels.sector(c.sector) || {};
  const categories = (sector.general_categories || []).map((g) => [g.code, Labels.of("general_category", g.code)]);
  const fields = spec.fields.map((f) => {
    if (f.name === "category") return { ...f, choices: categories };
    if (f.name === "grade" && enterprise) return { ...f, choices: [["general", Labels.of("grade", "general")]], value: "general" };
    return f;
  }).filter((f) => !(enterprise && f.name === "criteria") && !(f.name === "category" && !categories.length));
  return { ...spec, fields };
}

/* Every form also says when the step happened (business time) and, for a late entry,
 * why. */
const TIMED = [
  { name: "occurred_at", label: "fl.occurred_at", kind: "datetime", required: true, now: true },
  { name: "justification", label: "fl.justification", kind: "text" },
];

/* A text of the page in the language the labels were loaded in (the phone page has no
 * app state of its own). */
const tf = (key, params) => i18nText(Labels.lang, key, params);

const escF = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function formFieldLabel(f) {
  if (f.group === "plan" && f.code) return Labels.of("plan", f.code);
  if (f.name.startsWith("details.")) return f.label; // a sector's own field, named by its sector
  return tf(f.label);
}

/* The HTML of one input; ``name`` is the body's field path (plan.goal_and_tasks), so a
 * violation naming that field finds it. */
function inputHtml(f, options = {}) {
  const id = `f-${options.prefix || ""}${f.name.replace(/\./g, "-")}`;
  const req = f.required ? "required" : "";
  let control;
  if (f.kind === "textarea") {
    control = `<textarea id="${id}" name="${f.name}" rows="3" ${req}>${escF(f.value || "")}</textarea>`;
  } else if (f.kind === "choice") {
    const choices = f.choices || Labels.choices(f.group);
    control = `<select id="${id}" name="${f.name}" ${req}><option value="">${escF(tf("choose"))}</option>${choices
      .map(([code, name]) => `<option value="${escF(code)}" ${f.value === code ? "selected" : ""}>${escF(name)}</option>`)
      .join("")}</select>`;
  } else if (f.kind === "bool") {
    // no answer is chosen for the user: an unanswered question is sent as unanswered
    control = `<select id="${id}" name="${f.name}" data-kind="bool" ${req}><option value="">${escF(tf("choose"))}</option>
      <option value="true">${escF(f.yes ? tf(f.yes) : tf("yes"))}</option><option value="false">${escF(f.no ? tf(f.no) : tf("no"))}</option></select>`;
  } else if (f.kind === "datetime") {
    const value = f.now ? beijingInputNow() : f.defaultDays ? beijingInputNow(f.defaultDays * 86400000) : "";
    control = `<input id="${id}" type="datetime-local" step="60" name="${f.name}" data-kind="datetime" value="${value}" ${req}>`;
  } else if (f.kind === "number") {
    control = `<input id="${id}" type="number" step="any" min="0" name="${f.name}" data-kind="number" ${req}>`;
  } else if (f.kind === "photos") {
    control = `<input id="${id}" type="file" accept="image/*" capture="environment" multiple
      data-kind="photos" data-name="${f.name}" data-testid="photo-input"><div class="thumbs" data-for="${f.name}"></div>
      <input type="hidden" name="${f.name}" data-kind="list">`;
  } else if (f.kind === "criteria") {
    control = `<div class="suggestions" data-testid="suggestions"></div>
      <input id="${id}" name="${f.name}" data-kind="list" placeholder="${escF(tf("fl.criteria.placeholder"))}">`;
  } else if (f.kind === "lines") {
    control = `<textarea id="${id}" name="${f.name}" rows="3" data-kind="lines" ${req}>${escF(f.value || "")}</textarea>`;
  } else if (f.kind === "list") {
    control = `<input id="${id}" name="${f.name}" data-kind="list" ${req}>`;
  } else {
    control = `<input id="${id}" name="${f.name}" value="${escF(f.value || "")}" ${req}>`;
  }
  return `<div class="field" data-field="${f.name}"><label for="${id}">${escF(formFieldLabel(f))}${
    f.required ? ' <span class="req">*</span>' : ""}</label>${control}</div>`;
}

/* The sector's own fields (``details.*``) as inputs: its choices by their names, a
 * yes/no question left unanswered until answered. The report form and the phone page
 * both build them here. */
function detailsHtml(sectorCode) {
  const sector = Labels.sector(sectorCode);
  const details = (sector && sector.details) || [];
  if (!details.length) return "";
  return `<legend>${escF(tf("fl.details"))}</legend>${details.map((d) => inputHtml({
    name: `details.${d.name}`, label: Labels.lang === "en" ? d.label_en : d.label_zh, required: d.required,
    kind: ["choice", "bool", "number"].includes(d.kind) ? d.kind : "text",
    choices: (d.choices || []).map((x) => [x, Labels.of("detail_choice", `${d.name}.${x}`)]) })).join("")}`;
}

function formHtml(spec, { testid = spec.cmd, extra = "", timed = true } = {}) {
  const fields = [...spec.fields, ...(timed ? TIMED : [])];
  return `<form class="command" data-testid="form-${testid}" data-cmd="${spec.cmd}" novalidate>
    ${fields.map((f) => inputHtml(f)).join("")}${extra}
    <div class="form-error error" role="alert" hidden></div>
    <button type="submit" class="primary">${escF(tf(spec.title))}</button>
    <span class="form-done ok" role="status" hidden></span></form>`;
}

/* The body the form asks for: dotted names nest (plan.goal_and_tasks), types by kind. */
function formBody(form) {
  const body = {};
  for (const el of form.querySelectorAll("[name]")) {
    if (el.type === "file") continue;
    const kind = el.dataset.kind || "text";
    let value = el.value;
    if (kind === "datetime") value = value ? fromBeijingInput(value) : null;
    else if (kind === "number") value = value === "" ? null : Number(value);
    else if (kind === "bool") value = value === "" ? null : value === "true";
    else if (kind === "list") value = value ? value.split(/[,\uff0c\u3001\s]+/).filter(Boolean) : []; // , ， 、
    else if (kind === "lines") value = value.split(/\n+/).map((x) => x.trim()).filter(Boolean);
    else if (value === "" && el.tagName === "SELECT" && !el.required) continue; // an optional choice left open
    else if (value === "") value = el.name === "justification" ? null : "";
    if (value === null && el.name !== "justification" && kind !== "number") continue;
    if (value === null && kind === "number") continue;
    const path = el.name.split(".");
    let target = body;
    for (const p of path.slice(0, -1)) target = target[p] = target[p] || {};
    target[path[path.length - 1]] = value;
  }
  return body;
}

function clearErrors(form) {
  for (const e of form.querySelectorAll(".field-error")) e.remove();
  for (const e of form.querySelectorAll(".invalid")) e.classList.remove("invalid");
  const box = form.querySelector(".form-error");
  box.hidden = true; box.textContent = "";
}

/* Show a refusal: each violation next to the field it names, the rest above the button. */
function showProblem(form, problem, status) {
  const box = form.querySelector(".form-error");
  const loose = [];
  for (const v of (problem && problem.violations) || []) {
    const name = String(v.field || "").replace(/^body\./, "");
    const holder = name && (form.querySelector(`[data-field="${CSS.escape(name)}"]`) ||
      form.querySelector(`[data-field^="${CSS.escape(name.split(".")[0])}"]`));
    if (holder) {
      holder.classList.add("invalid");
      holder.insertAdjacentHTML("beforeend", `<p class="field-error error" data-testid="field-error">${escF(v.message)}</p>`);
    } else loose.push(v.message);
  }
  if (!loose.length && !(problem && problem.violations && problem.violations.length)) {
    loose.push((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
  }
  if (loose.length) { box.textContent = loose.join(tf("sep.items")); box.hidden = false; }
}

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `k-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/* POST ``body`` to ``path``; answers {ok, status, body}. ``version`` becomes If-Match. */
async function postCommand(path, body, { version = null, key = newKey() } = {}) {
  const headers = { Authorization: `Bearer ${state.token}`, "Content-Type": "application/json",
    "Accept-Language": state.lang === "en" ? "en" : "zh-CN", "Idempotency-Key": key };
  if (version != null) headers["If-Match"] = `"${version}"`;
  const res = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  let answer = null;
  try { answer = await res.json(); } catch (err) { answer = null; }
  return { ok: res.ok, status: res.status, body: answer };
}

/* Upload a photo to the evidence store; answers its citation ("sha256:<hex>"), the
 * text a command cites in ``evidence`` so the event's leaf commits to the file. */
async function uploadEvidence(file) {
  const data = new FormData();
  data.append("file", file, file.name || "photo.jpg");
  const res = await fetch("/evidence", { method: "POST", body: data, headers: {
    Authorization: `Bearer ${state.token}`, "Accept-Language": state.lang === "en" ? "en" : "zh-CN" } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error((body && (body.detail || body.title)) || `HTTP ${res.status}`), { body });
  return body.evidence || `sha256:${body.sha256}`;
}

/* An evidence file shown through the API (the token cannot ride on an <img src>):
 * the page-sized variant (GET /evidence/{sha256}/page) or the original. */
async function evidenceImage(cited, { variant = true } = {}) {
  const sha = String(cited).replace(/^sha256:/, "");
  const url = variant ? `/evidence/${sha}/page` : `/evidence/${sha}`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${state.token}` } });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

/* Wire photo inputs: each chosen file is uploaded at once and its hash kept. */
function wirePhotos(form) {
  for (const input of form.querySelectorAll("input[data-kind=photos]")) {
    input.addEventListener("change", async () => {
      const name = input.dataset.name;
      const hidden = form.querySelector(`input[type=hidden][name="${name}"]`);
      const thumbs = form.querySelector(`.thumbs[data-for="${name}"]`);
      const hashes = hidden.value ? hidden.value.split(",") : [];
      for (const file of input.files) {
        const slot = document.createElement("span");
        slot.className = "thumb pending";
        slot.textContent = tf("form.upload.pending");
        thumbs.appendChild(slot);
        try {
          const sha = await uploadEvidence(file);
          hashes.push(sha);
          slot.className = "thumb";
          slot.dataset.sha = sha;
          slot.setAttribute("data-testid", "photo-uploaded");
          slot.innerHTML = `<img alt="${escF(tf("photo"))}" src="${URL.createObjectURL(file)}">`;
        } catch (err) {
          slot.className = "thumb error";
          slot.textContent = err.message;
        }
      }
      hidden.value = hashes.join(",");
    });
  }
}

/* The last event of a case: who changed it meanwhile, for a conflicting edit. */
async function lastChange(caseId) {
  try {
    const events = await api(`/hazards/${caseId}/timeline`, {}, { asOf: false });
    return events[events.length - 1];
  } catch (err) { return null; }
}

/* Make ``form`` submit ``path``; on success call ``done(answer)``. A refusal is shown in
 * place; a stale version says who changed the case and when. One Idempotency-Key per
 * submission, kept until it is answered, so a retried click never records twice. */
function wireCommand(form, path, { version = null, caseId = null, extend = null, done = () => {} } = {}) {
  wirePhotos(form);
  let key = null;
  form.addEventListener("input", () => { key = null; });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    key = key || newKey();
    try {
      const body = formBody(form);
      if (extend) Object.assign(body, extend(body));
      const answer = await postCommand(path, body, { version: typeof version === "function" ? version() : version, key });
      if (answer.ok) {
        key = null;
        const ok = form.querySelector(".form-done");
        ok.textContent = tf("form.done"); ok.hidden = false;
        done(answer.body);
        return;
      }
      if ((answer.status === 409 || answer.status === 412) && caseId) {
        const last = await lastChange(caseId);
        const who = last ? tf("form.conflict.who", { actor: last.actor, time: beijing(last.recorded_at),
          event: Labels.of("event", last.event) }) : tf("form.conflict.someone");
        showProblem(form, { detail: tf("form.conflict", { who }) }, answer.status);
        form.querySelector(".form-error").setAttribute("data-testid", "conflict");
      } else {
        showProblem(form, answer.body, answer.status);
      }
      if (answer.status < 500) key = null; // refused: a corrected form is a new request
    } catch (err) {
      showProblem(form, { detail: tf("form.offline", { m: err.message }) }, 0);
    } finally { button.disabled = false; }
  });
}

window.CASE_STEPS = CASE_STEPS;
window.OBSERVED_ACTIVITY = OBSERVED_ACTIVITY;
