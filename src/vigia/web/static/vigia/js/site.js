/* Vigía — small page behaviours, without inline code (CSP):
 * - a <select data-autosubmit> sends its form when it changes (year selectors);
 * - after a rejected form, the errors the server lists («campo «X»: …») mark their fields with
 *   aria-invalid and aria-describedby, and focus moves to the first invalid field.
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  });

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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markErrors);
  else markErrors();
})();
