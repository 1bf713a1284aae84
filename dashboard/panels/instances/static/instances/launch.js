// The launch page: add network interfaces, count user-data bytes, and keep Enter in the key pair
// boxes from launching (the chosen boot source's fields follow it through zenith.js's data-shown-by).
(() => {
  const form = document.getElementById("launch-form");
  if (!form) return;

  // the flavor table and quota panel follow what changes them (htmx posts the form on these
  // events: trigger filters would need eval, which the pages' CSP and htmx config forbid)
  form.addEventListener("change", (e) => {
    if (e.target.classList.contains("launch-live")) form.dispatchEvent(new Event("launch-change"));
  });
  form.addEventListener("input", (e) => {
    if (e.target.id === "id_count" || e.target.id === "id_volume_size") form.dispatchEvent(new Event("launch-input"));
  });

  // delegated: the button comes again with the free ports (the extras part swaps it in)
  document.addEventListener("click", (e) => {
    const button = e.target.closest("#add-nic");
    if (!button || button.disabled) return;
    const slots = document.getElementById("nic-slots");
    const last = slots.querySelector(".nic-slot:last-child");
    const copy = last.cloneNode(true);
    const n = slots.children.length + 1;
    copy.querySelector(".badge").textContent = interpolate(gettext("NIC %s"), [n]);
    const select = copy.querySelector("select");
    select.value = "";
    select.options[0].textContent = "—";
    select.setAttribute("aria-label", interpolate(gettext("Network interface %s"), [n]));
    copy.querySelector("optgroup[id^='nic-ports-']")?.setAttribute("id", `nic-ports-${n}`);
    slots.appendChild(copy);
    if (n >= 6) button.remove();
  });

  const userData = document.getElementById("id_user_data");
  const sizeNote = document.getElementById("user-data-size");
  const countBytes = () => {
    const bytes = new TextEncoder().encode(userData.value.replace(/\r\n/g, "\n")).length;
    const limit = Number(userData.dataset.limit);
    sizeNote.textContent = bytes ? interpolate(ngettext("Now %s byte.", "Now %s bytes.", bytes), [bytes.toLocaleString(document.documentElement.lang)]) : "";
    sizeNote.classList.toggle("text-danger", bytes > limit);
  };
  userData?.addEventListener("input", countBytes);
  if (userData) countBytes();

  form.addEventListener("keydown", (e) => {
    const target = e.target.dataset?.enterClicks;
    if (e.key === "Enter" && target) {
      e.preventDefault();
      document.getElementById(target)?.click();
    }
  });

  // the private key is offered once: after the download starts, say so instead of offering it again
  form.addEventListener("click", (e) => {
    const button = e.target.closest("#download-private-key");
    if (!button) return;
    setTimeout(() => {
      const note = document.getElementById("private-key-note");
      if (note) {
        note.classList.replace("alert-warning", "alert-secondary");
        note.textContent = gettext("Private key downloaded. Zenith no longer keeps a copy.");
      }
    }, 300);
  });
})();
