// vernost import page: when a file is chosen, show how its columns will be
// read (the server looks at the start of the file); while an import runs,
// move the progress bar. The upload itself is a plain form.
"use strict";

(() => {
  // Mapping preview: only the first 64 KiB + 1 byte travel, which is what
  // the importer reads to detect the encoding and the delimiter.
  const form = document.querySelector("form[data-preview-url]");
  if (form) {
    const file = form.querySelector('input[type="file"]');
    const target = document.getElementById(form.dataset.previewTarget);
    const preview = async () => {
      const f = file.files[0];
      target.textContent = "";
      if (!f || /\.(jsonl|ndjson)$/i.test(f.name)) return;
      const body = new FormData();
      body.append("sample", f.slice(0, 65537), f.name);
      body.append("encoding", form.elements.encoding.value);
      body.append("delimiter", form.elements.delimiter.value);
      const res = await fetch(form.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": window.vernost.csrf() },
        body,
      });
      if (res.ok) target.innerHTML = await res.text();
    };
    file.addEventListener("change", preview);
    form.elements.encoding.addEventListener("change", preview);
    form.elements.delimiter.addEventListener("change", preview);
  }

  // Progress: poll the job's status twice a second; when it ends, reload
  // to show the report.
  const job = document.querySelector("[data-poll]");
  if (job) {
    const bar = document.getElementById("import-progress");
    const set = (id, v) => {
      const el = document.getElementById(id);
      if (el) el.textContent = String(v);
    };
    const poll = async () => {
      try {
        const res = await fetch(job.dataset.poll, { credentials: "same-origin" });
        if (res.ok) {
          const st = await res.json();
          bar.value = st.percent;
          bar.textContent = st.percent + "%";
          set("count-rows", st.rows);
          set("count-created", st.created);
          set("count-updated", st.updated);
          set("count-unchanged", st.unchanged);
          set("count-rejected", st.rejected);
          if (st.status !== "running") {
            location.reload();
            return;
          }
        }
      } catch (e) {
        // A dropped connection is retried on the next tick.
      }
      setTimeout(poll, 500);
    };
    setTimeout(poll, 500);
  }
})();
