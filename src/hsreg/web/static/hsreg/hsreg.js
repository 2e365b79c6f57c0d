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
  // Forms marked data-submit-once are sent once: the first submit disables their buttons, so a
  // double-click does not send the page twice (the server's one-time token catches what gets
  // through: records.submissions). A disabled button is not submitted, so the pressed one's
  // name and value (action=draft/finish) go along in a hidden field.
  function submitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitting") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitting", "1");
      var pressed = event.submitter;
      var carry = form.querySelector("input[data-pressed]");
      if (carry) carry.remove();
      if (pressed && pressed.name) {
        carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = pressed.name;
        carry.value = pressed.value;
        carry.setAttribute("data-pressed", "");
        form.appendChild(carry);
      }
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
      });
    });
  }
  // Back to a new form's page after it was saved: the browser fetches the page again, with a
  // fresh token, and sending it again would store a second record. The history entry keeps the
  // token the page first had (history.state lives with the entry, reloads and Back included),
  // so the page sends that one and the server goes to the record it saved.
  function keepToken(form) {
    var input = form.querySelector("input[name=submission]");
    if (!input || !window.history || !history.replaceState) return;
    var key = "hsreg-submission:" + location.pathname;
    var state = {};
    var old = history.state;
    if (old && typeof old === "object") {
      for (var k in old) if (Object.prototype.hasOwnProperty.call(old, k)) state[k] = old[k];
    }
    if (typeof state[key] === "string") {
      input.value = state[key];
    } else {
      state[key] = input.value;
      history.replaceState(state, "");
    }
  }
  // Back to a page kept in the browser's memory: its buttons work again (the token still
  // makes a resubmission of the same page count once).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.querySelectorAll("button[disabled]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      });
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(submitOnce);
    document.querySelectorAll("form[data-keep-token]").forEach(keepToken);
    document.querySelectorAll("form[data-live-url]").forEach(wire);
    document.querySelectorAll("form").forEach(branch);
    // the unit picker submits itself when a unit is chosen (no inline handlers: CSP)
    document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
