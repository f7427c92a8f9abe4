/* Vigía's only script (the Content-Security-Policy allows no inline script). Every page works
   without it; it adds: the year selector submits on change, and the report buttons say that the
   server is writing the document (a few seconds the first time), then hand the file over. */
(function () {
  "use strict";

  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

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
    autosubmit(root);
    root.querySelectorAll("[data-report-buttons]").forEach(reportButtons);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
