// integrity review UI: tabs, fragment jumps, keyboard shortcuts, analysis progress. No libraries.
(function () {
  "use strict";

  function activate(doc) {  // show one document of a side, hide its siblings
    var side = doc.getAttribute("data-tab").split("-")[0];
    document.querySelectorAll('.doc[data-tab^="' + side + '-"]').forEach(function (d) {
      d.classList.toggle("hidden", d !== doc);
    });
    document.querySelectorAll('.tab[data-tab^="' + side + '-"]').forEach(function (t) {
      t.classList.toggle("active", t.getAttribute("data-tab") === doc.getAttribute("data-tab"));
    });
  }

  function reveal(mark) {  // open the mark's tab and scroll its pane to it
    var doc = mark.closest(".doc"), pane = mark.closest(".pane"), line = mark.closest(".l");
    if (!doc || !pane || !line) return;
    activate(doc);
    var head = doc.querySelector(".doc-head");
    pane.scrollTop += line.getBoundingClientRect().top - pane.getBoundingClientRect().top - (head ? head.offsetHeight : 0) - 24;
    line.classList.remove("flash");
    void line.offsetWidth;
    line.classList.add("flash");
  }

  var current = 0;
  function showFragment(ref) {
    ["a", "b"].forEach(function (side) {
      var mark = document.getElementById(ref + "-" + side);
      if (mark) reveal(mark);
    });
    var links = document.querySelectorAll(".frag-link");
    links.forEach(function (l, i) {
      var on = l.getAttribute("data-f") === ref;
      l.classList.toggle("current", on);
      if (on) current = i;
    });
    if (history.replaceState) history.replaceState(null, "", "#" + ref + "-a");
  }

  document.addEventListener("click", function (e) {
    var tab = e.target.closest(".tab[data-tab]");
    if (tab) {
      activate(document.querySelector('.doc[data-tab="' + tab.getAttribute("data-tab") + '"]'));
      return;
    }
    var link = e.target.closest("a[data-f]");
    if (link) {
      e.preventDefault();
      showFragment(link.getAttribute("data-f"));
      return;
    }
    var row = e.target.closest("tr[data-href]");
    if (row && !e.target.closest("a")) window.location = row.getAttribute("data-href");
  });

  function stepFragment(delta) {
    var links = document.querySelectorAll(".frag-link");
    if (!links.length) return;
    current = (current + delta + links.length) % links.length;
    showFragment(links[current].getAttribute("data-f"));
    links[current].scrollIntoView({block: "nearest"});
  }

  function go(id) {
    var a = document.getElementById(id);
    if (a) window.location = a.href;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    var form = document.getElementById("review-form");
    var states = {"1": "not_suspicious", "2": "suspicious", "3": "escalated"};
    if (form && states[e.key]) {
      var radio = form.querySelector('input[name="state"][value="' + states[e.key] + '"]');
      if (radio) { radio.checked = true; e.preventDefault(); }
    } else if (form && e.key === "s") {
      e.preventDefault();
      form.querySelector('button[value="stay"]').click();
    } else if (e.key === "n") {
      go("next-unreviewed");
    } else if (e.key === "]") {
      go("next-pair");
    } else if (e.key === "j") {
      stepFragment(1);
    } else if (e.key === "k") {
      stepFragment(-1);
    }
  });

  window.addEventListener("load", function () {
    var m = /^#(f\d+)-[ab]$/.exec(location.hash);
    if (m) showFragment(m[1]);
  });

  // the disclosure form: "add another prompt / tool" without a round trip (the buttons submit
  // the form for the same effect when scripts are off)
  function renumber(el, index) {  // tools-3-... -> tools-<index>-... in names, ids and labels
    ["name", "id", "for"].forEach(function (attr) {
      el.querySelectorAll("[" + attr + "]").forEach(function (node) {
        node.setAttribute(attr, node.getAttribute(attr).replace(/^tools-\d+-/, "tools-" + index + "-"));
      });
    });
  }
  function blank(el) {
    el.querySelectorAll("input[type=text], input:not([type]), textarea").forEach(function (i) { i.value = ""; });
    el.querySelectorAll("input[type=checkbox]").forEach(function (i) { i.checked = false; });
    el.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
  }
  document.addEventListener("click", function (e) {
    var add = e.target.closest("#disclosure-form button[data-add]");
    if (!add) return;
    e.preventDefault();
    if (add.getAttribute("data-add") === "prompt") {
      var areas = add.parentNode.querySelectorAll("textarea");
      var last = areas[areas.length - 1], copy = last.cloneNode(false);
      copy.value = "";
      copy.name = copy.id = last.name.replace(/-(\d+)$/, function (_, n) { return "-" + (Number(n) + 1); });
      last.parentNode.insertBefore(copy, add);
      copy.focus();
    } else {
      var tools = document.querySelectorAll("#disclosure-form fieldset.tool");
      var source = tools[tools.length - 1], tool = source.cloneNode(true), index = tools.length;
      tool.querySelectorAll(".field-error").forEach(function (x) { x.remove(); });
      var prompts = tool.querySelectorAll(".prompts textarea");
      for (var i = 1; i < prompts.length; i++) prompts[i].remove();
      renumber(tool, index);
      blank(tool);
      tool.setAttribute("data-index", index);
      tool.querySelector("legend").textContent = "Tool " + (index + 1);
      tool.querySelector("button[data-add=prompt]").value = "prompt-" + index;
      source.parentNode.insertBefore(tool, add);
      tool.querySelector("select").focus();
    }
  });

  // analysis progress: poll the status while a job runs, reload when it ends
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-state") === "running") {
    var poll = function () {
      fetch(job.getAttribute("data-status"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state !== "running") { window.location.reload(); return; }
          job.querySelector(".job-stage").textContent = s.stage;
          job.querySelector(".job-count").textContent = s.total ? s.done + " / " + s.total : "";
          job.querySelector(".progress i").style.width = (s.total ? 100 * s.done / s.total : 5) + "%";
          setTimeout(poll, 700);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    poll();
  }
})();
