// Safe at Home: only the designated address is kept, so the real-address fields are hidden (and
// emptied) while the box is checked; the server refuses them anyway.
(function () {
  "use strict";
  var box = document.querySelector('input[name="identity-safe_at_home"]');
  if (!box) return;
  function update() {
    document.querySelectorAll('[data-safe-at-home="hide"]').forEach(function (el) {
      el.hidden = box.checked;
      if (box.checked) el.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    });
    document.querySelectorAll('[data-safe-at-home="only"]').forEach(function (el) { el.hidden = !box.checked; });
  }
  box.addEventListener("change", update);
  update();
})();
