// The images panel: the upload form streams the file to Zenith's upload address with a progress
// bar and Cancel. (The list's uploads panel re-reads itself with htmx: images/_uploads.html.)
(() => {
  "use strict";
  const gettext = window.gettext || ((s) => s);
  const { csrf, size } = window.Zenith;

  function uploadForm(form) {
    const box = document.getElementById("upload-progress");
    const bar = box.querySelector("[data-upload-bar]");
    const text = box.querySelector("[data-upload-text]");
    const error = box.querySelector("[data-upload-error]");
    const cancel = box.querySelector("[data-upload-cancel]");
    let xhr = null;
    let cancelUrl = "";

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = form.querySelector("[data-upload-file]").files[0];
      if (!file) return;
      const data = new FormData(form);
      data.set("size", String(file.size));
      const submit = form.querySelector("[type=submit]");
      submit.disabled = true;
      let response;
      try {
        response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf() } });
      } catch (err) {
        submit.disabled = false;
        box.classList.remove("d-none");
        error.textContent = gettext("Zenith did not answer: check your connection and try again.");
        return;
      }
      if (response.status !== 201) {
        // the form again, with its errors, as the server rendered it
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.getElementById("image-form-fields");
        if (fresh) form.querySelector("#image-form-fields").replaceWith(fresh);
        form.querySelector("[type=submit]").disabled = false;
        return;
      }
      const answer = await response.json();
      cancelUrl = answer.cancel_url;
      box.classList.remove("d-none");
      box.querySelector("[data-upload-name]").textContent = file.name;
      error.textContent = "";
      const started = performance.now();
      xhr = new XMLHttpRequest();
      xhr.open("PUT", answer.upload_url);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.addEventListener("progress", (e) => {
        const total = e.lengthComputable ? e.total : file.size;
        const pct = total ? Math.floor((e.loaded * 100) / total) : 0;
        const seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? e.loaded / seconds : 0;
        const left = rate > 0 ? Math.round((total - e.loaded) / rate) : 0;
        bar.value = pct;
        text.textContent = `${size(e.loaded)} / ${size(total)} · ${pct} % · ${size(rate)}/s · ${left} s ${gettext("left")}`;
      });
      xhr.addEventListener("load", () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        cancel.disabled = true;
        if (xhr.status === 200) {
          bar.value = 100;
          text.textContent = `${size(file.size)} · 100 % · ${gettext("uploaded; opening the image…")}`;
          box.dataset.done = "true";
          // a moment at 100 % before the image's page opens
          window.setTimeout(() => window.location.assign(answer.detail_url), 700);
        } else {
          error.textContent = body.message || `${gettext("The upload failed")} (${xhr.status})`;
          submit.disabled = false;
        }
      });
      xhr.addEventListener("error", () => {
        error.textContent = gettext("The connection to Zenith was lost; the unfinished image is removed.");
        submit.disabled = false;
      });
      xhr.send(file);
    });

    cancel.addEventListener("click", async () => {
      if (xhr) xhr.abort();
      cancel.disabled = true;
      if (cancelUrl) {
        await fetch(cancelUrl, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf() } });
      }
      error.textContent = gettext("Upload cancelled; the unfinished image is removed.");
      form.querySelector("[type=submit]").disabled = false;
    });
  }

  const form = document.querySelector("[data-upload-form]");
  if (form) uploadForm(form);
})();
