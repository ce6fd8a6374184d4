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

  // Below 600px wide, tables become one card per row: each cell is labelled with its column's
  // heading (copied here from the table head, so every table gets it without template changes).
  function labelCells(root) {
    root.querySelectorAll && root.querySelectorAll(".table-wrap table").forEach(function (table) {
      const heads = Array.prototype.map.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
        return th.textContent.replace(/\u00ad/g, "").trim();
      });
      if (!heads.length) return;
      table.classList.add("stackable");
      table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  document.addEventListener("htmx:load", function (event) { labelCells(event.detail.elt); });

  // Filters folded behind a button on a phone are unfolded on a wider screen.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(min-width: 720px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }
  });

  // On a phone the pipeline opens on the first stage that has cards, not on an empty column.
  document.addEventListener("DOMContentLoaded", function () {
    const board = document.querySelector("[data-board] .board");
    if (!board || window.matchMedia("(min-width: 720px)").matches || location.hash) return;
    const first = board.querySelector(".column:has(.opp-card)");
    if (first) board.scrollLeft = first.offsetLeft - board.offsetLeft;
  });

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("submit", function (event) {
    const message = event.submitter && event.submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
