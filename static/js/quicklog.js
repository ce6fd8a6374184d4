// Quick log: the dialog, the contact picker and the small helpers of the interaction form.
// Every page works without this file: links open /interactions/new/ and forms post normally.
(function () {
  "use strict";

  document.documentElement.classList.add("ql-js");

  let pendingFocus = false;

  function dialog() { return document.getElementById("quicklog"); }
  function content() { return document.getElementById("quicklog-content"); }

  function toast(message, kind) {
    const box = document.getElementById("messages");
    if (!box || !message) return;
    const flash = document.createElement("div");
    flash.className = "flash flash-" + (kind || "success");
    flash.setAttribute("role", "status");
    flash.textContent = message;
    box.appendChild(flash);
    if ((kind || "success") === "success") setTimeout(function () { flash.remove(); }, 6000);
  }

  function focusFirst(root) {
    const picker = root.querySelector("[data-contact-picker]");
    const hasChip = picker && picker.querySelector("[data-chips] .chip");
    const target = (!hasChip && root.querySelector("[data-contact-search]")) ||
      root.querySelector("[name=summary]") || root.querySelector("input, button");
    if (target) target.focus();
  }

  function openQuicklog(href) {
    const d = dialog();
    const box = content();
    box.innerHTML = '<p class="muted">Loading…</p>';
    if (!d.open) d.showModal();
    pendingFocus = true;
    window.htmx.ajax("GET", href, { target: box, swap: "innerHTML" });
  }

  function closeQuicklog() {
    const d = dialog();
    if (d && d.open) d.close();
  }

  document.addEventListener("click", function (event) {
    const closer = event.target.closest("[data-quicklog-close]");
    if (closer && closer.closest("#quicklog")) { event.preventDefault(); closeQuicklog(); return; }
    const opener = event.target.closest("[data-quicklog-open]");
    if (!opener || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const d = dialog();
    if (!d || !window.htmx || typeof d.showModal !== "function") return;
    event.preventDefault();
    // The "l" shortcut (or a stray click behind the backdrop) must not wipe a form being typed.
    if (d.open && !d.contains(opener)) return;
    openQuicklog(opener.getAttribute("href"));
  });

  // Clicking the backdrop closes the dialog (the click lands on <dialog> itself).
  document.addEventListener("mousedown", function (event) {
    const d = dialog();
    if (d && event.target === d) closeQuicklog();
  });

  // A saved interaction: close, confirm, and let sections listening for the event refresh.
  document.body.addEventListener("interactionLogged", function (event) {
    closeQuicklog();
    toast(event.detail && event.detail.message);
  });

  // Invalid forms answer 400 with the form and its messages: swap it in place anyway.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && elt && elt.closest && elt.closest("[data-ql-form]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status !== 400) toast("Something went wrong; nothing was saved. Try again.", "error");
  });
  document.body.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached; nothing was saved. Try again.", "error");
  });

  // ---- Contact picker -------------------------------------------------------------------
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

  function setActive(input, list, option) {
    options(list).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function clearList(input, list) {
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function addChip(picker, name, value, isNew) {
    const chips = picker.querySelector("[data-chips]");
    const field = isNew ? "new_contacts" : "contacts";
    const exists = Array.prototype.some.call(chips.querySelectorAll("input[name=" + field + "]"), function (i) {
      return i.value.toLowerCase() === String(value).toLowerCase();
    });
    if (exists) return;
    const chip = document.createElement("li");
    chip.className = "chip" + (isNew ? " chip-new" : "");
    const box = document.createElement("input");
    box.type = "checkbox"; box.className = "chip-check"; box.name = field; box.value = value;
    box.checked = true; box.setAttribute("aria-label", (isNew ? "Create " : "Include ") + name);
    const label = document.createElement("span");
    label.textContent = name;
    chip.appendChild(box); chip.appendChild(label);
    if (isNew) {
      const tag = document.createElement("small");
      tag.className = "muted"; tag.textContent = " new";
      chip.appendChild(tag);
    }
    const remove = document.createElement("button");
    remove.type = "button"; remove.className = "link"; remove.setAttribute("data-chip-remove", "");
    remove.setAttribute("aria-label", "Remove " + name); remove.textContent = "×";
    chip.appendChild(remove);
    chips.appendChild(chip);
  }

  function pick(input, option) {
    const picker = input.closest("[data-contact-picker]");
    const list = picker.querySelector(".suggestions");
    if (option.hasAttribute("data-pick-new")) {
      const name = option.getAttribute("data-pick-new");
      addChip(picker, name, name, true);
    } else {
      addChip(picker, option.getAttribute("data-pick-name"), option.getAttribute("data-pick-id"), false);
    }
    input.value = "";
    clearList(input, list);
    input.focus();
  }

  function initPicker(picker) {
    if (picker.dataset.qlReady) return;
    picker.dataset.qlReady = "1";
    const input = picker.querySelector("[data-contact-search]");
    const list = picker.querySelector(".suggestions");
    if (!input || !list) return;
    input.hidden = false;

    input.addEventListener("keydown", function (event) {
      const all = options(list);
      const current = list.querySelector("[aria-selected=true]");
      const index = all.indexOf(current);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(input, list, all[(index + step + all.length) % all.length]);
      } else if (event.key === "Enter") {
        if (!input.value.trim()) return; // an empty search box lets Enter submit the form
        event.preventDefault();
        const chosen = current || all[0];
        if (chosen) pick(input, chosen);
      } else if (event.key === "Escape") {
        if (list.children.length) { event.preventDefault(); event.stopPropagation(); clearList(input, list); }
      } else if (event.key === "Backspace" && !input.value) {
        const chips = picker.querySelectorAll("[data-chips] .chip");
        if (chips.length) chips[chips.length - 1].remove();
      }
    });
    input.addEventListener("blur", function () {
      // Later than the click on an option, which must still find it.
      setTimeout(function () { if (document.activeElement !== input) clearList(input, list); }, 200);
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      const option = event.target.closest("[role=option]");
      if (option) pick(input, option);
    });
    picker.addEventListener("click", function (event) {
      const remove = event.target.closest("[data-chip-remove]");
      if (remove) { event.preventDefault(); remove.closest(".chip").remove(); input.focus(); }
    });
    list.addEventListener("htmx:afterSwap", function () {
      const all = options(list);
      input.setAttribute("aria-expanded", all.length ? "true" : "false");
      if (all.length) setActive(input, list, all[0]);
    });
  }

  // ---- Minutes and follow-up helpers ----------------------------------------------------
  function initForm(form) {
    if (form.dataset.qlReady) return;
    form.dataset.qlReady = "1";
    const custom = form.querySelector("[name=minutes_custom]");
    const presets = form.querySelectorAll("[name=minutes]");
    if (custom) {
      custom.addEventListener("input", function () {
        if (custom.value !== "") presets.forEach(function (r) { r.checked = false; });
      });
      presets.forEach(function (r) { r.addEventListener("change", function () { custom.value = ""; }); });
    }
    const date = form.querySelector("[name=follow_up_date]");
    const time = form.querySelector("[name=follow_up_time]");
    form.querySelectorAll("[name=follow_up]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.value === "custom") { if (date) date.focus(); }
        else { if (date) date.value = ""; if (time) time.value = ""; }
      });
    });
    if (date) {
      date.addEventListener("change", function () {
        const customRadio = form.querySelector("[name=follow_up][value=custom]");
        if (date.value && customRadio) customRadio.checked = true;
      });
    }
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  function init(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-contact-picker]").forEach(initPicker);
    root.querySelectorAll("[data-ql-form]").forEach(initForm);
    if (root.matches && root.matches("[data-ql-form]")) initForm(root);
  }

  document.addEventListener("htmx:load", function (event) {
    const elt = event.detail.elt;
    init(elt);
    const box = content();
    if (!box || !elt.closest || !box.contains(elt)) return;
    const invalid = elt.querySelector && elt.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
    if (invalid && !invalid.hidden) { invalid.focus(); pendingFocus = false; return; }
    if (pendingFocus) { pendingFocus = false; focusFirst(box); }
  });
  init(document);
})();
