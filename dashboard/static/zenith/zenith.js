// Zenith's small shared script, for every page (no inline script: pages run under a strict CSP).
// - form[data-confirm], or the button[data-confirm] that submits a form: asks before submitting
//   (destructive actions; the rows' action buttons all submit form#object-action).
// - button[data-bulk-confirm]: asks before a bulk action that button submits.
// - input[data-select-all="CLASS"]: ticks or clears every checkbox of that class (row selection).
// - select[data-autosubmit]: submits its form when changed.
// - [data-shown-by="FIELD"][data-shown-for="V1 V2"]: a form's part shown only while its field FIELD
//   has one of those values (the server prints it hidden or not; this follows the choice).
// - select[data-fills="F1 F2"]: its options' data-fill ({"F1": value, ...}) are put in the form's
//   fields F1, F2 when chosen; editing one of those fields puts the select back on its first choice.
// - window.Zenith: helpers the panels' scripts share (Zenith.size, Zenith.csrf).
// - button[data-row-menu]: a list row's actions menu, copied in from its list's <template> (below).
// - ul[data-nav-group]: a sidebar group; folding or opening it is remembered (below).
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
  const filler = event.target.closest("select[data-fills]");
  const fill = filler?.selectedOptions[0]?.dataset.fill;
  if (filler && filler.form && fill) {
    const values = JSON.parse(fill);
    for (const name of filler.dataset.fills.split(" ")) {
      const field = filler.form.elements.namedItem(name);
      if (field) field.value = values[name] ?? "";
    }
  }
  const filled = event.target.form?.querySelector("select[data-fills]");
  if (filled && filled !== event.target && filled.dataset.fills.split(" ").includes(event.target.name)) {
    filled.selectedIndex = 0;
  }
  const chooser = event.target;
  if (chooser.form && chooser.name) {
    chooser.form.querySelectorAll(`[data-shown-by="${CSS.escape(chooser.name)}"]`).forEach((part) => {
      part.classList.toggle("d-none", !part.dataset.shownFor.split(" ").includes(chooser.value));
    });
  }
});

// What the panels' scripts share. Sizes as the pages' own (dashboard.ui.humanize.size: binary units,
// one decimal unless whole), the units and the number in the page's language ("1,5 Mio" in French).
window.Zenith = {
  size(n) {
    const gettext = window.gettext || ((s) => s);
    const units = ["", gettext("KiB"), gettext("MiB"), gettext("GiB"), gettext("TiB")];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: i ? 1 : 0,
      useGrouping: false,
    }).format(n);
    if (i === 0 && window.ngettext) return window.interpolate(window.ngettext("%s byte", "%s bytes", n), [number]);
    return `${number}\u00a0${units[i] || gettext("bytes")}`;
  },
  // the page's CSRF token, for a script's own POST or PUT
  csrf() {
    return document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  },
};

// Dropdowns open with Popper's "fixed" strategy: a row's actions menu shows whole over the table
// rather than inside its scrolling box (.table-responsive). Bootstrap's documented way to set a
// plugin's defaults; the top bar's dropdowns, in a navbar, use no Popper.
if (window.bootstrap) window.bootstrap.Dropdown.Default.popperConfig = { strategy: "fixed" };

// A list's row menus: the list prints each set of its rows' actions once, as a
// <template data-row-menu="N" data-stand-in-id="…" data-stand-in-name="…"> at the end of its
// <tbody> (or as <template data-row-menu="N" data-row-menu-of="M" data-actions="stop reboot …">:
// menu M with only those actions), and each row's Actions button names its set
// (button[data-row-menu="N"][data-name]). When a row's button is first used (focus, click, arrow
// key: before Bootstrap opens it), the row gets its own copy of that menu, its attributes and text
// as the server printed them but with the row's id (<tr data-id>) and name in place of the
// stand-ins. No markup is made here.
(() => {
  function rowMenu(button) {
    if (button.nextElementSibling?.classList.contains("dropdown-menu")) return;
    const row = button.closest("tr");
    const body = button.closest("tbody");
    const find = (number) => body?.querySelector(`template[data-row-menu="${CSS.escape(number)}"]`);
    const set = find(button.dataset.rowMenu || "");
    const template = set?.dataset.rowMenuOf ? find(set.dataset.rowMenuOf) : set;
    if (!row || !template) return;
    const menu = template.content.firstElementChild.cloneNode(true);
    if (set !== template) {
      const kept = new Set(set.dataset.actions.split(" "));
      for (const item of Array.from(menu.children)) {
        const action = item.querySelector("[data-action]");
        if (action && !kept.has(action.dataset.action)) item.remove();
      }
    }
    const { standInId, standInName } = template.dataset;
    const fill = (text) => text.split(standInId).join(row.dataset.id).split(standInName).join(button.dataset.name || "");
    for (const element of [menu, ...menu.querySelectorAll("*")]) {
      for (const attribute of element.attributes) attribute.value = fill(attribute.value);
    }
    const texts = document.createTreeWalker(menu, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) texts.currentNode.data = fill(texts.currentNode.data);
    button.after(menu);
  }
  for (const type of ["focusin", "pointerdown", "click", "keydown"]) {
    document.addEventListener(type, (event) => {
      const button = event.target.closest?.("button[data-row-menu]");
      if (button) rowMenu(button);
    }, true);
  }
})();

// The sidebar's groups (dashboard/ui/jinja2/ui/sidebar.html): the ones the user folded are kept in
// the zenith_nav_folded cookie ("volumes.network"), which the server reads to print the next page's
// sidebar as the user left it (dashboard/ui/nav.py), with no flash of groups opening or closing.
(() => {
  const name = "zenith_nav_folded";
  function foldedNow() {
    const kept = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
    return new Set(kept ? kept.slice(name.length + 1).split(".").filter(Boolean) : []);
  }
  function remember(event, folded) {
    const key = event.target.dataset?.navGroup;
    if (!key) return;
    const keys = foldedNow();
    if (folded) keys.add(key); else keys.delete(key);
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${name}=${[...keys].join(".")}; path=/; max-age=31536000; SameSite=Lax${secure}`;
  }
  document.addEventListener("hide.bs.collapse", (event) => remember(event, true));
  document.addEventListener("show.bs.collapse", (event) => remember(event, false));
})();
