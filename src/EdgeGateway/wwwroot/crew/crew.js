// Crew page: polls the local API once a second (no reload) and draws per-engine states and alerts.
// Everything is served by the gateway itself; no external scripts or fonts.
"use strict";
const API = "/api/v1";
const params = new URLSearchParams(location.search);
const apiKey = params.get("key") || sessionStorage.getItem("edgegateway-key") || "";
if (params.get("key")) sessionStorage.setItem("edgegateway-key", apiKey);

// Enum values arrive as strings; compare them in lower case whatever casing the JSON uses.
const lc = v => String(v ?? "").toLowerCase();
function normalise(a) {
  return { ...a, state: lc(a.state), severity: lc(a.severity), audience: lc(a.audience), source: lc(a.source) };
}

function stateOf(alerts, position) {
  const mine = alerts.filter(a => a.enginePosition === position && a.audience === "crew" && a.state !== "cleared");
  if (mine.some(a => a.severity === "warning")) return ["nogo", "DO NOT DISPATCH"];
  if (mine.some(a => a.severity === "caution")) return ["inspect", "INSPECT"];
  return ["ok", "OK"];
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function acknowledge(id, button) {
  button.disabled = true;
  const r = await fetch(`${API}/alerts/${encodeURIComponent(id)}/acknowledge`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Api-Key": apiKey },
    body: JSON.stringify({ by: "gate crew", via: "crew-page" }),
  });
  if (!r.ok) { button.disabled = false; button.textContent = `Acknowledge failed (${r.status})`; }
  await refresh();
}

function drawSignal(canvas, series) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width = canvas.clientWidth, h = canvas.height = canvas.clientHeight;
  ctx.clearRect(0, 0, w, h);
  const all = series.flatMap(s => s.values).filter(v => v !== null && isFinite(v));
  if (all.length < 2) return;
  const lo = Math.min(...all), hi = Math.max(...all), span = hi - lo || 1;
  series.forEach(s => {
    ctx.strokeStyle = s.color; ctx.lineWidth = s.width; ctx.beginPath();
    let pen = false; // a gap (null) lifts the pen: never draw across missing data
    s.values.forEach((v, i) => {
      if (v === null || !isFinite(v)) { pen = false; return; }
      const x = i / (s.values.length - 1) * w, y = h - (v - lo) / span * (h - 8) - 4;
      pen ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
  });
  // Scale: the highest and lowest value shown, so the size of a change can be read.
  ctx.fillStyle = "#000"; ctx.font = "14px system-ui, sans-serif";
  ctx.fillText(hi.toPrecision(4), 4, 14);
  ctx.fillText(lo.toPrecision(4), 4, h - 4);
}

async function loadSignal(alert, canvas, caption) {
  const r = await fetch(`${API}/alerts/${encodeURIComponent(alert.id)}/signal`);
  if (!r.ok) { caption.textContent = "signal not available"; return; }
  const s = await r.json();
  caption.textContent = `${s.channel} (${s.unit}), last ${s.raw.length} s — blue: raw, black: conditioned`;
  drawSignal(canvas, [
    { values: s.raw, color: "#2f6fd0", width: 1.5 },
    { values: s.conditioned, color: "#000", width: 3 },
  ]);
}

let lastAlerts = "";
const charts = new Map(); // alert id -> [alert, canvas, caption]: redrawn every few seconds
let tick = 0;
async function refresh() {
  const conn = document.getElementById("connection");
  try {
    const [status, alerts] = await Promise.all([
      fetch(`${API}/status`).then(r => r.json()),
      fetch(`${API}/alerts`).then(r => r.json()).then(list => list.map(normalise)),
    ]);
    conn.textContent = `gateway ${status.state}`; conn.className = "conn";
    document.getElementById("aircraft").textContent = `Engine health — ${status.tail}`;
    const engines = document.getElementById("engines");
    engines.replaceChildren(...Array.from({ length: status.engineCount }, (_, i) => {
      const [cls, text] = stateOf(alerts, i + 1);
      const card = el("div", `engine ${cls}`);
      card.dataset.engine = String(i + 1);
      card.append(el("div", "name", `ENG ${i + 1}`), el("div", "state", text));
      return card;
    }));
    const crewAlerts = alerts.filter(a => a.audience === "crew");
    const key = JSON.stringify(crewAlerts.map(a => [a.id, a.state, a.count, a.severity]));
    if (key === lastAlerts) {
      if (++tick % 5 === 0) charts.forEach(([a, c, cap]) => loadSignal(a, c, cap));
      return;
    }
    lastAlerts = key;
    charts.clear();
    document.getElementById("no-alerts").hidden = crewAlerts.length > 0;
    document.getElementById("alerts").replaceChildren(...crewAlerts.map(a => {
      const li = el("li", `alert ${a.severity} ${a.state}`);
      li.dataset.alertId = a.id;
      li.append(el("div", "text", a.text));
      li.append(el("div", "meta", `${a.severity.toUpperCase()} · ${a.parameter} · ${a.state}${a.acknowledgedBy ? " by " + a.acknowledgedBy : ""} · since ${new Date(a.raisedAt).toLocaleTimeString()}`));
      const canvas = el("canvas");
      const caption = el("div", "caption", "");
      li.append(canvas, caption);
      loadSignal(a, canvas, caption);
      charts.set(a.id, [a, canvas, caption]);
      const b = el("button", "ack", a.state === "raised" ? "Acknowledge" : "Acknowledged");
      b.disabled = a.state !== "raised";
      b.addEventListener("click", () => acknowledge(a.id, b));
      li.append(b);
      return li;
    }));
  } catch (e) {
    conn.textContent = "gateway not reachable"; conn.className = "conn down";
  }
}
refresh();
setInterval(refresh, 1000);
