// The labelling page, from the keyboard: 1-9 label the highlighted message, j / ArrowDown and k / ArrowUp
// move between messages. Without JavaScript the buttons work as plain forms.
(function () {
  "use strict";
  function items() { return Array.from(document.querySelectorAll("li.candidate")); }
  function focused() { return document.querySelector("li.candidate.focused") || items()[0]; }
  function focus(li) {
    if (!li) { return; }
    items().forEach(function (x) { x.classList.remove("focused"); });
    li.classList.add("focused");
    li.focus({ preventScroll: false });
  }
  document.addEventListener("DOMContentLoaded", function () { focus(focused()); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) { return; }
    var current = focused();
    if (!current) { return; }
    var list = items(), at = list.indexOf(current);
    if (event.key === "j" || event.key === "ArrowDown") { focus(list[Math.min(at + 1, list.length - 1)]); event.preventDefault(); return; }
    if (event.key === "k" || event.key === "ArrowUp") { focus(list[Math.max(at - 1, 0)]); event.preventDefault(); return; }
    var digit = "0123456789".indexOf(event.key);
    if (digit < 0) { digit = "۰۱۲۳۴۵۶۷۸۹".indexOf(event.key); }
    if (digit > 0) {
      var button = current.querySelector('button[data-key="' + digit + '"]');
      if (button) { event.preventDefault(); button.click(); }
    }
  });
  document.addEventListener("click", function (event) {
    var li = event.target.closest && event.target.closest("li.candidate");
    if (li) { focus(li); }
  });
})();
