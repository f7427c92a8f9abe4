/* Vigía — draws every chart of the page from its JSON block (see presentation/charts.py).
 *
 * The server writes, for each chart, a container ([data-vchart] .vchart-canvas) and a
 * <script type="application/json"> with the ECharts option, a tooltip text per point, the CSV
 * rows and a description. This file alone turns them into charts: no inline code, no style
 * attributes (CSP), so a new kind of chart needs a new option builder on the server, not new
 * page code. ECharts is loaded only on pages that have a chart.
 */
(function () {
  "use strict";
  var figures = document.querySelectorAll("[data-vchart]");
  if (!figures.length) return;
  var self = document.currentScript;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("No se pudo cargar " + src)); };
      document.head.appendChild(s);
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function formatNumber(value, decimals, unit) {
    if (value === null || value === undefined || isNaN(value)) return "ND";
    return Number(value).toLocaleString("en-US", {minimumFractionDigits: decimals, maximumFractionDigits: decimals}) + (unit || "");
  }

  function tipText(payload, seriesIndex, dataIndex, fallback) {
    var series = payload.tips[seriesIndex];
    var text = series && series[dataIndex];
    return text || fallback || "";
  }

  function tooltipFormatter(payload) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var lines = [];
      list.forEach(function (p) {
        var value = p.value && typeof p.value === "object" ? p.value.value : p.value;
        var text = tipText(payload, p.seriesIndex, p.dataIndex,
          value === null || value === undefined ? "" : p.seriesName + ": " + formatNumber(value, payload.decimals, payload.unit));
        if (text) lines.push(escapeHtml(text));
      });
      return lines.join("<br>");
    };
  }

  function download(name, blob) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function csvBlob(csv) {
    function cell(v) {
      if (v === null || v === undefined) return "";
      var s = String(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    var lines = [csv.columns.map(cell).join(",")].concat(csv.rows.map(function (r) { return r.map(cell).join(","); }));
    return new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
  }

  function dataUrlBlob(url) {
    var parts = url.split(","), bytes = atob(parts[1]), buf = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
    return new Blob([buf], {type: parts[0].split(":")[1].split(";")[0]});
  }

  /* A PNG needs a raster: draw the same option once more with the canvas renderer, off screen
     (turning the SVG into an image would need img-src data:, which the CSP forbids). */
  function pngBlob(chart, option) {
    var box = document.createElement("div");
    box.className = "vchart-offscreen";
    document.body.appendChild(box);
    var copy = echarts.init(box, null, {renderer: "canvas", locale: "ES", width: chart.getWidth(), height: chart.getHeight()});
    copy.setOption(Object.assign({}, option, {animation: false}));
    var url = copy.getDataURL({type: "png", pixelRatio: 2, backgroundColor: "#ffffff"});
    copy.dispose();
    box.remove();
    return dataUrlBlob(url);
  }

  function points(option) {
    /* Every (series, data point) with a value, in reading order, for the arrow keys. */
    var out = [];
    (option.series || []).forEach(function (s, si) {
      (s.data || []).forEach(function (d, di) {
        var v = d && typeof d === "object" ? d.value : d;
        if (v !== null && v !== undefined) out.push([si, di]);
      });
    });
    return out;
  }

  function setup(figure) {
    var canvas = figure.querySelector(".vchart-canvas");
    var block = figure.querySelector('script[type="application/json"]');
    var live = figure.querySelector(".vchart-live");
    var payload = JSON.parse(block.textContent);
    var option = payload.option;
    // ECharts writes the chart's aria-label itself: give it the title and description of the page.
    option.aria = {enabled: true, decal: {show: true}, label: {enabled: true, description: canvas.getAttribute("aria-label")}};
    option.animation = !reduceMotion;
    // The tooltip stays inside the chart, which clips what it holds (see .vchart-canvas in vigia.css).
    option.tooltip = Object.assign({}, option.tooltip, {formatter: tooltipFormatter(payload), renderMode: "html", confine: true});
    var chart = echarts.init(canvas, null, {renderer: "svg", locale: "ES"});
    chart.setOption(option);
    if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(canvas);

    var order = points(option), at = -1;
    canvas.addEventListener("keydown", function (event) {
      var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
      if (event.key === "Escape") { chart.dispatchAction({type: "hideTip"}); return; }
      if (!step || !order.length) return;
      event.preventDefault();
      if (at >= 0) chart.dispatchAction({type: "downplay", seriesIndex: order[at][0], dataIndex: order[at][1]});
      at = (at + step + order.length) % order.length;
      var p = order[at];
      chart.dispatchAction({type: "highlight", seriesIndex: p[0], dataIndex: p[1]});
      chart.dispatchAction({type: "showTip", seriesIndex: p[0], dataIndex: p[1]});
      live.textContent = tipText(payload, p[0], p[1], "");
    });
    canvas.addEventListener("blur", function () { chart.dispatchAction({type: "hideTip"}); });

    var tools = figure.querySelector(".vchart-tools");
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var kind = event.target.getAttribute("data-download");
      if (kind === "csv") download(payload.file + ".csv", csvBlob(payload.csv));
      else if (kind === "svg") download(payload.file + ".svg", new Blob([chart.renderToSVGString()], {type: "image/svg+xml"}));
      else if (kind === "png") download(payload.file + ".png", pngBlob(chart, option));
    });
    figure.classList.add("vchart-ready");
  }

  /* A map (registry pages) names the GeoJSON of its areas: fetched from Vigía itself and registered
     once before any chart is drawn. */
  function registerMaps() {
    var maps = {};
    figures.forEach(function (figure) {
      var payload = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
      if (payload.map) maps[payload.map.name] = payload.map.url;
    });
    return Promise.all(Object.keys(maps).map(function (name) {
      return fetch(maps[name], {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (geo) { echarts.registerMap(name, geo); });
    }));
  }

  load(self.getAttribute("data-echarts"))
    .then(function () { return load(self.getAttribute("data-locale")); })
    .then(registerMaps)
    .then(function () {
      figures.forEach(function (figure) {
        try { setup(figure); } catch (error) { figure.classList.add("vchart-failed"); console.error(error); }
      });
    })
    .catch(function (error) { console.error(error); });
})();
