/* Progressive enhancement of the patient's pages (works without it; CSP: no inline script).
   A question that applies only for some answers of another question on the same screen
   (data-enable-when / data-enable-codes) is hidden until one of those answers is chosen;
   without JavaScript it is shown with its "Answer only if ..." note. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function chosen(form, name) {
    var box = document.getElementById("q-" + name);
    if (box && box.hidden) { return ""; }  /* a hidden question's answer does not count */
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.querySelector('[name="' + name + '"]:not([type="radio"]):not([type="checkbox"])');
    return field ? field.value : "";
  }

  function update(form) {
    var dependents = form.querySelectorAll("[data-enable-when]");
    for (var i = 0; i < dependents.length; i++) {
      var el = dependents[i];
      var codes = (el.getAttribute("data-enable-codes") || "").split(" ");
      el.hidden = codes.indexOf(chosen(form, el.getAttribute("data-enable-when"))) < 0;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("screen-form");
    if (!form || !form.querySelector("[data-enable-when]")) { return; }
    update(form);
    form.addEventListener("change", function () { update(form); });
  });
})();
