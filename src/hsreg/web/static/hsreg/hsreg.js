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
        .then(function (r) {
          if (r.status === 401) return r.json().then(function (answer) {
            if (mine === sequence) expired(answer);
            return null;
          });
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html !== null && mine === sequence) {
            target.innerHTML = html;
            target.setAttribute("data-live-version", String(mine));
          }
        })
        .catch(function () { /* the saved form is authoritative; keep the last scores */ });
    }
    // The session expired (the server answers 401 in JSON, accounts.login.signed_out): say
    // so in the panel, as text, instead of the scores; the typed form stays as it is, and
    // saving it keeps it for after the login (accounts.kept_forms).
    function expired(answer) {
      var note = document.createElement("p");
      note.className = "warning";
      note.id = "live-expired";
      note.setAttribute("role", "alert");
      note.textContent = (answer && answer.message) || target.getAttribute("data-expired-text") || "";
      target.textContent = "";
      target.appendChild(note);
      if (answer && answer.hint) {
        var hint = document.createElement("p");
        hint.className = "help";
        hint.id = "live-expired-hint";
        hint.textContent = answer.hint;
        target.appendChild(hint);
      }
      target.setAttribute("data-live-expired", "1");
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
      form.querySelectorAll("button[type=submit]:not([data-keep-disabled]), button:not([type])").forEach(function (b) {
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
      form.querySelectorAll("button[disabled]:not([data-keep-disabled])").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      });
    });
  });
  // Forms marked data-confirm="question" ask it before they are sent (discarding a draft).
  // Only an enhancement: without JavaScript the server asks on a page of its own
  // (records.views.discard). Wired before submitOnce, so a "no" leaves the buttons usable.
  function confirmFirst(form) {
    form.addEventListener("submit", function (event) {
      if (form.querySelector("input[name=confirmed]")) return;
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirmed";
      yes.value = "yes";
      form.appendChild(yes);
    });
  }
  // A table that scrolls sideways (.scroll-x) takes the keyboard focus, so it can be scrolled
  // without a mouse (WCAG 2.1.1; axe-core's scrollable-region-focusable), and is announced as
  // a region named by its table's caption or the section's heading.
  // Only a box that does scroll is a tab stop: checked again when the window is resized.
  // A list table not already in such a box gets one, so a wide table (the audit log on a
  // phone) scrolls by itself instead of widening the whole page.
  function scrollBox(table) {
    if (table.closest(".scroll-x")) return;
    var box = document.createElement("div");
    box.className = "scroll-x";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  }
  function focusableScroll(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (!scrolls) {
      if (box.getAttribute("data-made-focusable")) box.removeAttribute("tabindex");
      return;
    }
    if (!box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-made-focusable", "yes");
    }
    if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
    var caption = box.querySelector("caption");
    var section = box.closest("section, figure");
    var heading = section && section.querySelector("h1, h2, h3, figcaption");
    var name = (caption || heading || {}).textContent;
    if (name && name.trim()) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.list").forEach(scrollBox);
    var boxes = function () { document.querySelectorAll(".scroll-x").forEach(focusableScroll); };
    boxes();
    window.addEventListener("resize", boxes);
    document.querySelectorAll("form[data-confirm]").forEach(confirmFirst);
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
