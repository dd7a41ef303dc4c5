// The builder's forms show only the fields that apply to the current choices:
// <div data-show-if="dosage_type=reps,hold">. Without JavaScript every field shows.
(function () {
  "use strict";

  function valueOf(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.querySelector('select[name="' + name + '"], input[name="' + name + '"]:not([type=radio])');
    return field ? field.value : null;
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      var rule = element.getAttribute("data-show-if").split("=");
      var wanted = rule[1].split(",");
      var show = wanted.indexOf(valueOf(form, rule[0])) !== -1;
      // Never hide a field that carries an error message.
      if (element.querySelector(".is-invalid")) { show = true; }
      element.classList.toggle("d-none", !show);
    });
  }

  document.querySelectorAll("form[data-show-form]").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
