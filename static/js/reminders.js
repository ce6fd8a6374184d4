// Snooze menus: close the open one when another opens or after a choice is sent.
(function () {
  "use strict";
  document.addEventListener("toggle", function (event) {
    const menu = event.target;
    if (!menu.matches || !menu.matches("details.snooze") || !menu.open) return;
    document.querySelectorAll("details.snooze[open]").forEach(function (other) {
      if (other !== menu) other.open = false;
    });
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    const menu = event.detail.elt.closest && event.detail.elt.closest("details.snooze");
    if (menu) menu.open = false;
  });
})();
