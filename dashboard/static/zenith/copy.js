// Copy buttons (no inline script: pages run under a strict CSP). A button[data-copy="ID"] copies
// the element #ID's value (an input) or text (a <code>) with the Clipboard API, then says so in its
// [data-copy-label] for a moment: the words are the server's, in the page's language
// (data-copied, data-copy-failed). Where the browser refuses (a page not served over https), the
// text is selected instead, for Ctrl+C.
document.addEventListener("click", async (event) => {
  const button = event.target.closest?.("button[data-copy]");
  const source = button && document.getElementById(button.dataset.copy);
  if (!source) return;
  const isField = source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement;
  const text = isField ? source.value : source.textContent.trim();
  const label = button.querySelector("[data-copy-label]");
  const before = label.textContent;
  try {
    await navigator.clipboard.writeText(text);
    label.textContent = button.dataset.copied;
  } catch {
    if (isField) source.select();
    else window.getSelection().selectAllChildren(source);
    label.textContent = button.dataset.copyFailed;
  }
  window.setTimeout(() => { label.textContent = before; }, 2500);
});
