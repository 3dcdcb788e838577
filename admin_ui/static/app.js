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
// While an Abgleich or an order push is queued or running, poll
// /admin/progress and swap in the Abgleich panel it renders (the same
// template the page uses); stop when nothing runs any more. Without
// JavaScript the page reloads itself (<noscript> refresh) instead.
(function () {
  var box = document.getElementById("run");
  if (!box || box.dataset.active !== "true") return;
  var url = box.dataset.progressUrl;
  var timer = setInterval(function () {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var current = document.getElementById("run");
        if (current && typeof data.html === "string") {
          current.outerHTML = data.html;
        }
        if (!data.live) {
          clearInterval(timer);
        }
      })
      .catch(function () {});
  }, 1500);
})();
