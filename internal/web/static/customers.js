// vernost customer pages: instant search, persona guidance in the form,
// more identity rows, live merge preview. Every page works without this
// script; it only saves clicks.
"use strict";

(() => {
  // Instant search: as the operator types, fetch the results fragment and
  // put it in place. Requests are debounced, and a newer one cancels the
  // one in flight so that slow answers never overwrite newer ones.
  const search = document.querySelector("form[data-instant]");
  if (search) {
    const input = search.querySelector('input[name="q"]');
    const target = document.getElementById(search.dataset.target);
    let timer = 0;
    let inflight = null;
    const run = async () => {
      // The list's filters stay; the cursor of a later page does not.
      const params = new URLSearchParams(location.search);
      params.delete("cursor");
      params.set("q", input.value.trim());
      if (!params.get("q")) params.delete("q");
      if (inflight) inflight.abort();
      inflight = new AbortController();
      try {
        const res = await fetch(search.dataset.instant + "?" + params, {
          credentials: "same-origin",
          signal: inflight.signal,
        });
        if (!res.ok) return; // the plain form still works: Enter submits it
        target.innerHTML = await res.text();
        const query = params.toString();
        history.replaceState(null, "", query ? "/customers?" + query : "/customers");
      } catch (e) {
        if (e.name !== "AbortError") throw e;
      }
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
  }

  // Persona guidance follows the selected persona.
  for (const select of document.querySelectorAll("select[data-guidance]")) {
    const box = document.getElementById(select.dataset.guidance);
    const show = () => {
      for (const el of box.querySelectorAll("[data-persona]")) el.hidden = el.dataset.persona !== select.value;
    };
    select.addEventListener("change", show);
  }

  // "Add a contact" copies the last identity row, emptied.
  for (const button of document.querySelectorAll("button[data-clone]")) {
    const rows = document.getElementById(button.dataset.clone);
    button.hidden = false;
    button.addEventListener("click", () => {
      const last = rows.lastElementChild;
      const row = last.cloneNode(true);
      for (const input of row.querySelectorAll("input")) {
        input.value = "";
        input.removeAttribute("aria-invalid");
      }
      for (const err of row.querySelectorAll(".field-error")) err.remove();
      rows.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  // Merge screen: choosing a field's winner refreshes the preview.
  const merge = document.querySelector("form[data-preview]");
  if (merge) {
    const preview = document.getElementById(merge.dataset.preview);
    merge.addEventListener("change", (ev) => {
      if (ev.target.type === "radio") merge.requestSubmit(preview);
    });
  }
})();
