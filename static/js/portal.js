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
