// The containers panel's uploads: the page announces its chosen files (names and sizes), swaps in
// the rows the server renders for them, then PUTs each file to its row's streamed upload address
// with a progress bar and a Cancel button, a few at a time (the rows' data-parallel: Zenith refuses
// a user's uploads beyond DASHBOARD_UPLOADS_PER_USER). When every file has ended, the folder is
// read again.
(() => {
  "use strict";
  const gettext = (s) => (window.gettext ? window.gettext(s) : s);
  const { csrf, size } = window.Zenith;

  // Cancel works before a row's turn too: its upload then ends without being sent
  function cancellable(row) {
    const text = row.querySelector("[data-upload-text]");
    const cancel = row.querySelector("[data-upload-cancel]");
    cancel.addEventListener("click", async () => {
      row.dataset.cancelled = "true";
      cancel.disabled = true;
      await fetch(row.dataset.cancelUrl, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf() } });
      if (row.uploadRequest) {
        row.uploadRequest.abort();
      } else {
        row.dataset.state = "cancelled";
        text.textContent = gettext("Upload cancelled; nothing was stored.");
      }
    });
  }

  function send(row, file) {
    return new Promise((resolve) => {
      const bar = row.querySelector("[data-upload-bar]");
      const text = row.querySelector("[data-upload-text]");
      const cancel = row.querySelector("[data-upload-cancel]");
      const started = performance.now();
      const xhr = new XMLHttpRequest();
      row.uploadRequest = xhr;
      xhr.open("PUT", row.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.addEventListener("progress", (e) => {
        const total = e.lengthComputable ? e.total : file.size;
        const pct = total ? Math.floor((e.loaded * 100) / total) : 0;
        const seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? e.loaded / seconds : 0;
        bar.value = pct;
        text.textContent = `${size(e.loaded)} / ${size(total)} · ${pct} % · ${size(rate)}/s`;
      });
      xhr.addEventListener("load", () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        cancel.disabled = true;
        if (xhr.status === 200) {
          bar.value = 100;
          row.dataset.state = "done";
          text.textContent = `${size(file.size)} · ${gettext("uploaded")}`;
        } else {
          row.dataset.state = "failed";
          text.textContent = body.message || `${gettext("The upload failed")} (${xhr.status})`;
        }
        resolve();
      });
      const lost = () => {
        const cancelled = row.dataset.cancelled === "true";
        row.dataset.state = cancelled ? "cancelled" : "failed";
        text.textContent = cancelled
          ? gettext("Upload cancelled; nothing was stored.")
          : gettext("The connection to Zenith was lost; nothing was stored.");
        cancel.disabled = true;
        resolve();
      };
      xhr.addEventListener("error", lost);
      xhr.addEventListener("abort", lost);
      row.dataset.state = "sending";
      xhr.send(file);
    });
  }

  function uploadForm(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const files = Array.from(form.querySelector("[data-upload-files]").files);
      if (!files.length) return;
      const data = new FormData();
      data.set("folder", form.querySelector("[name=folder]").value);
      files.forEach((f) => { data.append("name", f.name); data.append("size", String(f.size)); });
      const submit = form.querySelector("[type=submit]");
      submit.disabled = true;
      let response;
      try {
        response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
      } catch (err) {
        submit.disabled = false;
        return;
      }
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("upload-rows");
      const rows = document.getElementById("upload-rows");
      if (fresh && rows) rows.replaceWith(fresh);
      if (response.status !== 201 || !fresh) { submit.disabled = false; return; }
      const batch = Array.from(fresh.querySelectorAll("[data-upload-row]"));
      batch.forEach(cancellable);
      const waiting = batch.slice();
      const parallel = Math.max(1, Number(fresh.dataset.parallel) || 1);
      const next = async () => {
        while (waiting.length) {
          const row = waiting.shift();
          if (row.dataset.cancelled !== "true") await send(row, files[Number(row.dataset.index)]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, batch.length) }, next));
      submit.disabled = false;
      // the folder's table and the container's figures, as the server renders them now
      try {
        const page = await fetch(window.location.href, { credentials: "same-origin" });
        const doc = new DOMParser().parseFromString(await page.text(), "text/html");
        for (const id of ["objects-table", "container-info"]) {
          const now = document.getElementById(id);
          const next = doc.getElementById(id);
          if (now && next) now.replaceWith(next);
        }
      } catch (err) {
        // the uploads are done; the page shows them at the next load
      }
      fresh.dataset.finished = "true";
    });
  }

  const form = document.querySelector("[data-object-upload]");
  if (form) uploadForm(form);
})();
