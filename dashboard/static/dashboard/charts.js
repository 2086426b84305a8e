// Draws every server-built Plotly figure on the page. A figure arrives as JSON in the
// <script type="application/json" id="NAME-figure"> that Django's json_script writes, and is
// drawn into the element with id "NAME-chart", so no inline script is needed (the pages are
// served under a Content-Security-Policy without 'unsafe-inline').
(function () {
  "use strict";
  function follow(event) {
    // A bar whose trace carries links in customdata (a city, a sector) opens that link.
    var link = event && event.points && event.points[0] && event.points[0].customdata;
    if (typeof link === "string" && (link.charAt(0) === "/" || link.charAt(0) === "?")) {
      window.location.assign(link);
    }
  }
  function draw() {
    document.querySelectorAll("script[type='application/json'][id$='-figure']").forEach(function (holder) {
      var target = document.getElementById(holder.id.replace(/-figure$/, "-chart"));
      if (!target || !window.Plotly) { return; }
      var figure = JSON.parse(holder.textContent);
      window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, {
        displaylogo: false, responsive: true, locale: document.documentElement.lang,
        modeBarButtonsToRemove: ["select2d", "lasso2d"]
      }).then(function (plot) { plot.on("plotly_click", follow); });
    });
  }
  function bars() {
    // Progress bars: the width comes from data-width, since inline style attributes are refused.
    document.querySelectorAll(".bar [data-width]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.getAttribute("data-width")) || 0)) + "%";
    });
  }
  function swatches() {
    document.querySelectorAll("[data-colour]").forEach(function (swatch) {
      swatch.style.backgroundColor = swatch.getAttribute("data-colour");
    });
  }
  function printable() {
    // A printed page shows every sector group, also those the reader left folded.
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details:not([open])").forEach(function (details) {
        details.setAttribute("open", "");
        details.setAttribute("data-opened-for-print", "");
      });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
        details.removeAttribute("open");
        details.removeAttribute("data-opened-for-print");
      });
    });
  }
  function start() { bars(); swatches(); draw(); printable(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
