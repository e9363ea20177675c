/* The dashboard's charts. Each chart reads its numbers from a JSON script tag the server
   rendered (the same numbers as the table beside it); nothing is fetched. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var DONE = "#2f9e44", OPEN = "#bcccdc", BRAND = "#a61b1b";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function completion(data) {
    // Horizontal stacked bars: done and not yet done, one bar per group, first group on top.
    var labels = data.categories.slice().reverse();
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: ["已完成", "未完成"] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, axisLabel: { width: 160, overflow: "truncate" } },
      series: [
        { name: "已完成", type: "bar", stack: "all", color: DONE, data: data.done.slice().reverse() },
        { name: "未完成", type: "bar", stack: "all", color: OPEN, data: data.open.slice().reverse() }
      ]
    };
  }

  function lights(data) {
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
      legend: { orient: "vertical", left: 0, top: "middle" },
      series: [{
        name: "红黄绿灯",
        type: "pie",
        radius: ["38%", "68%"],
        center: ["62%", "50%"],
        label: { formatter: "{c}" },
        data: data.items.map(function (item) {
          return { name: item.name, value: item.value, itemStyle: { color: item.color } };
        })
      }]
    };
  }

  function trend(data) {
    var colours = [BRAND, DONE, "#1d5fa8"];
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.categories },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s, i) {
        return { name: s.name, type: "line", data: s.data, color: colours[i % colours.length], symbolSize: 8 };
      })
    };
  }

  var builders = { completion: completion, lights: lights, trend: trend };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = read(element.getAttribute("data-source"));
    var build = builders[element.getAttribute("data-chart")];
    if (!data || !build) return;
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var option = build(data);
    option.animation = false;
    chart.setOption(option);
    element.setAttribute("data-rendered", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
