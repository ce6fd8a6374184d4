// Controls a finger or pointer aims at, smaller than 24×24 px (44 px tall for a phone's main
// actions). Links inside sentences are exempt (WCAG 2.5.8). Evaluated by test_every_page.py.
() => {
  const found = [];
  const phone = window.innerWidth < 720;
  for (const el of document.querySelectorAll(
      "button, .button, summary, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
      + ".nav a, .menu-panel a, .stage-tab, label:has(> input[type=checkbox]), label:has(> input[type=radio])")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest("[hidden], [aria-hidden=true], .visually-hidden, dialog:not([open]), details:not([open]) > :not(summary)")) continue;
    const primary = el.matches(".button-primary:not(.button-small)") && !el.closest(".nav, .opp-card, .followup-actions");
    const need = phone && primary ? 44 : 24;
    if (box.height < need - 0.5 || box.width < 24 - 0.5) {
      found.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || "").trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)} (needs ${need})`);
    }
  }
  return found;
}
