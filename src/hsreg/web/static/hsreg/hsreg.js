// Live scores while a form is typed: the form's fields are posted to its data-live-url and the
// server's answer (HTML computed by the guideline engine) replaces [data-live-target]. There
// is no formula here; without JavaScript the scores appear when the form is saved.
(function () {
  "use strict";
  function wire(form) {
    var url = form.getAttribute("data-live-url");
    var target = document.querySelector(form.getAttribute("data-live-target"));
    if (!url || !target) return;
    var timer = null;
    var sequence = 0;
    function refresh() {
      var mine = ++sequence;
      var body = new FormData(form);
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null && mine === sequence) {
            target.innerHTML = html;
            target.setAttribute("data-live-version", String(mine));
          }
        })
        .catch(function () { /* the saved form is authoritative; keep the last scores */ });
    }
    function schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, 120);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }
  // Branching: elements with data-show-when="field=value[,value]" are shown only then.
  function branch(form) {
    var dependents = form.querySelectorAll("[data-show-when]");
    function update() {
      dependents.forEach(function (el) {
        var rule = el.getAttribute("data-show-when").split("=");
        var values = rule[1].split(",");
        var field = form.elements[rule[0]];
        var current = "";
        if (field && field.length !== undefined && !field.tagName) {
          for (var i = 0; i < field.length; i++) if (field[i].checked) current = field[i].value;
        } else if (field) {
          current = field.type === "checkbox" ? (field.checked ? "on" : "") : field.value;
        }
        el.hidden = values.indexOf(current) === -1;
      });
    }
    if (dependents.length) {
      form.addEventListener("change", update);
      update();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-live-url]").forEach(wire);
    document.querySelectorAll("form").forEach(branch);
    // the unit picker submits itself when a unit is chosen (no inline handlers: CSP)
    document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
