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
  { cmd: "grade_hazard", path: "grade", title: "定级", en: "Grade", when: ["reported", "graded", "reopened"],
    fields: [{ name: "grade", label: "隐患等级", kind: "choice", group: "grade", required: true },
      { name: "category", label: "一般隐患类别", kind: "choice", group: "general_category" },
      { name: "criteria", label: "判定依据（重大隐患必填）", kind: "criteria" }] },
  { cmd: "rectify_on_spot", path: "rectify-on-spot", title: "立查立改", en: "Rectify on the spot",
    when: ["reported", "graded"],
    fields: [{ name: "measures", label: "整改措施", kind: "textarea", required: true },
      { name: "evidence", label: "整改照片", kind: "photos" }] },
  { cmd: "assign_rectification", path: "assign", title: "交办限期整改", en: "Assign", when: ["graded", "reopened"],
    fields: [{ name: "department", label: "责任部门", kind: "text", required: true },
      { name: "deadline", label: "整改期限", kind: "datetime", required: true, defaultDays: 30 },
      { name: "requirements", label: "整改要求", kind: "textarea", required: true }] },
  { cmd: "file_plan", path: "plan", title: "提交治理方案", en: "File the plan", when: ["assigned"],
    fields: PLAN_PARTS.map((p) => ({ name: `plan.${p}`, group: "plan", code: p,
      kind: "textarea", required: true })) },
  { cmd: "record_interim_controls", path: "interim-controls", title: "临时管控措施", en: "Interim controls",
    when: ["graded", "assigned"],
    fields: [{ name: "controls", label: "监控防范措施", kind: "textarea", required: true }] },
  { cmd: "report_rectification", path: "rectification", title: "报告整改完成", en: "Report rectification",
    when: ["assigned"],
    fields: [{ name: "measures", label: "整改措施", kind: "textarea", required: true },
      { name: "completed_at", label: "整改完成时间", kind: "datetime", required: true },
      { name: "evidence", label: "整改照片", kind: "photos" }] },
  { cmd: "file_assessment", path: "assessment", title: "提交评估", en: "File assessment",
    when: ["assigned", "rectification_reported"],
    fields: [{ name: "summary", label: "评估结论", kind: "textarea", required: true }] },
  { cmd: "extend_deadline", path: "extend", title: "延期", en: "Extend deadline", when: ["assigned"],
    fields: [{ name: "new_deadline", label: "新期限", kind: "datetime", required: true, defaultDays: 45 },
      { name: "reason", label: "延期理由", kind: "textarea", required: true },
      { name: "approver", label: "批准人", kind: "text", required: true }] },
  { cmd: "verify_rectification", path: "verify", title: "复查验收", en: "Verify", when: ["rectification_reported"],
    fields: [{ name: "accepted", label: "复查结论", kind: "bool", yes: "复查通过", no: "复查不通过", required: true },
      { name: "opinion", label: "复查意见", kind: "textarea", required: true }] },
  { cmd: "close_hazard", path: "close", title: "销号", en: "Close", when: ["verified"], fields: [] },
  { cmd: "reopen_hazard", path: "reopen", title: "重新打开", en: "Reopen", when: ["closed"],
    fields: [{ name: "reason", label: "理由", kind: "textarea", required: true }] },
  /* Only a sensor's alarm, before grading, can prove false (HazardCase.dismiss decides). */
  { cmd: "dismiss_false_alarm", path: "dismiss", title: "误报核销", en: "Dismiss a false alarm",
    when: ["reported"], only: { status: ["reported"], source: ["sensor"] },
    fields: [{ name: "reason", label: "误报核销理由", kind: "textarea", required: true }] },
  { cmd: "list_for_supervision", path: "list", title: "挂牌督办", en: "List for supervision",
    when: ["graded", "assigned"],
    fields: [{ name: "level", label: "督办层级", kind: "choice", group: "listing_level", required: true },
      { name: "authority", label: "督办单位", kind: "text", required: true }] },
  { cmd: "delist", path: "delist", title: "摘牌", en: "De-list", when: ["closed"], fields: [] },
  { cmd: "escalate", path: "escalate", title: "升级督办", en: "Escalate", when: ["assigned"],
    fields: [{ name: "level", label: "升级至", kind: "choice", group: "listing_level", required: true },
      { name: "reason", label: "理由", kind: "textarea", required: true }] },
];

