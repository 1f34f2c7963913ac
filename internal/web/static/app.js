// vernost: the little JavaScript the pages need. No inline script is
// allowed by the Content-Security-Policy, so behaviour hangs on data-*
// attributes set by the templates.
"use strict";

// vernost.post sends a state-changing fetch with the session's CSRF token,
// for pages that act without reloading.
window.vernost = {
  csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  },
  async send(method, url, body) {
    const res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": this.csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = res.status === 204 ? null : await res.json();
    if (!res.ok) {
      const e = new Error((data && data.error && data.error.message) || res.statusText);
      e.field = data && data.error && data.error.field;
      throw e;
    }
    return data;
  },
  post(url, body) { return this.send("POST", url, body); },
};

document.addEventListener("submit", (ev) => {
  const msg = ev.target.dataset && ev.target.dataset.confirm;
  if (msg && !window.confirm(msg)) ev.preventDefault();
});

document.addEventListener("click", (ev) => {
  const id = ev.target.dataset && ev.target.dataset.copy;
  if (!id) return;
  const el = document.getElementById(id);
  if (el && navigator.clipboard) navigator.clipboard.writeText(el.textContent.trim());
});
