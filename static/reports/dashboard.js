/* Dashboards: draw the charts from the JSON beside each chart, redraw after htmx swaps, and
   show the date inputs only for a custom range. No inline script: the page is CSP-ready. */
(function () {
  "use strict";

  var COLORS = { good: "#198754", near: "#e0a800", behind: "#dc3545" };

  function number(value, unit) {
    if (value === null || value === undefined) return "—";
    return value.toLocaleString("zh-CN") + (unit || "");
  }

  // Tooltips as DOM nodes with classes (dashboard.css), not ECharts' default HTML string: that
  // string is full of style="" attributes, which the Content-Security-Policy refuses.
  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function tooltip(format) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var box = document.createElement("div");
      box.className = "chart-tip";
      var title = document.createElement("div");
      title.className = "chart-tip-title";
      title.textContent = list.length ? (list[0].axisValueLabel || list[0].name) : "";
      box.appendChild(title);
      list.forEach(function (p) {
        var row = document.createElement("div");
        row.className = "chart-tip-row";
        var dot = span("chart-tip-dot", "");
        if (typeof p.color === "string") dot.style.backgroundColor = p.color;  // CSSOM: allowed
        row.appendChild(dot);
        row.appendChild(span("chart-tip-name", p.seriesName));
        row.appendChild(span("chart-tip-value", format(p)));
        box.appendChild(row);
      });
      return box;
    };
  }

  function trendOption(data) {
    var hidden = {};
    data.series.forEach(function (s) {
      // Amounts and participants dwarf the counts: off by default, one click in the legend.
      if (s.key === "welfare_amount" || s.key === "participants") hidden[s.name] = false;
    });
    return {
      tooltip: {
        trigger: "axis",
        formatter: tooltip(function (p) { return number(p.value, data.series[p.seriesIndex].unit); })
      },
      legend: { top: 0, selected: hidden },
      grid: { left: 48, right: 16, top: 56, bottom: 28 },
      xAxis: { type: "category", data: data.categories },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          data: s.data
        };
      })
    };
  }

  function compareOption(data) {
    var unit = data.unit;
    return {
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: tooltip(function (p) {
          var v = p.seriesIndex === 1 && p.value != null ? Math.round(p.value * 10) / 10 : p.value;
          return number(v, unit === "%" ? "%" : " " + unit);
        })
      },
      legend: { top: 0, data: [data.name, data.target_name] },
      grid: { left: 80, right: 24, top: 32, bottom: 24 },
      xAxis: { type: "value", axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } },
      yAxis: { type: "category", data: data.categories, inverse: true },
      series: [
        {
          name: data.name,
          type: "bar",
          data: data.data.map(function (v, i) {
            var status = data.status[i];
            return { value: v, itemStyle: status ? { color: COLORS[status] } : undefined };
          })
        },
        {
          name: data.target_name,
          type: "scatter",
          symbol: "diamond",
          symbolSize: 10,
          itemStyle: { color: "#212529" },
          data: data.targets
        }
      ]
    };
  }

  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var old = window.echarts.getInstanceByDom(el);
      if (old) old.dispose();
      if (data.kind === "compare") {
        // One bar row per township: 30 townships need more room than 3.
        el.style.height = Math.max(220, 60 + 24 * data.categories.length) + "px";
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(data.kind === "trend" ? trendOption(data) : compareOption(data));
    });
  }

  function toggleRange(root) {
    var select = root.querySelector("[data-period-select]");
    if (!select) return;
    var show = select.value === "range";
    root.querySelectorAll("[data-range], [data-range-hint]").forEach(function (el) {
      el.hidden = !show;
    });
  }

  function init(root) {
    toggleRange(root);
    draw(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(document); });
  // Choosing 自定义区间 only reveals the dates; the page updates once both dates are filled in.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target;
    if (!form || form.id !== "dashboard-form") return;
    var select = form.querySelector("[data-period-select]");
    if (select && select.value === "range") {
      toggleRange(form);
      var start = form.querySelector("[name=start]").value;
      var end = form.querySelector("[name=end]").value;
      if (!start || !end) event.preventDefault();
    }
  });
  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
