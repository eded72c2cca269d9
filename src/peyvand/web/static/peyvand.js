// Draws the charts whose Plotly specifications the server put in the page as JSON.
(function () {
  function draw() {
    document.querySelectorAll("script[type='application/json'][id$='-chart-data']").forEach(function (node) {
      var target = document.getElementById(node.id.replace(/-data$/, ""));
      if (!target || !window.Plotly) { return; }
      var spec = JSON.parse(node.textContent);
      if (!spec) { return; }
      window.Plotly.newPlot(target, spec.data, spec.layout, {displaylogo: false, responsive: true});
      target.setAttribute("data-drawn", "1");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
