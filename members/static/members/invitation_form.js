// Shows the participation level and "replace" choice only for focal points and alternates.
"use strict";

(() => {
  const form = document.querySelector(".invitation-form");
  if (!form) return;
  const role = form.querySelector("select[name=role]");
  const extra = form.querySelector(".appointment-fields");
  const sync = () => {
    extra.hidden = !["focal_point", "alternate"].includes(role.value);
  };
  role.addEventListener("change", sync);
  sync();
})();
