// Behaviour every page shares, in a file because the Content-Security-Policy allows no inline script or on*= handler.
(function () {
  // <button data-print> prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
})();
