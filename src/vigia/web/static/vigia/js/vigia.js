/* Vigía's page behaviours (the Content-Security-Policy allows no inline script). Every page works
   without it; it adds: a <select data-autosubmit> (the year selectors) sends its form when it
   changes; the report buttons say that the server is writing the document, then hand the file
   over; after a rejected form, the errors the server lists («campo «X»: …») mark their fields with
   aria-invalid and aria-describedby, and focus moves to the first invalid field.
   Charts are drawn by charts.js. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  });

  function reportButtons(box) {
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    var status = box.querySelector(".report-status");
    box.querySelectorAll("a.report-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (box.dataset.busy) return;
        box.dataset.busy = "1";
        var started = Date.now();
        status.textContent = "Generando el documento… (puede tardar unos segundos)";
        var timer = setInterval(function () {
          status.textContent = "Generando el documento… " + Math.round((Date.now() - started) / 1000) + " s";
        }, 1000);
        fetch(link.href, {credentials: "same-origin"}).then(function (response) {
          if (!response.ok) throw new Error(response.status === 403 ? "No tiene permiso para este documento." : "No se pudo generar el documento (" + response.status + ").");
          var header = response.headers.get("Content-Disposition") || "";
          var match = /filename="([^"]+)"/.exec(header);
          return response.blob().then(function (blob) { return {blob: blob, name: match ? match[1] : "reporte"}; });
        }).then(function (file) {
          var url = URL.createObjectURL(file.blob);
          var a = document.createElement("a");
          a.href = url; a.download = file.name; document.body.appendChild(a); a.click(); a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          status.textContent = "Listo: " + file.name + " (" + Math.round((Date.now() - started) / 100) / 10 + " s).";
        }).catch(function (error) {
          status.textContent = error.message;
        }).finally(function () {
          clearInterval(timer);
          delete box.dataset.busy;
        });
      });
    });
  }

  function init(root) {
    root.querySelectorAll("[data-report-buttons]").forEach(reportButtons);
  }

  function labelText(field) {
    var label = field.labels && field.labels[0];
    return label ? label.textContent.trim().toLowerCase() : "";
  }

  function markErrors() {
    var boxes = document.querySelectorAll("main .error[role=alert], main .messages .msg-error");
    var first = null;
    boxes.forEach(function (box, k) {
      var form = box.nextElementSibling && box.nextElementSibling.tagName === "FORM" ? box.nextElementSibling : null;
      var fields = Array.prototype.filter.call(document.querySelectorAll("main input, main select, main textarea"),
        function (f) { return f.labels && f.labels.length && f.type !== "hidden"; });
      var items = box.querySelectorAll("li");
      var messages = items.length ? Array.prototype.slice.call(items) : [box];
      var matched = false;
      messages.forEach(function (msg, i) {
        if (!msg.id) msg.id = "error-" + k + "-" + i;
        var m = /campo «([^»]+)»/.exec(msg.textContent);
        var targets = m
          ? fields.filter(function (f) { return labelText(f).indexOf(m[1].toLowerCase()) === 0; })
          : [];
        targets.forEach(function (f) {
          f.setAttribute("aria-invalid", "true");
          var ids = (f.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
          if (ids.indexOf(msg.id) < 0) ids.unshift(msg.id);
          f.setAttribute("aria-describedby", ids.join(" "));
          if (!first) first = f;
          matched = true;
        });
      });
      if (!matched && !items.length && form && form.querySelector("input[type=password]")) {
        /* Wrong user or password: the message describes both fields. */
        if (!box.id) box.id = "error-" + k;
        fields.filter(function (f) { return f.form === form && f.tagName === "INPUT"; }).forEach(function (f) {
          f.setAttribute("aria-invalid", "true");
          f.setAttribute("aria-describedby", box.id);
          if (!first) first = f;
        });
      }
    });
    if (!first && boxes.length) {
      /* An error about no field in particular: read it first rather than leave focus on the page. */
      first = boxes[0];
      first.setAttribute("tabindex", "-1");
    }
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); markErrors(); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
