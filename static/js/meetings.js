// Meetings pages: print buttons, copy the feed address, confirm deletions, the minutes editor.
"use strict";

document.addEventListener("click", (event) => {
  const print = event.target.closest("[data-print]");
  if (print) {
    event.preventDefault();
    window.print();
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const input = document.querySelector(copy.dataset.copy);
    if (input) {
      input.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value);
      }
      copy.classList.add("btn-success");
    }
  }
});

document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// The minutes editor: a formatting toolbar over a contenteditable area, kept in sync with the
// textarea the form submits. Without JavaScript the textarea (HTML) still works; the server
// sanitizes whatever arrives.
document.querySelectorAll("form[data-rich-editor]").forEach((form) => {
  const wrapper = form.querySelector(".rich-editor");
  const editor = form.querySelector("[data-editor]");
  const source = form.querySelector("[data-source]");
  const textarea = source.querySelector("textarea");
  let showingSource = false;

  editor.innerHTML = textarea.value;
  wrapper.classList.remove("d-none");
  source.classList.add("d-none");

  const sync = () => {
    if (!showingSource) {
      textarea.value = editor.innerHTML;
    }
  };
  editor.addEventListener("input", sync);
  form.addEventListener("submit", sync);

  wrapper.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-toggle-source")) {
      showingSource = !showingSource;
      if (showingSource) {
        textarea.value = editor.innerHTML;
      } else {
        editor.innerHTML = textarea.value;
      }
      source.classList.toggle("d-none", !showingSource);
      editor.classList.toggle("d-none", showingSource);
      return;
    }
    editor.focus();
    if (button.dataset.block) {
      document.execCommand("formatBlock", false, button.dataset.block);
    } else if (button.dataset.cmd) {
      document.execCommand(button.dataset.cmd, false, null);
    } else if (button.hasAttribute("data-link")) {
      const url = window.prompt(button.dataset.prompt, "https://");
      if (url && /^(https?:|mailto:)/i.test(url)) {
        document.execCommand("createLink", false, url);
      }
    }
    sync();
  });
});
