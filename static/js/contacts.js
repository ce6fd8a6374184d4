// Contacts pages: small htmx conveniences; everything works without this file.
(function () {
  "use strict";

  // After a tag is added or removed the section is replaced: keep typing where you were.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "contact-tags") {
      const input = document.getElementById("id_tag_name");
      if (input) input.focus();
    }
  });

  // A search box emptied with the browser's clear (x) button fires "search", not "input".
  document.addEventListener("search", function (event) {
    if (event.target.matches("#contact-filters input[type=search]") && window.htmx) {
      window.htmx.trigger(event.target.form, "submit");
    }
  }, true);
})();
