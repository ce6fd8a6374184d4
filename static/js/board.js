// Pipeline enhancements. Without this file every move still works through its form.
(function () {
  "use strict";

  // Invalid forms answer 400 with the form (and its messages) to put back in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Keep the closed area open across board swaps, and give focus back to the moved card.
  let closedWasOpen = false;
  document.addEventListener("htmx:beforeRequest", function () {
    const closed = document.getElementById("closed-stages");
    closedWasOpen = !!(closed && closed.open);
  });
  document.addEventListener("htmx:afterSettle", function () {
    const closed = document.getElementById("closed-stages");
    if (closed && closedWasOpen) closed.open = true;
    const moved = document.querySelector("[data-moved]");
    if (moved) {
      const button = moved.querySelector(".move-button");
      if (button) button.focus({ preventScroll: false });
    }
    enableDragging();
  });

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function enableDragging() {
    document.querySelectorAll("[data-board] .opp-card").forEach(function (card) {
      card.setAttribute("draggable", "true");
    });
  }

  let dragged = null;

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest("[data-board] .opp-card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.opportunity);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });

  function columnAt(event) {
    return event.target.closest && event.target.closest("[data-board] .column[data-stage]");
  }

  document.addEventListener("dragover", function (event) {
    const column = columnAt(event);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".column.drop-target").forEach(function (c) {
      if (c !== column) c.classList.remove("drop-target");
    });
    column.classList.add("drop-target");
  });

  document.addEventListener("drop", function (event) {
    const column = columnAt(event);
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("drop-target");
    const card = dragged;
    if (card.closest(".column") === column) return;
    // The same endpoint and answer as the card's own Move form.
    window.htmx.ajax("POST", card.dataset.moveUrl, {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: { stage: column.dataset.stage },
      headers: { "X-CSRFToken": csrfToken() },
    });
  });

  document.addEventListener("DOMContentLoaded", enableDragging);
})();
