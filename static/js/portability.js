// Import page: refuse a file over the size limit before uploading it (the server checks too).
(function () {
  "use strict";
  var LIMIT = 10 * 1024 * 1024;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-upload-form] input[type=file]")) return;
    var form = input.form;
    var warning = form.querySelector("[data-size-warning]");
    var file = input.files && input.files[0];
    var tooBig = Boolean(file && file.size > LIMIT);
    warning.hidden = !tooBig;
    warning.textContent = tooBig
      ? "This file is " + (file.size / 1048576).toFixed(1) + " MB; the limit is 10 MB. Split it into smaller files."
      : "";
    form.querySelector("button[type=submit]").disabled = tooBig;
  });
})();
