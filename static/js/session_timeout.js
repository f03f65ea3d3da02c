/* The idle timeout's warning. core/signin.py signs out a session idle for SESSION_IDLE_TIMEOUT seconds
   and tells the page how many seconds the session has left: the session-idle meta tag when the page
   loads, the X-Session-Expires-In header on every htmx response, the keep-alive's answer. The end time
   is kept in localStorage, so every tab of the site shares it: working in one tab keeps the others from
   warning. SESSION_IDLE_WARNING seconds before the end a modal dialog asks "Still there?"; "Stay signed
   in" (or Escape) tells the server and the clock starts again. When the time is up the page reloads,
   and the server, whose clock this follows, shows the sign-in page saying why. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="session-idle"]');
  var dialog = document.getElementById("session-warning");
  if (!meta || !dialog) return;
  var warning = parseInt(meta.dataset.warning, 10) * 1000;
  var keepAliveUrl = meta.dataset.keepAlive;
  var KEY = "rj-session-ends";
  var remainingText = dialog.querySelector("[data-remaining]");
  var ends = 0;
  var returnFocus = null;

  function endsIn(seconds) {
    var at = Date.now() + seconds * 1000;
    var stored = parseInt(window.localStorage.getItem(KEY), 10);
    // The server's own answer is the truth for this tab; another tab's later answer extends it.
    ends = isNaN(stored) ? at : Math.max(at, stored);
    window.localStorage.setItem(KEY, String(ends));
  }
  function sharedEnd() {
    var stored = parseInt(window.localStorage.getItem(KEY), 10);
    return isNaN(stored) ? ends : Math.max(ends, stored);
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function describe(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds > 90) return Math.round(seconds / 60) + " minutes";
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function stay() {
    if (dialog.open) dialog.close();
    fetch(keepAliveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { window.location.reload(); return null; }
      return response.json();
    }).then(function (data) { if (data) endsIn(data.expires_in); });
  }

  dialog.querySelector("[data-stay]").addEventListener("click", stay);
  // Escape closes a modal dialog: take it as "stay".
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); stay(); });
  dialog.addEventListener("close", function () { if (returnFocus) returnFocus.focus(); returnFocus = null; });

  endsIn(parseInt(meta.content, 10));
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var left = xhr && parseInt(xhr.getResponseHeader("X-Session-Expires-In"), 10);
    if (left && !isNaN(left)) endsIn(left);
  });

  function check() {
    var left = sharedEnd() - Date.now();
    if (left <= -1000) { window.location.reload(); return; }
    if (left <= warning) {
      remainingText.textContent = describe(left);
      if (!dialog.open) {
        returnFocus = document.activeElement;
        dialog.showModal();
        dialog.querySelector("[data-stay]").focus();
      }
    } else if (dialog.open) {
      dialog.close();  // another tab kept the session
    }
  }
  window.setInterval(check, 1000);
})();
