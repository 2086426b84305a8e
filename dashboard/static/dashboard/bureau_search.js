// Search-as-you-type for the measure list's bureau field. Without this script the field is a
// plain text filter on bureau names; with it, matching bureaus are offered as the user types
// and picking one filters on that bureau exactly (the hidden `bureau` id).
(function () {
  "use strict";
  var input = document.querySelector("[data-bureau-search]");
  if (!input) return;
  var form = input.form;
  var hidden = form.querySelector("input[name=bureau]");
  var list = document.getElementById(input.getAttribute("list"));
  var city = form.querySelector("select[name=city]");
  var labels = {};
  var timer = null;
  var pending = null;

  function pick() {
    hidden.value = Object.prototype.hasOwnProperty.call(labels, input.value) ? labels[input.value] : "";
  }

  function suggest() {
    var text = input.value.trim();
    if (!text) { list.replaceChildren(); labels = {}; return; }
    var url = input.getAttribute("data-bureau-search") + "?q=" + encodeURIComponent(text);
    if (city && city.value) url += "&city=" + encodeURIComponent(city.value);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        labels = {};
        var options = data.results.map(function (item) {
          labels[item.label] = String(item.id);
          var option = document.createElement("option");
          option.value = item.label;
          return option;
        });
        list.replaceChildren.apply(list, options);
        pick();
      })
      .catch(function () { /* a failed lookup leaves the plain text filter */ });
  }

  input.addEventListener("input", function () {
    pick();
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  input.addEventListener("change", pick);
})();
