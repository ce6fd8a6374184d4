// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable='true']");
  }

  // Keyboard: "/" focuses the page's search box, "l" opens the quick-log dialog.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
    if (typing(event.target)) return;
    if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "l") {
      // A page about one contact marks its own button, which opens the dialog with them picked.
      const opener = document.querySelector("[data-quicklog-shortcut]") ||
        document.querySelector("[data-quicklog-open]");
      if (opener) { event.preventDefault(); opener.click(); }
    }
  });

  // Flash messages fade after a while; errors stay.
  document.addEventListener("htmx:load", function (event) {
    event.detail.elt.querySelectorAll && event.detail.elt.querySelectorAll(".flash-success").forEach(function (el) {
      setTimeout(function () { el.remove(); }, 6000);
    });
  });

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("submit", function (event) {
    const message = event.submitter && event.submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
