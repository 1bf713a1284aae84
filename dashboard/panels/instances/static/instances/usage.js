// The Usage card of an instance's page (instances/_usage.html): Chart.js charts of the series the
// server rendered as JSON (#usage-charts' data-usage, in the card's body, swapped by htmx on each
// change of range), and the new points the "metrics" poller sends live (live.js dispatches them as
// "live:metrics" events) added to the ranges drawn with 1 min buckets.
(() => {
  "use strict";
  if (window.zenithUsageCard) return; // loaded once per page
  window.zenithUsageCard = true;
  const KEEP = 1500; // points per chart at most (a day of minutes)
  let drawn = null; // {data, charts: {key: {chart, times, names}}}

  const card = () => document.getElementById("usage");
  const locale = () => document.getElementById("usage-charts")?.dataset.locale || document.documentElement.lang || undefined;

  function number(value, digits) {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
  }

  function perSecond(value) {
    const units = [gettext("B/s"), gettext("KiB/s"), gettext("MiB/s"), gettext("GiB/s")];
    let i = 0;
    while (Math.abs(value) >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
    return `${number(value, 1)} ${units[i]}`;
  }

  function tick(unit) {
    if (unit === "%") return (v) => `${number(v, 0)} %`;
    if (unit === "MB") return (v) => `${number(v, 0)} ${gettext("MB")}`;
    return (v) => perSecond(v);
  }

  function timeLabel(iso, granularity) {
    const options = granularity >= 3600 ? { month: "short", day: "numeric", hour: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  }

  // a line needs two points: a series with fewer shows its points as dots
  const few = (context) => (context.dataset.data.filter((v) => v !== null).length < 3 ? 3 : 0);

  function draw() {
    if (drawn) for (const entry of Object.values(drawn.charts)) entry.chart.destroy();
    drawn = null;
    const box = document.getElementById("usage-charts");
    if (!box || !box.dataset.usage || !window.Chart) return;
    const data = JSON.parse(box.dataset.usage);
    const charts = {};
    for (const canvas of box.querySelectorAll("canvas[data-chart]")) {
      const key = canvas.dataset.chart;
      const names = Object.keys(data.series).filter((name) => data.series[name].chart === key);
      if (!names.length) continue;
      const unit = data.series[names[0]].unit;
      const chart = new window.Chart(canvas, {
        type: "line",
        data: { labels: [], datasets: names.map((name) => ({ label: data.series[name].label, data: [], borderWidth: 1.5, pointRadius: few, tension: 0.2, spanGaps: true })) },
        options: {
          animation: false,
          maintainAspectRatio: false,
          locale: locale(),
          scales: {
            x: { ticks: { maxTicksLimit: 5 } },
            y: { beginAtZero: true, suggestedMax: unit === "%" ? 100 : undefined, ticks: { callback: tick(unit) } },
          },
          plugins: {
            legend: { display: names.length > 1, labels: { boxWidth: 10 } },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${tick(unit)(item.parsed.y)}` } },
          },
        },
      });
      charts[key] = { chart, canvas, times: [], names };
      add(charts[key], Object.fromEntries(names.map((name) => [name, data.series[name].points])), data.granularity);
      canvas.dataset.points = String(charts[key].times.length); // drawn, with this many points
    }
    drawn = { data, charts };
  }

  // points: {series name: [[ISO time, value], ...]}; only those after the chart's last are added
  function add(entry, points, granularity) {
    const last = entry.times.length ? entry.times[entry.times.length - 1] : "";
    const byTime = new Map();
    entry.names.forEach((name, i) => {
      for (const [time, value] of points[name] || []) {
        if (time <= last) continue;
        if (!byTime.has(time)) byTime.set(time, entry.names.map(() => null));
        byTime.get(time)[i] = value;
      }
    });
    const times = Array.from(byTime.keys()).sort();
    if (!times.length) return 0;
    for (const time of times) {
      entry.times.push(time);
      entry.chart.data.labels.push(timeLabel(time, granularity));
      byTime.get(time).forEach((value, i) => entry.chart.data.datasets[i].data.push(value));
    }
    const extra = entry.times.length - KEEP;
    if (extra > 0) {
      entry.times.splice(0, extra);
      entry.chart.data.labels.splice(0, extra);
      entry.chart.data.datasets.forEach((d) => d.data.splice(0, extra));
    }
    entry.chart.update();
    entry.canvas.dataset.points = String(entry.times.length);
    const note = entry.canvas.closest("[data-usage-chart]")?.querySelector('[data-usage-note="empty"]');
    if (note) note.hidden = true;
    return times.length;
  }

  function live(event) {
    const message = event.detail || {};
    const node = card();
    if (!drawn || !node || message.id !== node.dataset.id || message.op !== "points") return;
    if (!drawn.data.live || message.granularity !== drawn.data.granularity) return;
    for (const entry of Object.values(drawn.charts)) add(entry, message.series || {}, message.granularity);
  }

  document.addEventListener("live:metrics", live);
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail?.target?.id === "usage-body") draw();
  });
  // the card comes with the page: drawn once the page has loaded, with Django's catalogue
  // (gettext), which base.html loads after the page's content
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
