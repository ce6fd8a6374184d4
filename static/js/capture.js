// The bookmarklet opens this page with the captured page in the URL's fragment (which no server
// sees). Move it into the page's own form, with its CSRF token, and send it for a preview.
(function () {
  "use strict";
  var hash = window.location.hash;
  if (hash.length < 2) return;
  var data;
  try {
    data = JSON.parse(decodeURIComponent(hash.slice(1)));
  } catch (error) {
    return;
  }
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.getElementById("capture-form");
  if (!form || !data || typeof data !== "object") return;
  ["url", "title", "source"].forEach(function (name) {
    if (typeof data[name] === "string" && form.elements[name]) form.elements[name].value = data[name];
  });
  form.requestSubmit ? form.requestSubmit() : form.submit();
})();
