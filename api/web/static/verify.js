/* The page that checks a printed paper: /verify.
 *
 * The QR code of a paper holds binary data (a seal), which a browser's BarcodeDetector
 * cannot hand back byte for byte; so the page uses the camera (getUserMedia) and the
 * detector only to notice a code in view, then sends the frame as a picture to
 * POST /verify-print, where the same verifier as `ledger verify-print` decodes and judges
 * it with the keys the server trusts. An uploaded photo or PDF goes the same way. The
 * page needs no sign-in: holding the paper is enough to check it. It is read in the
 * language ?lang= names (Chinese without it); its texts are i18n.js's ("verify.*").
 */
"use strict";

let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
let lastAnswer = null;
const $ = (sel) => document.querySelector(sel);
const t = (key, params) => i18nText(lang, `verify.${key}`, params);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function translate() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  applyI18n(lang);
  if (lastAnswer) show(lastAnswer);
}

const OK = new Set(["verified"]);
const PARTIAL = new Set(["checkpoint_only", "content_unchecked", "compare_by_eye"]);

function show(answer) {
  lastAnswer = answer;
  const box = $("#verdict");
  box.hidden = false;
  box.dataset.status = answer.status || "";
  box.className = `verdict ${OK.has(answer.status) ? "ok" : PARTIAL.has(answer.status) ? "partial" : "bad"}`;
  const message = lang === "en" ? answer.message_en || answer.detail : answer.message_zh || answer.detail;
  const list = (title, lines, mark) => (lines && lines.length
    ? `<p>${esc(title)}</p><ul>${lines.map((l) => `<li>${mark} ${esc(l)}</li>`).join("")}</ul>` : "");
  let html = `<p data-testid="verdict-message"><b>${esc(message || answer.title || "")}</b></p>`;
  html += list(t("differing"), answer.differing, "✗");
  html += list(t("compare"), answer.compare, "☐");
  if (OK.has(answer.status) && answer.events) {
    html += list(t("events"), answer.events.map((e) => `#${e.seq} · ${e.leaf_hash.slice(0, 16)}…`), "✓");
  }
  if (answer.region && answer.month) html += `<p class="muted">${esc(answer.region)} · ${esc(answer.month)} · ${esc(answer.known_at || "")}</p>`;
  html += list(t("links"), answer.short_links, "→");
  if (answer.checkpoint) {
    html += `<p class="muted">${esc(t("checkpoint"))} ${esc(answer.checkpoint.origin)} · ` +
      `${esc(t("size"))} ${esc(answer.checkpoint.tree_size)}</p>`;
  }
  box.innerHTML = html;
}

async function send(blob) {
  const box = $("#verdict");
  box.hidden = false;
  box.className = "verdict";
  box.textContent = t("checking");
  try {
    const res = await fetch("/verify-print", { method: "POST", body: blob,
      headers: { "Accept-Language": lang === "en" ? "en" : "zh-CN" } });
    show(await res.json());
  } catch (err) {
    show({ status: "error", message_zh: i18nText("zh", "verify.failed", { m: err.message }),
      message_en: i18nText("en", "verify.failed", { m: err.message }) });
  }
}

/* ---- the camera ---------------------------------------------------------------- */

let stream = null;

function frame() {
  const video = $("#video");
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

function stop() {
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  $("#video").hidden = true;
  $("#snap").hidden = true;
}

async function startCamera() {
  const note = $("#camera-note");
  note.hidden = true;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch (err) {
    note.textContent = t("nocamera");
    note.hidden = false;
    return;
  }
  const video = $("#video");
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  $("#snap").hidden = false;
  if (!("BarcodeDetector" in window)) {
    note.textContent = t("nodetector");
    note.hidden = false;
    return;
  }
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const look = async () => {
    if (!stream) return;
    try {
      const found = await detector.detect(video);
      if (found.length) {
        const blob = await frame();
        stop();
        await send(blob);
        return;
      }
    } catch (err) { /* a frame not ready yet: look again */ }
    setTimeout(look, 300);
  };
  look();
}

$("#camera").addEventListener("click", startCamera);
$("#snap").addEventListener("click", async () => { const blob = await frame(); stop(); await send(blob); });
$("#file").addEventListener("change", (e) => { const file = e.target.files[0]; if (file) send(file); });
$("#lang").addEventListener("click", () => { lang = lang === "en" ? "zh" : "en"; translate(); });
translate();
