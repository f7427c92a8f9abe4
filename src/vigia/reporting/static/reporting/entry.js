/* Vigía's reporting pages (the Content-Security-Policy allows no inline script). Every page works
   without it; it adds: the % change, avance, band and validation of a value as it is typed (asked
   to the server, which uses the methodology itself), Enter to go down a column of the entry grid,
   a warning before leaving with unsaved changes, confirmations, and the set-up page's filters. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function field(box, col) { return box.querySelector('[data-col="' + col + '"]'); }

  function notesOf(box) {
    if (box.tagName === "TR") {
      var notes = box.nextElementSibling;
      return notes && notes.hasAttribute("data-notes-for") ? notes : null;
    }
    return box;
  }

  function show(box, data) {
    var change = box.querySelector('[data-out="change"]') || document.querySelector('[data-out="change"]');
    var progress = box.querySelector('[data-out="progress"]') || document.querySelector('[data-out="progress"]');
    if (change) change.textContent = data.change || (box.tagName === "TR" ? "" : "—");
    if (progress) {
      progress.textContent = "";
      var badge = document.createElement("span");
      badge.className = "band band-" + data.band_class;
      badge.title = data.band_label + (data.reason ? ": " + data.reason : "");
      badge.textContent = data.progress;
      if (data.band !== "ND") {
        var word = document.createElement("span");
        word.className = "band-word";
        word.textContent = " " + data.band;
        badge.appendChild(word);
      }
      progress.appendChild(badge);
      if (data.reason) {
        var why = document.createElement("small");
        why.textContent = " (" + data.reason + ")";
        progress.appendChild(why);
      }
    }
    var notes = notesOf(box);
    var list = notes && notes.querySelector('[data-out="messages"]');
    if (!list) return;
    list.textContent = "";
    data.errors.forEach(function (text) { add(list, text, "error"); });
    data.warnings.forEach(function (text) { add(list, text, "warn"); });
    if (notes.tagName === "TR") {
      notes.hidden = !list.children.length && !notes.querySelector(".observation, p.error");
      box.classList.toggle("has-problem", data.errors.length > 0);
    }
  }

  function add(list, text, kind) {
    var li = document.createElement("li");
    li.className = kind;
    li.textContent = text;
    list.appendChild(li);
  }

  function livePreview(box) {
    var url = box.getAttribute("data-preview");
    var ask = debounce(function () {
      var query = new URLSearchParams();
      box.querySelectorAll("[data-col]").forEach(function (el) { query.set(el.getAttribute("data-col"), el.value); });
      fetch(url + "?" + query.toString(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) show(box, data); })
        .catch(function () { /* the server checks again when saving */ });
    }, 250);
    box.addEventListener("input", ask);
    box.addEventListener("change", ask);
  }

  function downTheColumn(form) {
    form.addEventListener("keydown", function (event) {
      var el = event.target;
      if (event.key !== "Enter" || event.shiftKey || !el.hasAttribute("data-col")) return;
      event.preventDefault();
      var col = el.getAttribute("data-col");
      var row = el.closest("tr");
      for (var next = row && row.nextElementSibling; next; next = next.nextElementSibling) {
        var target = field(next, col);
        if (target) { target.focus(); if (target.select) target.select(); return; }
      }
    });
  }

  function unsavedWarning(form) {
    var dirty = false;
    var note = form.querySelector("[data-dirty-note]");
    form.addEventListener("input", function () {
      dirty = true;
      if (note) note.textContent = "Hay cambios sin guardar.";
    });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function confirmations(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        var text = button.getAttribute("data-confirm");
        var chosen = button.form ? button.form.querySelectorAll('tbody input[type="checkbox"]:checked').length : 0;
        if (text.indexOf("{n}") >= 0 && !chosen) {  // a bulk action with nothing selected
          window.alert("Elija al menos un reporte de la lista (casillas de la izquierda).");
          event.preventDefault();
        } else if (!window.confirm(text.replace("{n}", chosen))) {
          event.preventDefault();
        }
      });
    });
  }

  function checkAll(root) {
    root.querySelectorAll("[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        box.closest("table").querySelectorAll('tbody input[type="checkbox"]').forEach(function (c) { c.checked = box.checked; });
      });
    });
  }

  function setup(form) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("table.setup tbody tr"));
    var selects = form.querySelectorAll("[data-filter]");
    var readiness = form.querySelector("[data-readiness]");
    function visible(row) {
      return Array.prototype.every.call(selects, function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
    }
    function filter() { rows.forEach(function (row) { row.hidden = !visible(row); }); ready(); }
    function ready() {
      var chosen = rows.filter(function (r) { var c = r.querySelector('input[type="checkbox"]'); return c && c.checked; });
      var lacking = chosen.filter(function (r) { return !r.querySelector("[data-target]").value.trim(); });
      readiness.textContent = chosen.length + " indicadores elegidos" + (lacking.length
        ? "; " + lacking.length + " sin logro esperado (" + lacking.slice(0, 8).map(function (r) { return r.getAttribute("data-code"); }).join(", ")
          + (lacking.length > 8 ? "…" : "") + "): escríbalo o indique el motivo para abrir sin él."
        : "; todos con logro esperado.");
    }
    function mark(checked) {
      return function () {
        rows.forEach(function (row) {
          var c = row.querySelector('input[type="checkbox"]');
          if (c && !row.hidden) c.checked = checked;
        });
        ready();
      };
    }
    selects.forEach(function (s) { s.addEventListener("change", filter); });
    form.querySelector("[data-select-shown]").addEventListener("click", mark(true));
    form.querySelector("[data-clear-shown]").addEventListener("click", mark(false));
    form.addEventListener("input", ready);
    form.addEventListener("change", ready);
    filter();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-preview]").forEach(livePreview);
    document.querySelectorAll("[data-entry-grid]").forEach(downTheColumn);
    document.querySelectorAll("[data-entry-grid], [data-single-entry]").forEach(unsavedWarning);
    document.querySelectorAll("[data-setup]").forEach(setup);
    confirmations(document);
    checkAll(document);
  });
})();
