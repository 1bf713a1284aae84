// Zenith's small shared script, for every page (no inline script: pages run under a strict CSP).
// - form[data-confirm], or the button[data-confirm] that submits a form: asks before submitting
//   (destructive actions; the rows' action buttons all submit form#object-action).
// - button[data-bulk-confirm]: asks before a bulk action that button submits.
// - input[data-select-all="CLASS"]: ticks or clears every checkbox of that class (row selection).
// - select[data-autosubmit]: submits its form when changed.
// - window.Zenith: helpers the panels' scripts share (Zenith.size, Zenith.csrf).
document.addEventListener("submit", (event) => {
  const by = event.submitter?.dataset || {};
  const question = event.target.dataset.confirm || by.confirm || by.bulkConfirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-select-all]");
  if (box) {
    document.querySelectorAll(`input.${CSS.escape(box.dataset.selectAll)}`).forEach((row) => { row.checked = box.checked; });
  }
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// What the panels' scripts share. Sizes as the pages' own (Django's filesizeformat: 1024-based,
// KB/MB/GB), the units and the number in the page's language ("1,5 Mo" in French).
window.Zenith = {
  size(n) {
    const gettext = window.gettext || ((s) => s);
    const units = ["", gettext("KB"), gettext("MB"), gettext("GB"), gettext("TB")];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    const digits = i ? 1 : 0;
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(n);
    if (i === 0 && window.ngettext) return window.interpolate(window.ngettext("%s byte", "%s bytes", n), [number]);
    return `${number}\u00a0${units[i] || gettext("bytes")}`;
  },
  // the page's CSRF token, for a script's own POST or PUT
  csrf() {
    return document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  },
};
