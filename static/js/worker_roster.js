// Who worked: typing hours ticks the person; the search box hides the people who do not match.
(function () {
  "use strict";
  document.querySelectorAll("[data-roster-row]").forEach(function (row) {
    var box = row.querySelector("[data-roster-box]");
    var hours = row.querySelector("[data-roster-hours]");
    hours.addEventListener("input", function () {
      if (hours.value !== "") box.checked = true;
    });
  });
  var filter = document.getElementById("roster-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      document.querySelectorAll("[data-roster-row]").forEach(function (row) {
        row.hidden = text !== "" && row.dataset.name.indexOf(text) === -1;
      });
    });
  }
  var errors = document.getElementById("roster-errors");
  if (errors) errors.focus();
})();
