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
  reason.setAttribute("aria-required", objecting ? "true" : "false");
  if (objecting) {
    reason.focus();
  }
});
