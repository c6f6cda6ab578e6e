// Behaviour every page shares, in a file because the Content-Security-Policy allows no inline script or on*= handler.
(function () {
  // <button data-print> prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  // A table or strip that scrolls sideways (tables do on phones) can be scrolled from the keyboard: it takes focus
  // while it overflows, and gives it up when it fits again (WCAG 2.1.1; axe's rule scrollable-region-focusable).
  var SCROLLERS = "table.list, .table-scroll, .phases, .steps, .mapwrap";
  function focusableScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.scrollFocus = "1";
      } else if (!scrolls && el.dataset.scrollFocus) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);

  // A list's "More filters" is open on wide screens (its summary hidden) and folds on a phone unless a filter is set,
  // so the results are on the first screen; without script it simply stays open.
  var phone = window.matchMedia("(max-width: 700px)");
  function foldFilters() {
    document.querySelectorAll("details.morefilters").forEach(function (d) {
      d.open = !phone.matches || d.hasAttribute("data-filtered");
    });
  }
  document.addEventListener("DOMContentLoaded", foldFilters);
  phone.addEventListener("change", foldFilters);
})();
