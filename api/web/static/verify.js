/* The page that checks a printed paper: /verify.
 *
 * The QR code of a paper holds binary data (a seal), which a browser's BarcodeDetector
 * cannot hand back byte for byte; so the page uses the camera (getUserMedia) and the
 * detector only to notice a code in view, then sends the frame as a picture to
 * POST /verify-print, where the same verifier as `ledger verify-print` decodes and judges
 * it with the keys the server trusts. An uploaded photo or PDF goes the same way. The
 * page needs no sign-in: holding the paper is enough to check it.
 */
"use strict";

const TEXT = {
  zh: {
    brand: "隐患排查治理台账", title: "文书核验", camera: "打开摄像头扫描", snap: "拍照核验",
    intro: "扫描打印文书上的核验二维码，或上传文书的照片、扫描件或 PDF，核对纸面内容是否与账本中已签名的记录一致。",
    upload: "上传照片或 PDF（不超过 10 MB）", checking: "正在核验……",
    nocamera: "无法使用摄像头：请改为上传照片或 PDF。",
    nodetector: "此浏览器不能自动识别二维码：对准二维码后点击“拍照核验”。",
    failed: "核验请求失败", differing: "与账本不一致的内容：", compare: "请逐行对照纸面：",
    events: "已核验的记录：", checkpoint: "检查点", size: "树大小", links: "短链接：",
  },
  en: {
    brand: "hazard-ledger", title: "Verify a printed document", camera: "Scan with the camera",
    snap: "Take a picture and verify",
    intro: "Scan the verification QR code of a printed document, or upload a photo, scan or PDF of it, to check the paper against signed records of the ledger.",
    upload: "Upload a photo or PDF (at most 10 MB)", checking: "Verifying…",
    nocamera: "The camera cannot be used: upload a photo or PDF instead.",
    nodetector: "This browser cannot find QR codes by itself: point at the code and take a picture.",
    failed: "The verification request failed", differing: "Lines that differ from the ledger:",
    compare: "Compare with the paper, line by line:", events: "Records verified:",
    checkpoint: "checkpoint", size: "tree size", links: "Short links:",
  },
};

let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
let lastAnswer = null;
const $ = (sel) => document.querySelector(sel);
const t = (key) => TEXT[lang][key] || TEXT.zh[key] || key;
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function translate() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("#lang").textContent = lang === "en" ? "中文" : "EN";
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
    show({ status: "error", message_zh: `${TEXT.zh.failed}：${err.message}`, message_en: `${TEXT.en.failed}: ${err.message}` });
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
