// policy-targets review report: filters, sortable tables, display toggles. No network, no
// external code; works from file://.
(function () {
  "use strict";

  function filterForm() { return document.getElementById("filters"); }

  function applyFilters() {
    var form = filterForm();
    if (!form) { return; }
    var kinds = {};
    form.querySelectorAll("input[name=kind]").forEach(function (box) { kinds[box.value] = box.checked; });
    function value(name) { var el = form.querySelector("select[name=" + name + "]"); return el ? el.value : ""; }
    var category = value("category"), year = value("year"), plan = value("plan"), flag = value("flag");
    var rows = 0, shown = 0;
    document.querySelectorAll("[data-kind]").forEach(function (el) {
      var d = el.dataset;
      var show = kinds[d.kind] !== false &&
        (!category || d.category === category) &&
        (!year || d.year === year) &&
        (!plan || d.plan === plan) &&
        hasFlag(d.flags || "", flag);
      el.classList.toggle("filtered", !show);
      if (el.tagName === "TR") { rows += 1; if (show) { shown += 1; } }
    });
    var out = document.getElementById("shown");
    if (out) { out.textContent = shown + " of " + rows + " records shown"; }
  }

  // "" any record, "*" a record with a flag, "-" one without, else one with that flag
  function hasFlag(flags, wanted) {
    if (!wanted) { return true; }
    if (wanted === "*") { return flags !== ""; }
    if (wanted === "-") { return flags === ""; }
    return (" " + flags + " ").indexOf(" " + wanted + " ") >= 0;
  }

  function cellValue(row, index, kind) {
    var text = row.cells[index] ? row.cells[index].textContent.trim() : "";
    if (kind === "number") {
      var n = parseFloat(text);
      return isNaN(n) ? -Infinity : n;
    }
    return text;
  }

  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = th.dataset.sort;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[data-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.dataset.order = r.dataset.order || String(i); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      var c = kind === "number" ? x - y : String(x).localeCompare(String(y), "zh");
      if (c === 0) { c = Number(a.dataset.order) - Number(b.dataset.order); return c; }
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function toggle(id, bodyClass, whenChecked) {
    var box = document.getElementById(id);
    if (!box) { return; }
    var update = function () { document.body.classList.toggle(bodyClass, box.checked === whenChecked); };
    box.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = filterForm();
    if (form) {
      form.addEventListener("change", applyFilters);
      applyFilters();
    }
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("th[data-sort]").forEach(function (th) {
        th.addEventListener("click", function () { sortBy(table, th); });
      });
    });
    toggle("show-numbers", "show-numbers", true);
    toggle("show-labels", "hide-labels", false);
  });
}());
