// @mention autocomplete for comment boxes. Type "@" and the first letters of a name: matching
// members are listed under the box; arrow keys choose, Enter or Tab inserts "@username", Escape
// closes. The box works without this script (typing @username by hand). No inline handlers or
// styles (the CSP forbids them): the list is styled by .mention-list in portal.css.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = (script && script.dataset.peopleUrl) || "/notifications/people.json";
  var boxes = document.querySelectorAll('textarea[data-mentions], form[action$="/comments/"] textarea[name="body"], form[action*="/comments/"] textarea[name="body"]');
  var counter = 0;

  boxes.forEach(function (textarea) {
    if (textarea.dataset.mentionsReady) return;
    textarea.dataset.mentionsReady = "1";
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = "mention-list-" + (++counter);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    var people = [], active = -1, pending = null, waiting = null;

    function wordAtCaret() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[\s(])@([\w.+-]{1,30})$/.exec(before);
      return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      people = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, n) {
        item.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index >= 0) textarea.setAttribute("aria-activedescendant", list.children[index].id);
    }

    function choose(index) {
      var word = wordAtCaret();
      if (!word || !people[index]) return close();
      var insert = "@" + people[index].username + " ";
      textarea.setRangeText(insert, word.start, textarea.selectionStart, "end");
      textarea.focus();
      close();
    }

    function show(found) {
      close();
      people = found;
      if (!people.length) return;
      people.forEach(function (person, n) {
        var item = document.createElement("li");
        item.id = list.id + "-" + n;
        item.setAttribute("role", "option");
        item.textContent = person.name + " (@" + person.username + ")";
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(n);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      highlight(0);
    }

    function lookUp() {
      var word = wordAtCaret();
      if (!word) return close();
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(word.query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) { show(data.people || []); })
        .catch(function () {});  // a failed look-up keeps the list as it was; typing goes on
    }

    // One look-up once typing pauses, not one per key: fewer requests, and no list flickering
    // through the names of every prefix.
    textarea.addEventListener("input", function () {
      clearTimeout(waiting);
      if (!wordAtCaret()) return close();
      waiting = setTimeout(lookUp, 150);
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % people.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + people.length) % people.length); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
