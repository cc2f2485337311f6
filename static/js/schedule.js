// The schedule form: show the day field for "a fixed day", the weekday fields for "a weekday".
(function () {
  "use strict";
  var form = document.querySelector("[data-schedule-form]");
  if (!form) { return; }
  var rule = form.querySelector("[name=rule]");
  function wrapper(name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.closest(".mb-3") : null;
  }
  function update() {
    var byDay = rule.value === "day_of_month";
    [["day", byDay], ["ordinal", !byDay], ["weekday", !byDay]].forEach(function (pair) {
      var element = wrapper(pair[0]);
      if (element) { element.hidden = !pair[1]; }
    });
  }
  rule.addEventListener("change", update);
  update();
})();
