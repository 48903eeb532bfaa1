// Discussion in the text: the side-by-side thread panel, marks <-> cards, and a toolbar that turns a
// selected passage into a comment or a suggestion. The pages work without it (marks are links to
// the cards, the panel is a list below the text, the forms take a pasted quote). No inline code.
// The page marks its parts with data-attributes: [data-reading] around them, the quotable text as
// .prose[data-section] (a section, data-version its revision, data-url its page when the forms are
// elsewhere) or [data-quotable] (a proposal's proposed text), [data-selection-toolbar] with one
// button[data-reading-action] per thing this person may do, [data-reading-message] with the
// messages, [data-reading-quote] the button that works on the current selection (keyboard, touch).
(function () {
  "use strict";
  var root = document.querySelector("[data-reading]");
  if (!root) return;
  var toolbar = document.querySelector("[data-selection-toolbar]");
  if (toolbar && !toolbar.querySelector("button")) toolbar = null; // nothing this person may do with a passage
  var message = document.querySelector("[data-reading-message]");
  var MAX_QUOTE = 2000, CONTEXT = 32;
  var QUOTABLE = ".prose[data-section], [data-quotable]";
  var captured = null;

  root.classList.add("reading--js");
  document.querySelectorAll("[data-reading-quote]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var current = capture();
      if (current && !current.error) captured = current;
      if (current && current.error) return say(current.error);
      if (!captured) return say("empty");
      quiet();
      showToolbar(button.getBoundingClientRect());
      var first = toolbar && toolbar.querySelector("button");
      if (first) first.focus();
    });
  });

  function say(key) {
    if (!message) return;
    message.textContent = message.dataset[key] || "";
    message.hidden = false;
    if (toolbar) toolbar.hidden = true;
  }

  function quiet() {
    if (message) { message.hidden = true; message.textContent = ""; }
  }

  function proseOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(QUOTABLE) : null;
  }

  // The text of a range as the server sees it: without the paragraph numbers and thread links we add,
  // nor the "added:" labels a diff gives screen readers.
  function textOf(range) {
    var holder = document.createElement("div");
    holder.appendChild(range.cloneContents());
    holder.querySelectorAll(".para-ref, .mark-ref, .visually-hidden").forEach(function (el) { el.remove(); });
    return holder.textContent;
  }

  function capture() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var start = proseOf(range.startContainer), end = proseOf(range.endContainer);
    var touched = Array.prototype.filter.call(document.querySelectorAll(QUOTABLE), function (prose) {
      return range.intersectsNode(prose);
    });
    if (!touched.length) return null;
    if (touched.length > 1 && start && end && start !== end) return { error: "twoSections" };
    if (!start || !end || start !== end) return touched.length > 1 ? { error: "twoSections" } : { error: "outside" };
    var text = textOf(range).trim();
    if (!text) return null;
    if (text.length > MAX_QUOTE) return { error: "tooLong" };
    var before = document.createRange(), after = document.createRange();
    before.selectNodeContents(start);
    before.setEnd(range.startContainer, range.startOffset);
    after.selectNodeContents(start);
    after.setStart(range.endContainer, range.endOffset);
    return {
      text: text,
      prose: start,
      prefix: textOf(before).slice(-CONTEXT),
      suffix: textOf(after).slice(0, CONTEXT),
      rect: range.getBoundingClientRect(),
    };
  }

  function showToolbar(rect) {
    if (!toolbar) return;
    toolbar.hidden = false;
    toolbar.style.top = window.scrollY + rect.bottom + 8 + "px";
    toolbar.style.left = Math.max(8, window.scrollX + rect.left) + "px";
  }

  document.addEventListener("selectionchange", function () {
    var current = capture();
    if (!current) return; // a collapsed selection keeps the last passage for the toolbar's buttons
    if (current.error) return say(current.error);
    captured = current;
    quiet();
    showToolbar(current.rect);
  });

  document.addEventListener("pointerdown", function (event) {
    if (toolbar && !toolbar.hidden && !toolbar.contains(event.target) && !event.target.closest("[data-reading-quote]")) {
      toolbar.hidden = true;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toolbar && !toolbar.hidden) toolbar.hidden = true;
  });

  function setValue(id, value) {
    var field = document.getElementById(id);
    if (field) field.value = value;
    return field;
  }

  if (toolbar) {
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the selection
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-reading-action]");
      if (!button || !captured) return;
      var action = button.dataset.readingAction, prose = captured.prose;
      toolbar.hidden = true;
      var form = document.getElementById(action === "comment" ? "new-comment" : "suggest");
      if (prose.dataset.url) {
        // The document page: the forms are on the section's own page.
        var query = "?quote=" + encodeURIComponent(captured.text) + (action === "suggest" ? "&action=suggest" : "");
        window.location.assign(prose.dataset.url + query + (action === "suggest" ? "#suggest" : "#new-comment"));
        return;
      }
      if (!form) return; // a retired section takes no comments or suggestions
      if (action === "comment") {
        setValue("id_quote", captured.text);
        setValue("id_quote_version", prose.dataset.version || "");
        setValue("id_quote_prefix", captured.prefix);
        setValue("id_quote_suffix", captured.suffix);
        focusField(form, "id_body");
      } else {
        form.open = true;
        setValue("id_suggest-quote", captured.text);
        setValue("id_suggest-prefix", captured.prefix);
        setValue("id_suggest-suffix", captured.suffix);
        setValue("id_suggest-base_version", prose.dataset.version || "");
        setValue("id_suggest-replacement", captured.text);
        focusField(form, "id_suggest-replacement");
      }
    });
  }

  // Words typed or pasted into the quote by hand were not selected: their surroundings are unknown.
  var quoteField = document.getElementById("id_quote");
  if (quoteField) {
    quoteField.addEventListener("input", function () {
      setValue("id_quote_prefix", "");
      setValue("id_quote_suffix", "");
    });
  }

  function focusField(form, id) {
    form.scrollIntoView({ block: "center" });
    var field = document.getElementById(id);
    if (field) field.focus({ preventScroll: true });
  }

  // Marks and cards: a click on one brings the other into view.
  function marksOf(id) {
    return Array.prototype.filter.call(document.querySelectorAll("mark.anchor-mark[data-threads]"), function (mark) {
      return mark.dataset.threads.split(" ").indexOf(String(id)) >= 0;
    });
  }

  function showPassage(id) {
    document.querySelectorAll("mark.is-current").forEach(function (m) { m.classList.remove("is-current"); });
    var marks = marksOf(id);
    if (!marks.length) return false;
    marks.forEach(function (m) { m.classList.add("is-current"); });
    marks[0].scrollIntoView({ block: "center" });
    return true;
  }

  function openCard(id) {
    var card = document.getElementById("comment-" + id);
    if (!card || !card.classList.contains("thread-card")) return false;
    document.querySelectorAll(".thread-card.is-active").forEach(function (c) { c.classList.remove("is-active"); });
    card.classList.add("is-active");
    card.scrollIntoView({ block: "nearest" });
    card.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var ref = event.target.closest("a.mark-ref[data-thread]");
    if (ref) {
      if (openCard(ref.dataset.thread)) event.preventDefault();
      return;
    }
    var show = event.target.closest("a.thread-card__show[data-thread]");
    if (show) {
      if (showPassage(show.dataset.thread)) event.preventDefault();
      return;
    }
    var mark = event.target.closest("mark.anchor-mark[data-threads]");
    if (mark && window.getSelection().isCollapsed) {
      var id = mark.dataset.threads.split(" ")[0];
      // Without a thread panel (the proposal page), the comment is in the discussion below.
      if (!openCard(id) && document.getElementById("comment-" + id)) window.location.hash = "comment-" + id;
      return;
    }
    var card = event.target.closest(".thread-card[data-thread]");
    if (card && !event.target.closest("a, button, input, textarea, select, summary, label, form")) {
      showPassage(card.dataset.thread);
      card.classList.add("is-active");
    }
  });
})();
