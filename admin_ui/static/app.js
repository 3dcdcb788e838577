// Small progressive enhancements; every page works without JavaScript.
// No inline script anywhere (the Content-Security-Policy forbids it):
// buttons with data-show reveal a hidden panel, forms with data-confirm ask.
document.querySelectorAll("[data-show]").forEach(function (btn) {
  btn.addEventListener("click", function () {
    var panel = document.getElementById(btn.dataset.show);
    if (panel) panel.hidden = false;
  });
});
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (e) {
    if (!window.confirm(form.dataset.confirm)) e.preventDefault();
  });
});
document.querySelectorAll("select.autosubmit").forEach(function (sel) {
  sel.addEventListener("change", function () { sel.form.submit(); });
});
// While an Abgleich is queued or running, poll its progress and reload the
// page when it has finished.
(function () {
  var box = document.getElementById("run");
  if (!box || box.dataset.active !== "true") return;
  var timer = setInterval(function () {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var run = data.run;
        if (!run) return;
        var counts = document.querySelectorAll("#run-counts strong");
        [run.fetched, run.created, run.updated, run.unchanged, run.failed].forEach(function (v, i) {
          if (counts[i]) counts[i].textContent = v;
        });
        if (run.state === "done" || run.state === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () {});
  }, 1500);
})();
