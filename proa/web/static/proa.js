// proa — progressive enhancement only: every page works without this script.
// While the user types an answer, ask the server for the decision these unsaved answers
// would give and show it in place (the server evaluates; nothing is computed here).
(function () {
  "use strict";
  var result = document.getElementById("resultat");
  var announce = document.getElementById("annonce");
  if (!result || !window.fetch) { return; }
  var pending = null;
  var sequence = 0;

  function refresh(form) {
    var mine = ++sequence;
    fetch(form.getAttribute("data-apercu"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok && response.status !== 422) { return null; }
      return response.text();
    }).then(function (html) {
      if (html === null || mine !== sequence) { return; }
      result.innerHTML = html;
      var root = result.querySelector("[data-annonce]");
      if (announce && root) {
        announce.textContent = root.getAttribute("data-annonce");
      }
      // The same words beside the button, for whoever edits far below the decision
      // (hidden from screen readers, which hear the live region above).
      var local = form.querySelector("[data-apercu-local]");
      if (local && root) {
        local.textContent = root.getAttribute("data-annonce");
      }
    }).catch(function () { /* offline: the form still posts normally */ });
  }

  document.querySelectorAll("form[data-apercu]").forEach(function (form) {
    var later = function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { refresh(form); }, 350);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  });
}());
