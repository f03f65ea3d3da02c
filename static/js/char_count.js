/* A note field shows its limit as you type: "12 of 300 characters" under every textarea with a maxlength
   (and every long text input). The count is visible at once; screen readers hear it when typing pauses,
   through a polite live region, and the field points at it with aria-describedby. */
(function () {
  "use strict";
  var PAUSE_MS = 800;
  // The page's language (the victims' statement page is also in Spanish).
  var WORDS = /^es\b/.test(document.documentElement.lang || "")
    ? { of: " de ", chars: " caracteres", limit: " (el límite)", most: "Como máximo " }
    : { of: " of ", chars: " characters", limit: " (the limit)", most: "At most " };

  function attach(field) {
    if (field.dataset.charCount === "on") return;
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit) return;
    field.dataset.charCount = "on";
    var id = (field.id || field.name) + "-char-count";
    var count = document.createElement("div");
    count.id = id;
    count.className = "form-text char-count";
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    count.appendChild(shown);
    count.appendChild(live);
    field.insertAdjacentElement("afterend", count);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(id);
    field.setAttribute("aria-describedby", described.join(" "));
    // The limit itself is read with the field; the running count is announced after a pause.
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = WORDS.most + limit + WORDS.chars + ".";
    count.appendChild(hint);

    var timer = null;
    function text() {
      var used = field.value.length;
      var left = limit - used;
      return used + WORDS.of + limit + WORDS.chars + (left <= 0 ? WORDS.limit : "");
    }
    function update() {
      shown.textContent = text();
      count.classList.toggle("text-danger", field.value.length >= limit);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        live.textContent = text();
      }, PAUSE_MS);
    }
    shown.textContent = text();
    field.addEventListener("input", update);
  }

  function scan(root) {
    var fields = root.querySelectorAll("textarea[maxlength], input[type=text][maxlength]");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.tagName === "TEXTAREA" || parseInt(f.getAttribute("maxlength"), 10) >= 200) attach(f);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan(document);
  });
  // Rows added by htmx or by the quick-entry scripts get their counters too.
  document.addEventListener("htmx:load", function (event) {
    scan(event.target);
  });
})();
