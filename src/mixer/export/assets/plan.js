// Search box: show the people whose name, id or organisation contains what was typed
// (case and accents ignored), light up their dots, and keep the query in the address (#q=...).
(function () {
  "use strict";
  var fold = function (s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
  };
  var box = document.getElementById("search");
  var found = document.getElementById("found");
  var tip = document.getElementById("tip");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-person]"));
  var marks = Array.prototype.slice.call(document.querySelectorAll("[data-person]:not(tr)"));

  function search(query) {
    var q = fold(query);
    var hits = {};
    var count = 0;
    rows.forEach(function (row) {
      var hit = q !== "" && row.getAttribute("data-search").indexOf(q) >= 0;
      row.hidden = q !== "" && !hit;
      row.classList.toggle("hit", hit);
      if (hit) { hits[row.getAttribute("data-person")] = true; count += 1; }
    });
    marks.forEach(function (el) { el.classList.toggle("hit", hits[el.getAttribute("data-person")] === true); });
    document.body.classList.toggle("searching", q !== "");
    found.textContent = q === "" ? "" : count === 1 ? "1 person found" : count + " people found";
  }

  function fromAddress() {
    var m = /[#&]q=([^&]*)/.exec(location.hash);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
  }

  box.addEventListener("input", function () {
    search(box.value);
    history.replaceState(null, "", box.value ? "#q=" + encodeURIComponent(box.value) : location.pathname);
  });
  window.addEventListener("hashchange", function () { box.value = fromAddress(); search(box.value); });

  // Tapping a dot names the person (hovering shows the same as a tooltip).
  document.addEventListener("click", function (event) {
    var dot = event.target.closest ? event.target.closest(".dot") : null;
    tip.textContent = dot ? dot.getAttribute("data-label") : "";
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && document.activeElement.classList.contains("dot")) {
      tip.textContent = document.activeElement.getAttribute("data-label");
    }
  });

  box.value = fromAddress();
  search(box.value);
})();
