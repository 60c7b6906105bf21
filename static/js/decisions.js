// Decisions: the print button of the printable record; the reason of an objection is required.
"use strict";

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

document.addEventListener("change", (event) => {
  const radio = event.target;
  if (radio.type !== "radio" || !radio.name.endsWith("stance")) {
    return;
  }
  const form = radio.form;
  const reason = form && form.querySelector("textarea[name$='reason']");
  if (!reason) {
    return;
  }
  const objecting = radio.value === "object" && radio.checked;
  reason.required = objecting;
  // The focus stays on the radio button (WCAG 3.2.2, on input): moving it to the reason would
  // pull a keyboard user out of the group while the arrow keys walk through the positions.
  reason.setAttribute("aria-required", objecting ? "true" : "false");
});
