// Behaviour shared by every page. No inline scripts anywhere: the CSP allows only files from 'self'.
"use strict";

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const region = document.querySelector(".messages") || document.getElementById("main");
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.setAttribute("role", "alert");
  alert.textContent =
    status === 403
      ? document.documentElement.dataset.msgForbidden || "You are not allowed to do that."
      : document.documentElement.dataset.msgError || "Something went wrong. Please try again.";
  region.prepend(alert);
});

// A form being sent cannot be sent again: its submit buttons are disabled until the answer comes
// (the server refuses a second copy anyway, see core/submissions.py). Disabled after the browser
// has read the form, so the clicked button's name and value are still sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  window.setTimeout(() => {
    if (event.defaultPrevented) {
      return;
    }
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach((button) => {
      button.disabled = true;
      button.dataset.sending = "true";
    });
  }, 0);
});

function releaseForm(form) {
  form.removeAttribute("aria-busy");
  form.querySelectorAll("[data-sending]").forEach((button) => {
    button.disabled = false;
    delete button.dataset.sending;
  });
}

// An htmx form stays on the page: give its buttons back when the answer (or an error) arrives.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
  if (form) {
    releaseForm(form);
  }
});

// Back button: a page restored from the browser's cache must not keep its buttons disabled.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[aria-busy]").forEach(releaseForm);
});

// Tables stacked as cards on a phone (.table-stack, portal.css "Layout"): each cell is labelled with
// its column's header, already translated, unless the template gave it a data-label of its own.
function labelStackedTables(root) {
  root.querySelectorAll("table.table-stack").forEach((table) => {
    const headerRows = table.tHead ? table.tHead.rows : [];
    if (!headerRows.length) {
      return;
    }
    const labels = [];
    for (const cell of headerRows[headerRows.length - 1].cells) {
      const label = cell.textContent.replace(/\s+/g, " ").trim();
      for (let span = 0; span < cell.colSpan; span += 1) {
        labels.push(label);
      }
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan;
        }
      }
    }
  });
}

labelStackedTables(document);
document.addEventListener("htmx:load", () => labelStackedTables(document));
