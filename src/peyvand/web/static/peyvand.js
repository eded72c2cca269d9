// Draws the charts whose Plotly specifications the server put in the page as JSON. On a Persian page the
// numbers Plotly writes itself (axis ticks, annotations, legend) are shown in Persian digits with the
// Persian decimal and thousands separators, as the rest of the page is; the hover texts come from the
// server already in the viewer's digits. Axis ticks abbreviated with k, M or G read هزار، میلیون، میلیارد.
(function () {
  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var PLOTLY_TEXT = ".xtick text, .ytick text, .y2tick text, .annotation-text, .legendtext, .gtitle";
  var TICKS = ".ytick text, .y2tick text";
  // Plotly's SI suffixes on axis ticks, in the words Persian pages use for amounts (۲۰۰M → ۲۰۰ میلیون).
  var SI_WORDS = {k: " هزار", M: " میلیون", G: " میلیارد", T: " هزار میلیارد"};

  function persianDigits(root) {
    root.querySelectorAll(TICKS).forEach(function (node) {
      var text = node.textContent;
      var shown = text.replace(/^([^A-Za-z]*\d)([kMGT])$/, function (all, number, suffix) {
        return number + SI_WORDS[suffix];
      });
      if (shown !== text) { node.textContent = shown; }
    });
    root.querySelectorAll(PLOTLY_TEXT).forEach(function (node) {
      var text = node.textContent;
      var shown = text.replace(/[0-9]/g, function (d) { return PERSIAN_DIGITS.charAt(Number(d)); })
        .replace(/%/g, "٪");
      if (shown !== text) { node.textContent = shown; }
    });
  }

  // The chart toolbar's words in Persian (Plotly's locale mechanism; the translations are Peyvand's own).
  var TOOLBAR_FA = {
    "Zoom": "بزرگ‌نمایی ناحیه",
    "Zoom in": "بزرگ‌نمایی",
    "Zoom out": "کوچک‌نمایی",
    "Pan": "جابه‌جایی",
    "Box Select": "انتخاب مستطیلی",
    "Lasso Select": "انتخاب آزاد",
    "Autoscale": "مقیاس خودکار",
    "Reset axes": "بازگرداندن محورها",
    "Download plot as a png": "دریافت نمودار به‌صورت PNG",
    "Download plot": "دریافت نمودار",
    "Toggle Spike Lines": "خطوط راهنما",
    "Show closest data on hover": "نمایش نزدیک‌ترین داده",
    "Compare data on hover": "مقایسهٔ داده‌ها",
    "Double-click to zoom back out": "برای بازگشت دوبار کلیک کنید",
    "Produced with Plotly.js": "ساخته‌شده با Plotly.js",
    "Snapshot succeeded": "تصویر گرفته شد",
    "Taking snapshot - this may take a few seconds": "در حال گرفتن تصویر؛ چند ثانیه صبر کنید",
  };

  function draw() {
    var persian = document.documentElement.lang === "fa";
    if (persian && window.Plotly && window.Plotly.register) {
      window.Plotly.register({moduleType: "locale", name: "fa", dictionary: TOOLBAR_FA});
    }
    document.querySelectorAll("script[type='application/json'][id$='-chart-data']").forEach(function (node) {
      var target = document.getElementById(node.id.replace(/-data$/, ""));
      if (!target || !window.Plotly) { return; }
      var spec = JSON.parse(node.textContent);
      if (!spec) { return; }
      if (persian) { spec.layout.separators = "٫٬"; }
      var config = {displaylogo: false, responsive: true};
      if (persian) { config.locale = "fa"; }
      window.Plotly.newPlot(target, spec.data, spec.layout, config);
      if (persian) {
        persianDigits(target);
        target.on("plotly_afterplot", function () { persianDigits(target); });
      }
      target.setAttribute("data-drawn", "1");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
