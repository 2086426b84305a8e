// Draws every server-built Plotly figure on the page. A figure arrives as JSON in the
// <script type="application/json" id="NAME-figure"> that Django's json_script writes, and is
// drawn into the element with id "NAME-chart", so no inline script is needed.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("script[type='application/json'][id$='-figure']").forEach(function (holder) {
      var target = document.getElementById(holder.id.replace(/-figure$/, "-chart"));
      if (!target || !window.Plotly) { return; }
      var figure = JSON.parse(holder.textContent);
      window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, {
        displaylogo: false, responsive: true, locale: document.documentElement.lang
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
