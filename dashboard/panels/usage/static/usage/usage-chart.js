// The usage chart: vCPU hours per day, one stacked series per project (or instance).
(() => {
  const canvas = document.getElementById("usage-chart");
  const source = document.getElementById("usage-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#ffc107", "#6c757d", "#0dcaf0", "#dc3545"];
  data.datasets.forEach((set, i) => {
    set.backgroundColor = palette[i % palette.length];
    set.stack = "usage";
  });
  new Chart(canvas, {
    type: "bar",
    data,
    options: {
      // the axis title is translated by the template; numbers follow the page's language (1,5 in French)
      locale: canvas.dataset.locale || document.documentElement.lang || undefined,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: canvas.dataset.axis } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  canvas.dataset.ready = "true";
})();

// The range form: typing a date means a custom period; picking a preset fills in its dates on submit.
(() => {
  const form = document.getElementById("usage-range");
  if (!form) return;
  const preset = form.elements.preset;
  for (const name of ["start", "end"]) {
    form.elements[name].addEventListener("change", () => (preset.value = "custom"));
  }
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") form.requestSubmit();
  });
})();
