/* Behaviour for every page, loaded as a file so the CSP needs no inline scripts. */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /* Charts: <div class="chart" data-chart="json-script-id"></div>; the JSON is an
     ECharts option built by the server from one selector. */
  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var option = readJson(el.dataset.chart);
      if (!option) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      option.textStyle = option.textStyle || { fontFamily: getComputedStyle(document.body).fontFamily };
      option.animationDuration = option.animationDuration || 300;
      chart.setOption(option);
      if (el.dataset.clickBase) {
        chart.on("click", function (params) {
          var key = (params.data && params.data.key) || params.name;
          window.location.href = el.dataset.clickBase + encodeURIComponent(key);
        });
      }
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () {
        if (!chart.isDisposed()) { chart.resize(); }
      });
    });
  }

  /* Forms that submit themselves when a control changes (filters). */
  function autoSubmit(root) {
    root.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      if (form.dataset.bound) { return; }
      form.dataset.bound = "1";
      form.addEventListener("change", function () {
        if (window.htmx && form.getAttribute("hx-get")) {
          window.htmx.trigger(form, "submit");
        } else {
          form.requestSubmit();
        }
      });
    });
  }

  /* Buttons that ask before they act: <button data-confirm="…">. */
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  /* Tabs loaded by htmx: mark the clicked tab active. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-tab-link]");
    if (!link) { return; }
    link.closest(".nav").querySelectorAll("[data-tab-link]").forEach(function (el) {
      el.classList.toggle("active", el === link);
      el.setAttribute("aria-selected", el === link ? "true" : "false");
    });
  });

  function init(root) { drawCharts(root); autoSubmit(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  /* A tile swapped with outerHTML is no longer inside the event's target, so the whole
     page is looked at; charts already drawn are skipped. */
  document.addEventListener("htmx:afterSettle", function () { init(document); });

  /* Charts about to be replaced by a swap release their instance and listeners. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!window.echarts) { return; }
    var target = event.detail.target;
    if (!target) { return; }
    target.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.dispose(); }
    });
  });

  /* Dashboards: a change of the period or the unit refreshes every tile in place (each
     tile includes the filter form in its request) and keeps the address bookmarkable. */
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-dashboard-filters]");
    if (!form || !window.htmx) { return; }
    var query = new URLSearchParams(new FormData(form));
    Array.from(query.keys()).forEach(function (key) { if (!query.get(key)) { query.delete(key); } });
    var search = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    window.htmx.trigger(document.body, "dashboard-refresh");
  });

  /* The shared modal: htmx loads its content into #modal-content, then it opens. */
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "modal-content" && window.bootstrap) {
      window.bootstrap.Modal.getOrCreateInstance(document.getElementById("modal")).show();
    }
  });
  document.addEventListener("pmo:closeModal", function () {
    var modal = document.getElementById("modal");
    if (modal && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(modal).hide(); }
  });
})();
