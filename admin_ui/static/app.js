// Small progressive enhancements; every page works without JavaScript.
document.querySelectorAll("select.autosubmit").forEach(function (sel) {
  sel.addEventListener("change", function () { sel.form.submit(); });
});
