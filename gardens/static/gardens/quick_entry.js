// Quick harvest entry: rows are added by htmx; this file removes rows, numbers them, keeps the total
// and moves focus so the page works with the keyboard alone.
(function () {
  "use strict";
  var rows = document.getElementById("harvest-rows");
  if (!rows) return;
  var announce = document.getElementById("day-announce");
  var addButton = document.getElementById("add-row");

  function allRows() { return Array.prototype.slice.call(rows.querySelectorAll("[data-row]")); }

  function refresh() {
    var list = allRows();
    var total = 0;
    list.forEach(function (row, i) {
      var n = i + 1;
      var legend = row.querySelector("[data-row-legend]");
      if (legend) legend.textContent = "Crop " + n;
      var label = row.querySelector("[data-remove-label]");
      if (label) label.textContent = " crop " + n;
      var weight = row.querySelector("input[name$='-weight_lb']");
      var value = weight ? parseFloat(weight.value) : NaN;
      if (!isNaN(value) && value > 0) total += value;
    });
    document.getElementById("day-total").textContent = total.toFixed(1);
    document.getElementById("day-rows-count").textContent = list.length;
    var max = parseInt(rows.getAttribute("data-max-rows"), 10) || 40;
    addButton.disabled = list.length >= max;
  }

  rows.addEventListener("input", refresh);

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    var row = button.closest("[data-row]");
    var list = allRows();
    var index = list.indexOf(row);
    if (list.length === 1) {
      // The last row is cleared rather than removed, so there is always a row to type in.
      row.querySelectorAll("input:not([type=hidden]), select").forEach(function (el) { el.value = ""; });
      row.querySelector("select").focus();
    } else {
      row.remove();
      var rest = allRows();
      var next = rest[Math.min(index, rest.length - 1)];
      next.querySelector("select").focus();
    }
    announce.textContent = "Row removed.";
    refresh();
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target !== rows) return;
    var list = allRows();
    var last = list[list.length - 1];
    if (last) last.querySelector("select").focus();
    announce.textContent = "Row " + list.length + " added.";
    refresh();
  });

  var errors = document.getElementById("day-errors");
  if (errors) errors.focus();
  refresh();
})();
