// Keeps what a person types in a form marked data-autosave: a second after they stop typing (and when
// they leave a field), the form's fields (not its files) are posted with action=save and the header
// X-Autosave; the answer's words go into #autosave-status, which a screen reader announces politely.
// Without this script the form's own "save" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;

  function save() {
    if (!dirty) return;
    dirty = false;
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data.append(el.name, el.value);
    });
    data.set("action", "save");
    // form.action would be the buttons named "action": read the attribute.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && status) status.textContent = body.saved;
      })
      .catch(function () {
        dirty = true; // offline for a moment: try again on the next change
      });
  }

  function changed(event) {
    if (event.target.type === "file") return;
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", function () {
    window.clearTimeout(timer);
    save();
  });
})();
