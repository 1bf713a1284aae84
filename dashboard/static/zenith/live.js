// Live updates: one websocket per page (/ws/live/), subscribed to the kinds the page shows.
//
// - <tbody data-live="instances" data-row-url="/project/instances/__ID__/row/">: on a change the
//   row is fetched from data-row-url and replaced, prepended, or removed (404 or op "delete").
//   Any kind works the same way (volumes, snapshots, backups, images, ports, containers).
// - <div data-live="instances" data-id="…"> on a detail page: every block showing that resource
//   (its header, its fields; several told apart by data-live-part) is re-read from the page
//   itself, rendered by the server, on a change of the resource.
// - [data-live="overview"][data-part-url="/project/overview-part/"]: on a change the part (quota
//   gauges and counts by status) is fetched from data-part-url, rendered by the server, and
//   swapped in.
// - [data-live="diagnostics"][data-id]: Chart.js charts of an instance's usage (Nova's diagnostics).
// - [data-live="metrics"][data-id]: the instance's Usage card (instances/usage.js draws it from the
//   "live:metrics" events).
// - [data-console-for]: buttons asking for a fresh console URL, opened in a new tab.
// The #live-indicator badge says whether the socket is up; the socket reconnects with backoff,
// and when websockets do not work at all (or the server refuses the page's origin: 4403) the
// tables are refreshed from the page every 15 s.
(() => {
  "use strict";
  const indicator = document.getElementById("live-indicator");
  const REFRESH_EVERY = 15000;
  const liveNodes = () => Array.from(document.querySelectorAll("[data-live]"));
  const consoleButtons = () => Array.from(document.querySelectorAll("[data-console-for]"));
  if (!liveNodes().length && !consoleButtons().length) return;

  let socket = null;
  let attempts = 0;
  let everOpened = false;
  let openedBefore = false;
  let stopped = false;
  let fallbackTimer = null;
  const pendingConsoles = new Map(); // server id -> window opened on click
  const charts = new Map(); // server id -> {name: Chart}
  // kinds watched per object (data-id), drawn as charts: never re-read from the page
  const CHARTS = new Set(["diagnostics", "metrics"]);

  function show(state, text) {
    if (!indicator) return;
    const styles = { live: "text-bg-success", connecting: "text-bg-secondary", reconnecting: "text-bg-warning", off: "text-bg-danger", polling: "text-bg-info" };
    indicator.className = `badge ms-2 ${styles[state] || "text-bg-secondary"}`;
    indicator.dataset.state = state;
    indicator.textContent = text;
    indicator.title = { live: gettext("Live updates are on"), reconnecting: gettext("Live updates lost; reconnecting"), polling: gettext("Live updates unavailable; refreshing every 15 s"), off: text }[state] || text;
  }

  function subscriptions() {
    const subs = [];
    const seen = new Set();
    for (const node of liveNodes()) {
      const kind = node.dataset.live;
      const id = CHARTS.has(kind) ? node.dataset.id : undefined;
      const key = `${kind}:${id || ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      subs.push(id ? { type: "subscribe", kind, id } : { type: "subscribe", kind });
    }
    return subs;
  }

  function connect() {
    if (stopped) return;
    show(attempts ? "reconnecting" : "connecting", attempts ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    try {
      socket = new WebSocket(`${scheme}://${location.host}/ws/live/`);
    } catch {
      socket = null;
      retry();
      return;
    }
    socket.addEventListener("open", () => {
      const reconnected = openedBefore;
      attempts = 0;
      everOpened = true;
      openedBefore = true;
      stopFallback();
      show("live", pgettext("live updates indicator", "live"));
      for (const sub of subscriptions()) socket.send(JSON.stringify(sub));
      // messages sent while we were away are lost: catch up once from the page itself
      if (reconnected) refreshFromPage();
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      handle(message);
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if (event.code === 4401) {
        stopped = true;
        show("off", gettext("session ended"));
        // the session expired, was logged out or moved to another project: reloading lets the
        // server decide (login with "session expired" and a way back here, or the new project).
        // At most once a minute, so a socket refused for another reason cannot loop.
        const last = Number(sessionStorage.getItem("zenith-session-reload") || 0);
        if (Date.now() - last > 60000) {
          sessionStorage.setItem("zenith-session-reload", String(Date.now()));
          location.reload();
        }
        return;
      }
      if (event.code === 4403) {
        // refused for its origin (dashboard/guards.py): this page is not served from Zenith's own
        // address as the server sees it (a proxy's settings); retrying would be refused again
        stopped = true;
        startFallback();
        return;
      }
      // any other code reconnects with backoff: 1006 (the connection was cut), 1012 (the server is
      // restarting: uvicorn closes its sockets so on SIGTERM), 1001 (going away)
      retry();
    });
  }

  function retry() {
    attempts += 1;
    if (!everOpened && attempts >= 3) startFallback();
    const delay = Math.min(30000, 1000 * 2 ** Math.min(attempts - 1, 5)) + Math.random() * 500;
    if (!fallbackTimer) show("reconnecting", gettext("reconnecting"));
    setTimeout(connect, delay);
  }

  // --- messages ----------------------------------------------------------------------------
  function handle(message) {
    if (message.type === "change") {
      if (message.kind === "overview") updatePart(message.kind);
      else if (message.kind === "diagnostics") updateDiagnostics(message);
      else if (!CHARTS.has(message.kind)) updateRow(message);
    } else if (message.type === "console") {
      openConsole(message);
    } else if (message.type === "error") {
      if (message.code === "refused") {
        for (const node of liveNodes()) {
          if (node.dataset.live === message.kind) node.dispatchEvent(new CustomEvent("live:refused", { detail: message }));
        }
      }
      if (message.code === "console") openConsole({ error: message.message });
    }
    document.dispatchEvent(new CustomEvent("live:message", { detail: message }));
    // per kind too, for parts re-fetched by htmx (hx-trigger="live:routers from:document")
    if (message.type === "change") document.dispatchEvent(new CustomEvent(`live:${message.kind}`, { detail: message }));
  }

  // --- table rows --------------------------------------------------------------------------
  const inFlight = new Map(); // "kind:id" -> true while a fetch runs; "again" if another came
  const latestVersion = new Map(); // "kind:id" -> the newest version announced

  function rowIn(tbody, id) {
    return Array.from(tbody.rows).find((row) => row.dataset.id === id) || null;
  }

  async function updateRow(message) {
    // a detail page: each <div data-live="instances" data-id="…"> (its header, its fields: every
    // block about the resource, told apart by data-live-part) is re-read from the page itself
    const parts = liveNodes().filter((n) => n.dataset.live === message.kind && n.tagName !== "TBODY" && n.dataset.id === message.id);
    if (parts.length) refreshParts(parts);
    const bodies = liveNodes().filter((n) => n.dataset.live === message.kind && n.tagName === "TBODY");
    for (const tbody of bodies) {
      if (message.op === "delete") {
        rowIn(tbody, message.id)?.remove();
        continue;
      }
      // a row this table does not show yet: only tables that take new rows (data-live-insert,
      // e.g. not a filtered or later page) fetch it
      if (!rowIn(tbody, message.id) && tbody.dataset.liveInsert === "false") continue;
      const key = `${message.kind}:${message.id}`;
      latestVersion.set(key, message.v);
      if (inFlight.has(key)) { inFlight.set(key, "again"); continue; }
      try {
        do {
          inFlight.set(key, true);
          await fetchRow(tbody, message.id, latestVersion.get(key));
        } while (inFlight.get(key) === "again");
      } finally {
        inFlight.delete(key);
      }
    }
  }

  async function fetchRow(tbody, id, version) {
    const template = tbody.dataset.rowUrl;
    if (!template) return;
    const url = template.replace("__ID__", encodeURIComponent(id)) + (version ? `?v=${encodeURIComponent(version)}` : "");
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    });
    if (response.status === 404) { rowIn(tbody, id)?.remove(); return; }
    if (!response.ok || response.redirected) return;
    const holder = document.createElement("tbody");
    holder.innerHTML = (await response.text()).trim();
    const fresh = holder.querySelector("tr");
    if (!fresh) return;
    const current = rowIn(tbody, id);
    if (current) {
      current.replaceWith(fresh);
    } else {
      for (const row of Array.from(tbody.rows)) if (!row.dataset.id) row.remove(); // "no rows" line
      tbody.prepend(fresh);
    }
    fresh.classList.add("live-updated");
    if (window.htmx) window.htmx.process(fresh);
  }

  // The same live block in a fresh copy of the page: its kind, its resource (data-id) and which of
  // that resource's blocks it is (data-live-part: a detail page may show a header and, in a tab,
  // a block of fields about the same resource).
  function counterpart(doc, node) {
    let selector = `[data-live="${CSS.escape(node.dataset.live)}"]`;
    if (node.dataset.id) selector += `[data-id="${CSS.escape(node.dataset.id)}"]`;
    const part = node.dataset.livePart;
    selector += part ? `[data-live-part="${CSS.escape(part)}"]` : ":not([data-live-part])";
    return doc.querySelector(selector);
  }

  let partsTimer = null;
  function refreshParts() {
    // several changes in a burst cost one page fetch
    clearTimeout(partsTimer);
    partsTimer = setTimeout(async () => {
      try {
        const response = await fetch(location.href, { credentials: "same-origin" });
        if (!response.ok || response.redirected) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const node of liveNodes()) {
          if (node.tagName === "TBODY" || !node.dataset.id || CHARTS.has(node.dataset.live)) continue;
          const fresh = counterpart(doc, node);
          if (fresh) {
            node.innerHTML = fresh.innerHTML;
            if (window.htmx) window.htmx.process(node);
          }
        }
      } catch {
        // the next change tries again
      }
    }, 300);
  }

  // --- fallback: refresh from the page -----------------------------------------------------
  async function refreshFromPage() {
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const node of liveNodes()) {
        if (CHARTS.has(node.dataset.live)) continue;
        const fresh = counterpart(doc, node);
        if (fresh && node.tagName === fresh.tagName) {
          node.innerHTML = fresh.innerHTML;
          if (window.htmx) window.htmx.process(node);
        }
      }
    } catch {
      // offline: the next round tries again
    }
  }

  function startFallback() {
    if (fallbackTimer) return;
    show("polling", gettext("refreshing"));
    fallbackTimer = setInterval(refreshFromPage, REFRESH_EVERY);
  }

  function stopFallback() {
    if (fallbackTimer) clearInterval(fallbackTimer);
    fallbackTimer = null;
  }

  // --- parts: a block of the page rendered again by the server --------------------------------
  const partsInFlight = new Map(); // kind -> true while a fetch runs; "again" if another change came

  async function updatePart(kind) {
    const nodes = liveNodes().filter((n) => n.dataset.live === kind && n.dataset.partUrl);
    if (!nodes.length) return;
    if (partsInFlight.has(kind)) { partsInFlight.set(kind, "again"); return; }
    try {
      do {
        partsInFlight.set(kind, true);
        for (const node of nodes) await fetchPart(node);
      } while (partsInFlight.get(kind) === "again");
    } finally {
      partsInFlight.delete(kind);
    }
  }

  async function fetchPart(node) {
    try {
      const response = await fetch(node.dataset.partUrl, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      });
      if (!response.ok || response.redirected) return;
      node.innerHTML = await response.text();
      if (window.htmx) window.htmx.process(node);
    } catch {
      // offline: the next change tries again
    }
  }

  // --- diagnostics charts ------------------------------------------------------------------
  const SERIES = {
    cpu: [["cpu", gettext("CPU %")]],
    memory: [["mem_pct", gettext("used %")]],
    disk: [["disk_read", gettext("read")], ["disk_write", gettext("write")]],
    network: [["net_rx", gettext("received")], ["net_tx", gettext("sent")]],
  };

  function chartsFor(id) {
    if (charts.has(id)) return charts.get(id);
    const box = document.querySelector(`[data-live="diagnostics"][data-id="${CSS.escape(id)}"]`);
    if (!box || !window.Chart) return null;
    const made = {};
    for (const canvas of box.querySelectorAll("canvas[data-chart]")) {
      const name = canvas.dataset.chart;
      made[name] = new window.Chart(canvas, {
        type: "line",
        data: { labels: [], datasets: SERIES[name].map(([, label]) => ({ label, data: [], borderWidth: 1.5, pointRadius: 0, tension: 0.2 })) },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { ticks: { maxTicksLimit: 4 } }, y: { beginAtZero: true, suggestedMax: name === "cpu" || name === "memory" ? 100 : undefined } },
          plugins: { legend: { display: SERIES[name].length > 1, labels: { boxWidth: 10 } } },
        },
      });
    }
    charts.set(id, { box, made });
    return charts.get(id);
  }

  function addSamples(entry, samples, reset) {
    for (const [name, chart] of Object.entries(entry.made)) {
      if (reset) { chart.data.labels = []; chart.data.datasets.forEach((d) => { d.data = []; }); }
      for (const sample of samples) {
        chart.data.labels.push(new Date(sample.t * 1000).toLocaleTimeString());
        SERIES[name].forEach(([field], i) => chart.data.datasets[i].data.push(sample[field]));
      }
      const extra = chart.data.labels.length - 120;
      if (extra > 0) {
        chart.data.labels.splice(0, extra);
        chart.data.datasets.forEach((d) => d.data.splice(0, extra));
      }
      chart.update();
    }
  }

  function updateDiagnostics(message) {
    const entry = chartsFor(message.id);
    if (!entry) return;
    const status = entry.box.querySelector("[data-diagnostics-status]");
    if (message.op === "history") {
      addSamples(entry, message.samples || [], true);
      if (message.samples?.length && status) status.textContent = "";
    } else if (message.op === "sample") {
      addSamples(entry, [message.sample], false);
      if (status) status.textContent = "";
      entry.box.dataset.samples = String(Number(entry.box.dataset.samples || 0) + 1);
    } else if (message.op === "unavailable" && status) {
      status.textContent = message.message;
    }
  }

  // --- console -----------------------------------------------------------------------------
  function consoleStatus(id, text) {
    // a detail page's, or the one in a list's row
    const node = document.querySelector(`[data-console-status="${CSS.escape(id)}"]`) || document.querySelector(`tr[data-id="${CSS.escape(id)}"] .console-status`);
    if (node) node.textContent = text;
  }

  function openConsole(message) {
    const id = message.id || Array.from(pendingConsoles.keys()).pop();
    const tab = pendingConsoles.get(id);
    pendingConsoles.delete(id);
    if (!message.url) {
      tab?.close();
      if (id) consoleStatus(id, message.error || gettext("No console available."));
      return;
    }
    consoleStatus(id, "");
    if (tab && !tab.closed) {
      tab.location.href = message.url;
    } else if (!window.open(message.url, "_blank", "noopener")) {
      consoleStatus(id, gettext("Pop-up blocked: allow pop-ups for this site to open the console."));
    }
  }

  async function consoleByPost(button, id, kind) {
    const csrf = document.querySelector("[name=csrfmiddlewaretoken]")?.value || JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    try {
      const body = new URLSearchParams(kind ? { console_type: kind } : {});
      const response = await fetch(button.dataset.consoleUrl, { method: "POST", credentials: "same-origin", body, headers: { "X-CSRFToken": csrf || "", Accept: "application/json" } });
      openConsole({ id, ...(await response.json()) });
    } catch {
      openConsole({ id, error: gettext("Could not reach Zenith to ask for a console.") });
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-console-for]");
    if (!button) return;
    event.preventDefault();
    const id = button.dataset.consoleFor;
    // the kind asked for, when the page offers several (none: the first the cloud gives)
    const kind = button.dataset.consoleType || "";
    // open the tab now, inside the click, so pop-up blockers allow it; the URL follows
    const tab = window.open("about:blank", "_blank");
    if (tab) tab.opener = null;
    pendingConsoles.set(id, tab);
    consoleStatus(id, gettext("Opening console…"));
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "console", id, console_type: kind }));
    } else {
      consoleByPost(button, id, kind);
    }
  });

  if (liveNodes().length || consoleButtons().length) connect();
})();
