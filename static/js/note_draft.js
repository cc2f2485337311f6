// The note form keeps the cadre's unsent text on the device: every change goes to localStorage (one key per
// note and version) until the server confirms a save; the text comes back after a reload if it is newer
// than the server's copy and differs from what the page shows, and the save is retried when the connection
// returns. A failed submit's error summary takes the focus, so a phone scrolls to it.
(function () {
  "use strict";
  var summary = document.getElementById("note-errors");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
  var form = document.querySelector("[data-note-draft]");
  if (!form || !window.htmx) { return; }
  var prefix = "note-draft:" + form.dataset.noteId + ":";
  var serverUpdatedAt = Number(form.dataset.updatedAt) * 1000;
  var sent = null;
  var submitWaiting = false;

  function version() { return form.querySelector("[name=version]").value; }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "version" && element.name !== "csrfmiddlewaretoken";
    });
  }

  function values() {
    var result = {};
    fields().forEach(function (element) {
      result[element.name] = element.type === "checkbox" ? element.checked : element.value;
    });
    return result;
  }

  function keys() {
    var found = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) { found.push(key); }
    }
    return found;
  }

  function keep() {
    try {
      localStorage.setItem(prefix + "v" + version(), JSON.stringify({ savedAt: Date.now(), fields: values() }));
    } catch (error) { /* storage full or disabled: the server autosave still runs */ }
  }

  function clear() { keys().forEach(function (key) { localStorage.removeItem(key); }); }

  function newest() {
    var best = null;
    keys().forEach(function (key) {
      try {
        var draft = JSON.parse(localStorage.getItem(key));
        if (draft && (!best || draft.savedAt > best.savedAt)) { best = draft; }
      } catch (error) { localStorage.removeItem(key); }
    });
    return best;
  }

  function shown(element) { return element.type === "checkbox" ? element.checked : element.value; }

  // Whether a kept copy says anything the page does not already show (e.g. the page redrawn after a
  // failed submit carries the very text that was typed).
  function differs(saved) {
    return fields().some(function (element) {
      if (!(element.name in saved)) { return false; }
      var kept = element.type === "checkbox" ? Boolean(saved[element.name]) : String(saved[element.name]);
      return kept !== shown(element);
    });
  }

  function apply(saved) {
    fields().forEach(function (element) {
      if (!(element.name in saved)) { return; }
      if (element.type === "checkbox") { element.checked = Boolean(saved[element.name]); }
      else { element.value = saved[element.name]; }
    });
  }

  function setStatus(text, state) {
    var status = document.getElementById("note-save-status");
    if (!status) { return; }
    status.dataset.state = state;
    status.textContent = text;
  }

  function save() { htmx.trigger(form, "note:save"); }

  // htmx wires the form up once the document is parsed (after this deferred script has run); a save asked
  // for earlier would be lost, so wait for the page to have loaded.
  function afterHtmx(callback) {
    if (document.readyState === "complete") { callback(); }
    else { window.addEventListener("load", callback); }
  }

  function restore() {
    var draft = newest();
    if (!draft) { return; }
    if (draft.savedAt <= serverUpdatedAt) { clear(); return; }
    // The page already shows the kept text (redrawn after a failed submit): nothing is restored, so nothing
    // is said; the copy stays until a save reaches the server.
    if (!differs(draft.fields)) { return; }
    apply(draft.fields);
    document.getElementById("note-restored").hidden = false;
    afterHtmx(save);
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", function (event) {
    keep();
    // A switch has no changing value for htmx's "changed" filter; ask for a save ourselves.
    if (event.target.type === "checkbox") { save(); }
  });
  form.addEventListener("htmx:configRequest", function () {
    sent = JSON.stringify(values());
    setStatus(form.dataset.savingText, "saving");
  });
  form.addEventListener("htmx:beforeSwap", function (event) {
    // A conflict (409) or invalid data (422) still carries the status partial to show.
    var code = event.detail.xhr.status;
    if (code === 409 || code === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.xhr.status === 200) {
      clear();
      // Text typed while the request was on its way is still unsent: keep it under the new version.
      if (JSON.stringify(values()) !== sent) { keep(); }
    }
    if (submitWaiting && !form.classList.contains("htmx-request")) { submitWaiting = false; form.requestSubmit(); }
  });
  form.addEventListener("htmx:sendError", function () { setStatus(form.dataset.offlineText, "offline"); });
  form.addEventListener("submit", function (event) {
    // Submit with the version the running autosave will return, not the one it is replacing.
    if (form.classList.contains("htmx-request")) { event.preventDefault(); submitWaiting = true; }
  });
  window.addEventListener("online", save);
  restore();
})();
