// Copy buttons: <button data-copy-target="#input-id" data-copied-label="Copied">.
// The clipboard API needs a secure context; on plain http the text is selected and
// copied with the older execCommand.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy-target"));
    if (!input) return;
    var original = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-copied-label") || original;
      window.setTimeout(function () { button.textContent = original; }, 2000);
    }
    function fallback() {
      input.focus();
      input.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