const ISSUE_ACTION = { cmd: "issue_action", title: "下达执法文书 / 罚款", en: "Issue an order or fine",
  fields: [{ name: "kind", label: "文书种类", kind: "choice", group: "kind", required: true },
    { name: "document_number", label: "文书编号", kind: "text", required: true },
    { name: "department", label: "执法部门", kind: "text", required: true },
    { name: "legal_basis", label: "法律依据", kind: "textarea", required: true },
    { name: "device_code", label: "责令停止使用的设备（注册代码，不针对设备不填）", kind: "text" },
    { name: "site_part", label: "责令停工的场所部位（不针对部位不填）", kind: "text" },
    { name: "fine_amount", label: "罚款金额（元，无罚款不填）", kind: "number" },
    { name: "description", label: "说明", kind: "textarea" }] };

/* A standing order (stop-work, stop-use) whose object is seen operating: recorded on the
 * order itself, not as a new hazard. */
const OBSERVED_ACTIVITY = { cmd: "record_observed_activity", title: "记录被停对象仍在运行", en: "Record observed operation",
  fields: [{ name: "description", label: "检查发现的运行情况", kind: "textarea", required: true },
    { name: "evidence", label: "现场照片", kind: "photos" }] };

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
  { name: "occurred_at", label: "发生时间", kind: "datetime", required: true, now: true },
  { name: "justification", label: "补录原因（超过7天补录时必填）", kind: "text" },
];

const escF = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function formFieldLabel(f) {
  if (f.group === "plan" && f.code) return Labels.of("plan", f.code);
  if (f.name.startsWith("details.")) return f.label; // a sector's own field, named by its sector
  return Labels.lang === "en" ? Labels.table[`field.${f.name}`] || f.name.replace(/_/g, " ") : f.label;
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
    control = `<select id="${id}" name="${f.name}" ${req}><option value="">请选择</option>${choices
      .map(([code, name]) => `<option value="${escF(code)}" ${f.value === code ? "selected" : ""}>${escF(name)}</option>`)
      .join("")}</select>`;
  } else if (f.kind === "bool") {
    // no answer is chosen for the user: an unanswered question is sent as unanswered
    control = `<select id="${id}" name="${f.name}" data-kind="bool" ${req}><option value="">请选择</option>
      <option value="true">${escF(f.yes || "是")}</option><option value="false">${escF(f.no || "否")}</option></select>`;
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
      <input id="${id}" name="${f.name}" data-kind="list" placeholder="条款编号，多个用逗号分隔">`;
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
  return `<legend>行业信息</legend>${details.map((d) => inputHtml({
    name: `details.${d.name}`, label: Labels.lang === "en" ? d.label_en : d.label_zh, required: d.required,
    kind: ["choice", "bool", "number"].includes(d.kind) ? d.kind : "text",
    choices: (d.choices || []).map((x) => [x, Labels.of("detail_choice", `${d.name}.${x}`)]) })).join("")}`;
}

function formHtml(spec, { testid = spec.cmd, extra = "", timed = true } = {}) {
  const fields = [...spec.fields, ...(timed ? TIMED : [])];
  return `<form class="command" data-testid="form-${testid}" data-cmd="${spec.cmd}" novalidate>
    ${fields.map((f) => inputHtml(f)).join("")}${extra}
    <div class="form-error error" role="alert" hidden></div>
    <button type="submit" class="primary">${escF(Labels.lang === "en" ? spec.en || spec.title : spec.title)}</button>
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
    else if (kind === "list") value = value ? value.split(/[,，、\s]+/).filter(Boolean) : [];
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
  if (loose.length) { box.textContent = loose.join("；"); box.hidden = false; }
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
        slot.textContent = "上传中…";
        thumbs.appendChild(slot);
        try {
          const sha = await uploadEvidence(file);
          hashes.push(sha);
          slot.className = "thumb";
          slot.dataset.sha = sha;
          slot.setAttribute("data-testid", "photo-uploaded");
          slot.innerHTML = `<img alt="照片" src="${URL.createObjectURL(file)}">`;
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
        ok.textContent = "已记录"; ok.hidden = false;
        done(answer.body);
        return;
      }
      if ((answer.status === 409 || answer.status === 412) && caseId) {
        const last = await lastChange(caseId);
        const who = last ? `${last.actor}于 ${beijing(last.recorded_at)}（${Labels.of("event", last.event)}）` : "他人";
        showProblem(form, { detail: `案卷已被 ${who} 修改，请刷新后重新办理` }, answer.status);
        form.querySelector(".form-error").setAttribute("data-testid", "conflict");
      } else {
        showProblem(form, answer.body, answer.status);
      }
      if (answer.status < 500) key = null; // refused: a corrected form is a new request
    } catch (err) {
      showProblem(form, { detail: `网络不可用，请稍后重试（${err.message}）` }, 0);
    } finally { button.disabled = false; }
  });
}

window.CASE_STEPS = CASE_STEPS;
window.OBSERVED_ACTIVITY = OBSERVED_ACTIVITY;
