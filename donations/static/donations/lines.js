// Donation lines: htmx adds rows; this removes them, and moves focus so the form works by keyboard alone.
(function () {
  "use strict";
  var announce = document.getElementById("lines-announce");
  var form = document.getElementById("donation-form");
  if (!form) return;

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    var row = button.closest("[data-row]");
    var container = row.closest("[data-rows]");
    var rows = Array.prototype.slice.call(container.querySelectorAll("[data-row]"));
    var index = rows.indexOf(row);
    row.remove();
    var rest = container.querySelectorAll("[data-row]");
    if (rest.length) {
      rest[Math.min(index, rest.length - 1)].querySelector("select").focus();
    } else {
      container.parentElement.querySelector("button[hx-get]").focus();
    }
    if (announce) announce.textContent = "Line removed.";
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-rows")) return;
    var rows = event.target.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    if (last) last.querySelector("select").focus();
    if (announce) announce.textContent = "Line added.";
  });

  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
