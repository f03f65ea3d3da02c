/* The season panel's bar chart of pounds by week: its data is the json_script block "garden-weeks-data". */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("garden-weeks-data").textContent);
  var canvas = document.getElementById("garden-weeks-chart");
  if (!window.Chart || !canvas) return;
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: "Pounds", data: data.pounds, backgroundColor: "#2e7d32" }] },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
  });
})();
