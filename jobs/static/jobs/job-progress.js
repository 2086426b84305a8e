// Polls a background job's status (JSON) and shows its progress; reloads the page when the job
// has finished, so the result is rendered by the server. Without JavaScript, a <noscript> meta
// refresh reloads the page instead.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section || section.dataset.finished === "1") return;
  var url = section.dataset.statusUrl;
  var delay = (parseFloat(section.dataset.pollSeconds) || 2) * 1000;
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var status = document.getElementById("job-status");
  var failures = 0;

  function show(state) {
    if (status) status.textContent = state.status_label;
    if (bar && state.total) {
      bar.max = state.total;
      bar.value = state.done;
      bar.textContent = state.percent + "%";
    }
    if (text) {
      var figures = state.total ? state.done.toLocaleString() + " / " + state.total.toLocaleString() + " (" + state.percent + "%) " : "";
      text.textContent = figures + (state.stage || "");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A passing network error: try again, more slowly, and fall back to reloading the page.
        failures += 1;
        if (failures > 5) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay * (failures + 1));
        }
      });
  }

  window.setTimeout(poll, delay / 2);
})();
