// The browser's time zone: filled into sign-up's hidden field, and offered on Today when it is
// not the one the account uses. The server checks the name; this only reads the clock.
(function () {
  "use strict";
  var DISMISSED = "followthrough.timezone.dismissed";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!zone) return;

  function apply(root) {
    root.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
      if (!input.value) input.value = zone;
    });
    root.querySelectorAll("[data-timezone-offer]").forEach(function (offer) {
      var dismissed = null;
      try { dismissed = window.localStorage.getItem(DISMISSED); } catch (e) { /* private mode */ }
      if (offer.getAttribute("data-saved-zone") === zone || dismissed === zone) return;
      offer.querySelectorAll("[data-zone-name]").forEach(function (el) { el.textContent = zone; });
      offer.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-timezone-dismiss]");
    if (!button) return;
    try { window.localStorage.setItem(DISMISSED, zone); } catch (e) { /* private mode */ }
    button.closest("[data-timezone-offer]").hidden = true;
  });
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:load", function (event) { apply(event.detail.elt); });
})();
