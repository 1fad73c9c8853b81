/* litscope report: search and sort the tables inside <div class="ls-interactive">.
   Inlined by the report's HTML template; it fetches nothing and holds no data: it reads the
   escaped table already in the page, hides the rows a search does not match and reorders
   rows when a column heading is clicked. Without JavaScript (JupyterLab, the printed PDF)
   the table stays as it is. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // "[12]" -> 12, "1,234" -> 1234, "0.75" -> 0.75; null when the cell is not a number.
  function number(text) {
    var t = (text || "").replace(/[\[\],\s%]/g, "");
    if (t === "" || !/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(t)) { return null; }
    return parseFloat(t);
  }

  function enhance(box, index) {
    var table = box.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return fold(row.textContent); });
    var what = box.getAttribute("data-ls-what") || "rows";

    var tools = document.createElement("div");
    tools.className = "ls-tools";
    var label = document.createElement("label");
    label.className = "ls-search-label";
    label.textContent = "Search the " + what + " ";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ls-search";
    input.id = "ls-search-" + index;
    input.setAttribute("autocomplete", "off");
    label.appendChild(input);
    var count = document.createElement("span");
    count.className = "ls-count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(label);
    tools.appendChild(count);
    table.parentNode.insertBefore(tools, table);

    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, k) {
        var keep = words.every(function (w) { return texts[k].indexOf(w) !== -1; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = words.length ? shown + " of " + rows.length + " " + what + " shown"
                                       : rows.length + " " + what;
    }
    input.addEventListener("input", filter);
    filter();

    var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    heads.forEach(function (th, col) {
      th.classList.add("ls-sortable");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      th.title = "Sort by this column";
      function sort() {
        var descending = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var keyed = rows.map(function (row, k) {
          var text = row.cells[col] ? row.cells[col].textContent.trim() : "";
          return { row: row, k: k, text: text, num: number(text) };
        });
        var numeric = keyed.every(function (e) { return e.text === "" || e.num !== null; });
        keyed.sort(function (a, b) {
          if (a.text === "" || b.text === "") {  // empty cells last, either way
            return (a.text === "") - (b.text === "") || a.k - b.k;
          }
          var c = numeric ? a.num - b.num : a.text.localeCompare(b.text, undefined, { sensitivity: "base" });
          return (descending ? -c : c) || a.k - b.k;
        });
        keyed.forEach(function (e) { body.appendChild(e.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("div.ls-interactive"), enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
