// Receipt page: copy the two codes, print the receipt (the file download is a plain form).
(function () {
  var copy = document.getElementById("receipt-copy"), print = document.getElementById("receipt-print");
  var status = document.getElementById("receipt-copy-status");
  document.querySelectorAll(".js-only").forEach(function (b) { b.hidden = false; });
  if (copy) {
    copy.addEventListener("click", function () {
      var text = copy.dataset.text;
      function done(ok) { status.textContent = ok ? copy.dataset.done : copy.dataset.failed; }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        done(false);
      }
    });
  }
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
