/* The dashboard's charts. The page has no inline script (CSP): each <canvas data-chart-source="ID">
   names a json_script element holding {labels, datasets: [{label, data}], unit}. Charts are drawn on
   page load and again whenever htmx swaps new figures in (the period picker). */
(function () {
  "use strict";

  var COLOURS = ["#a50e0e", "#f0a202", "#2b6cb0", "#2f855a"];

  function readSpec(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function options(spec) {
    var percent = spec.unit === "%";
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      animation: reduced ? false : { duration: 300 },
      scales: {
        y: {
          beginAtZero: true,
          max: percent ? 100 : undefined,
          ticks: { precision: 0, callback: function (value) { return percent ? value + " %" : value; } },
        },
      },
      plugins: { legend: { display: spec.datasets.length > 1 } },
    };
  }

  function draw(canvas) {
    var spec = readSpec(canvas);
    if (!spec || !window.Chart) {
      return;
    }
    var previous = window.Chart.getChart(canvas);
    if (previous) {
      previous.destroy();
    }
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = COLOURS[index % COLOURS.length];
      return { label: dataset.label, data: dataset.data, backgroundColor: colour, borderColor: colour };
    });
    new window.Chart(canvas, { type: "bar", data: { labels: spec.labels, datasets: datasets }, options: options(spec) });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart-source]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // htmx fires htmx:load on every element it swaps in: redraw the charts inside it.
  document.addEventListener("htmx:load", function (event) { drawAll(event.detail.elt); });
})();
