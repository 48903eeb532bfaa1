// A small Markdown toolbar for the section editor. The page works without it: the
// toolbar stays hidden unless this script runs. No inline handlers (the CSP forbids them).
(function () {
  "use strict";
  document.querySelectorAll(".editor-toolbar[data-editor-for]").forEach(function (toolbar) {
    var textarea = document.getElementById(toolbar.dataset.editorFor);
    if (!textarea) return;
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var start = textarea.selectionStart, end = textarea.selectionEnd, text = textarea.value;
      var selected = text.slice(start, end);
      var replacement;
      if (button.dataset.wrap) {
        replacement = button.dataset.wrap + selected + button.dataset.wrap;
      } else {
        var lineStart = text.lastIndexOf("\n", start - 1) + 1;
        start = lineStart;
        selected = text.slice(lineStart, end);
        replacement = selected.split("\n").map(function (line) { return button.dataset.prefix + line; }).join("\n");
      }
      textarea.setRangeText(replacement, start, end, "select");
      textarea.focus();
      textarea.dispatchEvent(new Event("input"));
    });
  });
})();
