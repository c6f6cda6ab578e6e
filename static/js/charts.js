// Draws each <canvas data-chart-for="table-id"> from the numbers of that table (the table stays as the table view).
(function () {
  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart-for]").forEach(function (canvas) {
      var table = document.getElementById(canvas.dataset.chartFor);
      if (!table || canvas.dataset.drawn) return;
      var labels = [], values = [], links = [];
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var cell = tr.querySelector("td[data-value]"), head = tr.querySelector("th a");
        if (!cell || !head) return;
        labels.push(head.textContent.trim()); values.push(Number(cell.dataset.value)); links.push(head.getAttribute("href"));
      });
      var colour = { red: "#c0392b", yellow: "#d4a017" }[table.dataset.tone] || "#2f6f9f";
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: [{ label: table.querySelector("thead th.num").textContent.trim(), data: values, backgroundColor: colour }] },
        options: {
          animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          onClick: function (_e, els) { if (els.length) window.location.href = links[els[0].index]; }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
