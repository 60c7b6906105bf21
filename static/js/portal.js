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

// ---------------------------------------------------------------------------------------------
// Accessibility: what htmx changes is announced, and the keyboard focus never falls off the page.
// ---------------------------------------------------------------------------------------------

// The error summary of an invalid form (core/_form_errors.html) takes the focus, so a keyboard
// or screen-reader user starts from the list of problems, each a link to its field.
function focusErrorSummary(root) {
  const summary = root.querySelector && root.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    return true;
  }
  return false;
}

document.addEventListener("DOMContentLoaded", () => {
  focusErrorSummary(document);
});

// A link of the summary moves the focus to its field (a same-page link alone only scrolls there
// in some browsers).
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) {
    return;
  }
  const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (field) {
    event.preventDefault();
    field.focus();
    field.scrollIntoView({block: "center"});
  }
});

// Polite and assertive live regions that stay in the page (base.html): a region that htmx has
// just inserted is not read out reliably, so its status or alert text is copied here.
function announce(text, assertive) {
  const region = document.getElementById(assertive ? "live-alert" : "live-status");
  if (!region || !text) {
    return;
  }
  region.textContent = "";
  // A change of text in a region already in the page is what screen readers read out.
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

// The control focused last: a button that had the focus loses it when it is disabled while its
// form is being sent (above), before htmx swaps in the answer.
let lastFocused = null;
document.addEventListener("focusin", (event) => {
  lastFocused = event.target;
});

// Before a swap: remember which control had the focus inside the part being replaced.
let focusBeforeSwap = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const active =
    document.activeElement && document.activeElement !== document.body
      ? document.activeElement
      : lastFocused;
  focusBeforeSwap = null;
  if (target && active && active !== document.body && target.contains(active)) {
    focusBeforeSwap = {
      targetId: target.id,
      id: active.id,
      name: active.getAttribute("name"),
      value: active.getAttribute("value"),
    };
  }
});

function findSameControl(saved) {
  if (saved.id) {
    const byId = document.getElementById(saved.id);
    if (byId) {
      return byId;
    }
  }
  if (saved.name) {
    const candidates = document.querySelectorAll(`[name="${CSS.escape(saved.name)}"]`);
    for (const element of candidates) {
      if (saved.value === null || element.getAttribute("value") === saved.value) {
        return element;
      }
    }
  }
  return null;
}

// After a swap: announce the fragment's status or alert, and put the focus back where it was
// (the same control in the new fragment), or on the fragment's message, or on the fragment.
document.addEventListener("htmx:afterSettle", (event) => {
  const saved = focusBeforeSwap;
  focusBeforeSwap = null;
  const root = (saved && saved.targetId && document.getElementById(saved.targetId)) || event.detail.elt;
  if (!root || !root.isConnected) {
    return;
  }
  const message = root.matches("[role=status], [role=alert]")
    ? root
    : root.querySelector("[role=alert], [role=status]");
  if (message) {
    announce(message.textContent.trim().replace(/\s+/g, " "), message.getAttribute("role") === "alert");
  }
  if (!saved) {
    return;
  }
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) {
    return;
  }
  if (focusErrorSummary(root)) {
    return;
  }
  const same = findSameControl(saved);
  if (same && !same.disabled) {
    same.focus();
    return;
  }
  // The same control is now disabled (an agenda item moved to the top cannot move up): the
  // next control of its group.
  const neighbour =
    same && same.closest("[role=group]")?.querySelector("button:not([disabled]), a[href]");
  if (neighbour) {
    neighbour.focus();
    return;
  }
  const landing = message || root;
  if (!landing.hasAttribute("tabindex")) {
    landing.setAttribute("tabindex", "-1");
  }
  landing.focus();
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

// A table too wide for its box scrolls inside it (.table-responsive): keyboard users must be able
// to scroll it too, so such a box takes the focus and is named after its section's heading
// (WCAG 2.1.1; axe's scrollable-region-focusable). Boxes that do not overflow stay out of the
// tab order.
function focusableScrollRegions(root) {
  root.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth + 1) {
      return;
    }
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const heading = box.closest("section, .card")?.querySelector("h2, h3, .card-header");
    const table = box.querySelector("table");
    const name =
      (table && (table.getAttribute("aria-label") || table.caption?.textContent)) ||
      heading?.textContent;
    if (name) {
      box.setAttribute("aria-label", name.replace(/\s+/g, " ").trim());
    }
  });
}

focusableScrollRegions(document);
document.addEventListener("htmx:load", () => focusableScrollRegions(document));
