// Zenith's small shared script, for every page (no inline script: pages run under a strict CSP).
// - form[data-confirm]: asks before submitting (destructive actions).
// - button[data-bulk-confirm]: asks before a bulk action that button submits.
// - input[data-select-all="CLASS"]: ticks or clears every checkbox of that class (row selection).
// - select[data-autosubmit]: submits its form when changed.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm || (event.submitter && event.submitter.dataset.bulkConfirm);
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
